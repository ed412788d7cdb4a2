/*
 * pipeline.c - one datagram, top to bottom: the sequence of stages, each
 * called once, in the order of pipeline_datagram().  The stages own
 * their state (access.h, decode.h, parse.h, inform.h, unparsed.h,
 * waitq.h, filter.h, render.h, json.h, sink.h); this file only calls
 * them in turn and counts what each decided.  Nothing here allocates
 * after pipeline_new(): the spans of a datagram, the events of a string
 * and the line being written live in struct pipeline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "inform.h"
#include "log.h"
#include "loop.h"
#include "parse.h"
#include "pipeline.h"
#include "report.h"
#include "unparsed.h"
#include "waitq.h"

/* Events of one string parsed at a time. */
#define PARSE_BATCH 16

struct pipeline {
	struct pipeline_config cfg;
	struct waitq_lookups lookups;
	struct pipeline_stats stats;
	struct waitq *waitq;
	struct reporter *reporter;
	struct inform_table *informs;
	uint64_t now;
	time_t last_overflow_report;
	struct loop *loop;
	int timer;
	struct span spans[DECODE_MAX_STRINGS];
	struct event events[PARSE_BATCH];
	char line[RENDER_LINE_MAX];
};

/* JSON writes every name it knows: source, destination and router. */
static int
any_template_uses(const struct pipeline_config *cfg, char token)
{
	for (size_t i = 0; i < cfg->nrules; i++) {
		for (size_t j = 0; j < cfg->rules[i].noutputs; j++) {
			const struct output *o = &cfg->rules[i].outputs[j];
			if (o->json != NULL ? strchr("sdR", token) != NULL :
			    render_uses(o->tpl, token))
				return 1;
		}
	}
	return 0;
}

static int
any_filter_needs(const struct pipeline_config *cfg, int dest)
{
	if (dest ? filter_needs_dest_name(cfg->filter) :
	    filter_needs_source_name(cfg->filter))
		return 1;
	for (size_t i = 0; i < cfg->nrules; i++) {
		const struct filter *f = cfg->rules[i].filter;
		if (dest ? filter_needs_dest_name(f) : filter_needs_source_name(f))
			return 1;
	}
	return 0;
}

static void
lookups_needed(const struct pipeline_config *cfg, int *src, int *dst,
    int *router)
{
	*src = (cfg->names_source && any_template_uses(cfg, 's')) ||
	    any_filter_needs(cfg, 0);
	*dst = (cfg->names_dest && any_template_uses(cfg, 'd')) ||
	    any_filter_needs(cfg, 1);
	*router = cfg->names_router && any_template_uses(cfg, 'R');
}

int
pipeline_config_needs_dns(const struct pipeline_config *cfg)
{
	int s, d, r;

	lookups_needed(cfg, &s, &d, &r);
	return s || d || r;
}

static void
configure(struct pipeline *p, const struct pipeline_config *cfg)
{
	p->cfg = *cfg;
	memset(&p->lookups, 0, sizeof(p->lookups));
	p->lookups.resolver = cfg->resolver;
	p->lookups.wait_ms = cfg->dns_wait_ms;
	if (cfg->resolver != NULL)
		lookups_needed(cfg, &p->lookups.source, &p->lookups.dest,
		    &p->lookups.router);
	waitq_configure(p->waitq, &p->lookups);
}

struct pipeline *
pipeline_new(const struct pipeline_config *cfg)
{
	struct pipeline *p;

	if (cfg->nrules > PIPELINE_MAX_RULES)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->waitq = waitq_new();
	p->reporter = report_new();
	p->informs = inform_table_new();
	if (p->waitq == NULL || p->reporter == NULL || p->informs == NULL) {
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
}

void
pipeline_free(struct pipeline *p)
{
	if (p == NULL)
		return;
	waitq_free(p->waitq);
	report_free(p->reporter);
	inform_table_free(p->informs);
	free(p);
}

/* Seconds on the monotonic clock, for the intervals of reports and of the
 * inform window: a step of the wall clock must not stretch them. */
static time_t
mono_s(const struct pipeline *p)
{
	return (time_t)(p->now / 1000);
}

/*
 * rn: the names text templates print (--no-dns etc. applied); jn: every
 * name known, for JSON, which always has the addresses beside them.
 */
static void
write_outputs(struct pipeline *p, const struct rule *r, const struct event *ev,
    const struct render_names *rn, const struct render_names *jn)
{
	for (size_t i = 0; i < r->noutputs; i++) {
		const struct output *o = &r->outputs[i];
		size_t len = o->json != NULL ?
		    json_render_event(o->json, ev, jn, p->line, sizeof(p->line)) :
		    render_event(o->tpl, ev, rn, p->cfg.show_ports, p->line,
		    sizeof(p->line));
		sink_write(o->sink, o->priority, p->line, len);
	}
}

/* Filter by names, render and write: the end of an event's way. */
static void
emit(struct pipeline *p, const struct event *ev, uint64_t rules,
    const struct names *n)
{
	struct render_names rn = {
		p->cfg.names_source ? n->src : NULL,
		p->cfg.names_dest ? n->dst : NULL,
		n->router,
	};
	struct render_names jn = { n->src, n->dst, n->router };
	int written = 0;

	if ((p->lookups.source && n->src == NULL) ||
	    (p->lookups.dest && n->dst == NULL) ||
	    (p->lookups.router && n->router == NULL))
		p->stats.unresolved++;
	if (!filter_match_names(p->cfg.filter, n->src, n->dst)) {
		p->stats.filtered++;
		return;
	}
	for (size_t i = 0; i < p->cfg.nrules; i++) {
		const struct rule *r = &p->cfg.rules[i];
		if (!(rules & (UINT64_C(1) << i)))
			continue;
		if (!filter_match_names(r->filter, n->src, n->dst))
			continue;
		write_outputs(p, r, ev, &rn, &jn);
		written = 1;
		if (r->final)
			break;
	}
	if (written)
		p->stats.emitted++;
	else
		p->stats.filtered++;
}

/* A forwarded string in the format of the output: text or JSON. */
static size_t
render_forwarded(struct pipeline *p, const struct output *o,
    const struct event *from, const char *text, size_t len)
{
	if (o->json != NULL)
		return json_render_raw(o->json, from->time, from->usec,
		    &from->router, text, len, p->line, sizeof(p->line));
	return render_raw(from->time, &from->router, text, len, p->line,
	    sizeof(p->line));
}

/*
 * Every sink once, whatever the rules' filters say: a forwarded line has
 * no fields to filter on, and --unparsed=forward asked to see it.  It
 * takes the format (text or JSON) of the sink's first output.  from
 * carries the router and the time of the datagram.
 */
static void
emit_text(struct pipeline *p, const struct event *from, const char *text,
    size_t len)
{
	const struct sink *done[PIPELINE_MAX_RULES * RULE_MAX_OUTPUTS];
	size_t ndone = 0;

	for (size_t i = 0; i < p->cfg.nrules; i++) {
		for (size_t j = 0; j < p->cfg.rules[i].noutputs; j++) {
			const struct output *o = &p->cfg.rules[i].outputs[j];
			size_t k;
			for (k = 0; k < ndone && done[k] != o->sink; k++)
				;
			if (k < ndone)
				continue;
			done[ndone++] = o->sink;
			sink_write(o->sink, o->priority, p->line,
			    render_forwarded(p, o, from, text, len));
		}
	}
}

/* Write what the wait queue hands back, and count how it waited. */
static void
emit_item(struct pipeline *p, struct waitq_item *it, int count_wait)
{
	if (it->text != NULL) {
		emit_text(p, it->ev, it->text, it->text_len);
		p->stats.forwarded++;
		return;
	}
	if (it->waited_out && count_wait)
		p->stats.waited_out++;
	emit(p, it->ev, it->rules, &it->names);
}

/* The queue is full: its oldest item is written at once with the names
 * known by now, never dropped. */
static void
make_room(struct pipeline *p)
{
	struct waitq_item it;

	if (log_ratelimit(&p->last_overflow_report, 60))
		log_msg(LOG_WARNING, "%d events are waiting for DNS answers: "
		    "writing the oldest with addresses", WAITQ_SIZE);
	if (waitq_pop(p->waitq, p->now, WAITQ_ONE, &it))
		emit_item(p, &it, 1);
}

void
pipeline_release(struct pipeline *p, uint64_t now, int force)
{
	struct waitq_item it;

	p->now = now;
	report_tick(p->reporter, mono_s(p));
	while (waitq_pop(p->waitq, now, force ? WAITQ_ONE : WAITQ_READY, &it))
		emit_item(p, &it, !force);
}

int
pipeline_timeout_ms(const struct pipeline *p, uint64_t now)
{
	int reports = report_timeout_ms(p->reporter, now);
	int names = waitq_timeout_ms(p->waitq, now);

	if (names < 0)
		return reports;
	return reports >= 0 && reports < names ? reports : names;
}

/* The events' last stages: wait for names, or write at once. */
static void
resolve_or_wait(struct pipeline *p, const struct event *ev, uint64_t rules)
{
	struct names n;
	int rc;

	while ((rc = waitq_event(p->waitq, ev, rules, p->now, &n)) < 0)
		make_room(p);
	if (rc == 0)
		return;
	emit(p, ev, rules, &n);
	waitq_done(p->waitq, &n);
}

/* The rules whose address filters ev passes (bit i: rule i). */
static uint64_t
rules_for(const struct pipeline *p, const struct event *ev)
{
	uint64_t rules = 0;

	if (!filter_match_addresses(p->cfg.filter, ev))
		return 0;
	for (size_t i = 0; i < p->cfg.nrules; i++)
		if (filter_match_addresses(p->cfg.rules[i].filter, ev))
			rules |= UINT64_C(1) << i;
	return rules;
}

/*
 * One connection event, in the order of its stages.  charged: its cost
 * was taken already (an inform's events are charged whole).
 */
static void
event_in(struct pipeline *p, struct event *ev, int charged)
{
	uint64_t rules;

	p->stats.events++;
	/* The scan and repeat stages go here: they fold events into
	 * summaries before the rate limit, which charges only what is
	 * written. */
	if (!charged && p->cfg.access != NULL &&
	    !access_rate(p->cfg.access,
	    (const struct sockaddr *)&ev->router.addr, p->now))
		return;
	/* Before the filters: country and AS patterns need the geo data. */
	geo_event(p->cfg.geo, ev);
	if ((rules = rules_for(p, ev)) == 0) {
		p->stats.filtered++;
		return;
	}
	resolve_or_wait(p, ev, rules);
}

/* A string without a message, forwarded in the order it came. */
static void
forward(struct pipeline *p, const struct event *from, const char *text,
    size_t len, int charged)
{
	int rc;

	if (!charged && p->cfg.access != NULL &&
	    !access_rate_n(p->cfg.access,
	    (const struct sockaddr *)&from->router.addr, p->now,
	    unparsed_cost(len), 1, ACCESS_STRINGS))
		return;
	while ((rc = waitq_text(p->waitq, from, text, len)) < 0)
		make_room(p);
	if (rc == 0)
		return;
	emit_text(p, from, text, len);
	p->stats.forwarded++;
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
	    mono_s(p));
	if (p->cfg.unparsed_raw)
		forward(p, ctx, sp->text, sp->len, charged);
}

/* What the strings of a datagram cost the rate limit: one per event, and
 * what a forwarded string costs (unparsed.h). */
static void
cost_of(const struct pipeline *p, size_t nspans, uint64_t *cost,
    uint64_t *events)
{
	*cost = *events = 0;
	for (size_t i = 0; i < nspans; i++) {
		uint64_t n = parse_count(p->spans[i].text, p->spans[i].len);
		*events += n;
		if (n > 0)
			*cost += n;
		else if (p->cfg.unparsed_raw)
			*cost += unparsed_cost(p->spans[i].len);
	}
}

/* Count, and say, why a datagram yields nothing. */
static void
refused(struct pipeline *p, enum decode_status st, const struct trap *trap,
    const struct sockaddr *from, time_t when)
{
	char detail[64];

	if (st == DECODE_MALFORMED) {
		p->stats.malformed++;
		report(p->reporter, REPORT_MALFORMED, from, when, NULL);
		return;
	}
	p->stats.unsupported++;
	if (trap->version == 3) {
		report(p->reporter, REPORT_SNMPV3, from, when, NULL);
		return;
	}
	if (trap->pdu == 0)
		snprintf(detail, sizeof(detail), "unknown SNMP version");
	else
		snprintf(detail, sizeof(detail), "%s in SNMPv%s",
		    decode_pdu_name(trap->pdu), trap->version == 1 ? "1" : "2c");
	report(p->reporter, REPORT_PDU, from, when, detail);
}

/* Answer an accepted inform through the handle of its datagram. */
static void
acknowledge(struct pipeline *p, const struct trap *trap,
    const struct datagram *dg)
{
	if (inform_answer(trap, &dg->reply, dg->from, dg->fromlen) == 0)
		p->stats.responses++;
	else
		p->stats.response_errors++;
}

/*
 * An inform passes the rate limit whole or not at all, its answer with
 * it: answered, it is not sent again, so none of its lines may be
 * dropped; unanswered, it is sent again, so none may be written.  A
 * retransmission of one already written is answered and costs one.
 * Returns whether its strings are to be written (already charged).
 */
static int
inform_in(struct pipeline *p, const struct trap *trap,
    const struct datagram *dg, size_t nspans)
{
	uint64_t fp = inform_fingerprint(trap->varbinds, trap->varbinds_len);
	uint64_t cost = 1, events = 0;
	int repeat = inform_seen(p->informs, dg->from, trap->request_id, fp,
	    mono_s(p), 0);

	if (!repeat)
		cost_of(p, nspans, &cost, &events);
	if (p->cfg.access != NULL && !access_rate_n(p->cfg.access, dg->from,
	    p->now, cost > 0 ? cost : 1, events, ACCESS_EVENTS)) {
		/* Parsed and refused: counted as events over the limit. */
		p->stats.events += events;
		p->stats.informs_limited++;
		return 0;
	}
	p->stats.informs++;
	acknowledge(p, trap, dg);
	if (repeat) {
		p->stats.inform_repeats++;
		return 0;
	}
	inform_seen(p->informs, dg->from, trap->request_id, fp, mono_s(p), 1);
	return 1;
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
		refused(p, st, &trap, dg->from, mono_s(p));
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
pipeline_flush(struct pipeline *p)
{
	for (size_t i = 0; i < p->cfg.nrules; i++)
		for (size_t j = 0; j < p->cfg.rules[i].noutputs; j++)
			sink_flush(p->cfg.rules[i].outputs[j].sink);
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
	ms = pipeline_timeout_ms(p, now);
	loop_timer_at(p->loop, p->timer, ms < 0 ? 0 : now + (uint64_t)ms);
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
	return &p->stats;
}
