/* Unit tests for the rate-limited sender reports (src/report.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "report.h"
#include "testnet.h"

#define SA(x) ((const struct sockaddr *)&(x))

static void
once_a_minute_per_sender_and_kind(void **state)
{
	struct reporter *r = report_new();
	struct sockaddr_in a = testnet_v4("192.0.2.1", 1);
	struct sockaddr_in b = testnet_v4("192.0.2.2", 1);
	struct sockaddr_in a2 = testnet_v4("192.0.2.1", 999);
	time_t t = 1000000;

	(void)state;
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t, NULL), 1);
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t + 1, NULL), 0);
	/* The sender is its address, whatever the port. */
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a2), t + 2, NULL), 0);
	assert_int_equal(report(r, REPORT_SNMPV3, SA(a), t + 3, NULL), 1);
	assert_int_equal(report(r, REPORT_MALFORMED, SA(b), t + 4, NULL), 1);
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t + 59, NULL), 0);
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t + 60, NULL), 1);
	report_free(r);
}

static void
global_cap(void **state)
{
	struct reporter *r = report_new();
	char addr[32];
	time_t t = 2000000;
	int written = 0;

	(void)state;
	for (int i = 0; i < 3 * REPORT_CAP; i++) {
		struct sockaddr_in s;
		snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 200, i % 200 + 1);
		s = testnet_v4(addr, 162);
		written += report(r, REPORT_UNPARSED, SA(s), t, "\"@in x\"");
	}
	assert_int_equal(written, REPORT_CAP);
	/* A minute later there is room again, for one held back too. */
	{
		struct sockaddr_in s = testnet_v4("10.0.0.1", 162);
		assert_int_equal(report(r, REPORT_UNPARSED, SA(s), t + 60, NULL),
		    1);
	}
	report_free(r);
}

/* The number after "held back ", 0 if there is none. */
static unsigned long
held_back(const char *text)
{
	const char *p = strstr(text, "held back ");

	return p != NULL ? strtoul(p + 10, NULL, 10) : 0;
}

/*
 * A sender that falls silent after its report: the others it sent are
 * still said, a minute later, in the summary (and only then).
 */
static void
a_silent_senders_count_is_reported(void **state)
{
	struct reporter *r = report_new();
	struct sockaddr_in a = testnet_v4("192.0.2.1", 1);
	time_t t = 4000000;
	const char *out;

	(void)state;
	capture_start();
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t, NULL), 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t, NULL), 0);
	assert_int_equal(capture_lines(capture_take()), 1);
	assert_true(report_timeout_ms(r, (uint64_t)t * 1000) >= 0);
	for (int s = 1; s < 60; s++)
		report_tick(r, t + s);
	assert_string_equal(capture_take(), "");
	for (int s = 60; s <= 62; s++)
		report_tick(r, t + s);
	out = capture_take();
	assert_int_equal(capture_lines(out), 1);
	assert_int_equal(held_back(out), 4);
	assert_non_null(strstr(out, "malformed datagram 4"));
	/* Nothing left: no more summaries, no more wake-ups. */
	report_tick(r, t + 200);
	assert_string_equal(capture_take(), "");
	assert_int_equal(report_timeout_ms(r, (uint64_t)(t + 200) * 1000), -1);
	capture_stop();
	report_free(r);
}

/*
 * 2,000 spoofed senders: REPORT_CAP reports, then one summary that counts
 * every other datagram, the ones of senders pushed out of the table too.
 */
static void
a_flood_is_counted_in_full(void **state)
{
	struct reporter *r = report_new();
	char addr[32];
	time_t t = 5000000;
	const char *out;
	unsigned long total = 0;
	int written = 0;

	(void)state;
	capture_start();
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 2000; i++) {
			struct sockaddr_in s;
			snprintf(addr, sizeof(addr), "127.0.%d.%d", i / 250,
			    i % 250 + 1);
			s = testnet_v4(addr, 162);
			written += report(r, REPORT_MALFORMED, SA(s), t + round,
			    NULL);
		}
		report_tick(r, t + round);
	}
	out = capture_take();
	assert_int_equal(written, REPORT_CAP);
	assert_int_equal(capture_lines(out), REPORT_CAP);
	/* The others in a summary two seconds on, the rest (of the senders
	 * reported) a minute after their report: every one counted. */
	for (int s = 2; s <= 62; s++) {
		report_tick(r, t + s);
		out = capture_take();
		assert_true(capture_lines(out) <= 1);
		total += held_back(out);
		if (s == 2)
			assert_int_equal(total, 4000 - 2 * REPORT_CAP);
	}
	assert_int_equal(total, 4000 - REPORT_CAP);
	capture_stop();
	report_free(r);
}

/* At a stop nothing held is left unsaid. */
static void
held_counts_are_said_at_a_stop(void **state)
{
	struct reporter *r = report_new();
	struct sockaddr_in a = testnet_v4("192.0.2.1", 1);
	time_t t = 6000000;
	const char *out;

	(void)state;
	capture_start();
	for (int i = 0; i < 3; i++)
		report(r, REPORT_SNMPV3, SA(a), t, NULL);
	report_tick(r, t + 5);
	assert_int_equal(capture_lines(capture_take()), 1);
	report_free(r);
	out = capture_take();
	assert_int_equal(capture_lines(out), 1);
	assert_int_equal(held_back(out), 2);
	assert_non_null(strstr(out, "SNMPv3 datagram 2"));
	capture_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_a_minute_per_sender_and_kind),
		cmocka_unit_test(global_cap),
		cmocka_unit_test(a_silent_senders_count_is_reported),
		cmocka_unit_test(a_flood_is_counted_in_full),
		cmocka_unit_test(held_counts_are_said_at_a_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
