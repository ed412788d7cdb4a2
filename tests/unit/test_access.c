/* Unit tests for the access checks (src/access.c): allow_from networks
 * (IPv4, IPv6, IPv4-mapped), communities, the per-sender rate limit and
 * its debt, and the fixed tables under floods of senders.  Times (ms on
 * the monotonic clock) are passed, never read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "capture.h"
#include "decode.h"
#include "testnet.h"

#define SA(x) ((const struct sockaddr *)&(x))
/* A time on the loop's clock: second 1,000,000, 250 ms into it. */
#define T0 UINT64_C(1000000250)

static const struct string_list none;

static struct access *
make(const struct string_list *allow, const struct string_list *community,
    unsigned rate)
{
	char err[256];
	struct access *a = access_new(allow, community, rate, err,
	    sizeof(err));

	assert_non_null(a);
	return a;
}

static int
sender_v4(struct access *a, const char *text)
{
	struct sockaddr_in sin = testnet_v4(text, 162);

	return access_sender(a, SA(sin), T0);
}

static int
sender_v6(struct access *a, const char *text)
{
	struct sockaddr_in6 sin6 = testnet_v6(text, 162);

	return access_sender(a, SA(sin6), T0);
}

static void
allow_from_networks(void **state)
{
	struct string_list allow = { { "192.0.2.0/24", "10.0.0.128/25",
	    "2001:db8::/32", "::ffff:198.51.100.0/120", "203.0.113.9" }, 5 };
	struct access *a = make(&allow, &none, 0);

	(void)state;
	assert_true(access_active(a));
	assert_true(sender_v4(a, "192.0.2.77"));
	assert_false(sender_v4(a, "192.0.3.1"));
	assert_true(sender_v4(a, "10.0.0.200"));
	assert_false(sender_v4(a, "10.0.0.127"));
	assert_true(sender_v4(a, "203.0.113.9"));
	assert_false(sender_v4(a, "203.0.113.10"));
	assert_true(sender_v6(a, "2001:db8:1::5"));
	assert_false(sender_v6(a, "2001:db9::1"));
	/* A mapped sender is its IPv4 address, and a mapped network its
	 * IPv4 network. */
	assert_true(sender_v6(a, "::ffff:192.0.2.77"));
	assert_false(sender_v6(a, "::ffff:192.0.3.1"));
	assert_true(sender_v4(a, "198.51.100.9"));
	assert_true(sender_v6(a, "::ffff:198.51.100.9"));
	assert_false(sender_v6(a, "::ffff:198.51.101.1"));
	assert_int_equal(access_stats(a)->rejected_sender, 6);
	access_free(a);
	/* No list: every sender. */
	a = make(&none, &none, 0);
	assert_false(access_active(a));
	assert_true(sender_v4(a, "203.0.113.1"));
	assert_true(sender_v6(a, "2001:db8::1"));
	assert_int_equal(access_stats(a)->rejected_sender, 0);
	access_free(a);
	/* /0 is every address of its family, and of it only. */
	allow = (struct string_list){ { "0.0.0.0/0" }, 1 };
	a = make(&allow, &none, 0);
	assert_true(sender_v4(a, "203.0.113.1"));
	assert_false(sender_v6(a, "2001:db8::1"));
	access_free(a);
}

static void
cidr_syntax(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8",
		"10.0.0.0/", "10.0.0.0/8x", "2001:db8::/129", "foo",
		"::ffff:1.2.3.4/95", "10.0.0/8", "",
	};
	struct string_list allow = { { "192.0.2.0/24", "nonsense" }, 2 };
	uint8_t family, addr[16];
	unsigned bits;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(access_parse_cidr(bad[i], &family, addr, &bits),
		    -1);
		assert_int_equal(access_check_cidr(bad[i], err, sizeof(err)),
		    -1);
	}
	assert_int_equal(access_parse_cidr("::ffff:198.51.100.0/120", &family,
	    addr, &bits), 0);
	assert_int_equal(family, AF_INET);
	assert_int_equal(bits, 24);
	assert_memory_equal(addr, "\xc6\x33\x64\x00", 4);
	assert_int_equal(access_parse_cidr("2001:db8::1", &family, addr,
	    &bits), 0);
	assert_int_equal(family, AF_INET6);
	assert_int_equal(bits, 128);
	assert_int_equal(access_check_cidr("10.0.0.0/8", err, sizeof(err)), 0);
	assert_null(access_new(&allow, &none, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "'nonsense'"));
}

static int
community(struct access *a, const char *text, size_t len)
{
	struct sockaddr_in sin = testnet_v4("192.0.2.1", 162);

	return access_community(a, SA(sin), (const unsigned char *)text, len,
	    T0);
}

static void
communities(void **state)
{
	struct string_list list = { { "public", "sesame" }, 2 };
	struct access *a = make(&none, &list, 0);
	char longest[TRAP_COMMUNITY_MAX + 2], err[256];

	(void)state;
	assert_true(access_active(a));
	assert_true(community(a, "public", 6));
	assert_true(community(a, "sesame", 6));
	assert_false(community(a, "publi", 5));
	assert_false(community(a, "publicx", 7));
	assert_false(community(a, "", 0));
	assert_false(community(a, "pub\0lic", 7));
	assert_false(community(a, "PUBLIC", 6));
	assert_int_equal(access_stats(a)->rejected_community, 5);
	access_free(a);
	a = make(&none, &none, 0);
	assert_true(community(a, "anything", 8));
	access_free(a);
	/* The decoder's bound: the longest community it holds is valid. */
	memset(longest, 'c', sizeof(longest));
	longest[TRAP_COMMUNITY_MAX - 1] = '\0';
	assert_int_equal(access_check_community(longest, err, sizeof(err)), 0);
	longest[TRAP_COMMUNITY_MAX - 1] = 'c';
	longest[TRAP_COMMUNITY_MAX] = '\0';
	assert_int_equal(access_check_community(longest, err, sizeof(err)), -1);
}

/* How many of n events from sa at now pass. */
static int
events(struct access *a, const struct sockaddr *sa, uint64_t now, int n)
{
	int passed = 0;

	for (int i = 0; i < n; i++)
		passed += access_rate(a, sa, now);
	return passed;
}

/* Charges of 1: exactly the limit in each second, however long the
 * sender was silent; each sender on its own budget. */
static void
rate_per_second(void **state)
{
	struct access *a = make(&none, &none, 3);
	struct sockaddr_in s = testnet_v4("192.0.2.1", 1000);
	struct sockaddr_in other_port = testnet_v4("192.0.2.1", 2000);
	struct sockaddr_in6 mapped = testnet_v6("::ffff:192.0.2.1", 1000);
	struct sockaddr_in t = testnet_v4("192.0.2.2", 1000);

	(void)state;
	assert_true(access_rate_limited(a));
	assert_true(access_active(a));
	assert_int_equal(events(a, SA(s), T0, 5), 3);
	/* The same sender, whatever its port or form. */
	assert_int_equal(events(a, SA(other_port), T0 + 1, 1), 0);
	assert_int_equal(events(a, SA(mapped), T0 + 2, 1), 0);
	assert_int_equal(events(a, SA(t), T0 + 3, 4), 3);
	assert_int_equal(events(a, SA(s), T0 + 749, 1), 0);
	assert_int_equal(events(a, SA(s), T0 + 750, 5), 3);
	assert_int_equal(events(a, SA(s), T0 + 10750, 10), 3);
	assert_int_equal(access_stats(a)->rate_limited,
	    2 + 1 + 1 + 1 + 1 + 2 + 7);
	assert_int_equal(access_stats(a)->forward_limited, 0);
	access_free(a);
}

/* A large charge passes while the budget is not used up, and its excess
 * is paid back at the limit a second. */
static void
debt_of_large_charges(void **state)
{
	struct access *a = make(&none, &none, 10);
	struct sockaddr_in s = testnet_v4("192.0.2.1", 1000);
	uint64_t sec = T0 - T0 % 1000;

	(void)state;
	assert_true(access_rate_n(a, SA(s), sec, 35, 35, ACCESS_EVENTS));
	assert_int_equal(events(a, SA(s), sec + 999, 1), 0);
	/* 25 left, then 15: refused; 5 left: 5 more pass. */
	assert_int_equal(events(a, SA(s), sec + 1000, 1), 0);
	assert_int_equal(events(a, SA(s), sec + 2000, 1), 0);
	assert_int_equal(events(a, SA(s), sec + 3000, 8), 5);
	/* Refused, a charge counts its lines, not its cost. */
	assert_false(access_rate_n(a, SA(s), sec + 3001, 50, 7,
	    ACCESS_EVENTS));
	assert_int_equal(access_stats(a)->rate_limited, 1 + 1 + 1 + 3 + 7);
	/* A budget not used up takes a whole charge however large. */
	assert_int_equal(events(a, SA(s), sec + 4000, 9), 9);
	assert_true(access_rate_n(a, SA(s), sec + 4001, 1000, 1000,
	    ACCESS_EVENTS));
	/* 1,009: 49 left 96 seconds on, 19 three more on, then 9. */
	assert_int_equal(events(a, SA(s), sec + 100000, 1), 0);
	assert_int_equal(events(a, SA(s), sec + 103000, 1), 0);
	assert_int_equal(events(a, SA(s), sec + 104000, 2), 1);
	access_free(a);
}

/* Forwarded strings are refused as strings, events as events. */
static void
units_of_what_is_refused(void **state)
{
	struct access *a = make(&none, &none, 1);
	struct sockaddr_in s = testnet_v4("192.0.2.1", 1000);
	const struct access_stats *st = access_stats(a);

	(void)state;
	capture_start();
	assert_true(access_rate_n(a, SA(s), T0, 1, 1, ACCESS_STRINGS));
	assert_false(access_rate_n(a, SA(s), T0, 1, 1, ACCESS_STRINGS));
	assert_int_equal(st->forward_limited, 1);
	assert_int_equal(st->rate_limited, 0);
	assert_false(access_rate(a, SA(s), T0));
	assert_int_equal(st->rate_limited, 1);
	assert_false(access_rate_n(a, SA(s), T0, 3, 2, ACCESS_STRINGS));
	assert_int_equal(st->forward_limited, 3);
	assert_int_equal(st->rate_limited, 1);
	/* A summary is due at the next second, and said then. */
	assert_int_equal(access_timeout_ms(a, T0), 750);
	access_tick(a, T0 + 749);
	assert_string_equal(capture_take(), "");
	access_tick(a, T0 + 750);
	assert_non_null(strstr(capture_take(), "suppressed 4 events from "
	    "192.0.2.1 (over 1 per second)"));
	assert_int_equal(access_timeout_ms(a, T0 + 750), -1);
	access_free(a);
	capture_stop();
}

/* Distinct sender i: 10.(i / 65536).(i / 256 % 256).(i % 256). */
static struct sockaddr_in
nth(unsigned i)
{
	char text[32];

	snprintf(text, sizeof(text), "10.%u.%u.%u", i / 65536, i / 256 % 256,
	    i % 256);
	return testnet_v4(text, 162);
}

#define FLOOD 40000     /* ten times the senders a table holds */

/*
 * A flood of senders, more than the table holds: each keeps the limit
 * while it is in the table (a sender pushed out starts afresh:
 * docs/SECURITY.md), and every event refused is counted and said, those
 * of senders pushed out included.
 */
static void
rate_table_under_a_flood(void **state)
{
	struct access *a = make(&none, &none, 1);
	const struct access_stats *st = access_stats(a);
	unsigned long count, senders;
	struct sockaddr_in s;
	const char *out;

	(void)state;
	capture_start();
	for (unsigned i = 0; i < FLOOD; i++) {
		s = nth(i);
		assert_int_equal(events(a, SA(s), T0, 3), 1);
	}
	assert_int_equal(st->rate_limited, 2 * FLOOD);
	/* The first was pushed out long ago: a fresh budget. */
	s = nth(0);
	assert_int_equal(events(a, SA(s), T0, 2), 1);
	assert_string_equal(capture_take(), "");
	access_tick(a, T0 + 750);
	out = capture_take();
	assert_int_equal(capture_lines(out), 1);
	assert_int_equal(sscanf(strstr(out, "suppressed "), "suppressed %lu "
	    "events from %lu senders", &count, &senders), 2);
	assert_int_equal(count, 2 * FLOOD + 1);
	assert_int_equal(senders, FLOOD + 1);
	assert_int_equal(access_timeout_ms(a, T0 + 750), -1);
	access_free(a);
	capture_stop();
}

/* Rejected senders the same: one line a second at most, every reject in
 * the summary. */
static void
reject_table_under_a_flood(void **state)
{
	struct string_list allow = { { "192.0.2.0/24" }, 1 };
	struct access *a = make(&allow, &none, 0);
	unsigned long count, senders;
	struct sockaddr_in s;
	const char *out;

	(void)state;
	capture_start();
	for (unsigned i = 0; i < FLOOD; i++) {
		s = nth(i);
		assert_false(access_sender(a, SA(s), T0));
	}
	assert_int_equal(access_stats(a)->rejected_sender, FLOOD);
	out = capture_take();
	assert_int_equal(capture_lines(out), 1);
	assert_non_null(strstr(out, "rejected 1 datagram from 10.0.0.0 "
	    "(not in allow_from)"));
	assert_int_equal(access_timeout_ms(a, T0), 1000);
	access_tick(a, T0 + 999);
	assert_string_equal(capture_take(), "");
	access_tick(a, T0 + 1000);
	out = capture_take();
	assert_int_equal(capture_lines(out), 1);
	assert_int_equal(sscanf(strstr(out, "rejected "), "rejected %lu "
	    "datagrams from %lu senders", &count, &senders), 2);
	assert_int_equal(count, FLOOD - 1);
	assert_int_equal(senders, FLOOD - 1);
	access_free(a);
	capture_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allow_from_networks),
		cmocka_unit_test(cidr_syntax),
		cmocka_unit_test(communities),
		cmocka_unit_test(rate_per_second),
		cmocka_unit_test(debt_of_large_charges),
		cmocka_unit_test(units_of_what_is_refused),
		cmocka_unit_test(rate_table_under_a_flood),
		cmocka_unit_test(reject_table_under_a_flood),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
