/* Unit tests for scan detection (src/scan.c), repeat suppression
 * (src/repeat.c) and the inside networks (src/inside.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inside.h"
#include "repeat.h"
#include "scan.h"

static struct inside *lan;

static struct event
conn(enum direction dir, const char *src, const char *dst, unsigned dport,
    time_t t)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.dir = dir;
	ev.proto = PROTO_TCP;
	inet_pton(AF_INET, src, &ev.src.addr);
	inet_pton(AF_INET, dst, &ev.dst.addr);
	ev.src.port = 40000;
	ev.dst.port = (uint16_t)dport;
	ev.time = t;
	return ev;
}

static struct scan_config
defaults(void)
{
	return (struct scan_config){ .enabled = 1, .window = 60, .quiet = 60,
	    .report = 600, .ports = 15, .hosts = 100, .max_sources = 65536,
	    .max_scanners = 1024, .action = SCAN_SUMMARIZE,
	    .action_out = SCAN_SUMMARIZE, .inside = lan };
}

static void
inside_networks(void **state)
{
	struct string_list l = { { "203.0.113.0/24" }, 1 };
	struct inside *in;
	struct in_addr a;
	char err[128];

	(void)state;
	inet_pton(AF_INET, "192.168.1.20", &a);
	assert_true(inside_contains(lan, a));
	inet_pton(AF_INET, "169.254.3.4", &a);
	assert_true(inside_contains(lan, a));
	inet_pton(AF_INET, "172.32.0.1", &a);
	assert_false(inside_contains(lan, a));
	inet_pton(AF_INET, "8.8.8.8", &a);
	assert_false(inside_contains(lan, a));
	assert_non_null(in = inside_new(&l, err, sizeof(err)));
	inet_pton(AF_INET, "203.0.113.9", &a);
	assert_true(inside_contains(in, a));
	inet_pton(AF_INET, "192.168.1.20", &a);
	assert_false(inside_contains(in, a));
	inside_free(in);
	l.v[0] = "2001:db8::/32";
	assert_null(inside_new(&l, err, sizeof(err)));
	l.v[0] = "10.0.0.0/33";
	assert_null(inside_new(&l, err, sizeof(err)));
}

/* A 1,000-port scan: 14 lines, a start, 986 folded, one exact summary. */
static void
vertical_scan(void **state)
{
	struct scan_config c = defaults();
	struct scan *s = scan_new(&c);
	struct event out[SCAN_OUT_MAX], sum[4];
	size_t n, passed = 0, starts = 0;

	(void)state;
	for (unsigned p = 1; p <= 1000; p++) {
		struct event ev = conn(DIR_IN, "198.51.100.9", "192.168.1.1", p,
		    1000);
		enum scan_verdict v = scan_event(s, &ev, 5000 + p, out, &n);
		passed += v == SCAN_PASS;
		if (n == 1) {
			starts++;
			assert_int_equal(p, 15);
			assert_int_equal(out[0].kind, EVENT_SCAN_START);
			assert_int_equal(out[0].sum.count, 15);
			assert_int_equal(out[0].sum.nsample, 15);
		}
	}
	assert_int_equal(passed, 14);
	assert_int_equal(starts, 1);
	assert_int_equal(scan_stats(s)->suppressed, 986);
	/* Not quiet yet: nothing; quiet: the summary. */
	assert_int_equal(scan_expire(s, 6000 + 59000, sum, 4), 0);
	assert_true(scan_timeout_ms(s, 6000) > 0);
	assert_int_equal(scan_expire(s, 6000 + 60000, sum, 4), 1);
	assert_int_equal(sum[0].kind, EVENT_SCAN_SUMMARY);
	assert_int_equal(sum[0].sum.count, 1000);
	assert_int_equal(sum[0].sum.suppressed, 986);
	assert_int_equal(sum[0].sum.events, 986);
	assert_true(sum[0].sum.final);
	assert_false(sum[0].sum.horizontal);
	assert_false(sum[0].sum.any_target);
	assert_int_equal(sum[0].sum.nsample, EVENT_SAMPLE_MAX);
	for (unsigned i = 0; i < EVENT_SAMPLE_MAX; i++)
		assert_int_equal(sum[0].sum.sample[i], i + 1);
	assert_int_equal(scan_timeout_ms(s, 70000), -1);
	scan_free(s);
}

/* Below the threshold, slowly, and browsing: every line passes. */
static void
not_a_scan(void **state)
{
	struct scan_config c = defaults();
	struct scan *s = scan_new(&c);
	struct event out[SCAN_OUT_MAX];
	char ip[32];
	size_t n;
	uint64_t t = 1000;

	(void)state;
	/* 14 ports a window, window after window. */
	for (unsigned p = 1; p <= 140; p++) {
		struct event ev = conn(DIR_IN, "198.51.100.7", "192.168.1.1", p,
		    1000);
		t += 4500;
		assert_int_equal(scan_event(s, &ev, t, out, &n), SCAN_PASS);
	}
	/* A browser: 20 connections to one server on 443. */
	for (int i = 0; i < 20; i++) {
		struct event ev = conn(DIR_OUT, "192.168.1.20", "93.184.216.34",
		    443, 1000);
		assert_int_equal(scan_event(s, &ev, t + i, out, &n), SCAN_PASS);
	}
	/* A page from 40 servers on 443 within two seconds. */
	for (int i = 0; i < 40; i++) {
		struct event ev;
		snprintf(ip, sizeof(ip), "151.101.%d.%d", i, i * 3);
		ev = conn(DIR_OUT, "192.168.1.20", ip, 443, 1000);
		assert_int_equal(scan_event(s, &ev, t + i * 50, out, &n),
		    SCAN_PASS);
	}
	/* A phone's apps: 60 services over a minute, on 443 and others. */
	for (int i = 0; i < 60; i++) {
		struct event ev;
		snprintf(ip, sizeof(ip), "142.250.%d.%d", i, 7 + i);
		ev = conn(DIR_OUT, "192.168.1.30", ip, i % 5 ? 443 : 5228,
		    1000);
		assert_int_equal(scan_event(s, &ev, t + i * 1000, out, &n),
		    SCAN_PASS);
	}
	/* Inbound from an inside source, outbound from an outside one: not
	 * tracked at all. */
	for (unsigned p = 1; p <= 100; p++) {
		struct event a = conn(DIR_IN, "192.168.1.5", "192.168.1.1", p,
		    1);
		struct event b = conn(DIR_OUT, "198.51.100.1", "8.8.8.8", p, 1);
		assert_int_equal(scan_event(s, &a, t, out, &n), SCAN_PASS);
		assert_int_equal(scan_event(s, &b, t, out, &n), SCAN_PASS);
	}
	assert_int_equal(scan_stats(s)->scans, 0);
	scan_free(s);
}

/* An infected camera sweeping port 23 outward, annotated. */
static void
horizontal_sweep(void **state)
{
	struct scan_config c = defaults();
	struct scan *s;
	struct event out[SCAN_OUT_MAX], sum[2];
	char ip[32];
	size_t n, start = 0;

	(void)state;
	c.action_out = SCAN_ANNOTATE;
	s = scan_new(&c);
	for (int i = 0; i < 300; i++) {
		struct event ev;
		enum scan_verdict v;

		snprintf(ip, sizeof(ip), "45.%d.%d.%d", i % 7, i >> 8, i & 255);
		ev = conn(DIR_OUT, "192.168.1.50", ip, 23, 2000);
		v = scan_event(s, &ev, 1000 + i * 100, out, &n);
		if (n > 0) {
			start = (size_t)i + 1;
			assert_int_equal(out[0].kind, EVENT_SCAN_START);
			assert_true(out[0].sum.horizontal);
			assert_true(out[0].sum.any_target);
			assert_int_equal(out[0].dst.port, 23);
		}
		assert_int_equal(v, start ? SCAN_MARK : SCAN_PASS);
		assert_int_equal(ev.scan_mark, start ? 1 : 0);
	}
	assert_true(start >= 80 && start <= 130);
	assert_int_equal(scan_flush_all(s, 100000, sum, 2), 1);
	assert_true(sum[0].sum.horizontal);
	assert_true(sum[0].sum.count >= 280 && sum[0].sum.count <= 320);
	assert_int_equal(sum[0].sum.suppressed, 0);
	assert_int_equal(scan_stats(s)->annotated, 300 - start + 1);
	scan_free(s);
}

/*
 * A sweep that comes back to its targets (retries, a second pass) has
 * as many targets as one pass: those hit before the start and again
 * after were counted twice (300 targets, three passes: 399).
 */
static void
sweep_revisited(void **state)
{
	struct scan_config c = defaults();
	struct event out[SCAN_OUT_MAX], sum[2];
	char ip[32];
	size_t n;

	(void)state;
	/* The map's bits follow the random key: several sources, each
	 * within 10%. */
	for (int src = 1; src <= 20; src++) {
		struct scan *s = scan_new(&c);
		char from[32];

		snprintf(from, sizeof(from), "192.168.1.%d", src);
		for (int i = 0; i < 900; i++) {
			struct event ev;

			snprintf(ip, sizeof(ip), "45.1.%d.%d", i % 300 >> 8,
			    i % 300 & 255);
			ev = conn(DIR_OUT, from, ip, 23, 2000);
			(void)scan_event(s, &ev, 1000 + i, out, &n);
		}
		assert_int_equal(scan_flush_all(s, 100000, sum, 2), 1);
		assert_true(sum[0].sum.horizontal);
		if (sum[0].sum.count < 270 || sum[0].sum.count > 330)
			fail_msg("300 targets, 3 passes: %u", sum[0].sum.count);
		scan_free(s);
	}
}

/* A long scan: a summary each report interval, the suppressed of each
 * adding up to the counter. */
static void
report_interval(void **state)
{
	struct scan_config c = defaults();
	struct scan *s = scan_new(&c);
	struct event out[SCAN_OUT_MAX], sum[2];
	uint64_t total = 0;
	size_t n, summaries = 0;

	(void)state;
	for (unsigned i = 0; i < 2000; i++) {
		struct event ev = conn(DIR_IN, "198.51.100.3", "192.168.1.1",
		    1 + i % 1000, 3000);
		uint64_t now = 1000 + (uint64_t)i * 1000;
		scan_event(s, &ev, now, out, &n);
		n = scan_expire(s, now, sum, 2);
		for (size_t k = 0; k < n; k++) {
			assert_false(sum[k].sum.final);
			total += sum[k].sum.suppressed;
			summaries++;
		}
	}
	assert_int_equal(summaries, 3);
	n = scan_flush_all(s, 2002000, sum, 2);
	assert_int_equal(n, 1);
	assert_true(sum[0].sum.final);
	assert_int_equal(sum[0].sum.count, 1000);
	total += sum[0].sum.suppressed;
	assert_int_equal(total, scan_stats(s)->suppressed);
	assert_int_equal(total, 2000 - 14);
	scan_free(s);
}

/* Tables stay their size under a flood; what is pushed out is counted,
 * and a scanner pushed out has its summary. */
static void
bounded(void **state)
{
	struct scan_config c = defaults();
	struct scan *s;
	struct event out[SCAN_OUT_MAX];
	char ip[32];
	size_t n, made = 0;

	(void)state;
	c.max_sources = 64;
	c.max_scanners = 8;
	s = scan_new(&c);
	assert_true(scan_memory(&c) < 200000);
	for (int i = 0; i < 100000; i++) {
		struct event ev;
		snprintf(ip, sizeof(ip), "100.%d.%d.%d", i >> 16,
		    (i >> 8) & 255, i & 255);
		ev = conn(DIR_IN, ip, "192.168.1.1", 22, 1);
		assert_int_equal(scan_event(s, &ev, 1000 + i, out, &n),
		    SCAN_PASS);
	}
	assert_true(scan_stats(s)->evictions > 99000);
	/* 40 scanners through a table of 8 (one bucket). */
	for (int k = 0; k < 40; k++)
		for (unsigned p = 1; p <= 15; p++) {
			struct event ev;
			snprintf(ip, sizeof(ip), "198.18.0.%d", k);
			ev = conn(DIR_IN, ip, "192.168.1.1", p, 1);
			scan_event(s, &ev, 200000 + k, out, &n);
			for (size_t j = 0; j < n; j++)
				made += out[j].kind == EVENT_SCAN_SUMMARY;
		}
	assert_int_equal(scan_stats(s)->scans, 40);
	assert_int_equal(scan_stats(s)->scanner_evictions, 32);
	assert_int_equal(made, 32);
	scan_free(s);
}

static struct repeat_config rc = { 60, 65536 };

/* A B A B A: two repeats, not five lines. */
static void
repeats_interleave(void **state)
{
	struct repeat *r = repeat_new(&rc);
	struct event a = conn(DIR_OUT, "192.168.1.9", "52.1.2.3", 443, 100);
	struct event b = conn(DIR_OUT, "192.168.1.9", "52.1.2.4", 443, 100);
	struct event out[4];
	size_t n;

	(void)state;
	assert_int_equal(repeat_event(r, &a, 1000, out, &n), REPEAT_PASS);
	assert_int_equal(repeat_event(r, &b, 2000, out, &n), REPEAT_PASS);
	a.src.port = 40001;     /* a new connection: another source port */
	assert_int_equal(repeat_event(r, &a, 3000, out, &n), REPEAT_SUPPRESS);
	assert_int_equal(repeat_event(r, &b, 4000, out, &n), REPEAT_SUPPRESS);
	a.time = 105;
	assert_int_equal(repeat_event(r, &a, 5000, out, &n), REPEAT_SUPPRESS);
	assert_int_equal(repeat_timeout_ms(r, 5000), 56000);
	assert_int_equal(repeat_expire(r, 60999, out, 4), 0);
	assert_int_equal(repeat_expire(r, 62000, out, 4), 2);
	assert_int_equal(out[0].kind, EVENT_REPEAT);
	assert_int_equal(out[0].sum.count, 3);
	assert_int_equal(out[0].sum.suppressed, 2);
	assert_int_equal(out[0].sum.last - out[0].sum.first, 5);
	assert_int_equal(out[1].sum.count, 2);
	assert_int_equal(out[1].dst.addr.s_addr, b.dst.addr.s_addr);
	assert_int_equal(repeat_timeout_ms(r, 62000), -1);
	/* The window closed: the next one is written again. */
	assert_int_equal(repeat_event(r, &a, 63000, out, &n), REPEAT_PASS);
	assert_int_equal(repeat_flush_all(r, 64000, out, 4), 0);
	assert_int_equal(repeat_stats(r)->suppressed, 3);
	repeat_free(r);
}

/* A window that only wrote its first event makes no repeat; a full
 * table closes its oldest, counted. */
static void
repeats_bounded(void **state)
{
	struct repeat_config small = { 60, 64 };
	struct repeat *r = repeat_new(&small);
	struct event out[4];
	char ip[32];
	size_t n, made = 0;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		struct event ev;
		snprintf(ip, sizeof(ip), "52.%d.%d.%d", i >> 16, (i >> 8) & 255,
		    i & 255);
		ev = conn(DIR_OUT, "192.168.1.9", ip, 443, 1);
		assert_int_equal(repeat_event(r, &ev, 1000, out, &n),
		    REPEAT_PASS);
		assert_int_equal(repeat_event(r, &ev, 1001, out + n, &n),
		    REPEAT_SUPPRESS);
	}
	for (;;) {
		n = repeat_flush_all(r, 2000, out, 4);
		made += n;
		if (n < 4)
			break;
	}
	assert_true(repeat_stats(r)->evictions > 9000);
	assert_int_equal(repeat_stats(r)->repeats, 10000);
	assert_int_equal(repeat_stats(r)->suppressed, 10000);
	assert_true(made <= 64);
	repeat_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inside_networks),
		cmocka_unit_test(vertical_scan),
		cmocka_unit_test(not_a_scan),
		cmocka_unit_test(horizontal_sweep),
		cmocka_unit_test(sweep_revisited),
		cmocka_unit_test(report_interval),
		cmocka_unit_test(bounded),
		cmocka_unit_test(repeats_interleave),
		cmocka_unit_test(repeats_bounded),
	};
	char err[128];

	lan = inside_new(NULL, err, sizeof(err));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
