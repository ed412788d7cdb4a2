/* Unit tests for the rate-limited sender reports (src/report.c) and the
 * table of acknowledged informs (src/inform.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

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
	assert_false(inform_seen(t, SA(a), 7, now));
	assert_true(inform_seen(t, SA(a), 7, now + 5));
	assert_false(inform_seen(t, SA(a), 8, now + 5));
	assert_false(inform_seen(t, SA(a_other_port), 7, now + 5));
	assert_false(inform_seen(t, SA(six), 7, now + 5));
	assert_true(inform_seen(t, SA(six), 7, now + 6));
	/* Remembered for a minute from the first copy, not from the last. */
	assert_true(inform_seen(t, SA(a), 7, now + 59));
	assert_false(inform_seen(t, SA(a), 7, now + 60));
	inform_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_a_minute_per_sender_and_kind),
		cmocka_unit_test(global_cap),
		cmocka_unit_test(informs_written_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
