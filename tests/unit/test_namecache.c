/* Unit tests for the DNS cache (src/namecache.c): LRU eviction order,
 * expiry of positive and negative entries, the size bound; and the keyed
 * hash it uses (src/keyhash.c) against SipHash's published vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "keyhash.h"
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

	namecache_put(c, &k, name, expires);
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
	char name[HOST_NAME_LEN + 1];

	(void)state;
	assert_int_equal(get(c, 1, 0, name), NC_MISS);
	put(c, 1, "one.example", 1000);
	assert_int_equal(get(c, 1, 10, name), NC_NAME);
	assert_string_equal(name, "one.example");
	put(c, 2, NULL, 1000);
	assert_int_equal(get(c, 2, 10, name), NC_NONE);
	/* A new answer replaces the old one. */
	put(c, 1, NULL, 1000);
	assert_int_equal(get(c, 1, 10, name), NC_NONE);
	assert_int_equal(namecache_count(c), 2);
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
siphash_vectors(void **state)
{
	uint8_t key[16], msg[15];

	(void)state;
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	/* The paper's example and the first entry of its vector table. */
	assert_true(keyhash_siphash(key, msg, 15) == 0xa129ca6149be45e5ULL);
	assert_true(keyhash_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	/* The process key is not all zeros: not the unkeyed function. */
	memset(key, 0, sizeof(key));
	assert_true(keyhash(msg, 15) != keyhash_siphash(key, msg, 15));
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
		cmocka_unit_test(siphash_vectors),
		cmocka_unit_test(size_bound),
		cmocka_unit_test(long_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
