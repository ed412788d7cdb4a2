/*
 * repeat.c - the table of open windows and the ring of their order.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "repeat.h"

static void skip_stale(struct repeat *);
static int close_head(struct repeat *, uint64_t, struct event *);

#define WAYS 8

struct entry {
	uint32_t src, dst;
	uint16_t port;
	uint8_t used, dir, proto;
	uint32_t gen;                   /* this use of the slot, for the ring */
	uint32_t suppressed;
	uint64_t opened, seen;          /* ms */
	time_t first, last;
	uint32_t first_usec, last_usec;
	socklen_t router_len;
	struct sockaddr_in6 router;     /* an IPv4 or IPv6 sender */
};

struct ring_item {
	uint32_t slot, gen;
};

struct repeat {
	struct repeat_config cfg;
	size_t nbuckets;
	struct entry *e;
	struct ring_item *ring;         /* 2 items per entry: room for stale */
	size_t ring_size, head, count;
	struct repeat_stats stats;
};

size_t
repeat_memory(const struct repeat_config *cfg)
{
	size_t n = keyhash_buckets(cfg->max_entries, WAYS) * WAYS;

	return n * (sizeof(struct entry) + 2 * sizeof(struct ring_item));
}

static void
free_tables(struct repeat *r)
{
	free(r->e);
	free(r->ring);
	r->e = NULL;
	r->ring = NULL;
	r->nbuckets = r->ring_size = r->head = r->count = 0;
}

int
repeat_configure(struct repeat *r, const struct repeat_config *cfg)
{
	size_t nb = keyhash_buckets(cfg->max_entries, WAYS);

	r->cfg = *cfg;
	if (cfg->window == 0) {
		free_tables(r);
		return 0;
	}
	if (r->e != NULL && nb == r->nbuckets)
		return 0;
	free_tables(r);
	r->e = calloc(nb * WAYS, sizeof(*r->e));
	r->ring = calloc(2 * nb * WAYS, sizeof(*r->ring));
	if (r->e == NULL || r->ring == NULL) {
		free_tables(r);
		r->cfg.window = 0;
		return -1;
	}
	r->nbuckets = nb;
	r->ring_size = 2 * nb * WAYS;
	return 0;
}

struct repeat *
repeat_new(const struct repeat_config *cfg)
{
	struct repeat *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if (repeat_configure(r, cfg) < 0) {
		free(r);
		return NULL;
	}
	return r;
}

void
repeat_free(struct repeat *r)
{
	if (r == NULL)
		return;
	free_tables(r);
	free(r);
}

const struct repeat_stats *
repeat_stats(const struct repeat *r)
{
	return &r->stats;
}

/* Close e: its repeat event to out if it suppressed any.  Returns 1 if
 * an event was made. */
static int
close_entry(struct repeat *r, struct entry *e, uint64_t now,
    struct event *out)
{
	e->used = 0;
	e->gen++;
	if (e->suppressed == 0)
		return 0;
	event_made(out, EVENT_REPEAT, e->dir, e->proto, e->src, e->dst);
	out->dst.port = e->port;
	memcpy(&out->router.addr, &e->router, e->router_len);
	out->router.len = e->router_len;
	event_time_at(e->last, e->last_usec, e->seen, now, &out->time,
	    &out->usec);
	out->sum.count = e->suppressed + 1;
	out->sum.suppressed = e->suppressed;
	out->sum.events = e->suppressed;
	event_span(&out->sum, e->first, e->first_usec, e->last, e->last_usec);
	out->sum.final = 1;
	r->stats.repeats++;
	return 1;
}

static struct entry *
slot_of(struct repeat *r, const struct event *ev, int *found)
{
	uint32_t k[4] = { ev->src.addr.s_addr, ev->dst.addr.s_addr,
	    (uint32_t)ev->dst.port, (uint32_t)ev->dir << 8 | ev->proto };
	struct entry *b = &r->e[(keyhash(k, sizeof(k)) & (r->nbuckets - 1)) *
	    WAYS], *free_slot = NULL, *oldest = b;

	*found = 0;
	for (int i = 0; i < WAYS; i++) {
		struct entry *e = &b[i];
		if (!e->used) {
			if (free_slot == NULL)
				free_slot = e;
			continue;
		}
		if (e->src == k[0] && e->dst == k[1] && e->port == k[2] &&
		    e->dir == ev->dir && e->proto == ev->proto) {
			*found = 1;
			return e;
		}
		if (e->opened < oldest->opened)
			oldest = e;
	}
	return free_slot != NULL ? free_slot : oldest;
}

static void
open_entry(struct repeat *r, struct entry *e, const struct event *ev,
    uint64_t now, struct event *out, size_t *nout)
{
	socklen_t len = ev->router.len < sizeof(e->router) ? ev->router.len :
	    sizeof(e->router);

	/* A ring full of items (live and stale): the oldest closes now.
	 * It cannot be e, whose slot is free. */
	skip_stale(r);
	if (r->count == r->ring_size) {
		r->stats.evictions++;
		*nout += (size_t)close_head(r, now, out);
	}
	e->used = 1;
	e->src = ev->src.addr.s_addr;
	e->dst = ev->dst.addr.s_addr;
	e->port = ev->dst.port;
	e->dir = (uint8_t)ev->dir;
	e->proto = (uint8_t)ev->proto;
	e->suppressed = 0;
	e->opened = e->seen = now;
	e->first = e->last = ev->time;
	e->first_usec = e->last_usec = ev->usec;
	memcpy(&e->router, &ev->router.addr, len);
	e->router_len = len;
	r->ring[(r->head + r->count++) % r->ring_size] =
	    (struct ring_item){ (uint32_t)(e - r->e), e->gen };
}

enum repeat_verdict
repeat_event(struct repeat *r, const struct event *ev, uint64_t now,
    struct event *out, size_t *nout)
{
	struct entry *e;
	int found;

	*nout = 0;
	if (r->cfg.window == 0 || ev->kind != EVENT_CONNECTION)
		return REPEAT_PASS;
	e = slot_of(r, ev, &found);
	if (found && now - e->opened < (uint64_t)r->cfg.window * 1000) {
		e->suppressed++;
		e->seen = now;
		e->last = ev->time;
		e->last_usec = ev->usec;
		r->stats.suppressed++;
		return REPEAT_SUPPRESS;
	}
	if (e->used) {
		/* Its window is over (not yet expired), or a full bucket. */
		if (!found)
			r->stats.evictions++;
		*nout += (size_t)close_entry(r, e, now, out);
	}
	open_entry(r, e, ev, now, out + *nout, nout);
	return REPEAT_PASS;
}

void
repeat_unwritten(struct repeat *r, const struct event *ev)
{
	struct entry *e;
	int found;

	if (r->cfg.window == 0 || ev->kind != EVENT_CONNECTION)
		return;
	e = slot_of(r, ev, &found);
	if (!found || e->suppressed > 0)
		return;
	/* Opened by ev itself, nothing folded into it yet: its ring item
	 * is the last one, taken back (a stale one would take a place in
	 * the ring until it reached the head). */
	if (r->count > 0) {
		struct ring_item *it = &r->ring[(r->head + r->count - 1) %
		    r->ring_size];
		if (it->slot == (uint32_t)(e - r->e) && it->gen == e->gen)
			r->count--;
	}
	e->used = 0;
	e->gen++;
}

/* Drop stale items at the head of the ring: the next is live. */
static void
skip_stale(struct repeat *r)
{
	while (r->count > 0) {
		struct ring_item it = r->ring[r->head];
		if (r->e[it.slot].used && r->e[it.slot].gen == it.gen)
			return;
		r->head = (r->head + 1) % r->ring_size;
		r->count--;
	}
}

/* Close the entry of the head of the ring (live: after skip_stale). */
static int
close_head(struct repeat *r, uint64_t now, struct event *out)
{
	struct entry *e = &r->e[r->ring[r->head].slot];

	r->head = (r->head + 1) % r->ring_size;
	r->count--;
	return close_entry(r, e, now, out);
}

size_t
repeat_expire(struct repeat *r, uint64_t now, struct event *out, size_t max)
{
	size_t n = 0;

	for (skip_stale(r); r->count > 0 && n < max; skip_stale(r)) {
		struct entry *e = &r->e[r->ring[r->head].slot];
		if (now - e->opened < (uint64_t)r->cfg.window * 1000)
			break;
		n += (size_t)close_head(r, now, &out[n]);
	}
	return n;
}

size_t
repeat_flush_all(struct repeat *r, uint64_t now, struct event *out,
    size_t max)
{
	size_t n = 0;

	for (skip_stale(r); r->count > 0 && n < max; skip_stale(r))
		n += (size_t)close_head(r, now, &out[n]);
	return n;
}

int
repeat_timeout_ms(struct repeat *r, uint64_t now)
{
	uint64_t due;

	skip_stale(r);
	if (r->count == 0)
		return -1;
	due = r->e[r->ring[r->head].slot].opened +
	    (uint64_t)r->cfg.window * 1000;
	if (due <= now)
		return 0;
	return due - now > INT32_MAX ? INT32_MAX : (int)(due - now);
}
