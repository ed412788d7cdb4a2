/*
 * geo.c - MaxMind DB lookups for the geo stage (see geo.h): the private
 * copies the databases are opened from, what each holds, the cache.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo.h"
#include "keyhash.h"

/* What a database's records hold. */
enum { KIND_COUNTRY = 1, KIND_CITY = 2, KIND_ASN = 4 };

/* Records read to learn what a database holds, and tree nodes at most. */
#define SAMPLE_RECORDS 64
#define SAMPLE_NODES 100000

#define WAYS 4

struct slot {
	uint32_t addr;                  /* network order */
	uint32_t used;                  /* when last hit; 0: empty */
	struct geo_data data;
};

struct geo {
	MMDB_s *db;
	unsigned *kinds;
	size_t n;
	uint32_t nsets;                 /* a power of two */
	uint32_t clock;
	struct slot *cache;
	struct geo_stats own, *stats;  /* stats: the daemon's, or NULL: own */
};

/* Where the counters go: the daemon's, which outlive a reload, if given. */
static struct geo_stats *
counts(struct geo *g)
{
	return g->stats != NULL ? g->stats : &g->own;
}

/*
 * A sealed copy of path in memory, which nothing outside this process
 * can shrink: -1 with the reason in err.
 */
static int
private_copy(const char *path, char *err, size_t errlen)
{
	char buf[65536];
	struct stat st;
	ssize_t r;
	int in, out;

	/* O_NONBLOCK: a FIFO in the database's place must not hold the
	 * open (and start, or a reload) until someone writes to it; it is
	 * refused below.  A regular file's reads ignore the flag. */
	if ((in = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		snprintf(err, errlen, "%s: %s", path, fstat(in, &st) < 0 ?
		    strerror(errno) : !S_ISREG(st.st_mode) ?
		    "not a regular file" : "empty, not a MaxMind DB file");
		close(in);
		return -1;
	}
	out = memfd_create("linklog-geoip", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (out < 0) {
		snprintf(err, errlen, "%s: cannot copy it into memory: %s", path,
		    strerror(errno));
		close(in);
		return -1;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)r) != r)
			break;
	if (r != 0) {
		snprintf(err, errlen, "%s: cannot read it: %s", path,
		    r < 0 ? strerror(errno) : "out of memory");
		close(in);
		close(out);
		return -1;
	}
	close(in);
	(void)fcntl(out, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE | F_SEAL_SEAL);
	return out;
}

/*
 * libmaxminddb opens a path: the copy's, through /proc/self/fd (which a
 * process may always open for itself, after --run-as too).
 */
static int
open_db(const char *path, MMDB_s *db, char *err, size_t errlen)
{
	char self[64];
	int fd, status;

	if ((fd = private_copy(path, err, errlen)) < 0)
		return -1;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	status = MMDB_open(self, MMDB_MODE_MMAP, db);
	close(fd);
	if (status == MMDB_SUCCESS)
		return 0;
	if (status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR)
		snprintf(err, errlen, "%s: cannot open its copy in memory "
		    "(%s): %s", path, self, strerror(errno));
	else
		snprintf(err, errlen, "%s: not a usable MaxMind DB file: %s",
		    path, MMDB_strerror(status));
	return -1;
}

/* Whether entry has data at the key (a map, a string, a number). */
static int
has_key(MMDB_entry_s *entry, const char *key)
{
	MMDB_entry_data_s d;

	return MMDB_get_value(entry, &d, key, NULL) == MMDB_SUCCESS &&
	    d.has_data;
}

static unsigned
kinds_of(MMDB_entry_s *entry)
{
	return (has_key(entry, "country") ? KIND_COUNTRY : 0) |
	    (has_key(entry, "city") ? KIND_CITY : 0) |
	    (has_key(entry, "autonomous_system_number") ? KIND_ASN : 0);
}

/*
 * What the first records of the search tree hold (depth first, bounded:
 * a hostile tree costs SAMPLE_NODES reads at most).  A city database's
 * first records may carry a country only; city then comes with country.
 */
#define SAMPLE_STACK (129 * 2)

struct sample {
	uint32_t stack[SAMPLE_STACK];   /* nodes still to read */
	size_t top, records;
	unsigned kinds;
};

/* One record of a node: a record's kinds noted, a node to read pushed. */
static void
sample_record(struct sample *s, uint8_t type, uint64_t record,
    MMDB_entry_s *entry)
{
	if (type == MMDB_RECORD_TYPE_DATA) {
		s->kinds |= kinds_of(entry);
		s->records++;
	} else if (type == MMDB_RECORD_TYPE_SEARCH_NODE &&
	    s->top < SAMPLE_STACK)
		s->stack[s->top++] = (uint32_t)record;
}

static unsigned
sample_kinds(MMDB_s *db)
{
	struct sample s = { .top = 1 };         /* node 0 first */
	size_t nodes = 0;

	while (s.top > 0 && nodes++ < SAMPLE_NODES &&
	    s.records < SAMPLE_RECORDS) {
		MMDB_search_node_s node;
		if (MMDB_read_node(db, s.stack[--s.top], &node) != MMDB_SUCCESS)
			continue;
		/* Left first: push right, then left. */
		sample_record(&s, node.right_record_type, node.right_record,
		    &node.right_record_entry);
		sample_record(&s, node.left_record_type, node.left_record,
		    &node.left_record_entry);
	}
	if (s.kinds & KIND_COUNTRY)
		s.kinds |= KIND_CITY;
	return s.kinds;
}

struct geo *
geo_open(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct geo *g = calloc(1, sizeof(*g));

	if (g == NULL || (g->db = calloc(n, sizeof(*g->db))) == NULL ||
	    (g->kinds = calloc(n, sizeof(*g->kinds))) == NULL ||
	    (g->cache = calloc(GEO_CACHE_SIZE, sizeof(*g->cache))) == NULL) {
		geo_free(g);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->nsets = GEO_CACHE_SIZE / WAYS;
	for (size_t i = 0; i < n; i++) {
		if (open_db(paths[i], &g->db[i], err, errlen) < 0) {
			geo_free(g);
			return NULL;
		}
		g->n++;
		if ((g->kinds[i] = sample_kinds(&g->db[i])) == 0) {
			snprintf(err, errlen, "%s: no record holds a country, a "
			    "city or an autonomous_system_number", paths[i]);
			geo_free(g);
			return NULL;
		}
	}
	return g;
}

void
geo_free(struct geo *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		MMDB_close(&g->db[i]);
	free(g->db);
	free(g->kinds);
	free(g->cache);
	free(g);
}

void
geo_describe(const struct geo *g, size_t i, char *buf, size_t size)
{
	unsigned k = g->kinds[i];

	snprintf(buf, size, "%s%s%s", k & KIND_COUNTRY ? "country, city" : "",
	    (k & KIND_COUNTRY) && (k & KIND_ASN) ? ", " : "",
	    k & KIND_ASN ? "AS" : "");
}

const struct geo_stats *
geo_stats(const struct geo *g)
{
	return g->stats ? g->stats : &g->own;
}

int
geo_public(struct in_addr a)
{
	static const struct { uint32_t net, mask; } local[] = {
		{ 0x00000000, 0xff000000 },     /* 0/8: this network */
		{ 0x0a000000, 0xff000000 },     /* 10/8 */
		{ 0x64400000, 0xffc00000 },     /* 100.64/10: CGNAT */
		{ 0x7f000000, 0xff000000 },     /* 127/8 */
		{ 0xa9fe0000, 0xffff0000 },     /* 169.254/16 */
		{ 0xac100000, 0xfff00000 },     /* 172.16/12 */
		{ 0xc0000000, 0xffffff00 },     /* 192.0.0/24: IETF */
		{ 0xc0000200, 0xffffff00 },     /* 192.0.2/24: TEST-NET-1 */
		{ 0xc0a80000, 0xffff0000 },     /* 192.168/16 */
		{ 0xc6120000, 0xfffe0000 },     /* 198.18/15: benchmarks */
		{ 0xc6336400, 0xffffff00 },     /* 198.51.100/24: TEST-NET-2 */
		{ 0xcb007100, 0xffffff00 },     /* 203.0.113/24: TEST-NET-3 */
		{ 0xe0000000, 0xf0000000 },     /* 224/4: multicast */
		{ 0xf0000000, 0xf0000000 },     /* 240/4: reserved, broadcast */
	};
	uint32_t x = ntohl(a.s_addr);

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if ((x & local[i].mask) == local[i].net)
			return 0;
	return 1;
}

/*
 * The value at path: 1, 0 if there is none (libmaxminddb says a missing
 * key "does not match the data"), -1 if the record is broken.
 */
static int
get_value(MMDB_entry_s *e, MMDB_entry_data_s *d, const char *const *path)
{
	switch (MMDB_aget_value(e, d, path)) {
	case MMDB_SUCCESS:
		return d->has_data ? 1 : 0;
	case MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR:
		return 0;
	}
	return -1;
}

/*
 * A string of the record at path into out (size bytes, NUL included),
 * cut at a UTF-8 boundary.  0 (absent too), or -1 if the record is
 * broken or the value is not a string.
 */
static int
get_string(MMDB_entry_s *e, char *out, size_t size, const char *const *path)
{
	MMDB_entry_data_s d;
	const char *nul;
	size_t n;
	int rc;

	if ((rc = get_value(e, &d, path)) <= 0)
		return rc;
	if (d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return -1;
	n = d.data_size;
	if ((nul = memchr(d.utf8_string, '\0', n)) != NULL)
		n = (size_t)(nul - d.utf8_string);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)d.utf8_string[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, d.utf8_string, n);
	out[n] = '\0';
	return 0;
}

static int
get_asn(MMDB_entry_s *e, uint32_t *asn)
{
	static const char *const path[] = { "autonomous_system_number", NULL };
	MMDB_entry_data_s d;
	int rc;

	if ((rc = get_value(e, &d, path)) <= 0)
		return rc;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16: *asn = d.uint16; return 0;
	case MMDB_DATA_TYPE_UINT32: *asn = d.uint32; return 0;
	case MMDB_DATA_TYPE_UINT64:
		*asn = d.uint64 <= UINT32_MAX ? (uint32_t)d.uint64 : 0;
		return 0;
	case MMDB_DATA_TYPE_INT32:
		*asn = d.int32 > 0 ? (uint32_t)d.int32 : 0;
		return 0;
	}
	return -1;
}

/* The fields of one record that out still lacks; -1: a broken record. */
static int
from_record(MMDB_entry_s *e, unsigned kinds, struct geo_data *out)
{
	static const char *const iso[] = { "country", "iso_code", NULL };
	static const char *const country[] = { "country", "names", "en", NULL };
	static const char *const city[] = { "city", "names", "en", NULL };
	static const char *const org[] = { "autonomous_system_organization",
	    NULL };

	if ((kinds & KIND_COUNTRY) && out->iso[0] == '\0' &&
	    (get_string(e, out->iso, sizeof(out->iso), iso) < 0 ||
	    get_string(e, out->country, sizeof(out->country), country) < 0))
		return -1;
	if ((kinds & KIND_CITY) && out->city[0] == '\0' &&
	    get_string(e, out->city, sizeof(out->city), city) < 0)
		return -1;
	if ((kinds & KIND_ASN) && out->asn == 0 &&
	    (get_asn(e, &out->asn) < 0 ||
	    get_string(e, out->org, sizeof(out->org), org) < 0))
		return -1;
	return 0;
}

/* Every database, in order; a broken record leaves no geo at all. */
static void
lookup(struct geo *g, struct in_addr a, struct geo_data *out)
{
	struct sockaddr_in sin;

	memset(out, 0, sizeof(*out));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = a;
	counts(g)->lookups++;
	for (size_t i = 0; i < g->n; i++) {
		MMDB_lookup_result_s r;
		int status;
		r = MMDB_lookup_sockaddr(&g->db[i],
		    (const struct sockaddr *)&sin, &status);
		if (status == MMDB_SUCCESS && !r.found_entry)
			continue;
		if (status != MMDB_SUCCESS ||
		    from_record(&r.entry, g->kinds[i], out) < 0) {
			counts(g)->errors++;
			memset(out, 0, sizeof(*out));
			return;
		}
	}
}

/* The cached result for a, looked up on a miss (the set's least
 * recently used entry makes room). */
static void
cached(struct geo *g, struct in_addr a, struct geo_data *out)
{
	struct slot *set = &g->cache[(keyhash(&a.s_addr, sizeof(a.s_addr)) &
	    (g->nsets - 1)) * WAYS], *victim = set;

	/* 0 marks an empty slot: the clock skips it when it wraps. */
	if (++g->clock == 0)
		g->clock = 1;
	for (int w = 0; w < WAYS; w++) {
		if (set[w].used != 0 && set[w].addr == a.s_addr) {
			set[w].used = g->clock;
			counts(g)->cache_hits++;
			*out = set[w].data;
			return;
		}
		if (set[w].used < victim->used)
			victim = &set[w];
	}
	lookup(g, a, &victim->data);
	victim->addr = a.s_addr;
	victim->used = g->clock;
	*out = victim->data;
}

static void
endpoint_geo(struct geo *g, struct endpoint *ep)
{
	if (g == NULL || !geo_public(ep->addr)) {
		ep->geo.asn = 0;
		ep->geo.iso[0] = ep->geo.country[0] = ep->geo.city[0] =
		    ep->geo.org[0] = '\0';
		return;
	}
	cached(g, ep->addr, &ep->geo);
}

void
geo_event(struct geo *g, struct event *ev)
{
	endpoint_geo(g, &ev->src);
	endpoint_geo(g, &ev->dst);
}

void
geo_count_into(struct geo *g, struct geo_stats *to)
{
	g->stats = to;
}
