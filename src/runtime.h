/*
 * runtime.h - what the settings turn into: compiled templates, filters,
 * open log files and the rules that tie them together, ready for the
 * pipeline.  Built at start and again at each reload (SIGHUP); a reload
 * whose settings fail to build leaves the old runtime in place.
 */
#ifndef LINKLOG_RUNTIME_H
#define LINKLOG_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "pipeline.h"
#include "sink.h"

struct runtime;

/*
 * Compile o's filters, templates and JSON formats (no file is opened:
 * --check-config stops there).  NULL with a message in err on failure.
 */
struct runtime *runtime_build(const struct options *o, char *err,
    size_t errlen);

/*
 * Where the outputs go: the long-lived standard output and syslog sinks
 * (either may be NULL when unused); log files are opened through opener
 * (privsep.h; NULL: directly) and count their lines into file_lines and
 * errors.
 */
struct privsep;
struct runtime_sinks {
	struct sink *out, *syslog;
	struct privsep *opener;
	uint64_t *file_lines, *errors;  /* the daemon's counters, or NULL */
};

/* Open the log files and wire the rules' outputs; 0, or -1 (err). */
int runtime_open(struct runtime *rt, const struct options *o,
    const struct runtime_sinks *s, char *err, size_t errlen);
void runtime_free(struct runtime *rt);

/* The pipeline's view: filter and rules (resolver etc. left as is). */
void runtime_pipeline_config(const struct runtime *rt,
    struct pipeline_config *pc);

/* Whether any rule writes to syslog. */
int runtime_uses_syslog(const struct options *o);
/* Whether any output is JSON (which names services in network.protocol). */
int runtime_uses_json(const struct options *o);

/* The outputs lines go to, each once: "standard output, /x.log, syslog". */
void runtime_describe(const struct runtime *rt, char *buf, size_t size);

#endif
