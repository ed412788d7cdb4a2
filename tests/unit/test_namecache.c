/* Unit tests for the DNS cache (src/namecache.c): LRU eviction order,
 * expiry of positive and negative entries, the size bound, tickets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "namecache.h"

static struct namecache_key
key(uint32_t n)
{
	struct namecache_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	memcpy(k.addr, &n, sizeof(n));
	return k;
}

static void
put(struct namecache *c, uint32_t n, const char *name, uint64_t expires)
{
	struct namecache_key k = key(n);

	assert_int_equal(namecache_answer(c, namecache_pending(c, &k, expires),
	    name, expires), 0);
}

static enum namecache_state
get(struct namecache *c, uint32_t n, uint64_t now, char *name)
{
	struct namecache_key k = key(n);

	return namecache_get(c, &k, now, name);
}

static void
states(void **state)
{
	struct namecache *c = namecache_new(4);
	struct namecache_key k = key(1);
	char name[HOST_NAME_LEN + 1];
	uint64_t ticket;

	(void)state;
	assert_int_equal(get(c, 1, 0, name), NC_MISS);
	ticket = namecache_pending(c, &k, 100);
	assert_int_equal(get(c, 1, 0, name), NC_PENDING);
	assert_int_equal(namecache_answer(c, ticket, "one.example", 1000), 0);
	assert_int_equal(get(c, 1, 10, name), NC_NAME);
	assert_string_equal(name, "one.example");
	put(c, 2, NULL, 1000);
	assert_int_equal(get(c, 2, 10, name), NC_NONE);
	/* A second answer to the same ticket is refused. */
	assert_int_equal(namecache_answer(c, ticket, "x", 1000), -1);
	namecache_free(c);
}

static void
expiry(void **state)
{
	struct namecache *c = namecache_new(4);
	char name[HOST_NAME_LEN + 1];

	(void)state;
	put(c, 1, "pos.example", 3600 * 1000);  /* positive: the record's TTL */
	put(c, 2, NULL, 300 * 1000);            /* negative: its own TTL */
	assert_int_equal(get(c, 1, 299999, name), NC_NAME);
	assert_int_equal(get(c, 2, 299999, name), NC_NONE);
	assert_int_equal(get(c, 2, 300000, name), NC_MISS);
	assert_int_equal(get(c, 1, 3599999, name), NC_NAME);
	assert_int_equal(get(c, 1, 3600000, name), NC_MISS);
	assert_int_equal(namecache_count(c), 0);
	namecache_free(c);
}

static void
lru_eviction_order(void **state)
{
	struct namecache *c = namecache_new(3);
	char name[HOST_NAME_LEN + 1];

	(void)state;
	put(c, 1, "a", 1000);
	put(c, 2, "b", 1000);
	put(c, 3, "c", 1000);
	/* Use 1: now 2 is the least recently used. */
	assert_int_equal(get(c, 1, 0, name), NC_NAME);
	put(c, 4, "d", 1000);
	assert_int_equal(get(c, 2, 0, name), NC_MISS);
	assert_int_equal(get(c, 1, 0, name), NC_NAME);
	assert_int_equal(get(c, 3, 0, name), NC_NAME);
	assert_int_equal(get(c, 4, 0, name), NC_NAME);
	/* Order of use now 1, 3, 4: adding 5 evicts 1. */
	put(c, 5, "e", 1000);
	assert_int_equal(get(c, 1, 0, name), NC_MISS);
	assert_int_equal(namecache_count(c), 3);
	namecache_free(c);
}

static void
evicted_pending_answer_is_dropped(void **state)
{
	struct namecache *c = namecache_new(1);
	struct namecache_key k1 = key(1), k2 = key(2);
	char name[HOST_NAME_LEN + 1];
	uint64_t t1 = namecache_pending(c, &k1, 1000);

	(void)state;
	namecache_pending(c, &k2, 1000);
	assert_int_equal(namecache_answer(c, t1, "late.example", 1000), -1);
	assert_int_equal(get(c, 2, 0, name), NC_PENDING);
	namecache_free(c);
}

static void
size_bound(void **state)
{
	struct namecache *c = namecache_new(1000);
	char name[HOST_NAME_LEN + 1];

	(void)state;
	/* A million distinct addresses: never more than the capacity. */
	for (uint32_t i = 0; i < 1000000; i++) {
		snprintf(name, sizeof(name), "h%u.example", i);
		put(c, i, name, UINT64_MAX);
		assert_true(namecache_count(c) <= 1000);
	}
	assert_int_equal(namecache_count(c), 1000);
	assert_int_equal(get(c, 999999, 0, name), NC_NAME);
	assert_string_equal(name, "h999999.example");
	assert_int_equal(get(c, 998999, 0, name), NC_MISS);
	assert_int_equal(get(c, 999000, 0, name), NC_NAME);
	namecache_free(c);
}

static void
long_names(void **state)
{
	struct namecache *c = namecache_new(2);
	char big[400], name[HOST_NAME_LEN + 1];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put(c, 1, big, 1000);
	assert_int_equal(get(c, 1, 0, name), NC_NAME);
	assert_int_equal(strlen(name), HOST_NAME_LEN);
	namecache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(states),
		cmocka_unit_test(expiry),
		cmocka_unit_test(lru_eviction_order),
		cmocka_unit_test(evicted_pending_answer_is_dropped),
		cmocka_unit_test(size_bound),
		cmocka_unit_test(long_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
