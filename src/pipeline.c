/*
 * pipeline.c - one datagram, top to bottom: the sequence of stages, each
 * called once, in the order of pipeline_datagram().  The stages own
 * their state (access.h, decode.h, parse.h, inform.h, unparsed.h,
 * fold.h, geo.h, state.h, deliver.h); this file only calls them in
 * turn and counts what each decided.  Nothing here allocates after
 * pipeline_new(): the spans of a datagram and the events of a string
 * live in struct pipeline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "deliver.h"
#include "emit.h"
#include "fold.h"
#include "inform.h"
#include "log.h"
#include "loop.h"
#include "parse.h"
#include "pipeline.h"
#include "report.h"
#include "state.h"
#include "unparsed.h"

/* Events of one string parsed at a time. */
#define PARSE_BATCH 16

static void made_due(struct pipeline *, int);

struct pipeline {
	struct pipeline_config cfg;
	struct pipeline_stats stats;
	uint64_t filtered;              /* by the address filters */
	struct deliver *deliver;
	struct reporter *reporter;
	struct inform_table *informs;
	uint64_t now;
	struct loop *loop;
	int timer;
	struct span spans[DECODE_MAX_STRINGS];
	struct event events[PARSE_BATCH];
	struct fold *fold;
	struct statedb *state;          /* NULL: no state database */
	struct event notice;            /* a new host's, from the state */
};

static void
configure(struct pipeline *p, const struct pipeline_config *cfg)
{
	p->cfg = *cfg;
	deliver_configure(p->deliver, &p->cfg.out, cfg->resolver,
	    cfg->dns_wait_ms);
}

struct pipeline *
pipeline_new(const struct pipeline_config *cfg)
{
	struct pipeline *p;

	if (cfg->out.nrules > PIPELINE_MAX_RULES)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->deliver = deliver_new();
	p->reporter = report_new();
	p->informs = inform_table_new();
	p->fold = fold_new(&cfg->scan, &cfg->repeat);
	if (p->deliver == NULL || p->reporter == NULL || p->informs == NULL ||
	    p->fold == NULL) {
		pipeline_free(p);
		return NULL;
	}
	configure(p, cfg);
	return p;
}

void
pipeline_reconfigure(struct pipeline *p, const struct pipeline_config *cfg)
{
	pipeline_release(p, p->now, 1);
	pipeline_flush(p);
	configure(p, cfg);
	fold_configure(p->fold, &cfg->scan, &cfg->repeat);
}

void
pipeline_free(struct pipeline *p)
{
	if (p == NULL)
		return;
	deliver_free(p->deliver);
	report_free(p->reporter);
	inform_table_free(p->informs);
	fold_free(p->fold);
	free(p);
}

void
pipeline_release(struct pipeline *p, uint64_t now, int force)
{
	p->now = now;
	report_tick(p->reporter, (time_t)(p->now / 1000));
	made_due(p, force);
	deliver_release(p->deliver, now, force);
}

/* The rules whose address filters ev passes (bit i: rule i). */
static uint64_t
rules_for(const struct pipeline *p, const struct event *ev)
{
	uint64_t rules = 0;

	if (!filter_match_addresses(p->cfg.out.filter, ev))
		return 0;
	for (size_t i = 0; i < p->cfg.out.nrules; i++)
		if (filter_match_addresses(p->cfg.out.rules[i].filter, ev))
			rules |= UINT64_C(1) << i;
	return rules;
}

/*
 * An event the scan or repeat stage made, from geo on.  It is charged
 * to its router's budget like a line, but written even when that is
 * used up: it stands for events that were not written (a repeat's, a
 * scan summary's), and its loss would lose their account.  A scan's
 * start stands for none (its summary follows): over the limit it is not
 * written, or a flood of 15-port scans got two lines in 15 past it.
 */
static void
made_in(struct pipeline *p, struct event *ev)
{
	uint64_t rules;
	int over = p->cfg.access != NULL && !access_rate_n(p->cfg.access,
	    (const struct sockaddr *)&ev->router.addr, p->now, 1, 0,
	    ACCESS_EVENTS);

	geo_event(p->cfg.geo, ev);
	if (p->state != NULL)
		(void)statedb_event(p->state, ev, p->cfg.scan.inside, NULL);
	if (over && ev->kind == EVENT_SCAN_START)
		return;
	if ((rules = rules_for(p, ev)) != 0)
		deliver_event(p->deliver, ev, rules, p->now);
}

/* What the fold stage makes as time passes (everything, with force: a
 * stop, a reload). */
static void
made_due(struct pipeline *p, int force)
{
	struct event *made;
	size_t n;

	while ((n = fold_due(p->fold, p->now, force, &made)) > 0)
		for (size_t i = 0; i < n; i++)
			made_in(p, &made[i]);
}

/*
 * One connection event, in the order of its stages.  charged: its cost
 * was taken already (an inform's events are charged whole).
 */
static void
event_in(struct pipeline *p, struct event *ev, int charged)
{
	struct event *made;
	uint64_t rules;
	size_t n;
	int folded;

	p->stats.events++;
	if (p->state != NULL)
		statedb_seen(p->state, ev);
	/* Scan and repeat stages: they fold events into summaries before
	 * the rate limit, which charges only what is written; what they
	 * make is written before ev. */
	folded = fold_event(p->fold, ev, p->now, &made, &n);
	for (size_t i = 0; i < n; i++)
		made_in(p, &made[i]);
	if (folded)
		return;
	if (!charged && p->cfg.access != NULL &&
	    !access_rate(p->cfg.access,
	    (const struct sockaddr *)&ev->router.addr, p->now)) {
		fold_unwritten(p->fold, ev);
		return;
	}
	/* Before the filters: country and AS patterns need the geo data. */
	geo_event(p->cfg.geo, ev);
	/* The inventory keeps what is seen, written or filtered; a new
	 * host's notice is written before its first connection. */
	if (p->state != NULL && statedb_event(p->state, ev,
	    p->cfg.scan.inside, &p->notice))
		made_in(p, &p->notice);
	if ((rules = rules_for(p, ev)) == 0) {
		p->filtered++;
		return;
	}
	deliver_event(p->deliver, ev, rules, p->now);
}

/* A string without a message, forwarded in the order it came. */
static void
forward(struct pipeline *p, const struct event *from, const char *text,
    size_t len, int charged)
{
	if (!charged && p->cfg.access != NULL &&
	    !access_rate_n(p->cfg.access,
	    (const struct sockaddr *)&from->router.addr, p->now,
	    unparsed_cost(len), 1, ACCESS_STRINGS))
		return;
	deliver_text(p->deliver, from, text, len, p->now);
}

/* The events of one string, PARSE_BATCH at a time; or the string itself
 * when it holds none. */
static void
string_in(struct pipeline *p, const struct event *ctx, const struct span *sp,
    int charged)
{
	size_t off = 0, n, found = 0;

	do {
		n = parse_events(sp->text, sp->len, &off, p->events,
		    PARSE_BATCH);
		for (size_t i = 0; i < n; i++) {
			struct event *ev = &p->events[i];
			ev->router = ctx->router;
			ev->has_agent = ctx->has_agent;
			ev->agent = ctx->agent;
			ev->time = ctx->time;
			ev->usec = ctx->usec;
			event_in(p, ev, charged);
		}
		found += n;
	} while (n == PARSE_BATCH);
	if (found > 0)
		return;
	unparsed_string(&p->stats.strings, p->reporter, p->cfg.unparsed_raw,
	    sp->text, sp->len, (const struct sockaddr *)&ctx->router.addr,
	    (time_t)(p->now / 1000));
	if (p->cfg.unparsed_raw)
		forward(p, ctx, sp->text, sp->len, charged);
}

/*
 * The inform's bookkeeping is inform.c's; what its lines cost is counted
 * here, only when a rate limit needs it and it repeats no inform written.
 * Returns whether its strings are to be written (already charged).
 */
static int
inform_in(struct pipeline *p, const struct trap *trap,
    const struct datagram *dg, size_t nspans)
{
	uint64_t cost = 1, events = 0;

	if (p->cfg.access != NULL && access_rate_limited(p->cfg.access) &&
	    !inform_repeats(p->informs, trap, dg->from, p->now))
		inform_cost(p->spans, nspans, p->cfg.unparsed_raw, &cost,
		    &events);
	switch (inform_admit(p->informs, p->cfg.access, trap, dg, cost,
	    events, p->now, &p->stats.inform)) {
	case INFORM_NEW:
		return 1;
	case INFORM_LIMITED:
		/* Parsed and refused: its events are over the limit. */
		p->stats.events += events;
		return 0;
	default:
		return 0;
	}
}

/* The fields every event of the datagram shares. */
static void
context_of(struct event *ctx, const struct datagram *dg,
    const struct trap *trap)
{
	socklen_t len = dg->fromlen;

	if (len > sizeof(ctx->router.addr))
		len = sizeof(ctx->router.addr);
	memcpy(&ctx->router.addr, dg->from, len);
	ctx->router.len = len;
	ctx->time = dg->when.tv_sec;
	ctx->usec = (uint32_t)dg->when.tv_usec;
	ctx->has_agent = (uint8_t)trap->has_agent;
	memcpy(&ctx->agent, trap->agent, 4);
}

void
pipeline_datagram(struct pipeline *p, const struct datagram *dg,
    uint64_t now)
{
	struct access *ac = p->cfg.access;
	enum decode_status st;
	struct trap trap;
	struct event ctx;
	size_t nspans;
	int charged = 0;

	p->now = now;
	if (ac != NULL && !access_sender(ac, dg->from, now))
		return;
	st = decode_trap(dg->buf, dg->len, &trap, p->spans, DECODE_MAX_STRINGS,
	    &nspans);
	if (st != DECODE_OK) {
		if (st == DECODE_MALFORMED)
			p->stats.malformed++;
		else
			p->stats.unsupported++;
		report_unusable(p->reporter, st, &trap, dg->from,
		    (time_t)(now / 1000));
		return;
	}
	if (ac != NULL && !access_community(ac, dg->from, trap.community,
	    trap.community_len, now))
		return;
	p->stats.decoded++;
	context_of(&ctx, dg, &trap);
	if (trap.inform && !(charged = inform_in(p, &trap, dg, nspans)))
		return;
	for (size_t i = 0; i < nspans; i++)
		string_in(p, &ctx, &p->spans[i], charged);
}

void
pipeline_set_state(struct pipeline *p, struct statedb *s)
{
	p->state = s;
}

void
pipeline_flush(struct pipeline *p)
{
	deliver_flush(p->deliver);
}

static void
on_timer(void *arg, uint64_t now)
{
	pipeline_release(arg, now, 0);
}

/* Before each sleep: write what is ready, flush every sink, and set the
 * timer for the oldest event's wait or the next report. */
static void
end_of_round(void *arg, uint64_t now)
{
	struct pipeline *p = arg;
	int ms;

	pipeline_release(p, now, 0);
	pipeline_flush(p);
	ms = loop_sooner(deliver_timeout_ms(p->deliver, now),
	    loop_sooner(report_timeout_ms(p->reporter, now),
	    fold_timeout_ms(p->fold, now)));
	loop_timer_in(p->loop, p->timer, now, ms);
}

int
pipeline_attach(struct pipeline *p, struct loop *l)
{
	p->loop = l;
	p->timer = loop_timer_new(l, on_timer, p);
	if (p->timer < 0 || loop_hook_add(l, end_of_round, p) < 0)
		return -1;
	return 0;
}

const struct pipeline_stats *
pipeline_stats(const struct pipeline *p)
{
	struct pipeline_stats *st = (struct pipeline_stats *)&p->stats;

	const struct deliver_stats *ds = deliver_stats(p->deliver);

	/* The stages own their counters; copied in when asked. */
	st->scan = *fold_scan_stats(p->fold);
	st->repeat = *fold_repeat_stats(p->fold);
	st->emitted = ds->emitted;
	st->filtered = p->filtered + ds->filtered;
	st->forwarded = ds->forwarded;
	st->unresolved = ds->unresolved;
	st->waited_out = ds->waited_out;
	return st;
}
