/*
 * state.c - the state database's receiving half: the tables it sums in
 * (state_int.h), filled by the pipeline's calls and copied into a batch
 * for the writer (state_writer.c) at each tick.
 *
 * The tables are open-addressed, keyed by keyhash (a sender chooses the
 * addresses), allocated once at start, at most half full:
 *   hosts: every inside host known (loaded from the file at start), kept
 *     for the process's life: at most inventory.max_hosts;
 *   agg: the hourly rows of the current hour (kept for the whole hour,
 *     so that a key seen again is not a new row) and of older hours not
 *     yet written; room for 2 * state.max_rows_per_hour + 1024.  When the
 *     hour changes the table is rebuilt with only what is left to write.
 * The current hour's new keys beyond state.max_rows_per_hour go to its
 * overflow rows (one per direction).  What finds no room is counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "log.h"
#include "state_int.h"
#include "statedb.h"

struct statedb {
	struct statedb_config cfg;
	struct state_writer *writer;
	struct statedb_stats *count;
	time_t created;
	int learning;
	struct state_host *hosts;
	size_t hosts_size, nhosts;      /* slots (a power of 2), used */
	struct state_agg *agg, *agg_spare;
	size_t agg_size, nagg;
	int64_t cur_hour;
	unsigned cur_rows;              /* rows the current hour has */
	struct state_hour hours[STATE_HOURS];
	struct state_rec *recs;
	size_t nrecs;
	uint64_t last_counter[STATS_MAX];
	int have_last;
	struct state_batch batch;       /* the writer's while it has it */
	time_t last_report;
	time_t minute;                  /* the notices' minute, and */
	unsigned notices, over;         /* notices in it, those over */
	uint64_t learned;               /* hosts learned while learning */
	uint64_t reported_dropped, unreported_errors, reported_hosts;
	char why[256];                  /* the writer's last error */
};

static size_t
pow2_above(size_t n)
{
	size_t p = 64;

	while (p < n)
		p <<= 1;
	return p;
}

static uint64_t
hash_u32(uint32_t a)
{
	return keyhash(&a, sizeof(a));
}

/* The slot of addr in the hosts table, used or the free one to take. */
static struct state_host *
host_slot(struct statedb *s, uint32_t addr)
{
	size_t mask = s->hosts_size - 1, i = hash_u32(addr) & mask;

	while (s->hosts[i].addr != 0 && s->hosts[i].addr != addr)
		i = (i + 1) & mask;
	return &s->hosts[i];
}

static void
load_host(void *arg, uint32_t addr, time_t first, time_t last,
    const char *name)
{
	struct statedb *s = arg;
	struct state_host *h;

	if (addr == 0 || s->nhosts >= s->cfg.max_hosts)
		return;
	h = host_slot(s, addr);
	if (h->addr == 0)
		s->nhosts++;
	h->addr = addr;
	h->first = first;
	h->last = last;
	if (name != NULL) {
		snprintf(h->name, sizeof(h->name), "%s", name);
		h->has_name = 1;
	}
}

static int
alloc_tables(struct statedb *s)
{
	s->hosts_size = pow2_above((size_t)s->cfg.max_hosts * 2);
	s->agg_size = pow2_above(((size_t)s->cfg.max_rows_per_hour * 2 +
	    1024) * 2);
	s->hosts = calloc(s->hosts_size, sizeof(*s->hosts));
	s->agg = calloc(s->agg_size, sizeof(*s->agg));
	s->agg_spare = calloc(s->agg_size, sizeof(*s->agg));
	s->recs = calloc(STATE_RECORDS, sizeof(*s->recs));
	s->batch.agg = calloc(s->agg_size / 2, sizeof(*s->batch.agg));
	s->batch.hosts = calloc(s->cfg.max_hosts, sizeof(*s->batch.hosts));
	s->batch.recs = calloc(STATE_RECORDS, sizeof(*s->batch.recs));
	for (size_t i = 0; i < STATE_HOURS; i++)
		s->hours[i].hour = -1;
	return s->hosts && s->agg && s->agg_spare && s->recs &&
	    s->batch.agg && s->batch.hosts && s->batch.recs ? 0 : -1;
}

static void
free_tables(struct statedb *s)
{
	free(s->hosts);
	free(s->agg);
	free(s->agg_spare);
	free(s->recs);
	free(s->batch.agg);
	free(s->batch.hosts);
	free(s->batch.recs);
	free(s);
}

struct statedb *
statedb_open(const struct statedb_config *cfg, const char *version,
    time_t now, struct statedb_stats *count, char *err, size_t errlen)
{
	struct statedb *s = calloc(1, sizeof(*s));
	char why[512];
	sqlite3 *db;

	if (s == NULL || (s->cfg = *cfg, alloc_tables(s)) < 0) {
		snprintf(err, errlen, "state database: out of memory");
		if (s != NULL)
			free_tables(s);
		return NULL;
	}
	if ((db = statedb_open_file(cfg->path, err, errlen)) == NULL) {
		free_tables(s);
		return NULL;
	}
	s->count = count;
	s->cur_hour = now - now % 3600;
	if (statedb_load(db, now, &s->created, s->cur_hour, &s->cur_rows,
	    load_host, s, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "state database %s: %s", cfg->path, why);
		sqlite3_close(db);
		free_tables(s);
		return NULL;
	}
	s->learning = now < s->created + (time_t)cfg->learn;
	if ((s->writer = state_writer_start(db, now, version,
	    cfg->retention_days, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "state database %s: %s", cfg->path, why);
		free_tables(s);
		return NULL;
	}
	return s;
}

void
statedb_seen(struct statedb *s, const struct event *ev)
{
	int64_t hour = (int64_t)ev->time - (int64_t)ev->time % 3600;
	struct state_hour *h = NULL;

	for (size_t i = 0; i < STATE_HOURS; i++) {
		if (s->hours[i].hour == hour) {
			h = &s->hours[i];
			break;
		}
		if (h == NULL && s->hours[i].hour < 0)
			h = &s->hours[i];
	}
	if (h == NULL) {
		s->count->dropped++;
		return;
	}
	h->hour = hour;
	if (ev->dir == DIR_IN)
		h->in++;
	else
		h->out++;
}

/* The hash of an hourly row's key. */
static uint64_t
agg_hash(int64_t hour, uint32_t in, uint32_t out, int32_t port, uint8_t dir,
    uint8_t proto, uint8_t overflow)
{
	uint8_t k[24];

	memcpy(k, &hour, 8);
	memcpy(k + 8, &in, 4);
	memcpy(k + 12, &out, 4);
	memcpy(k + 16, &port, 4);
	k[20] = dir;
	k[21] = proto;
	k[22] = overflow;
	k[23] = 0;
	return keyhash(k, sizeof(k));
}

static int
agg_same(const struct state_agg *a, const struct state_agg *key)
{
	return a->hour == key->hour && a->inside == key->inside &&
	    a->outside == key->outside && a->port == key->port &&
	    a->dir == key->dir && a->proto == key->proto &&
	    a->overflow == key->overflow;
}

/* The slot of key in table t (size a power of 2): used, or free. */
static struct state_agg *
agg_slot(struct state_agg *t, size_t size, const struct state_agg *key)
{
	size_t mask = size - 1, i = agg_hash(key->hour, key->inside,
	    key->outside, key->port, key->dir, key->proto, key->overflow) &
	    mask;

	while (t[i].used && !agg_same(&t[i], key))
		i = (i + 1) & mask;
	return &t[i];
}

/* A new hour: the table keeps only what is left to write. */
static void
new_hour(struct statedb *s, int64_t hour)
{
	struct state_agg *old = s->agg;

	memset(s->agg_spare, 0, s->agg_size * sizeof(*s->agg_spare));
	s->nagg = 0;
	for (size_t i = 0; i < s->agg_size; i++) {
		if (!old[i].used || old[i].events == 0)
			continue;
		*agg_slot(s->agg_spare, s->agg_size, &old[i]) = old[i];
		s->nagg++;
	}
	s->agg = s->agg_spare;
	s->agg_spare = old;
	s->cur_hour = hour;
	s->cur_rows = 0;
}

/* The hour an event at t counts in: the current one or a later one. */
static int64_t
hour_of(struct statedb *s, time_t t)
{
	int64_t h = (int64_t)t - (int64_t)t % 3600;

	if (h > s->cur_hour)
		new_hour(s, h);
	return s->cur_hour;
}

/* Take geo and name of the outside end e into a. */
static void
agg_describe(struct state_agg *a, const struct endpoint *e)
{
	if (e->geo.iso[0] != '\0')
		memcpy(a->iso, e->geo.iso, sizeof(a->iso));
	if (e->geo.asn != 0) {
		a->asn = e->geo.asn;
		memcpy(a->org, e->geo.org, sizeof(a->org));
	}
	if (e->has_name) {
		memcpy(a->name, e->name, sizeof(a->name));
		a->has_name = 1;
	}
}

/* Find or make the row of key; NULL (counted) when there is no room. */
static struct state_agg *
agg_row(struct statedb *s, struct state_agg *key, uint32_t n)
{
	struct state_agg *a = agg_slot(s->agg, s->agg_size, key);

	if (a->used)
		return a;
	if (!key->overflow && key->hour == s->cur_hour &&
	    s->cur_rows >= s->cfg.max_rows_per_hour) {
		s->count->overflow += n;
		key->inside = key->outside = 0;
		key->port = -1;
		key->proto = PROTO_UNKNOWN;
		key->overflow = 1;
		return agg_row(s, key, n);
	}
	if (s->nagg >= s->agg_size / 2) {
		s->count->dropped += n;
		return NULL;
	}
	*a = *key;
	a->used = 1;
	s->nagg++;
	if (!key->overflow)
		s->cur_rows++;
	return a;
}

/* n events of ev's key at time t. */
static void
agg_add(struct statedb *s, const struct event *ev, const struct inside *lan,
    time_t t, uint32_t n)
{
	const struct endpoint *out = ev->dir == DIR_IN ? &ev->src : &ev->dst;
	const struct endpoint *in = ev->dir == DIR_IN ? &ev->dst : &ev->src;
	struct state_agg key, *a;

	memset(&key, 0, sizeof(key));
	key.hour = hour_of(s, t);
	key.inside = in->addr.s_addr;
	key.outside = out->addr.s_addr;
	key.port = ev->dst.port_unknown ? -1 : ev->dst.port;
	key.dir = (uint8_t)ev->dir;
	key.proto = (uint8_t)ev->proto;
	if ((a = agg_row(s, &key, n)) == NULL)
		return;
	if (a->events == 0 || t < a->first)
		a->first = t;
	if (t > a->last)
		a->last = t;
	a->events += n;
	if (a->overflow)
		return;
	agg_describe(a, out);
	a->foreign = lan == NULL || !inside_contains(lan, out->addr);
}

/* A record to write; NULL (counted) when the ring is full. */
static struct state_rec *
record(struct statedb *s, enum state_rec_kind kind, const struct event *ev)
{
	struct state_rec *r;

	if (s->nrecs >= STATE_RECORDS) {
		s->count->dropped++;
		return NULL;
	}
	r = &s->recs[s->nrecs++];
	memset(r, 0, sizeof(*r));
	r->kind = (uint8_t)kind;
	r->dir = (uint8_t)ev->dir;
	r->proto = (uint8_t)ev->proto;
	r->src = ev->src.addr.s_addr;
	r->dst = ev->dst.addr.s_addr;
	r->port = ev->dst.port_unknown ? -1 : ev->dst.port;
	return r;
}

static void
rec_geo(struct state_rec *r, const struct endpoint *e)
{
	memcpy(r->iso, e->geo.iso, sizeof(r->iso));
	r->asn = e->geo.asn;
	memcpy(r->org, e->geo.org, sizeof(r->org));
	if (e->has_name) {
		memcpy(r->name, e->name, sizeof(r->name));
		r->has_name = 1;
	}
}

static void
scan_record(struct statedb *s, const struct event *ev)
{
	struct state_rec *r = record(s, REC_SCAN, ev);

	if (r == NULL)
		return;
	r->horizontal = ev->sum.horizontal;
	r->port = ev->sum.horizontal ? ev->dst.port : -1;
	r->at_least = ev->sum.at_least;
	r->final = ev->sum.final;
	r->first = ev->sum.first;
	r->last = ev->sum.last;
	r->count = ev->sum.count;
	/* A start's events are in its first summary. */
	if (ev->kind == EVENT_SCAN_SUMMARY) {
		r->events = ev->sum.events;
		r->suppressed = ev->sum.suppressed;
	}
	r->nsample = ev->sum.nsample;
	memcpy(r->sample, ev->sum.sample, sizeof(r->sample));
	rec_geo(r, &ev->src);
}

/*
 * The inside end of ev, n events at t: known, new or back after
 * forget_days.  Returns 1 when the host is new.
 */
static int
host_add(struct statedb *s, const struct event *ev, time_t t, uint32_t n)
{
	const struct endpoint *e = ev->dir == DIR_IN ? &ev->dst : &ev->src;
	struct state_host *h = host_slot(s, e->addr.s_addr);
	int fresh = 0;

	if (h->addr == 0) {
		if (s->nhosts >= s->cfg.max_hosts) {
			s->count->hosts_dropped++;
			return 0;
		}
		s->nhosts++;
		h->addr = e->addr.s_addr;
		h->first = h->last = t;
		fresh = 1;
	} else if (t - h->last > (time_t)s->cfg.forget_days * 86400) {
		h->first = t;
		h->renew = 1;
		h->in = h->out = 0;
		fresh = 1;
	}
	if (t > h->last)
		h->last = t;
	if (ev->dir == DIR_IN)
		h->in += n;
	else
		h->out += n;
	if (e->has_name) {
		memcpy(h->name, e->name, sizeof(h->name));
		h->has_name = 1;
	}
	h->dirty = 1;
	return fresh;
}

/* The notices' minute: the line about those over the bound. */
static void
notice_minute(struct statedb *s, time_t now, int force)
{
	if (now - s->minute < 60 && !force)
		return;
	if (s->over > 0)
		log_msg(LOG_NOTICE, "inventory: %u more new hosts in the last "
		    "minute than inventory.notices_per_minute (%u) were not "
		    "written: they are in the state database's new_hosts",
		    s->over, s->cfg.notices_per_minute);
	s->minute = now;
	s->notices = s->over = 0;
}

/* Whether the new host of ev gets a notice. */
static int
notice_due(struct statedb *s, const struct event *ev, time_t t)
{
	if (s->learning) {
		s->learned++;
		return 0;
	}
	if (ev->dir == DIR_IN)
		return 0;
	notice_minute(s, t, 0);
	if (s->notices >= s->cfg.notices_per_minute) {
		s->over++;
		return 0;
	}
	s->notices++;
	return 1;
}

/* The notice: the first connection, as an event of its own. */
static void
make_notice(const struct event *ev, time_t t, struct event *made)
{
	*made = *ev;
	made->kind = EVENT_NEW_HOST;
	made->scan_mark = 0;
	memset(&made->sum, 0, sizeof(made->sum));
	made->sum.first = made->sum.last = t;
	made->sum.count = made->sum.events = 1;
}

/* A new host: its record, and whether it gets a notice. */
static int
new_host(struct statedb *s, const struct event *ev, time_t t,
    struct event *made)
{
	const struct endpoint *in = ev->dir == DIR_IN ? &ev->dst : &ev->src;
	const struct endpoint *out = ev->dir == DIR_IN ? &ev->src : &ev->dst;
	struct state_rec *r;

	int notice = made != NULL && notice_due(s, ev, t);

	s->count->new_hosts++;
	if (notice)
		make_notice(ev, t, made);
	if ((r = record(s, REC_NEW_HOST, ev)) == NULL)
		return notice;
	r->src = in->addr.s_addr;
	r->dst = out->addr.s_addr;
	r->first = r->last = t;
	r->written = (uint8_t)notice;
	if (in->has_name) {
		memcpy(r->name, in->name, sizeof(r->name));
		r->has_name = 1;
	}
	memcpy(r->iso, out->geo.iso, sizeof(r->iso));
	r->asn = out->geo.asn;
	return notice;
}

/* n events of ev at t: its row, and its inside host if it is one;
 * returns whether *made is a notice. */
static int
count(struct statedb *s, const struct event *ev, const struct inside *lan,
    time_t t, uint32_t n, struct event *made)
{
	const struct endpoint *e = ev->dir == DIR_IN ? &ev->dst : &ev->src;

	agg_add(s, ev, lan, t, n);
	if (e->addr.s_addr != 0 && lan != NULL && inside_contains(lan,
	    e->addr) && host_add(s, ev, t, n))
		return new_host(s, ev, t, made);
	return 0;
}

int
statedb_event(struct statedb *s, const struct event *ev,
    const struct inside *lan, struct event *made)
{
	struct state_rec *r;

	switch (ev->kind) {
	case EVENT_CONNECTION:
		return count(s, ev, lan, ev->time, 1, made);
	case EVENT_REPEAT:
		/* The repeat's folded events, at its last occurrence. */
		if (ev->sum.suppressed > 0)
			(void)count(s, ev, lan, ev->sum.last,
			    ev->sum.suppressed, NULL);
		if ((r = record(s, REC_REPEAT, ev)) != NULL) {
			r->first = ev->sum.first;
			r->last = ev->sum.last;
			r->count = ev->sum.count;
		}
		break;
	case EVENT_SCAN_START:
	case EVENT_SCAN_SUMMARY:
		scan_record(s, ev);
		break;
	default:
		break;
	}
	return 0;
}

/* What changed since the last hand-over, into the batch. */
static void
fill_agg(struct statedb *s, struct state_batch *b)
{
	b->nagg = 0;
	for (size_t i = 0; i < s->agg_size; i++) {
		struct state_agg *a = &s->agg[i];
		if (!a->used || a->events == 0)
			continue;
		b->agg[b->nagg++] = *a;
		a->events = 0;
	}
	b->nhours = 0;
	for (size_t i = 0; i < STATE_HOURS; i++) {
		if (s->hours[i].hour < 0)
			continue;
		b->hours[b->nhours++] = s->hours[i];
		s->hours[i] = (struct state_hour){ -1, 0, 0 };
	}
}

static void
fill_hosts(struct statedb *s, struct state_batch *b)
{
	b->nhosts = 0;
	for (size_t i = 0; i < s->hosts_size; i++) {
		struct state_host *h = &s->hosts[i];
		if (h->addr == 0 || !h->dirty)
			continue;
		b->hosts[b->nhosts++] = *h;
		h->dirty = h->renew = 0;
		h->in = h->out = 0;
	}
	memcpy(b->recs, s->recs, s->nrecs * sizeof(*s->recs));
	b->nrecs = s->nrecs;
	s->nrecs = 0;
}

/* The growth of each counter since the last hand-over. */
static void
fill_counters(struct statedb *s, struct state_batch *b,
    const struct stats *st)
{
	b->ncounters = 0;
	for (size_t i = 0; st != NULL && i < st->n && i < STATS_MAX; i++) {
		uint64_t v = *st->rows[i].value;
		if (v <= s->last_counter[i])
			continue;
		b->counters[b->ncounters].name = st->rows[i].name;
		b->counters[b->ncounters++].delta = v - s->last_counter[i];
		s->last_counter[i] = v;
	}
}

/* The end of the learning period, said once. */
static void
learning_over(struct statedb *s, time_t now)
{
	if (!s->learning || now < s->created + (time_t)s->cfg.learn)
		return;
	s->learning = 0;
	log_msg(LOG_NOTICE, "inventory: the learning period is over: %llu "
	    "hosts learned without a notice; new hosts are reported from now "
	    "on", (unsigned long long)s->learned);
}

unsigned
statedb_tick(struct statedb *s, const struct stats *st, time_t now,
    int force, unsigned timeout_ms)
{
	(void)hour_of(s, now);
	learning_over(s, now);
	notice_minute(s, now, force);
	if (force)
		(void)state_writer_wait(s->writer, timeout_ms);
	if (!state_writer_idle(s->writer))
		return s->cfg.flush * 1000;
	s->batch.now = now;
	fill_agg(s, &s->batch);
	fill_hosts(s, &s->batch);
	fill_counters(s, &s->batch, st);
	state_writer_give(s->writer, &s->batch);
	s->count->flushes++;
	if (force)
		(void)state_writer_wait(s->writer, timeout_ms);
	return s->cfg.flush * 1000;
}

void
statedb_report(struct statedb *s, time_t now)
{
	uint64_t errors;

	/* Counted at each tick, said at most once a minute. */
	errors = state_writer_errors(s->writer, s->why, sizeof(s->why));
	s->count->errors += errors;
	s->unreported_errors += errors;
	if (now - s->last_report < 60)
		return;
	s->last_report = now;
	if (s->unreported_errors > 0) {
		log_msg(LOG_WARNING, "state database %s: %s (%llu failed "
		    "commits); summing in memory and retrying", s->cfg.path,
		    s->why, (unsigned long long)s->unreported_errors);
		s->unreported_errors = 0;
	}
	if (s->count->dropped > s->reported_dropped) {
		log_msg(LOG_WARNING, "state database %s: %llu events not kept "
		    "(state_dropped): the tables in memory are full while "
		    "the database is not written", s->cfg.path,
		    (unsigned long long)(s->count->dropped -
		    s->reported_dropped));
		s->reported_dropped = s->count->dropped;
	}
	if (s->count->hosts_dropped > s->reported_hosts) {
		log_msg(LOG_WARNING, "inventory: %llu events of new inside "
		    "hosts not kept (inventory_dropped): it holds "
		    "inventory.max_hosts (%u) hosts", (unsigned long long)
		    (s->count->hosts_dropped - s->reported_hosts),
		    s->cfg.max_hosts);
		s->reported_hosts = s->count->hosts_dropped;
	}
}

void
statedb_close(struct statedb *s, const struct stats *st, time_t now,
    unsigned timeout_ms)
{
	if (s == NULL)
		return;
	(void)statedb_tick(s, st, now, 1, timeout_ms);
	/* What was not said yet, said at the stop. */
	s->last_report = 0;
	statedb_report(s, now);
	state_writer_stop(s->writer, now, timeout_ms);
	free_tables(s);
}
