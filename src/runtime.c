/*
 * runtime.c - turn options into templates, filters, sinks and rules; a
 * rule's unset outputs come from the top level (settings_effective_rule).
 * Each template is compiled once per load (runtime_build), then the
 * outputs are opened with them (runtime_open).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "render.h"
#include "runtime.h"
#include "settings.h"

#define MAX_FILES (OPTIONS_MAX_RULES + 1)

/* What a rule's outputs write with, compiled once per load. */
struct compiled {
	struct template *tpl, *syslog_tpl;
	const struct json_format *json, *syslog_json;
};

struct runtime {
	struct filter *filter;
	struct compiled compiled[OPTIONS_MAX_RULES];
	struct rule rules[OPTIONS_MAX_RULES];
	size_t nrules;
	struct template *tpls[2 * (OPTIONS_MAX_RULES + 1) + 4];
	size_t ntpls;
	/* Scan and repeat events' templates: [made][syslog]. */
	struct template *made[OUTPUT_MADE][2];
	struct json_format json[2 * (OPTIONS_MAX_RULES + 1)];
	size_t njson;
	struct sink *files[MAX_FILES];
	size_t nfiles;
};

static size_t
nrules_of(const struct options *o)
{
	return o->nrules ? o->nrules : 1;
}

/* Rule i as it applies: its own settings, or the top level's. */
static struct rule_options
rule_of(const struct options *o, size_t i)
{
	struct rule_options r;

	settings_effective_rule(o, i, &r);
	return r;
}

int
runtime_uses_syslog(const struct options *o)
{
	for (size_t i = 0; i < nrules_of(o); i++)
		if (rule_of(o, i).out.syslog)
			return 1;
	return 0;
}

int
runtime_uses_json(const struct options *o)
{
	for (size_t i = 0; i < nrules_of(o); i++) {
		struct output_options m = rule_of(o, i).out;
		if (m.json || (m.syslog && m.syslog_json))
			return 1;
	}
	return 0;
}

static struct template *
compile(struct runtime *rt, const char *text, char *err, size_t errlen)
{
	char msg[256];
	struct template *t = render_compile(text, msg, sizeof(msg));

	if (t == NULL) {
		snprintf(err, errlen, "invalid template '%s': %s", text, msg);
		return NULL;
	}
	rt->tpls[rt->ntpls++] = t;
	return t;
}

/* A JSON format for the outputs of one rule; cee for syslog. */
static const struct json_format *
json_format(struct runtime *rt, const struct output_options *m, int cee)
{
	struct json_format *f = &rt->json[rt->njson++];

	f->original = m->json_original > 0;
	f->cee = cee;
	return f;
}

static struct filter *
make_filter(const struct filter_options *fo, char *err, size_t errlen)
{
	struct filter *f = filter_new();
	char msg[200];

	if (f == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < fo->n; i++) {
		if (filter_add(f, fo->v[i].field, fo->v[i].pattern, msg,
		    sizeof(msg)) < 0) {
			snprintf(err, errlen, "invalid filter %s: %s",
			    filter_field_name(fo->v[i].field), msg);
			filter_free(f);
			return NULL;
		}
	}
	return f;
}

/* One sink per distinct log file path. */
static struct sink *
file_sink(struct runtime *rt, const struct runtime_sinks *rs,
    const char *path, char *err, size_t errlen)
{
	struct sink *s;

	for (size_t i = 0; i < rt->nfiles; i++)
		if (strcmp(sink_path(rt->files[i]), path) == 0)
			return rt->files[i];
	char msg[PATH_MAX + 256];

	if ((s = sink_file(rs->opener, path, msg, sizeof(msg))) == NULL) {
		snprintf(err, errlen, "cannot open log file %s", msg);
		return NULL;
	}
	sink_count_into(s, rs->file_lines, rs->errors);
	rt->files[rt->nfiles++] = s;
	return s;
}

/* Rule i's filter, templates and JSON formats; 0 or -1 (err). */
static int
compile_rule(struct runtime *rt, const struct options *o, size_t i,
    char *err, size_t errlen)
{
	struct rule_options ro = rule_of(o, i);
	const struct output_options *m = &ro.out;
	struct compiled *c = &rt->compiled[i];

	if ((rt->rules[i].filter = make_filter(&ro.filter, err,
	    errlen)) == NULL)
		return -1;
	rt->rules[i].final = ro.final;
	if (m->json)
		c->json = json_format(rt, m, 0);
	else if ((c->tpl = compile(rt, m->template, err, errlen)) == NULL)
		return -1;
	if (!m->syslog)
		return 0;
	if (m->syslog_json)
		c->syslog_json = json_format(rt, m, 1);
	else if ((c->syslog_tpl = compile(rt, m->syslog_template, err,
	    errlen)) == NULL)
		return -1;
	return 0;
}

/* The templates of scan and repeat events, shared by every rule. */
static int
compile_made(struct runtime *rt, const struct options *o, char *err,
    size_t errlen)
{
	const char *text[OUTPUT_MADE][2] = {
		{ o->scan_template, o->scan_syslog_template },
		{ o->repeats_template, o->repeats_syslog_template },
		{ o->inventory_template, o->inventory_syslog_template },
	};

	for (int k = 0; k < OUTPUT_MADE; k++)
		for (int j = 0; j < 2; j++)
			if ((rt->made[k][j] = compile(rt, text[k][j], err,
			    errlen)) == NULL)
				return -1;
	return 0;
}

/* The output o of rule r, with the templates and syslog priorities of
 * scan and repeat events (syslog: the output is syslog's). */
static void
add_output(struct rule *r, struct output o, const struct runtime *rt,
    const struct options *opt, int syslog)
{
	int level[OUTPUT_MADE] = { opt->scan_priority, opt->repeats_priority,
	    opt->inventory_priority };

	for (int k = 0; k < OUTPUT_MADE; k++) {
		o.made_tpl[k] = rt->made[k][syslog];
		o.made_priority[k] = syslog ?
		    (o.priority & LOG_FACMASK) | level[k] : 0;
	}
	r->outputs[r->noutputs++] = o;
}

/* Rule i's outputs; 0, -1 for an error in rule i, -2 in what it
 * inherits. */
static int
open_rule(struct runtime *rt, const struct options *o, size_t i,
    const struct runtime_sinks *s, char *err, size_t errlen)
{
	struct output_options m = rule_of(o, i).out;
	const struct compiled *c = &rt->compiled[i];
	struct rule *r = &rt->rules[i];

	if (m.log_file != NULL) {
		struct sink *f = file_sink(rt, s, m.log_file, err,
		    errlen);
		/* An inherited log_file is the top level's, not the rule's. */
		if (f == NULL)
			return o->nrules && o->rules[i].out.log_file == NULL ?
			    -2 : -1;
		add_output(r, (struct output){ f, c->tpl, 0, c->json,
		    { NULL }, { 0 } }, rt, o, 0);
	}
	if (!m.quiet && s->out != NULL)
		add_output(r, (struct output){ s->out, c->tpl, 0, c->json,
		    { NULL }, { 0 } }, rt, o, 0);
	if (m.syslog && s->syslog != NULL)
		add_output(r, (struct output){ s->syslog, c->syslog_tpl,
		    m.syslog_facility | m.syslog_priority, c->syslog_json,
		    { NULL }, { 0 } }, rt, o, 1);
	return 0;
}

/* "rule 2 (line 14): ..." for an error of rule i itself. */
static void
in_rule(const struct options *o, size_t i, char *err, size_t errlen)
{
	char msg[512];

	if (o->nrules == 0)
		return;
	snprintf(msg, sizeof(msg), "rule %zu (line %d): %s", i + 1,
	    o->rules[i].line, err);
	snprintf(err, errlen, "%s", msg);
}

struct runtime *
runtime_build(const struct options *o, char *err, size_t errlen)
{
	struct runtime *rt = calloc(1, sizeof(*rt));

	if (rt == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((rt->filter = make_filter(&o->filter, err, errlen)) == NULL ||
	    compile_made(rt, o, err, errlen) < 0)
		goto fail;
	rt->nrules = nrules_of(o);
	for (size_t i = 0; i < rt->nrules; i++) {
		if (compile_rule(rt, o, i, err, errlen) < 0) {
			in_rule(o, i, err, errlen);
			goto fail;
		}
	}
	return rt;
fail:
	runtime_free(rt);
	return NULL;
}

int
runtime_open(struct runtime *rt, const struct options *o,
    const struct runtime_sinks *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < rt->nrules; i++) {
		int rc = open_rule(rt, o, i, s, err, errlen);
		if (rc == -1)
			in_rule(o, i, err, errlen);
		if (rc < 0)
			return -1;
	}
	return 0;
}

void
runtime_free(struct runtime *rt)
{
	if (rt == NULL)
		return;
	filter_free(rt->filter);
	for (size_t i = 0; i < OPTIONS_MAX_RULES; i++)
		filter_free(rt->rules[i].filter);
	for (size_t i = 0; i < rt->ntpls; i++)
		render_free(rt->tpls[i]);
	for (size_t i = 0; i < rt->nfiles; i++)
		sink_close(rt->files[i]);
	free(rt);
}

void
runtime_pipeline_config(const struct runtime *rt, struct pipeline_config *pc)
{
	pc->out.filter = rt->filter;
	pc->out.rules = rt->rules;
	pc->out.nrules = rt->nrules;
}

void
runtime_describe(const struct runtime *rt, char *buf, size_t size)
{
	const struct sink *seen[OPTIONS_MAX_RULES * RULE_MAX_OUTPUTS];
	size_t nseen = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rt->nrules; i++) {
		for (size_t j = 0; j < rt->rules[i].noutputs; j++) {
			const struct sink *sk = rt->rules[i].outputs[j].sink;
			size_t k;
			int n;
			for (k = 0; k < nseen && seen[k] != sk; k++)
				;
			if (k < nseen || used >= size)
				continue;
			seen[nseen++] = sk;
			n = snprintf(buf + used, size - used, "%s%s",
			    used ? ", " : "", sink_name(sk));
			if (n > 0)
				used += (size_t)n;
		}
	}
	if (nseen == 0)
		snprintf(buf, size, "nowhere (every output is off)");
}
