/* Unit tests for the rate-limited sender reports (src/report.c) and the
 * table of acknowledged informs (src/inform.c). */
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

#include "inform.h"
#include "report.h"

static struct sockaddr_in
v4(const char *addr, unsigned port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

#define SA(x) ((const struct sockaddr *)&(x))

static void
once_a_minute_per_sender_and_kind(void **state)
{
	struct reporter *r = report_new();
	struct sockaddr_in a = v4("192.0.2.1", 1), b = v4("192.0.2.2", 1);
	struct sockaddr_in a2 = v4("192.0.2.1", 999);
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
		s = v4(addr, 162);
		written += report(r, REPORT_UNPARSED, SA(s), t, "\"@in x\"");
	}
	assert_int_equal(written, REPORT_CAP);
	/* A minute later there is room again, for one held back too. */
	{
		struct sockaddr_in s = v4("10.0.0.1", 162);
		assert_int_equal(report(r, REPORT_UNPARSED, SA(s), t + 60, NULL),
		    1);
	}
	report_free(r);
}

/* Standard error (where log_msg() writes) into a file, to read back. */
static FILE *captured;
static int saved_stderr = -1;

static void
capture_start(void)
{
	captured = tmpfile();
	assert_non_null(captured);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(dup2(fileno(captured), STDERR_FILENO) >= 0);
}

/* The captured text (static), and capture goes on from empty. */
static const char *
capture_take(void)
{
	static char text[65536];
	size_t n;

	rewind(captured);
	n = fread(text, 1, sizeof(text) - 1, captured);
	text[n] = '\0';
	assert_int_equal(ftruncate(fileno(captured), 0), 0);
	rewind(captured);
	return text;
}

static void
capture_stop(void)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fclose(captured);
}

static int
lines_in(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
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
	struct sockaddr_in a = v4("192.0.2.1", 1);
	time_t t = 4000000;
	const char *out;

	(void)state;
	capture_start();
	assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t, NULL), 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(report(r, REPORT_MALFORMED, SA(a), t, NULL), 0);
	assert_int_equal(lines_in(capture_take()), 1);
	assert_true(report_timeout_ms(r, (uint64_t)t * 1000) >= 0);
	for (int s = 1; s < 60; s++)
		report_tick(r, t + s);
	assert_string_equal(capture_take(), "");
	for (int s = 60; s <= 62; s++)
		report_tick(r, t + s);
	out = capture_take();
	assert_int_equal(lines_in(out), 1);
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
			s = v4(addr, 162);
			written += report(r, REPORT_MALFORMED, SA(s), t + round,
			    NULL);
		}
		report_tick(r, t + round);
	}
	out = capture_take();
	assert_int_equal(written, REPORT_CAP);
	assert_int_equal(lines_in(out), REPORT_CAP);
	/* The others in a summary two seconds on, the rest (of the senders
	 * reported) a minute after their report: every one counted. */
	for (int s = 2; s <= 62; s++) {
		report_tick(r, t + s);
		out = capture_take();
		assert_true(lines_in(out) <= 1);
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
	struct sockaddr_in a = v4("192.0.2.1", 1);
	time_t t = 6000000;
	const char *out;

	(void)state;
	capture_start();
	for (int i = 0; i < 3; i++)
		report(r, REPORT_SNMPV3, SA(a), t, NULL);
	report_tick(r, t + 5);
	assert_int_equal(lines_in(capture_take()), 1);
	report_free(r);
	out = capture_take();
	assert_int_equal(lines_in(out), 1);
	assert_int_equal(held_back(out), 2);
	assert_non_null(strstr(out, "SNMPv3 datagram 2"));
	capture_stop();
}

static void
informs_written_once(void **state)
{
	struct inform_table *t = inform_table_new();
	struct sockaddr_in a = v4("192.0.2.1", 40000);
	struct sockaddr_in a_other_port = v4("192.0.2.1", 40001);
	struct sockaddr_in6 six;
	time_t now = 3000000;

	(void)state;
	memset(&six, 0, sizeof(six));
	six.sin6_family = AF_INET6;
	six.sin6_port = htons(40000);
	inet_pton(AF_INET6, "2001:db8::1", &six.sin6_addr);
	assert_false(inform_seen(t, SA(a), 7, 1, now, 1));
	assert_true(inform_seen(t, SA(a), 7, 1, now + 5, 1));
	assert_false(inform_seen(t, SA(a), 8, 1, now + 5, 1));
	assert_false(inform_seen(t, SA(a_other_port), 7, 1, now + 5, 1));
	assert_false(inform_seen(t, SA(six), 7, 1, now + 5, 1));
	assert_true(inform_seen(t, SA(six), 7, 1, now + 6, 1));
	/* Remembered for a minute from the first copy, not from the last. */
	assert_true(inform_seen(t, SA(a), 7, 1, now + 59, 1));
	assert_false(inform_seen(t, SA(a), 7, 1, now + 60, 1));
	/* The same request-id with other varbinds is another inform (a
	 * rebooted sender, or a forged copy sent ahead): written too. */
	assert_false(inform_seen(t, SA(a), 9, 1, now + 70, 1));
	assert_false(inform_seen(t, SA(a), 9, 2, now + 71, 1));
	assert_true(inform_seen(t, SA(a), 9, 2, now + 72, 1));
	/* Looked up without remembering (an inform the rate limit
	 * refused): its retransmission is still new. */
	assert_false(inform_seen(t, SA(a), 10, 1, now + 80, 0));
	assert_false(inform_seen(t, SA(a), 10, 1, now + 81, 0));
	assert_false(inform_seen(t, SA(a), 10, 1, now + 82, 1));
	assert_true(inform_seen(t, SA(a), 10, 1, now + 83, 0));
	assert_int_equal(inform_fingerprint("abc", 3),
	    inform_fingerprint("abc", 3));
	assert_int_not_equal(inform_fingerprint("abc", 3),
	    inform_fingerprint("abd", 3));
	inform_table_free(t);
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
		cmocka_unit_test(informs_written_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
