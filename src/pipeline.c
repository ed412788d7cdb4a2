/*
 * pipeline.c - the per-datagram path and the queue of events waiting for
 * names.  Nothing here allocates after pipeline_new(): the queue is a ring
 * of fixed size and the line is rendered into one static buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "log.h"
#include "parse.h"
#include "pipeline.h"

/* Events that may wait for names at once; beyond it the oldest is written
 * at once with addresses, never dropped. */
#define QUEUE_SIZE 32768

struct queued {
	struct event ev;
	uint64_t deadline;
	uint64_t rules;         /* rules whose address filters matched */
};

struct pipeline {
	struct pipeline_config cfg;
	/* Which names a lookup may be started for. */
	int lookup_source, lookup_dest, lookup_router;
	struct pipeline_stats stats;
	struct queued *queue;
	size_t head, count;
	/* Per-datagram context for the decode and parse callbacks. */
	struct event proto;
	uint64_t now;
	time_t last_overflow_report;
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
	if ((p->queue = calloc(QUEUE_SIZE, sizeof(*p->queue))) == NULL) {
		free(p);
		return NULL;
	}
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
	free(p->queue);
	free(p);
}

/* The name of one endpoint for filters; NULL if none is known. */
static const char *
endpoint_name(struct pipeline *p, const struct endpoint *ep, int lookup,
    int start, char *buf, enum resolve_result *res)
{
	struct sockaddr_in sin;

	*res = RESOLVE_NAME;
	if (ep->has_name)
		return ep->name;
	*res = RESOLVE_NONE;
	if (!lookup)
		return NULL;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = ep->addr;
	*res = resolve_lookup(p->cfg.resolver, (struct sockaddr *)&sin, p->now,
	    start, buf);
	return *res == RESOLVE_NAME ? buf : NULL;
}

struct names {
	const char *src, *dst, *router;
	char src_buf[HOST_NAME_LEN + 1], dst_buf[HOST_NAME_LEN + 1];
	char router_buf[HOST_NAME_LEN + 1];
};

/* Look the names of ev up; returns whether any is still pending. */
static int
names_of(struct pipeline *p, const struct event *ev, int start,
    struct names *n)
{
	enum resolve_result rs, rd, rr = RESOLVE_NONE;

	n->src = endpoint_name(p, &ev->src, p->lookup_source, start,
	    n->src_buf, &rs);
	n->dst = endpoint_name(p, &ev->dst, p->lookup_dest, start,
	    n->dst_buf, &rd);
	n->router = NULL;
	if (p->lookup_router) {
		rr = resolve_lookup(p->cfg.resolver,
		    (const struct sockaddr *)&ev->router.addr, p->now, start,
		    n->router_buf);
		if (rr == RESOLVE_NAME)
			n->router = n->router_buf;
	}
	return rs == RESOLVE_PENDING || rd == RESOLVE_PENDING ||
	    rr == RESOLVE_PENDING;
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

static struct queued *
queue_at(struct pipeline *p, size_t i)
{
	return &p->queue[(p->head + i) % QUEUE_SIZE];
}

static void
release_head(struct pipeline *p)
{
	struct queued *q = queue_at(p, 0);
	struct names n;

	names_of(p, &q->ev, 0, &n);
	emit(p, &q->ev, q->rules, &n);
	p->head = (p->head + 1) % QUEUE_SIZE;
	if (--p->count == 0)
		p->head = 0;    /* reuse the same, warm, slots */
}

void
pipeline_release(struct pipeline *p, uint64_t now, int force)
{
	struct names n;

	p->now = now;
	while (p->count > 0) {
		struct queued *q = queue_at(p, 0);
		if (!force && names_of(p, &q->ev, 0, &n)) {
			if (now < q->deadline)
				break;
			p->stats.waited_out++;
		}
		release_head(p);
	}
}

int
pipeline_timeout_ms(const struct pipeline *p, uint64_t now)
{
	const struct queued *q;

	if (p->count == 0)
		return -1;
	q = &p->queue[p->head];
	return q->deadline > now ? (int)(q->deadline - now) : 0;
}

static void
on_event(void *arg, struct event *ev)
{
	struct pipeline *p = arg;
	uint64_t rules = 0;
	struct names n;
	struct queued *q;

	p->stats.events++;
	if (p->cfg.access != NULL && !access_rate(p->cfg.access,
	    (const struct sockaddr *)&ev->router.addr, ev->time))
		return;
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
	if (!names_of(p, ev, 1, &n) && p->count == 0) {
		emit(p, ev, rules, &n);
		return;
	}
	if (p->count == QUEUE_SIZE) {
		if (log_ratelimit(&p->last_overflow_report, 60))
			log_msg(LOG_WARNING, "%d events are waiting for DNS "
			    "answers: writing the oldest with addresses",
			    QUEUE_SIZE);
		p->stats.waited_out++;
		release_head(p);
	}
	q = queue_at(p, p->count++);
	q->ev = *ev;
	q->rules = rules;
	q->deadline = p->now + p->cfg.dns_wait_ms;
}

static size_t
render_forwarded(struct pipeline *p, const struct output *o, const char *text,
    size_t len)
{
	if (o->json != NULL)
		return json_render_raw(o->json, p->proto.time, p->proto.usec,
		    &p->proto.router, text, len, p->line, sizeof(p->line));
	return render_raw(p->proto.time, &p->proto.router, text, len,
	    p->line, sizeof(p->line));
}

static void
write_raw(struct pipeline *p, const char *text, size_t len)
{
	const struct sink *done[PIPELINE_MAX_RULES * RULE_MAX_OUTPUTS];
	size_t ndone = 0;

	/* Every sink once, whatever the rules' filters say: a forwarded line
	 * has no fields to filter on, and --unparsed=forward asked to see it.
	 * It takes the format (text or JSON) of the sink's first output. */
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
			    render_forwarded(p, o, text, len));
		}
	}
}

static void
on_string(void *arg, const char *text, size_t len)
{
	struct pipeline *p = arg;

	/* The parser fills the message's fields into the datagram's event
	 * (router, time): no copy per string. */
	if (parse_messages(text, len, &p->proto, on_event, p) > 0)
		return;
	p->stats.unparsed++;
	if (p->cfg.unparsed_raw)
		write_raw(p, text, len);
}

static int
accept_trap(void *arg, const struct trap *trap)
{
	struct pipeline *p = arg;

	return access_community(p->cfg.access,
	    (const struct sockaddr *)&p->proto.router.addr, trap->community,
	    trap->community_len, p->proto.time);
}

void
pipeline_datagram(struct pipeline *p, const unsigned char *buf, size_t len,
    const struct sockaddr *from, socklen_t fromlen, const struct timeval *when,
    uint64_t now)
{
	struct trap trap;

	p->stats.datagrams++;
	if (p->cfg.access != NULL &&
	    !access_sender(p->cfg.access, from, when->tv_sec)) {
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
	switch (decode_trap(buf, len, &trap,
	    p->cfg.access ? accept_trap : NULL, on_string, p)) {
	case DECODE_OK:
		p->stats.decoded++;
		break;
	case DECODE_MALFORMED:
		p->stats.malformed++;
		break;
	case DECODE_UNSUPPORTED:
		p->stats.unsupported++;
		break;
	case DECODE_REJECTED:
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
