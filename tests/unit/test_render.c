/* Unit tests for templates (src/render.c): every token, one-pass
 * rendering, escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "services.h"

/* Sunday 2023-01-01 05:06:07 UTC. */
#define SUNDAY 1672549567

static struct event
sample(void)
{
	struct event ev;
	struct sockaddr_in *r = (struct sockaddr_in *)&ev.router.addr;

	memset(&ev, 0, sizeof(ev));
	ev.dir = DIR_IN;
	ev.proto = PROTO_TCP;
	inet_pton(AF_INET, "203.0.113.7", &ev.src.addr);
	inet_pton(AF_INET, "192.168.1.20", &ev.dst.addr);
	ev.src.port = 51234;
	ev.dst.port = 22;
	r->sin_family = AF_INET;
	inet_pton(AF_INET, "192.168.1.1", &r->sin_addr);
	ev.router.len = sizeof(*r);
	ev.time = SUNDAY;
	return ev;
}

static char *
render(const char *tpl, const struct event *ev, const struct render_names *n,
    int show_ports)
{
	static char line[RENDER_LINE_MAX];
	char err[256];
	struct template *t = render_compile(tpl, err, sizeof(err));

	if (t == NULL)
		fail_msg("compile '%s': %s", tpl, err);
	render_event(t, ev, n, show_ports, line, sizeof(line));
	render_free(t);
	return line;
}

static const struct render_names no_names = { NULL, NULL, NULL };

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	services_load();
	return 0;
}

static void
default_template(void **state)
{
	struct event ev = sample();

	(void)state;
	assert_string_equal(render(RENDER_DEFAULT, &ev, &no_names, 1),
	    "Jan  1 05:06:07 [ in, TCP] 203.0.113.7:51234 -> 192.168.1.20:22");
}

static void
every_token(void **state)
{
	struct event ev = sample();
	struct render_names n = { "scanner.example.net", "nas.lan", "gw.lan" };

	(void)state;
	assert_string_equal(render("%a|%A|%s|%d|%S|%D", &ev, &n, 1),
	    "203.0.113.7|192.168.1.20|scanner.example.net|nas.lan|51234|22");
	assert_string_equal(render("%i|%p|%r|%R|%%", &ev, &n, 1),
	    " in|TCP|192.168.1.1|gw.lan|%");
	assert_string_equal(render("%t|%M|%T|%h|%m|%z", &ev, &n, 1),
	    "Jan  1 05:06:07|Jan| 1|05|06|07");
	/* The article's table: %y four digits, %Y two (defect 4); %w the
	 * real weekday, Sunday included (defect 3). */
	assert_string_equal(render("%y|%Y|%w", &ev, &n, 1), "2023|23|Sun");
	ev.time += 86400;
	assert_string_equal(render("%w", &ev, &n, 1), "Mon");
	ev.dir = DIR_OUT;
	ev.proto = PROTO_UDP;
	assert_string_equal(render("%i %p", &ev, &n, 1), "out UDP");
	/* No name: the address. */
	assert_string_equal(render("%s %d %R", &ev, &no_names, 1),
	    "203.0.113.7 192.168.1.20 192.168.1.1");
}

/* The first time rendered is -1, a second before 1970: the cache of the
 * last second must not take it for its empty start.  Runs first. */
static void
first_time_minus_one(void **state)
{
	struct event ev = sample();

	(void)state;
	ev.time = -1;
	assert_string_equal(render("%t|%I", &ev, &no_names, 1),
	    "Dec 31 23:59:59|1969-12-31T23:59:59.000+00:00");
}

/* %I: RFC 3339, local time with its offset, milliseconds. */
static void
rfc3339_token(void **state)
{
	struct event ev = sample();

	(void)state;
	ev.usec = 123999;
	assert_string_equal(render("%I", &ev, &no_names, 1),
	    "2023-01-01T05:06:07.123+00:00");
	setenv("TZ", "America/St_Johns", 1);    /* -03:30 */
	tzset();
	ev.time += 1;
	ev.usec = 7000;
	assert_string_equal(render("%I", &ev, &no_names, 1),
	    "2023-01-01T01:36:08.007-03:30");
	setenv("TZ", "Asia/Kolkata", 1);        /* +05:30 */
	tzset();
	ev.time += 1;
	ev.usec = 0;
	assert_string_equal(render("<%I>", &ev, &no_names, 1),
	    "<2023-01-01T10:36:09.000+05:30>");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
service_names(void **state)
{
	struct event ev = sample();

	(void)state;
	if (services_name(22, PROTO_TCP) == NULL)
		skip();
	assert_string_equal(render("%S %D", &ev, &no_names, 0), "51234 ssh");
	ev.proto = PROTO_UDP;
	ev.dst.port = 53;
	assert_string_equal(render("%D", &ev, &no_names, 0), "domain");
	assert_string_equal(render("%D", &ev, &no_names, 1), "53");
}

/*
 * The original LinkLog writes the day as syslog does, padded with a space
 * ("Dec  1 02:12:34", %T " 1"); days 10-31 have two digits.  Fixed times,
 * at both ends of the day, in UTC and in a zone 9:30 east of it (a POSIX
 * TZ string, so no time zone database is needed).
 */
static void
day_of_month(void **state)
{
	static const struct {
		const char *tz;
		time_t when;
		const char *t, *T;
	} cases[] = {
		{ "UTC", 1796083200, "Dec  1 00:00:00", " 1" },
		{ "UTC", 1796169599, "Dec  1 23:59:59", " 1" },
		{ "UTC", 1773014400, "Mar  9 00:00:00", " 9" },
		{ "UTC", 1773100799, "Mar  9 23:59:59", " 9" },
		{ "UTC", 1773100800, "Mar 10 00:00:00", "10" },
		{ "UTC", 1773187199, "Mar 10 23:59:59", "10" },
		{ "UTC", 1769817600, "Jan 31 00:00:00", "31" },
		{ "UTC", 1769903999, "Jan 31 23:59:59", "31" },
		{ "<+0930>-9:30", 1796049000, "Dec  1 00:00:00", " 1" },
		{ "<+0930>-9:30", 1796135399, "Dec  1 23:59:59", " 1" },
		{ "<+0930>-9:30", 1772980200, "Mar  9 00:00:00", " 9" },
		{ "<+0930>-9:30", 1773066599, "Mar  9 23:59:59", " 9" },
		{ "<+0930>-9:30", 1773066600, "Mar 10 00:00:00", "10" },
		{ "<+0930>-9:30", 1773152999, "Mar 10 23:59:59", "10" },
		{ "<+0930>-9:30", 1769783400, "Jan 31 00:00:00", "31" },
		{ "<+0930>-9:30", 1769869799, "Jan 31 23:59:59", "31" },
		/* The same instant as the UTC line above, a day later here. */
		{ "<+0930>-9:30", 1769903999, "Feb  1 09:29:59", " 1" },
	};
	struct event ev = sample();
	char want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("TZ", cases[i].tz, 1);
		tzset();
		ev.time = cases[i].when;
		snprintf(want, sizeof(want), "%s|%s", cases[i].t, cases[i].T);
		assert_string_equal(render("%t|%T", &ev, &no_names, 1), want);
		/* %t is %M %T %h:%m:%z, as the article's table says. */
		assert_string_equal(render("%M %T %h:%m:%z", &ev, &no_names, 1),
		    cases[i].t);
	}
	setenv("TZ", "UTC", 1);
	tzset();
}

/* Fields the older firmware forms do not carry, and %g. */
static void
unknown_fields_and_agent(void **state)
{
	struct event ev = sample();

	(void)state;
	ev.proto = PROTO_UNKNOWN;
	ev.src.port_unknown = 1;
	ev.src.port = 0;
	assert_string_equal(render(RENDER_DEFAULT, &ev, &no_names, 1),
	    "Jan  1 05:06:07 [ in, -] 203.0.113.7:- -> 192.168.1.20:22");
	assert_string_equal(render("%g", &ev, &no_names, 1), "192.168.1.1");
	ev.has_agent = 1;
	inet_pton(AF_INET, "10.9.8.7", &ev.agent);
	assert_string_equal(render("%g %r", &ev, &no_names, 1),
	    "10.9.8.7 192.168.1.1");
	if (services_name(110, PROTO_TCP) == NULL)
		return;
	/* A port only TCP names (pop3), and one both name alike. */
	ev.dst.port = 110;
	assert_string_equal(render("%D", &ev, &no_names, 0), "pop3");
	ev.dst.port = 53;
	assert_string_equal(render("%D", &ev, &no_names, 0), "domain");
}

static void
one_pass(void **state)
{
	struct event ev = sample();
	struct render_names n = { "%m%h%s", "100%", NULL };

	(void)state;
	/* Defect 5: a value is never expanded again. */
	assert_string_equal(render("%s -> %d", &ev, &n, 1), "%m%h%s -> 100%");
	assert_string_equal(render("%%s %%%s", &ev, &n, 1), "%s %%m%h%s");
}

static void
escaping(void **state)
{
	struct event ev = sample();
	struct render_names n = { "a\nb\033[31mc\x7f", "x\\y\xc3\xa9", NULL };

	(void)state;
	assert_string_equal(render("%s|%d", &ev, &n, 1),
	    "a\\012b\\033[31mc\\177|x\\134y\\303\\251");
}

static void
raw_lines(void **state)
{
	struct event ev = sample();
	char line[256];

	(void)state;
	render_raw(ev.time, &ev.router, "hi\0there\n", 9, line, sizeof(line));
	assert_string_equal(line,
	    "Jan  1 05:06:07 [raw] 192.168.1.1: hi\\000there\\012");
}

static void
router_ipv6(void **state)
{
	struct event ev = sample();
	struct sockaddr_in6 *r = (struct sockaddr_in6 *)&ev.router.addr;

	(void)state;
	memset(r, 0, sizeof(*r));
	r->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &r->sin6_addr);
	assert_string_equal(render("%r", &ev, &no_names, 1), "2001:db8::1");
	inet_pton(AF_INET6, "::ffff:10.0.0.1", &r->sin6_addr);
	assert_string_equal(render("%r", &ev, &no_names, 1), "10.0.0.1");
}

static void
compile_errors(void **state)
{
	char err[256];

	(void)state;
	assert_null(render_compile("%s %q", err, sizeof(err)));
	assert_non_null(strstr(err, "'%q'"));
	assert_null(render_compile("100%", err, sizeof(err)));
	assert_non_null(strstr(err, "lone"));
	assert_null(render_compile("a\nb", err, sizeof(err)));
	assert_non_null(strstr(err, "control"));
	struct template *t = render_compile("%s\t%d", err, sizeof(err));
	assert_non_null(t);
	assert_true(render_uses(t, 's'));
	assert_true(render_uses(t, 'd'));
	assert_false(render_uses(t, 'R'));
	render_free(t);
	t = render_compile("%%s", err, sizeof(err));
	assert_false(render_uses(t, 's'));
	render_free(t);
}

static void
truncation(void **state)
{
	struct event ev = sample();
	char line[16];
	struct render_names n = { "\n\n\n\n\n\n", NULL, NULL };
	char err[64];
	struct template *t = render_compile("%s", err, sizeof(err));

	(void)state;
	/* Never half an escape, always NUL-terminated. */
	render_event(t, &ev, &n, 1, line, sizeof(line));
	assert_string_equal(line, "\\012\\012\\012");
	render_free(t);
}

/* %c %C %o %O: "-" when unknown, names escaped like every value. */
static void
geo_tokens(void **state)
{
	struct event ev = sample();

	(void)state;
	assert_string_equal(render("%c %C %o %O", &ev, &no_names, 0),
	    "- - - -");
	strcpy(ev.src.geo.iso, "GB");
	ev.src.geo.asn = 20712;
	strcpy(ev.src.geo.org, "Andrews & Arnold Ltd");
	ev.dst.geo.asn = 64496;
	assert_string_equal(render("%c %o|%C %O", &ev, &no_names, 0),
	    "GB AS20712 Andrews & Arnold Ltd|- AS64496");
	strcpy(ev.src.geo.org, "a\nb\\c\xff%s");
	strcpy(ev.dst.geo.iso, "\x1b[");
	assert_string_equal(render("%o %C", &ev, &no_names, 0),
	    "AS20712 a\\012b\\134c\\377%s \\033[");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_time_minus_one),  /* first: see there */
		cmocka_unit_test(default_template),
		cmocka_unit_test(every_token),
		cmocka_unit_test(rfc3339_token),
		cmocka_unit_test(service_names),
		cmocka_unit_test(day_of_month),
		cmocka_unit_test(unknown_fields_and_agent),
		cmocka_unit_test(one_pass),
		cmocka_unit_test(escaping),
		cmocka_unit_test(geo_tokens),
		cmocka_unit_test(raw_lines),
		cmocka_unit_test(router_ipv6),
		cmocka_unit_test(compile_errors),
		cmocka_unit_test(truncation),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
