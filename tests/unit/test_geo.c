/* Unit tests for the geo stage (src/geo.c): which addresses are looked
 * up, files refused, what a database holds read from its records, the
 * cache and its bound, a corrupt record, a file truncated after opening.
 * The databases are written by tests/e2e/geodb.pl (MaxMind::DB::Writer);
 * without it those tests are skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geo.h"

static char dir[] = "/tmp/linklog-geo.XXXXXX";
static int have_db;

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static char *
path(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static struct geo *
open_files(const char *a, const char *b, char *err, size_t errlen)
{
	const char *paths[2] = { path(a), b ? path(b) : NULL };

	return geo_open(paths, b ? 2 : 1, err, errlen);
}

static struct event
event(const char *src, const char *dst)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.src.addr = ip(src);
	ev.dst.addr = ip(dst);
	return ev;
}

static void
public_ranges(void **state)
{
	static const char *const local[] = { "0.1.2.3", "10.0.0.1",
	    "100.64.0.1", "100.127.255.255", "127.0.0.1", "169.254.1.1",
	    "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1",
	    "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7",
	    "203.0.113.7", "224.0.0.1", "239.255.255.250", "240.0.0.1",
	    "255.255.255.255", NULL };
	static const char *const outside[] = { "1.1.1.1", "8.8.8.8",
	    "81.2.69.160", "100.63.255.255", "100.128.0.0", "172.15.255.255",
	    "172.32.0.0", "192.0.1.1", "192.169.0.1", "198.17.255.255",
	    "198.20.0.0", "203.0.114.1", "223.255.255.255", NULL };

	(void)state;
	for (int i = 0; local[i]; i++)
		if (geo_public(ip(local[i])))
			fail_msg("%s is not on the internet", local[i]);
	for (int i = 0; outside[i]; i++)
		if (!geo_public(ip(outside[i])))
			fail_msg("%s is on the internet", outside[i]);
}

static void
refused_files(void **state)
{
	char err[512];
	FILE *f;

	(void)state;
	assert_null(open_files("none.mmdb", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "none.mmdb: No such file or directory"));
	f = fopen(path("text.mmdb"), "w");
	assert_non_null(f);
	fputs("Not a MaxMind DB file at all.\n", f);
	fclose(f);
	assert_null(open_files("text.mmdb", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "text.mmdb: not a usable MaxMind DB file: "
	    "The MaxMind DB file contains invalid metadata"));
	fclose(fopen(path("empty.mmdb"), "w"));
	assert_null(open_files("empty.mmdb", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "empty.mmdb: empty"));
	assert_null(open_files(".", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
	/* A FIFO put where a database was: refused, not waited on for a
	 * writer (the open blocked start, --check-config and a reload for
	 * good).  The alarm ends the test if it blocks. */
	assert_int_equal(mkfifo(path("fifo.mmdb"), 0600), 0);
	alarm(10);
	assert_null(open_files("fifo.mmdb", NULL, err, sizeof(err)));
	alarm(0);
	assert_non_null(strstr(err, "fifo.mmdb: not a regular file"));
}

static void
lookups(void **state)
{
	struct event ev = event("81.2.69.1", "89.160.20.9");
	char err[512], kinds[64];
	struct geo *g;

	(void)state;
	if (!have_db)
		skip();
	g = open_files("city.mmdb", "asn.mmdb", err, sizeof(err));
	if (g == NULL)
		fail_msg("%s", err);
	assert_null(open_files("other.mmdb", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "other.mmdb: no record holds a country, "
	    "a city or an autonomous_system_number"));
	geo_describe(g, 0, kinds, sizeof(kinds));
	assert_string_equal(kinds, "country, city");
	geo_describe(g, 1, kinds, sizeof(kinds));
	assert_string_equal(kinds, "AS");
	geo_event(g, &ev);
	assert_string_equal(ev.src.geo.iso, "GB");
	assert_string_equal(ev.src.geo.country, "United Kingdom");
	assert_string_equal(ev.src.geo.city, "London");
	assert_int_equal(ev.src.geo.asn, 20712);
	assert_string_equal(ev.src.geo.org, "Andrews & Arnold Ltd");
	assert_string_equal(ev.dst.geo.city, "Link\xc3\xb6ping");
	assert_int_equal(ev.dst.geo.asn, 29518);
	/* Private: nothing, though the file has 10/8. */
	ev = event("10.1.1.1", "8.8.8.8");
	geo_event(g, &ev);
	assert_string_equal(ev.src.geo.iso, "");
	assert_int_equal(ev.src.geo.asn, 0);
	assert_string_equal(ev.dst.geo.iso, "US");
	assert_string_equal(ev.dst.geo.city, "");
	/* A corrupt record: no geo at all for the address, counted. */
	ev = event("1.2.3.4", "81.2.69.1");
	geo_event(g, &ev);
	assert_string_equal(ev.src.geo.iso, "");
	assert_int_equal(ev.src.geo.asn, 0);
	assert_int_equal(geo_stats(g)->errors, 1);
	assert_int_equal(geo_stats(g)->lookups, 4);
	assert_int_equal(geo_stats(g)->cache_hits, 1);
	/* Without a handle (no database): emptied. */
	geo_event(NULL, &ev);
	assert_string_equal(ev.dst.geo.iso, "");
	assert_int_equal(ev.dst.geo.asn, 0);
	geo_free(g);
}

/* The copy is private: the file truncated in place changes nothing. */
static void
truncated_after_open(void **state)
{
	struct event ev = event("81.2.69.1", "89.160.20.9");
	char err[512], cmd[600];
	struct geo *g;

	(void)state;
	if (!have_db)
		skip();
	snprintf(cmd, sizeof(cmd), "cp %s %s", path("country.mmdb"),
	    path("live.mmdb"));
	assert_int_equal(system(cmd), 0);
	g = open_files("live.mmdb", NULL, err, sizeof(err));
	assert_non_null(g);
	assert_int_equal(truncate(path("live.mmdb"), 0), 0);
	geo_event(g, &ev);
	assert_string_equal(ev.src.geo.iso, "GB");
	assert_string_equal(ev.dst.geo.iso, "SE");
	geo_free(g);
	assert_null(open_files("live.mmdb", NULL, err, sizeof(err)));
}

/* GEO_CACHE_SIZE addresses at most: the oldest of many go, the newest
 * stay. */
static void
cache_bound(void **state)
{
	struct event ev = event("10.0.0.1", "10.0.0.1");
	char err[512];
	struct geo *g;
	uint64_t n = 8 * GEO_CACHE_SIZE;

	(void)state;
	if (!have_db)
		skip();
	g = open_files("asn.mmdb", NULL, err, sizeof(err));
	assert_non_null(g);
	for (uint32_t i = 0; i < n; i++) {
		ev.src.addr.s_addr = htonl(0x51000000u + i);    /* 81.0.0.0 */
		geo_event(g, &ev);
	}
	assert_int_equal(geo_stats(g)->lookups, n);
	assert_int_equal(geo_stats(g)->cache_hits, 0);
	/* The last hundred are all still there... */
	for (uint32_t i = (uint32_t)n - 100; i < n; i++) {
		ev.src.addr.s_addr = htonl(0x51000000u + i);
		geo_event(g, &ev);
	}
	assert_int_equal(geo_stats(g)->cache_hits, 100);
	/* ...the first hundred are not. */
	for (uint32_t i = 0; i < 100; i++) {
		ev.src.addr.s_addr = htonl(0x51000000u + i);
		geo_event(g, &ev);
	}
	assert_int_equal(geo_stats(g)->cache_hits, 100);
	geo_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(public_ranges),
		cmocka_unit_test(refused_files),
		cmocka_unit_test(lookups),
		cmocka_unit_test(truncated_after_open),
		cmocka_unit_test(cache_bound),
	};
	char cmd[512];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(cmd, sizeof(cmd), "perl '%s/tests/e2e/geodb.pl' '%s'",
	    SRCDIR, dir);
	have_db = system(cmd) == 0;
	if (!have_db)
		fprintf(stderr, "geodb.pl failed (libmaxmind-db-writer-perl?): "
		    "the database tests are skipped\n");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)   /* (void) does not silence warn_unused_result */
		fprintf(stderr, "could not remove %s\n", dir);
	return rc;
}
