/*
 * keyhash.c - SipHash-2-4 (Aumasson and Bernstein) keyed at the first use
 * with 16 random bytes.  Without a key an attacker who knows the hash
 * function fills one chain or slot with addresses of their choosing.
 */
#include <endian.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "keyhash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/* One load, not eight shifts: the hash is on every event's path. */
static uint64_t
le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static void
sipround(uint64_t v[4])
{
	v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

uint64_t
keyhash_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8), m, b;
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	uint8_t last[8] = { 0 };
	size_t full = len - len % 8;

	for (size_t i = 0; i < full; i += 8) {
		m = le64(in + i);
		v[3] ^= m;
		sipround(v);
		sipround(v);
		v[0] ^= m;
	}
	memcpy(last, in + full, len - full);
	b = (uint64_t)len << 56 | le64(last);
	v[3] ^= b;
	sipround(v);
	sipround(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint8_t key[16];
static int keyed;

/* The key, drawn once.  getrandom() only fails before the pool is ready
 * on old kernels or under seccomp; then mix what varies per process:
 * still unknown to a remote sender. */
static void
draw_key(void)
{
	struct timespec ts;
	uint64_t mix[2];

	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		mix[0] = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32;
		clock_gettime(CLOCK_REALTIME, &ts);
		mix[1] = (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32 ^
		    (uint64_t)(uintptr_t)&mix;
		memcpy(key, mix, sizeof(key));
	}
	keyed = 1;
}

uint64_t
keyhash(const void *data, size_t len)
{
	if (!keyed)
		draw_key();
	return keyhash_siphash(key, data, len);
}

size_t
keyhash_buckets(unsigned entries, unsigned ways)
{
	size_t b = 1;

	while (b * ways < entries)
		b <<= 1;
	return b;
}
