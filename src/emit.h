/*
 * emit.h - the rules and their outputs, and writing to them: an event
 * through the name filters to every output of the rules it matched
 * (text through a template, or JSON), and a forwarded string to every
 * sink once.  Owns the rules' table as the runtime built it (runtime.h)
 * and which names the outputs and filters use.
 */
#ifndef LINKLOG_EMIT_H
#define LINKLOG_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "filter.h"
#include "json.h"
#include "render.h"
#include "sink.h"

#define RULE_MAX_OUTPUTS 4
#define EMIT_MAX_RULES 64

/* The made kinds with templates of their own: scans, repeats, new
 * hosts. */
enum { OUTPUT_SCAN, OUTPUT_REPEAT, OUTPUT_NEW_HOST, OUTPUT_MADE };

struct output {
	struct sink *sink;
	struct template *tpl;   /* the text line, unless json is set */
	int priority;           /* syslog facility | level */
	const struct json_format *json;  /* NULL: text from tpl */
	/* Scan and repeat events (scan.h, repeat.h): their templates and
	 * syslog priorities (NULL: tpl; 0: priority). */
	struct template *made_tpl[OUTPUT_MADE];
	int made_priority[OUTPUT_MADE];
};

/* Events the filter accepts go to every output of the rule. */
struct rule {
	struct filter *filter;
	struct output outputs[RULE_MAX_OUTPUTS];
	size_t noutputs;
	int final;              /* matched: later rules are not tried */
};

struct emit_config {
	const struct filter *filter;    /* every event must pass it first */
	const struct rule *rules;
	size_t nrules;
	int show_ports;                 /* -s: numbers, not service names */
	int names_source, names_dest;   /* print names in %s / %d */
	int names_router;               /* print the router's name in %R */
};

/* Which names some output or filter uses (so are looked up). */
void emit_lookups(const struct emit_config *c, int *src, int *dst,
    int *router);

/* Whether any does (so a resolver is needed). */
int emit_needs_names(const struct emit_config *c);

/*
 * ev, with the names known (NULL: none), through the name filters and
 * to the outputs of the rules in the bit set rules (bit i: rule i, whose
 * address filters it passed).  line is the buffer to render in.
 * Returns 1 if some output got it, 0 if it was filtered out.
 */
int emit_event(const struct emit_config *c, const struct event *ev,
    uint64_t rules, const char *src, const char *dst, const char *router,
    char *line, size_t size);

/* A string without a message to every sink once, in the format of the
 * sink's first output; from: the router and time of its datagram. */
void emit_forwarded(const struct emit_config *c, const struct event *from,
    const char *text, size_t len, char *line, size_t size);

void emit_flush(const struct emit_config *c);

#endif
