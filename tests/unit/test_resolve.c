/* Unit tests for the table of lookups in flight (src/resolve.c): one
 * query per address however many events wait, the dns.max_pending bound,
 * answers held for waiting events.  The only server named is a loopback
 * port where nothing listens, and no answer is ever processed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "resolve.h"

static struct sockaddr_in
v4(const char *text)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, text, &sin.sin_addr);
	return sin;
}

static struct resolver *
new_resolver(size_t max_pending)
{
	struct resolve_config cfg = {
		.servers = "127.0.0.1:9", .timeout_ms = 1000, .wait_ms = 1000,
		.cache_size = 16, .ttl_max = 3600, .negative_ttl = 300,
		.max_pending = max_pending,
	};
	char err[256];
	struct resolver *r = resolver_new(&cfg, err, sizeof(err));

	assert_non_null(r);
	return r;
}

#define SA(x) ((const struct sockaddr *)&(x))

static void
one_query_per_address(void **state)
{
	struct resolver *r = new_resolver(4);
	struct sockaddr_in a = v4("203.0.113.1");
	char name[HOST_NAME_LEN + 1];
	resolve_ticket t1, t2;

	(void)state;
	assert_int_equal(resolve_lookup(r, SA(a), 0, name, &t1), RESOLVE_PENDING);
	assert_int_equal(resolve_lookup(r, SA(a), 0, name, &t2), RESOLVE_PENDING);
	assert_int_equal(t1, t2);
	assert_int_equal(resolver_stats(r)->sent, 1);
	assert_int_equal(resolve_in_flight(r), 1);
	/* The events let go, the query is still in flight: a later event
	 * for the address joins it instead of sending another. */
	resolve_release(r, t1);
	resolve_release(r, t2);
	assert_int_equal(resolve_in_flight(r), 1);
	assert_int_equal(resolve_lookup(r, SA(a), 0, name, &t1), RESOLVE_PENDING);
	assert_int_equal(resolver_stats(r)->sent, 1);
	assert_int_equal(resolve_answer(r, t1, SA(a), 0, name), RESOLVE_PENDING);
	resolve_release(r, t1);
	resolver_free(r);
}

static void
max_pending_bounds_queries(void **state)
{
	struct resolver *r = new_resolver(2);
	struct sockaddr_in a = v4("203.0.113.1"), b = v4("203.0.113.2"),
	    c = v4("203.0.113.3");
	char name[HOST_NAME_LEN + 1];
	resolve_ticket ta, tb, tc;

	(void)state;
	assert_int_equal(resolve_lookup(r, SA(a), 0, name, &ta), RESOLVE_PENDING);
	assert_int_equal(resolve_lookup(r, SA(b), 0, name, &tb), RESOLVE_PENDING);
	/* The third address is not looked up: no name, counted. */
	assert_int_equal(resolve_lookup(r, SA(c), 0, name, &tc), RESOLVE_NONE);
	assert_int_equal(tc, 0);
	assert_int_equal(resolver_stats(r)->sent, 2);
	assert_int_equal(resolver_stats(r)->over_limit, 1);
	/* A hold needs room too. */
	assert_int_equal(resolve_hold(r, SA(c), RESOLVE_NAME, "c.example"), 0);
	resolver_free(r);
}

static void
held_answers(void **state)
{
	struct resolver *r = new_resolver(4);
	struct sockaddr_in a = v4("203.0.113.1"), b = v4("203.0.113.2");
	char name[HOST_NAME_LEN + 1];
	resolve_ticket t, t2;

	(void)state;
	t = resolve_hold(r, SA(a), RESOLVE_NAME, "a.example");
	assert_int_not_equal(t, 0);
	/* The held answer is found by a lookup as well, with no query. */
	assert_int_equal(resolve_lookup(r, SA(a), 0, name, &t2), RESOLVE_NAME);
	assert_string_equal(name, "a.example");
	assert_int_equal(t2, t);
	assert_int_equal(resolver_stats(r)->sent, 0);
	resolve_release(r, t2);
	assert_int_equal(resolve_answer(r, t, SA(a), 0, name), RESOLVE_NAME);
	assert_string_equal(name, "a.example");
	resolve_release(r, t);
	assert_int_equal(resolve_in_flight(r), 0);
	/* Without a ticket, the cache's copy or nothing: never a wait. */
	assert_int_equal(resolve_answer(r, 0, SA(b), 0, name), RESOLVE_NONE);
	resolver_free(r);
}

static void
forged_ptr_names(void **state)
{
	(void)state;
	assert_true(resolve_valid_name("host.example"));
	assert_false(resolve_valid_name("10.0.0.1"));
	assert_false(resolve_valid_name("12345"));
	assert_false(resolve_valid_name("0x7f000001"));
	assert_false(resolve_valid_name("host.123"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_query_per_address),
		cmocka_unit_test(max_pending_bounds_queries),
		cmocka_unit_test(held_answers),
		cmocka_unit_test(forged_ptr_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
