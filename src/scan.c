/*
 * scan.c - candidates and scanners in fixed tables, and the events a
 * scan is written as.
 *
 * A candidate is one (direction, protocol, source, target) for vertical
 * counting, with the distinct ports it hit in this window listed, or one
 * (direction, protocol, source, port) for horizontal counting, with its
 * targets in a 512-bit map (a target's keyed hash picks its bit; the
 * number of bits set is compared with the number that `hosts` distinct
 * targets set on average).  A window starts at a candidate's first event
 * and is over `window` seconds later, when the candidate starts anew.
 * A scanner is one (direction, source), whatever it hits next.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "scan.h"

#define WAYS 8                  /* entries per bucket, in both tables */
#define HBITS 512               /* a horizontal candidate's map */
#define PORT_MAP_WORDS (65536 / 64)
/* A horizontal scanner's targets: an open-addressed set of 2,048 slots
 * (8 KiB, as the port map), exact up to 3/4 full, then "at least". */
#define TARGET_SLOTS 2048
#define TARGET_FULL (TARGET_SLOTS * 3 / 4)

struct cand {
	uint32_t src, other;            /* other: the target, or the port */
	uint8_t used, dir, proto, horizontal;
	uint16_t n;                     /* ports listed (vertical), bits set
	                                 * (horizontal) */
	uint64_t start, seen;           /* ms: window start, last event */
	union {
		uint16_t ports[SCAN_PORTS_MAX];
		uint64_t bits[HBITS / 64];
	} u;
};

struct scanner {
	uint32_t src, target;
	uint16_t port;
	uint8_t used, dir, proto, horizontal, mark, any_target, any_port;
	uint8_t at_least, nsample;
	uint32_t count, nset, events, suppressed;
	time_t first, last;
	uint32_t first_usec, last_usec;
	uint64_t seen, reported;        /* ms: last event, last summary */
	struct router router;
	uint32_t sample[EVENT_SAMPLE_MAX];
	/* A sweep's candidate map at the start, the targets it stands for
	 * (estimated), and how many exact targets since fell on its bits:
	 * a target seen before the start and again after is one target. */
	uint64_t pre[HBITS / 64];
	uint32_t pre_targets, on_pre;
	uint16_t pre_bits;
};

union scanmap {
	uint64_t ports[PORT_MAP_WORDS];
	uint32_t targets[TARGET_SLOTS];
};

struct scan {
	struct scan_config cfg;
	unsigned hbits;                 /* bits set by `hosts` targets */
	size_t ncand, nscan;            /* buckets */
	struct cand *cand;
	struct scanner *scan;
	union scanmap *map;
	uint64_t next_due;              /* ms; UINT64_MAX: nothing open */
	size_t open;                    /* scanners open */
	struct scan_stats stats;
};

size_t
scan_memory(const struct scan_config *cfg)
{
	size_t cand = keyhash_buckets(cfg->max_sources, WAYS) * WAYS;
	size_t scanners = keyhash_buckets(cfg->max_scanners, WAYS) * WAYS;

	return cand * sizeof(struct cand) +
	    scanners * (sizeof(struct scanner) + sizeof(union scanmap));
}

/* The bits `hosts` distinct targets set on average in a map of HBITS:
 * HBITS * (1 - (1 - 1/HBITS)^hosts). */
static unsigned
bits_for(unsigned hosts)
{
	double miss = 1.0;

	for (unsigned i = 0; i < hosts; i++)
		miss *= 1.0 - 1.0 / HBITS;
	return (unsigned)(HBITS * (1.0 - miss) + 0.5);
}

static void
free_tables(struct scan *s)
{
	free(s->cand);
	free(s->scan);
	free(s->map);
	s->cand = NULL;
	s->scan = NULL;
	s->map = NULL;
	s->ncand = s->nscan = 0;
	s->open = 0;
	s->next_due = UINT64_MAX;
}

int
scan_configure(struct scan *s, const struct scan_config *cfg)
{
	size_t nc = keyhash_buckets(cfg->max_sources, WAYS);
	size_t ns = keyhash_buckets(cfg->max_scanners, WAYS);

	s->cfg = *cfg;
	s->hbits = bits_for(cfg->hosts);
	if (!cfg->enabled) {
		free_tables(s);
		return 0;
	}
	if (s->cand != NULL && nc == s->ncand && ns == s->nscan)
		return 0;
	free_tables(s);
	s->cand = calloc(nc * WAYS, sizeof(*s->cand));
	s->scan = calloc(ns * WAYS, sizeof(*s->scan));
	s->map = calloc(ns * WAYS, sizeof(*s->map));
	if (s->cand == NULL || s->scan == NULL || s->map == NULL) {
		free_tables(s);
		s->cfg.enabled = 0;
		return -1;
	}
	s->ncand = nc;
	s->nscan = ns;
	return 0;
}

struct scan *
scan_new(const struct scan_config *cfg)
{
	struct scan *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->next_due = UINT64_MAX;
	if (scan_configure(s, cfg) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void
scan_free(struct scan *s)
{
	if (s == NULL)
		return;
	free_tables(s);
	free(s);
}

const struct scan_stats *
scan_stats(const struct scan *s)
{
	return &s->stats;
}

static uint64_t
hash3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t k[3] = { a, b, c };

	return keyhash(k, sizeof(k));
}

/*
 * One keyed hash per event: that of its source (and direction), which
 * places the source's scanner; its candidates and the bit of a target
 * are that hash mixed with the target or port (the finaliser of
 * MurmurHash3, a bijection).  A sender who does not know the source's
 * hash cannot choose targets or ports that collide.
 */
static uint64_t
source_hash(const struct event *ev)
{
	uint32_t k[2] = { ev->src.addr.s_addr, (uint32_t)ev->dir };

	return keyhash(k, sizeof(k));
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v * UINT64_C(0x9e3779b97f4a7c15);
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* The bucket's entry for the key, or a free one, or its least recently
 * seen (*evict set).  Returns the first entry of the bucket in *base. */
static struct cand *
cand_slot(struct scan *s, uint64_t h, uint32_t src, uint32_t other,
    uint8_t dir, uint8_t proto, uint8_t horizontal, int *evict)
{
	uint64_t tag = (uint64_t)other << 32 | (uint64_t)proto << 8 |
	    horizontal;
	struct cand *b = &s->cand[(mix(h, tag) & (s->ncand - 1)) * WAYS],
	    *free_slot = NULL, *oldest = b;

	*evict = 0;
	for (int i = 0; i < WAYS; i++) {
		struct cand *c = &b[i];
		if (!c->used) {
			if (free_slot == NULL)
				free_slot = c;
			continue;
		}
		if (c->src == src && c->other == other && c->dir == dir &&
		    c->proto == proto && c->horizontal == horizontal)
			return c;
		if (c->seen < oldest->seen)
			oldest = c;
	}
	if (free_slot != NULL)
		return free_slot;
	*evict = 1;
	return oldest;
}

static struct scanner *
scanner_find(struct scan *s, uint64_t h, uint32_t src, uint8_t dir,
    struct scanner **slot)
{
	struct scanner *b = &s->scan[(h & (s->nscan - 1)) * WAYS],
	    *free_slot = NULL, *oldest = NULL;

	for (int i = 0; i < WAYS; i++) {
		struct scanner *c = &b[i];
		if (!c->used) {
			if (free_slot == NULL)
				free_slot = c;
			continue;
		}
		if (c->src == src && c->dir == dir)
			return c;
		if (oldest == NULL || c->seen < oldest->seen)
			oldest = c;
	}
	*slot = free_slot != NULL ? free_slot : oldest;
	return NULL;
}

static union scanmap *
map_of(struct scan *s, const struct scanner *sc)
{
	return &s->map[sc - s->scan];
}

/* Add a port or target to the scanner's map: whether it is new. */
static int
map_add(struct scan *s, struct scanner *sc, uint32_t v)
{
	union scanmap *m = map_of(s, sc);
	size_t i;

	if (!sc->horizontal) {
		uint64_t bit = UINT64_C(1) << (v & 63);
		if (m->ports[v >> 6 & (PORT_MAP_WORDS - 1)] & bit)
			return 0;
		m->ports[v >> 6 & (PORT_MAP_WORDS - 1)] |= bit;
		return 1;
	}
	if (sc->nset >= TARGET_FULL) {
		sc->at_least = 1;
		return 0;
	}
	/* Address 0.0.0.0 is an empty slot: it is stored as itself + 1
	 * wrapped, which no router reports as a target anyway. */
	v = v == 0 ? 1 : v;
	for (i = hash3(v, 0, 0x7a) & (TARGET_SLOTS - 1);
	    m->targets[i] != 0; i = (i + 1) & (TARGET_SLOTS - 1))
		if (m->targets[i] == v)
			return 0;
	m->targets[i] = v;
	sc->nset++;
	return 1;
}

static void
sample_add(struct scanner *sc, uint32_t v)
{
	if (sc->nsample < EVENT_SAMPLE_MAX)
		sc->sample[sc->nsample++] = v;
}

/* The event that describes sc, of kind at wall time (sec, usec). */
static void
describe(const struct scanner *sc, enum event_kind kind, time_t sec,
    uint32_t usec, struct event *out)
{
	event_made(out, kind, sc->dir, sc->proto, sc->src, sc->target);
	out->dst.port = sc->port;
	out->dst.port_unknown = !sc->horizontal || sc->any_port;
	out->router = sc->router;
	out->time = sec;
	out->usec = usec;
	out->sum.count = sc->count;
	out->sum.suppressed = sc->suppressed;
	out->sum.events = sc->events;
	event_span(&out->sum, sc->first, sc->first_usec, sc->last,
	    sc->last_usec);
	out->sum.horizontal = sc->horizontal;
	out->sum.at_least = sc->at_least;
	out->sum.any_target = sc->any_target;
	out->sum.any_port = !sc->horizontal || sc->any_port;
	out->sum.nsample = sc->nsample;
	memcpy(out->sum.sample, sc->sample, sizeof(sc->sample));
}

/* A summary of sc; final closes it. */
static void
summarize(struct scan *s, struct scanner *sc, uint64_t now, int final,
    struct event *out)
{
	time_t sec;
	uint32_t usec;

	event_time_at(sc->last, sc->last_usec, sc->seen, now, &sec, &usec);
	describe(sc, EVENT_SCAN_SUMMARY, sec, usec, out);
	out->sum.final = (uint8_t)final;
	s->stats.summaries++;
	sc->suppressed = sc->events = 0;
	sc->reported = now;
	if (final) {
		sc->used = 0;
		s->open--;
	}
}

static uint64_t
due_of(const struct scan *s, const struct scanner *sc)
{
	uint64_t quiet = sc->seen + (uint64_t)s->cfg.quiet * 1000;
	uint64_t report = sc->reported + (uint64_t)s->cfg.report * 1000;

	return quiet < report ? quiet : report;
}

static int
tracked(const struct scan *s, const struct event *ev)
{
	int in = inside_contains(s->cfg.inside, ev->src.addr);

	return ev->dir == DIR_IN ? !in : in;
}

/* The candidate of the key, started anew when its window is over. */
static struct cand *
cand_get(struct scan *s, uint64_t hash, const struct event *ev,
    uint32_t other, uint8_t horizontal, uint64_t now)
{
	int evict;
	struct cand *c = cand_slot(s, hash, ev->src.addr.s_addr, other,
	    (uint8_t)ev->dir, (uint8_t)ev->proto, horizontal, &evict);

	if (evict)
		s->stats.evictions++;
	if (!c->used || evict || now - c->start >= (uint64_t)s->cfg.window *
	    1000) {
		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->src = ev->src.addr.s_addr;
		c->other = other;
		c->dir = (uint8_t)ev->dir;
		c->proto = (uint8_t)ev->proto;
		c->horizontal = horizontal;
		c->start = now;
	}
	c->seen = now;
	return c;
}

static int
vertical_hit(struct scan *s, struct cand *c, uint16_t port)
{
	int i;

	for (i = 0; i < c->n && c->u.ports[i] != port; i++)
		;
	if (i == c->n && c->n < SCAN_PORTS_MAX)
		c->u.ports[c->n++] = port;
	return c->n >= s->cfg.ports;
}

/* A target's bit in a sweep's map: another mix than the candidates'
 * (whose tags have a port or protocol in the low bits), the odd
 * constant. */
static unsigned
target_bit(uint64_t hash, uint32_t target)
{
	return (unsigned)(mix(hash ^ UINT64_C(0x5bd1e995), target) >> 40) %
	    HBITS;
}

static int
horizontal_hit(struct scan *s, uint64_t hash, struct cand *c,
    struct in_addr target)
{
	unsigned bit = target_bit(hash, target.s_addr);
	uint64_t m = UINT64_C(1) << (bit % 64);

	if (!(c->u.bits[bit / 64] & m)) {
		c->u.bits[bit / 64] |= m;
		c->n++;
	}
	return c->n >= s->hbits;
}

/* The number of distinct targets that set z bits on average. */
static uint32_t
targets_for(unsigned z)
{
	double miss = 1.0;
	uint32_t k = 0;

	while (HBITS * (1.0 - miss) + 0.5 < z && k < 100000) {
		miss *= 1.0 - 1.0 / HBITS;
		k++;
	}
	return k;
}

/*
 * A sweep's distinct targets: those before the start (estimated from
 * the candidate's map) and the exact ones since, less the estimated
 * number that are the same targets again (a scanner's retries, a second
 * pass).  Of the F exact targets, H fell on a bit set before the start:
 * all r revisits do, and a new target does with the map's fill p, so
 * H = r + (F - r) p.
 */
static uint32_t
sweep_count(const struct scanner *sc)
{
	double p = sc->pre_bits / (double)HBITS, r;
	uint32_t most = sc->on_pre < sc->pre_targets ? sc->on_pre :
	    sc->pre_targets;

	r = p >= 1.0 ? most : (sc->on_pre - sc->nset * p) / (1.0 - p);
	if (r < 0)
		r = 0;
	if (r > most)
		r = most;
	return sc->pre_targets + sc->nset - (uint32_t)(r + 0.5);
}

static void
scanner_init(struct scan *s, struct scanner *sc, const struct event *ev,
    const struct cand *c, uint64_t now)
{
	int64_t us = (int64_t)ev->time * 1000000 + ev->usec -
	    (int64_t)(now - c->start) * 1000;

	memset(sc, 0, sizeof(*sc));
	memset(map_of(s, sc), 0, sizeof(union scanmap));
	sc->used = 1;
	sc->src = ev->src.addr.s_addr;
	sc->target = ev->dst.addr.s_addr;
	sc->dir = (uint8_t)ev->dir;
	sc->proto = (uint8_t)ev->proto;
	sc->horizontal = c->horizontal;
	sc->port = c->horizontal ? ev->dst.port : 0;
	sc->any_target = c->horizontal;
	sc->mark = (ev->dir == DIR_IN ? s->cfg.action : s->cfg.action_out) ==
	    SCAN_ANNOTATE;
	/* The window's first event, from the time since it. */
	sc->first = (time_t)(us / 1000000);
	sc->first_usec = (uint32_t)(us % 1000000);
	sc->last = ev->time;
	sc->last_usec = ev->usec;
	sc->seen = sc->reported = now;
	sc->router = ev->router;
	sc->events = 1;
}

/* c reached the threshold with ev: the source is a scanner from now. */
static struct scanner *
confirm(struct scan *s, struct scanner *sc, struct cand *c,
    struct cand *other, const struct event *ev, uint64_t now,
    struct event *out, size_t *nout)
{
	if (sc->used) {
		s->stats.scanner_evictions++;
		summarize(s, sc, now, 1, &out[(*nout)++]);
	}
	scanner_init(s, sc, ev, c, now);
	if (!c->horizontal) {
		for (int i = 0; i < c->n; i++) {
			map_add(s, sc, c->u.ports[i]);
			sample_add(sc, c->u.ports[i]);
		}
		sc->count = c->n;
	} else {
		memcpy(sc->pre, c->u.bits, sizeof(sc->pre));
		sc->pre_bits = c->n;
		sc->pre_targets = targets_for(c->n);
		/* The target that confirmed it set its bit: on_pre is 1. */
		map_add(s, sc, ev->dst.addr.s_addr);
		sample_add(sc, ev->dst.addr.s_addr);
		sc->on_pre = 1;
		sc->count = sweep_count(sc);
	}
	c->used = other->used = 0;
	s->open++;
	if (due_of(s, sc) < s->next_due)
		s->next_due = due_of(s, sc);
	s->stats.scans++;
	describe(sc, EVENT_SCAN_START, ev->time, ev->usec, &out[(*nout)++]);
	return sc;
}

static void
scanner_add(struct scan *s, struct scanner *sc, const struct event *ev,
    uint64_t hash, uint64_t now)
{
	uint32_t v = sc->horizontal ? ev->dst.addr.s_addr : ev->dst.port;

	sc->events++;
	sc->last = ev->time;
	sc->last_usec = ev->usec;
	sc->seen = now;
	if (map_add(s, sc, v)) {
		sample_add(sc, v);
		if (!sc->horizontal) {
			sc->count++;
		} else {
			unsigned bit = target_bit(hash, v);
			sc->on_pre += (sc->pre[bit / 64] >> (bit % 64)) & 1;
			sc->count = sweep_count(sc);
		}
	}
	if (!sc->horizontal && ev->dst.addr.s_addr != sc->target)
		sc->any_target = 1;
	if (sc->horizontal && ev->dst.port != sc->port)
		sc->any_port = 1;
}

enum scan_verdict
scan_event(struct scan *s, struct event *ev, uint64_t now, struct event *out,
    size_t *nout)
{
	struct scanner *sc = NULL, *slot = NULL;
	struct cand *v, *h;
	uint64_t hash;
	int vhit, hhit;

	*nout = 0;
	ev->scan_mark = 0;
	if (!s->cfg.enabled || ev->kind != EVENT_CONNECTION || !tracked(s, ev))
		return SCAN_PASS;
	hash = source_hash(ev);
	/* No scanner open (the usual case): no lookup. */
	if (s->open > 0)
		sc = scanner_find(s, hash, ev->src.addr.s_addr,
		    (uint8_t)ev->dir, &slot);
	if (sc != NULL) {
		scanner_add(s, sc, ev, hash, now);
	} else {
		v = cand_get(s, hash, ev, ev->dst.addr.s_addr, 0, now);
		vhit = vertical_hit(s, v, ev->dst.port);
		h = cand_get(s, hash, ev, ev->dst.port, 1, now);
		hhit = horizontal_hit(s, hash, h, ev->dst.addr);
		if (!vhit && !hhit)
			return SCAN_PASS;
		if (slot == NULL)
			scanner_find(s, hash, ev->src.addr.s_addr,
			    (uint8_t)ev->dir, &slot);
		sc = vhit ? confirm(s, slot, v, h, ev, now, out, nout) :
		    confirm(s, slot, h, v, ev, now, out, nout);
	}
	if (sc->mark) {
		ev->scan_mark = 1;
		s->stats.annotated++;
		return SCAN_MARK;
	}
	sc->suppressed++;
	s->stats.suppressed++;
	return SCAN_SUPPRESS;
}

size_t
scan_expire(struct scan *s, uint64_t now, struct event *out, size_t max)
{
	uint64_t next = UINT64_MAX;
	size_t n = 0;

	if (s->open == 0 || now < s->next_due)
		return 0;
	for (size_t i = 0; i < s->nscan * WAYS; i++) {
		struct scanner *sc = &s->scan[i];
		if (!sc->used)
			continue;
		if (now >= sc->seen + (uint64_t)s->cfg.quiet * 1000 ||
		    (now >= sc->reported + (uint64_t)s->cfg.report * 1000 &&
		    sc->events > 0)) {
			if (n == max) {
				next = now;
				break;
			}
			summarize(s, sc, now, now >= sc->seen +
			    (uint64_t)s->cfg.quiet * 1000, &out[n++]);
			if (!sc->used)
				continue;
		} else if (now >= sc->reported + (uint64_t)s->cfg.report * 1000)
			sc->reported = now;     /* nothing new to report */
		if (due_of(s, sc) < next)
			next = due_of(s, sc);
	}
	s->next_due = next;
	return n;
}

size_t
scan_flush_all(struct scan *s, uint64_t now, struct event *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nscan * WAYS && n < max && s->open > 0; i++)
		if (s->scan[i].used)
			summarize(s, &s->scan[i], now, 1, &out[n++]);
	if (s->open == 0)
		s->next_due = UINT64_MAX;
	return n;
}

int
scan_timeout_ms(const struct scan *s, uint64_t now)
{
	if (s->open == 0 || s->next_due == UINT64_MAX)
		return -1;
	if (s->next_due <= now)
		return 0;
	return s->next_due - now > INT32_MAX ? INT32_MAX :
	    (int)(s->next_due - now);
}
