/* Unit tests for linklog-report's times (src/report/when.c) and escaping
 * (src/report/esc.c): every WHEN form and its refusals, and hostile
 * strings in HTML, JSON and on a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "when.h"

/* 2026-12-04 15:30:00 UTC, a Friday. */
#define NOW ((time_t)1796398200)

static time_t
when(const char *s)
{
	char err[200] = "";
	time_t t = 0;

	assert_int_equal(when_parse(s, NOW, &t, err, sizeof(err)), 0);
	return t;
}

static void
refused(const char *s, const char *why)
{
	char err[200] = "";
	time_t t = 0;

	assert_int_equal(when_parse(s, NOW, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, why));
}

static void
durations(void **state)
{
	(void)state;
	assert_int_equal(when("7d"), NOW - 7 * 86400);
	assert_int_equal(when("36h"), NOW - 36 * 3600);
	assert_int_equal(when("90m"), NOW - 90 * 60);
	assert_int_equal(when("2w"), NOW - 14 * 86400);
	assert_int_equal(when("1d12h"), NOW - 36 * 3600);
	assert_int_equal(when("45s"), NOW - 45);
	assert_int_equal(when("now"), NOW);
	refused("7", "neither a duration");
	refused("7x", "neither a duration");
	refused("d", "neither a duration");
	refused("-7d", "neither a duration");
	refused("7d-", "neither a duration");
	refused("", "neither a duration");
	refused("99999999999999999999d", "more than ten years");
	refused("4000d", "more than ten years");
}

static void
dates_utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(when("today"), 1796342400);
	assert_int_equal(when("yesterday"), 1796342400 - 86400);
	assert_int_equal(when("2026-12-01"), 1796083200);
	assert_int_equal(when("2026-12-01 13:00"), 1796083200 + 13 * 3600);
	assert_int_equal(when("2026-12-01T13:00:05"), 1796083200 + 13 * 3600 + 5);
	refused("2026-02-31", "neither a duration");
	refused("2026-13-01", "neither a duration");
	refused("2026-12-01 25:00", "neither a duration");
	refused("2026-12-01 13:00 junk", "neither a duration");
}

static void
dates_local(void **state)
{
	char buf[64];

	(void)state;
	/* Berlin is UTC+1 in December: local midnight is 23:00 UTC. */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_int_equal(when("2026-12-01"), 1796083200 - 3600);
	assert_int_equal(when("today"), 1796342400 - 3600);
	when_rfc3339(1796083200, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-01T01:00:00+01:00");
	when_minute(1796083200, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-01 01:00");
	when_zone(1796083200, buf, sizeof(buf));
	assert_string_equal(buf, "Europe/Berlin (CET, +0100)");
	setenv("TZ", "UTC", 1);
	tzset();
}

/* What fn writes for s, into a static buffer. */
static const char *
out(void (*fn)(FILE *, const char *), const char *s)
{
	static char buf[512];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	fn(f, s);
	fclose(f);
	return buf;
}

static const char *
text(const char *s, size_t width)
{
	static char buf[512];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	esc_text(f, s, width);
	fclose(f);
	return buf;
}

static void
html(void **state)
{
	(void)state;
	assert_string_equal(out(esc_html, "<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(out(esc_html, "\"><svg onload=alert(1)>"),
	    "&quot;&gt;&lt;svg onload=alert(1)&gt;");
	assert_string_equal(out(esc_html, "a'b&c"), "a&#39;b&amp;c");
	assert_string_equal(out(esc_html, "caf\xc3\xa9"), "caf\xc3\xa9");
	assert_string_equal(out(esc_html, "a\xff" "b\x01"),
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	assert_string_equal(out(esc_html, NULL), "");
}

static void
json(void **state)
{
	(void)state;
	assert_string_equal(out(esc_json, "a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
	assert_string_equal(out(esc_json, "</script>"), "\"</script>\"");
	assert_string_equal(out(esc_json, "\x01\x7f"), "\"\\u0001\\u007f\"");
	assert_string_equal(out(esc_json, "\xc0\xaf"),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(out(esc_json, NULL), "null");
}

static void
terminal(void **state)
{
	(void)state;
	assert_string_equal(text("nas.lan", 10), "nas.lan");
	assert_string_equal(text("\x1b[31mred", 10), "?[31mred");
	assert_string_equal(text("\xc2\x9b" "31m", 10), "?31m");    /* C1 CSI */
	assert_string_equal(text("abcdefghijkl", 5), "abcd~");
	assert_string_equal(text("\xc3\xa9t\xc3\xa9", 3), "\xc3\xa9t\xc3\xa9");
	assert_string_equal(text("a\xff", 5), "a?");
	assert_string_equal(text(NULL, 5), "-");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations),
		cmocka_unit_test(dates_utc),
		cmocka_unit_test(dates_local),
		cmocka_unit_test(html),
		cmocka_unit_test(json),
		cmocka_unit_test(terminal),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
