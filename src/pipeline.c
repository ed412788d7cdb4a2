/*
 * pipeline.c - the per-datagram path and the queue of events waiting for
 * names.  Nothing here allocates after pipeline_new(): the queue is a ring
 * of fixed size, the text of unparsed strings waiting in it another, and
 * the line is rendered into one static buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "inform.h"
#include "log.h"
#include "parse.h"
#include "pipeline.h"
#include "report.h"

/* Bytes of an unparsed "@in "/"@out " string shown in its warning. */
#define WARN_TEXT 300

/* Events that may wait for names at once; beyond it the oldest is written
 * at once with addresses, never dropped. */
#define QUEUE_SIZE 32768
/* Text of unparsed strings (--unparsed=raw) waiting behind events: more
 * than a datagram can carry, so one always fits once the queue is out. */
#define RAW_RING (1u << 20)

enum { NAME_SRC, NAME_DST, NAME_ROUTER, NAMES };

struct queued {
	struct event ev;        /* a raw one: only router and time are set */
	uint64_t deadline;
	uint64_t rules;         /* rules whose address filters matched */
	resolve_ticket tickets[NAMES];  /* holds on the answers it needs */
	uint8_t raw;            /* an unparsed string, written as raw */
	uint32_t raw_off, raw_len, raw_skip;    /* its text in raw_ring */
};

struct pipeline {
	struct pipeline_config cfg;
	/* Which names a lookup may be started for. */
	int lookup_source, lookup_dest, lookup_router;
	struct pipeline_stats stats;
	struct queued *queue;
	size_t head, count;
	char *raw_ring;
	size_t raw_end, raw_used;
	/* Per-datagram context for the decode and parse callbacks. */
	struct event proto;
	int repeat;             /* an inform already written: no events */
	int charged;            /* its events passed the rate limit at once */
	int limited;            /* an inform over the rate limit: no answer */
	const unsigned char *dgram;     /* the datagram being decoded */
	size_t dgram_len;
	uint64_t now;
	time_t last_overflow_report;
	struct reporter *reporter;
	struct inform_table *informs;
	struct receiver *rx;    /* answers informs; NULL: no answers */
	char line[RENDER_LINE_MAX];
	unsigned char reply[RECEIVE_DATAGRAM_MAX + 64];
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
	p->lookup_source = p->lookup_dest = p->lookup_router = 0;
	if (cfg->resolver != NULL)
		lookups_needed(cfg, &p->lookup_source, &p->lookup_dest,
		    &p->lookup_router);
}

struct pipeline *
pipeline_new(const struct pipeline_config *cfg)
{
	struct pipeline *p;

	if (cfg->nrules > PIPELINE_MAX_RULES)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	configure(p, cfg);
	p->queue = calloc(QUEUE_SIZE, sizeof(*p->queue));
	p->raw_ring = malloc(RAW_RING);
	p->reporter = report_new();
	p->informs = inform_table_new();
	if (p->queue == NULL || p->raw_ring == NULL || p->reporter == NULL ||
	    p->informs == NULL) {
		pipeline_free(p);
		return NULL;
	}
	return p;
}

void
pipeline_set_receiver(struct pipeline *p, struct receiver *rx)
{
	p->rx = rx;
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
	free(p->queue);
	free(p->raw_ring);
	report_free(p->reporter);
	inform_table_free(p->informs);
	free(p);
}

struct names {
	const char *src, *dst, *router;
	enum resolve_result res[NAMES];
	resolve_ticket tickets[NAMES];
	char buf[NAMES][HOST_NAME_LEN + 1];
};

/* The address whose name k of ev is looked up; NULL if none is. */
static const struct sockaddr *
name_addr(const struct pipeline *p, const struct event *ev, int k,
    struct sockaddr_in *sin)
{
	const struct endpoint *ep = k == NAME_SRC ? &ev->src : &ev->dst;
	int lookup = k == NAME_SRC ? p->lookup_source : p->lookup_dest;

	if (k == NAME_ROUTER)
		return p->lookup_router ?
		    (const struct sockaddr *)&ev->router.addr : NULL;
	if (!lookup || ep->has_name)
		return NULL;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = ep->addr;
	return (const struct sockaddr *)sin;
}

/*
 * The names of ev: carried in the message, or looked up (start: a miss
 * starts a query; else through the tickets of a queued event).  Returns
 * whether any is still pending.
 */
static int
names_of(struct pipeline *p, const struct event *ev, int start,
    struct names *n)
{
	const struct endpoint *eps[2] = { &ev->src, &ev->dst };
	const char **out[NAMES] = { &n->src, &n->dst, &n->router };
	struct sockaddr_in sin;
	int pending = 0;

	for (int k = 0; k < NAMES; k++) {
		const struct sockaddr *sa = name_addr(p, ev, k, &sin);
		*out[k] = NULL;
		n->res[k] = RESOLVE_NONE;
		if (k != NAME_ROUTER && eps[k]->has_name)
			*out[k] = eps[k]->name;
		if (sa == NULL)
			continue;
		if (start)
			n->res[k] = resolve_lookup(p->cfg.resolver, sa, p->now,
			    n->buf[k], &n->tickets[k]);
		else
			n->res[k] = resolve_answer(p->cfg.resolver,
			    n->tickets[k], sa, p->now, n->buf[k]);
		if (n->res[k] == RESOLVE_NAME)
			*out[k] = n->buf[k];
		pending |= n->res[k] == RESOLVE_PENDING;
	}
	return pending;
}

/* Hold the known answers of an event that is going to wait, so that
 * the cache cannot lose them meanwhile. */
static void
hold_names(struct pipeline *p, const struct event *ev, struct names *n)
{
	struct sockaddr_in sin;

	for (int k = 0; k < NAMES; k++) {
		const struct sockaddr *sa = name_addr(p, ev, k, &sin);
		if (sa != NULL && n->tickets[k] == 0 &&
		    n->res[k] != RESOLVE_PENDING)
			n->tickets[k] = resolve_hold(p->cfg.resolver, sa,
			    n->res[k], n->buf[k]);
	}
}

static void
release_names(struct pipeline *p, const resolve_ticket *tickets)
{
	for (int k = 0; k < NAMES; k++)
		if (tickets[k] != 0)
			resolve_release(p->cfg.resolver, tickets[k]);
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

	if ((p->lookup_source && n->src == NULL) ||
	    (p->lookup_dest && n->dst == NULL) ||
	    (p->lookup_router && n->router == NULL))
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
	if (!written)
		p->stats.filtered++;
}

/* Seconds on the monotonic clock, for the intervals of reports and of the
 * inform window: a step of the wall clock must not stretch them. */
static time_t
mono_s(const struct pipeline *p)
{
	return (time_t)(p->now / 1000);
}

static struct queued *
queue_at(struct pipeline *p, size_t i)
{
	return &p->queue[(p->head + i) % QUEUE_SIZE];
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
write_raw(struct pipeline *p, const struct event *from, const char *text,
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

/*
 * Write the oldest queued event.  Returns whether it was still waiting for
 * a name (written with addresses).
 */
static int
release_head(struct pipeline *p)
{
	struct queued *q = queue_at(p, 0);
	struct names n;
	int pending = 0;

	if (q->raw) {
		write_raw(p, &q->ev, p->raw_ring + q->raw_off, q->raw_len);
		p->raw_used -= q->raw_skip + q->raw_len;
	} else {
		memcpy(n.tickets, q->tickets, sizeof(n.tickets));
		pending = names_of(p, &q->ev, 0, &n);
		emit(p, &q->ev, q->rules, &n);
		release_names(p, q->tickets);
	}
	p->head = (p->head + 1) % QUEUE_SIZE;
	if (--p->count == 0) {
		p->head = 0;    /* reuse the same, warm, slots */
		p->raw_end = p->raw_used = 0;
	}
	return pending;
}

/* Whether the oldest queued event still waits for a name. */
static int
head_waits(struct pipeline *p)
{
	struct queued *q = queue_at(p, 0);
	struct names n;

	if (q->raw)
		return 0;
	memcpy(n.tickets, q->tickets, sizeof(n.tickets));
	return names_of(p, &q->ev, 0, &n);
}

void
pipeline_release(struct pipeline *p, uint64_t now, int force)
{
	p->now = now;
	report_tick(p->reporter, mono_s(p));
	while (p->count > 0) {
		struct queued *q = queue_at(p, 0);
		if (!force && head_waits(p) && now < q->deadline)
			break;
		/* Written with addresses after its whole wait: counted. */
		if (release_head(p) && !force)
			p->stats.waited_out++;
	}
}

int
pipeline_timeout_ms(const struct pipeline *p, uint64_t now)
{
	const struct queued *q;
	int reports = report_timeout_ms(p->reporter, now), names;

	if (p->count == 0)
		return reports;
	q = &p->queue[p->head];
	names = q->deadline > now ? (int)(q->deadline - now) : 0;
	return reports >= 0 && reports < names ? reports : names;
}

/* A free slot at the end of the queue; when the queue is full the oldest
 * event is written at once with addresses, never dropped. */
static struct queued *
queue_push(struct pipeline *p)
{
	struct queued *q;

	if (p->count == QUEUE_SIZE) {
		if (log_ratelimit(&p->last_overflow_report, 60))
			log_msg(LOG_WARNING, "%d events are waiting for DNS "
			    "answers: writing the oldest with addresses",
			    QUEUE_SIZE);
		if (release_head(p))
			p->stats.waited_out++;
	}
	q = queue_at(p, p->count++);
	memset(q->tickets, 0, sizeof(q->tickets));
	q->raw = 0;
	q->deadline = p->now + p->cfg.dns_wait_ms;
	return q;
}

static void
on_event(void *arg, struct event *ev)
{
	struct pipeline *p = arg;
	uint64_t rules = 0;
	struct names n;
	struct queued *q;

	p->stats.events++;
	if (p->cfg.access != NULL && !p->charged && !access_rate(p->cfg.access,
	    (const struct sockaddr *)&ev->router.addr, p->now))
		return;
	/* Before the filters: country and AS patterns need the geo data. */
	geo_event(p->cfg.geo, ev);
	if (!filter_match_addresses(p->cfg.filter, ev)) {
		p->stats.filtered++;
		return;
	}
	for (size_t i = 0; i < p->cfg.nrules; i++)
		if (filter_match_addresses(p->cfg.rules[i].filter, ev))
			rules |= UINT64_C(1) << i;
	if (rules == 0) {
		p->stats.filtered++;
		return;
	}
	/* Start the lookups now; write at once if nothing waits. */
	memset(n.tickets, 0, sizeof(n.tickets));
	if (!names_of(p, ev, 1, &n) && p->count == 0) {
		emit(p, ev, rules, &n);
		release_names(p, n.tickets);
		return;
	}
	hold_names(p, ev, &n);
	q = queue_push(p);
	q->ev = *ev;
	q->rules = rules;
	memcpy(q->tickets, n.tickets, sizeof(q->tickets));
}

/* Where len bytes of raw text would go after what the ring holds; -1 if
 * they do not fit yet. */
static int
raw_fits(const struct pipeline *p, size_t len, size_t *off, size_t *skip)
{
	*off = p->raw_end;
	*skip = 0;
	if (*off + len > RAW_RING) {
		*skip = RAW_RING - *off;
		*off = 0;
	}
	return p->raw_used + *skip + len <= RAW_RING ? 0 : -1;
}

/*
 * An unparsed string goes in the queue like an event, so that it is
 * written after the events that arrived before it.  Its text goes in the
 * raw ring; while that is full the queue is written out from its oldest
 * event (counted as waited out when one loses its names to it).
 */
static void
queue_raw(struct pipeline *p, const char *text, size_t len)
{
	struct queued *q;
	size_t off, skip;

	while (p->count > 0 && raw_fits(p, len, &off, &skip) < 0)
		if (release_head(p))
			p->stats.waited_out++;
	if (p->count == 0 || len > RAW_RING) {
		write_raw(p, &p->proto, text, len);
		return;
	}
	memcpy(p->raw_ring + off, text, len);
	p->raw_end = off + len;
	p->raw_used += skip + len;
	q = queue_push(p);
	q->raw = 1;
	q->raw_off = (uint32_t)off;
	q->raw_len = (uint32_t)len;
	q->raw_skip = (uint32_t)skip;
	q->ev.router = p->proto.router;
	q->ev.time = p->proto.time;
	q->ev.usec = p->proto.usec;
}

/*
 * Whether a string that held no message is text at all (a router's log
 * line, a system event) rather than a BITS or binary value: no NUL before
 * the terminators firmwares end text with, and at least half of it
 * printable ASCII or white space.
 */
static int
looks_like_text(const char *s, size_t len)
{
	size_t printable = 0;

	while (len > 0 && (s[len - 1] == '\0' || s[len - 1] == '\r' ||
	    s[len - 1] == '\n'))
		len--;
	if (len == 0 || memchr(s, '\0', len) != NULL)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' ||
		    c == '\n')
			printable++;
	}
	return printable * 2 >= len;
}

/* "@in "/"@out " text that did not parse: never lost without a word. */
static void
warn_unparsed(struct pipeline *p, const char *text, size_t len)
{
	char detail[4 * WARN_TEXT + 8];
	size_t n;

	detail[0] = '"';
	n = 1 + render_escape(text, len < WARN_TEXT ? len : WARN_TEXT,
	    detail + 1, sizeof(detail) - 6);
	strcpy(detail + n, len > WARN_TEXT ? "\"..." : "\"");
	report(p->reporter, REPORT_UNPARSED,
	    (const struct sockaddr *)&p->proto.router.addr, mono_s(p), detail);
}

static void
on_string(void *arg, const char *text, size_t len)
{
	struct pipeline *p = arg;

	if (p->repeat)
		return;
	/* The parser fills the message's fields into the datagram's event
	 * (router, time): no copy per string. */
	if (parse_messages(text, len, &p->proto, on_event, p) > 0)
		return;
	/* --unparsed=forward shows every string, text or not; the counters
	 * tell text without a message from binary values.  A string that
	 * begins like a message is a broken one, whatever follows. */
	if (!parse_is_message_start(text, len) && !looks_like_text(text, len))
		p->stats.binary_strings++;
	else
		p->stats.unparsed++;
	if (parse_is_message_start(text, len)) {
		p->stats.unparsed_messages++;
		if (!p->cfg.unparsed_raw)
			warn_unparsed(p, text, len);
	}
	if (p->cfg.unparsed_raw)
		queue_raw(p, text, len);
}

static void
count_event(void *arg, struct event *ev)
{
	(void)ev;
	(*(uint64_t *)arg)++;
}

struct counting {
	uint64_t n;
	struct event ev;
};

static void
count_string(void *arg, const char *text, size_t len)
{
	struct counting *c = arg;

	parse_messages(text, len, &c->ev, count_event, &c->n);
}

/*
 * An inform passes the rate limit whole or not at all, its answer with
 * it: answered, it is not sent again, so none of its events may be
 * dropped; unanswered, it is sent again, so none may be written.  It
 * costs its events, at least one (a retransmission too): a sender cannot
 * have more answers than --rate-limit allows, whatever it sends.
 */
static int
inform_within_rate(struct pipeline *p, const struct sockaddr *from)
{
	struct counting c;
	struct trap t;

	c.n = 0;
	memset(&c.ev, 0, sizeof(c.ev));
	decode_trap(p->dgram, p->dgram_len, &t, NULL, count_string, &c);
	if (!access_rate_n(p->cfg.access, from, p->now, c.n > 0 ? c.n : 1)) {
		p->limited = 1;
		return 0;
	}
	p->charged = 1;
	return 1;
}

/* The header passed: check the community, note what the trap claims. */
static int
accept_trap(void *arg, const struct trap *trap)
{
	struct pipeline *p = arg;
	const struct sockaddr *from =
	    (const struct sockaddr *)&p->proto.router.addr;

	if (p->cfg.access != NULL && !access_community(p->cfg.access, from,
	    trap->community, trap->community_len, p->now))
		return 0;
	if (trap->inform && p->cfg.access != NULL &&
	    access_rate_limited(p->cfg.access) && !inform_within_rate(p, from))
		return 0;
	p->proto.has_agent = (uint8_t)trap->has_agent;
	memcpy(&p->proto.agent, trap->agent, 4);
	if (trap->inform)
		p->repeat = inform_seen(p->informs, from, trap->request_id,
		    inform_fingerprint(trap->varbinds, trap->varbinds_len),
		    mono_s(p));
	return 1;
}

/* The Response to an accepted inform, from the socket it came in on. */
static void
acknowledge(struct pipeline *p, const struct trap *trap,
    const struct sockaddr *from, socklen_t fromlen)
{
	size_t n;

	p->stats.informs++;
	if (p->repeat)
		p->stats.inform_repeats++;
	if (p->rx == NULL)
		return;
	n = decode_inform_response(trap, p->reply, sizeof(p->reply));
	if (n > 0 && receive_reply(p->rx, p->reply, n, from, fromlen) == 0)
		p->stats.responses++;
	else
		p->stats.response_errors++;
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

void
pipeline_datagram(struct pipeline *p, const unsigned char *buf, size_t len,
    const struct sockaddr *from, socklen_t fromlen, const struct timeval *when,
    uint64_t now)
{
	enum decode_status st;
	struct trap trap;

	p->stats.datagrams++;
	if (p->cfg.access != NULL &&
	    !access_sender(p->cfg.access, from, now)) {
		p->stats.rejected++;
		return;
	}
	p->now = now;
	if (fromlen > sizeof(p->proto.router.addr))
		fromlen = sizeof(p->proto.router.addr);
	memcpy(&p->proto.router.addr, from, fromlen);
	p->proto.router.len = fromlen;
	p->proto.time = when->tv_sec;
	p->proto.usec = (uint32_t)when->tv_usec;
	p->repeat = p->charged = p->limited = 0;
	p->dgram = buf;
	p->dgram_len = len;
	/* Never answer an inform the access checks refuse (REJECTED). */
	switch ((st = decode_trap(buf, len, &trap, accept_trap, on_string, p))) {
	case DECODE_OK:
		p->stats.decoded++;
		if (trap.inform)
			acknowledge(p, &trap, from, fromlen);
		break;
	case DECODE_MALFORMED:
	case DECODE_UNSUPPORTED:
		refused(p, st, &trap, from, mono_s(p));
		break;
	case DECODE_REJECTED:
		/* An inform over the rate limit is counted there. */
		if (!p->limited)
			p->stats.rejected++;
		break;
	}
}

void
pipeline_flush(struct pipeline *p)
{
	for (size_t i = 0; i < p->cfg.nrules; i++)
		for (size_t j = 0; j < p->cfg.rules[i].noutputs; j++)
			sink_flush(p->cfg.rules[i].outputs[j].sink);
}

const struct pipeline_stats *
pipeline_stats(const struct pipeline *p)
{
	return &p->stats;
}
