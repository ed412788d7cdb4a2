/*
 * emit.c - the end of an event's way: the name filters, then every
 * output of every rule it matched, rendered as text or JSON.
 */
#include <string.h>

#include "emit.h"

/* JSON writes every name it knows: source, destination and router. */
static int
any_template_uses(const struct emit_config *cfg, char token)
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
any_filter_needs(const struct emit_config *cfg, int dest)
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

void
emit_lookups(const struct emit_config *cfg, int *src, int *dst,
    int *router)
{
	*src = (cfg->names_source && any_template_uses(cfg, 's')) ||
	    any_filter_needs(cfg, 0);
	*dst = (cfg->names_dest && any_template_uses(cfg, 'd')) ||
	    any_filter_needs(cfg, 1);
	*router = cfg->names_router && any_template_uses(cfg, 'R');
}

/*
 * rn: the names text templates print (--no-dns etc. applied); jn: every
 * name known, for JSON, which always has the addresses beside them.
 */
static void
write_outputs(const struct emit_config *c, const struct rule *r,
    const struct event *ev, const struct render_names *rn,
    const struct render_names *jn, char *line, size_t size)
{
	int made = ev->kind == EVENT_SCAN_START ||
	    ev->kind == EVENT_SCAN_SUMMARY ? OUTPUT_SCAN :
	    ev->kind == EVENT_REPEAT ? OUTPUT_REPEAT :
	    ev->kind == EVENT_NEW_HOST ? OUTPUT_NEW_HOST : -1;

	for (size_t i = 0; i < r->noutputs; i++) {
		const struct output *o = &r->outputs[i];
		const struct template *t = made >= 0 &&
		    o->made_tpl[made] != NULL ? o->made_tpl[made] : o->tpl;
		int prio = made >= 0 && o->made_priority[made] != 0 ?
		    o->made_priority[made] : o->priority;
		size_t len = o->json != NULL ?
		    json_render_event(o->json, ev, jn, line, size) :
		    render_event(t, ev, rn, c->show_ports, line, size);
		sink_write(o->sink, prio, line, len);
	}
}

int
emit_event(const struct emit_config *c, const struct event *ev,
    uint64_t rules, const char *src, const char *dst, const char *router,
    char *line, size_t size)
{
	struct render_names rn = {
		c->names_source ? src : NULL,
		c->names_dest ? dst : NULL,
		router,
	};
	struct render_names jn = { src, dst, router };
	int written = 0;

	if (!filter_match_names(c->filter, src, dst))
		return 0;
	for (size_t i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];
		if (!(rules & (UINT64_C(1) << i)))
			continue;
		if (!filter_match_names(r->filter, src, dst))
			continue;
		write_outputs(c, r, ev, &rn, &jn, line, size);
		written = 1;
		if (r->final)
			break;
	}
	return written;
}

/* A forwarded string in the format of the output: text or JSON. */
static size_t
render_forwarded(const struct output *o, const struct event *from,
    const char *text, size_t len, char *line, size_t size)
{
	if (o->json != NULL)
		return json_render_raw(o->json, from->time, from->usec,
		    &from->router, text, len, line, size);
	return render_raw(from->time, &from->router, text, len, line, size);
}

/*
 * Every sink once, whatever the rules' filters say: a forwarded line has
 * no fields to filter on, and --unparsed=forward asked to see it.  It
 * takes the format (text or JSON) of the sink's first output.  from
 * carries the router and the time of the datagram.
 */
void
emit_forwarded(const struct emit_config *c, const struct event *from,
    const char *text, size_t len, char *line, size_t size)
{
	const struct sink *done[EMIT_MAX_RULES * RULE_MAX_OUTPUTS];
	size_t ndone = 0;

	for (size_t i = 0; i < c->nrules; i++) {
		for (size_t j = 0; j < c->rules[i].noutputs; j++) {
			const struct output *o = &c->rules[i].outputs[j];
			size_t k;
			for (k = 0; k < ndone && done[k] != o->sink; k++)
				;
			if (k < ndone)
				continue;
			done[ndone++] = o->sink;
			sink_write(o->sink, o->priority, line,
			    render_forwarded(o, from, text, len, line, size));
		}
	}
}

void
emit_flush(const struct emit_config *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		for (size_t j = 0; j < c->rules[i].noutputs; j++)
			sink_flush(c->rules[i].outputs[j].sink);
}

int
emit_needs_names(const struct emit_config *c)
{
	int s, d, r;

	emit_lookups(c, &s, &d, &r);
	return s || d || r;
}
