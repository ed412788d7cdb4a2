/*
 * daemon.h - the running daemon's state and its replacement at a reload.
 *
 * Owns everything the settings turn into: the options and their loaded
 * configuration, the runtime (templates, filters, log files), the access
 * checks, the resolver, syslog's ident and facility, the pipeline, the
 * long-lived standard output and syslog sinks and the syslog writer's
 * queue (syslogq.h), started the first time a state uses syslog.  A
 * reload builds and checks a whole new state first and switches to it in
 * one step; a reload that fails changes nothing.  The counters are the daemon's (counters.h),
 * handed to the parts a reload replaces: nothing is copied.
 */
#ifndef LINKLOG_DAEMON_H
#define LINKLOG_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "access.h"
#include "geo.h"
#include "options.h"
#include "pipeline.h"
#include "resolve.h"

struct daemon;

/*
 * Read the settings: defaults, the file, the command line on top.
 * Returns NULL when out of memory; otherwise *status is -1 to go on, or
 * an exit status (0 after --help, 1 for a bad file, 2 for bad usage) with
 * the message, if any, in err.
 */
struct daemon *daemon_new(int argc, char **argv, int *status, char *err,
    size_t errlen);
void daemon_free(struct daemon *d);

/*
 * The command line and file read (daemon_new()), and --check-config or
 * a usage error handled: returns -1 to go on, or the exit status (the
 * messages printed).  *dp is set either way (daemon_free() it).
 */
int daemon_configure(int argc, char **argv, struct daemon **dp);

/* At the stop: what waits is written, the sinks flushed, the syslog
 * writer given its last SYSLOGQ_STOP_MS. */
void daemon_stop(struct daemon *d);

const struct options *daemon_options(const struct daemon *d);

/*
 * --check-config: build everything that can be built without side
 * effects.  Returns 0, or 1 with the message in err.
 */
int daemon_check(struct daemon *d, char *err, size_t errlen);

/*
 * Build the state at start and switch to it (opens the log files and
 * syslog).  Returns 0, or an exit status (2: a bad value, 1: a failure
 * to open) with the message in err.
 */
int daemon_start(struct daemon *d, char *err, size_t errlen);

/*
 * As root with a log file or a pid file: start the privileged file
 * opener (privsep.h), before any socket or file is open.  0, or -1 with
 * the message in err.
 */
int daemon_start_opener(struct daemon *d, char *err, size_t errlen);
struct privsep *daemon_privsep(const struct daemon *d);

/* The listening sockets came from systemd (for the reload's warning). */
void daemon_set_socket_activated(struct daemon *d);

/*
 * At the stop, after the last flush: the syslog writer writes what is
 * queued, for SYSLOGQ_STOP_MS at most, and reports what it could not.
 */
void daemon_stop_syslog(struct daemon *d);

/* SIGHUP: read the configuration again; on failure keep everything. */
void daemon_reload(struct daemon *d);

/* Register the pipeline, the resolver and the access reports with the
 * loop (after daemon_start()); a reload registers the parts it brings. */
struct loop;
int daemon_attach(struct daemon *d, struct loop *l);

/* Where lines go and whether DNS is on, for the line said at start and
 * at a reload. */
void daemon_describe(const struct daemon *d, char *buf, size_t size);

/* The line said at start: where rx listens (activated: sockets from
 * systemd, with their earlier drops) and daemon_describe(). */
struct receiver;
void daemon_say_listening(const struct daemon *d, const struct receiver *rx,
    int activated);

struct pipeline *daemon_pipeline(const struct daemon *d);
struct resolver *daemon_resolver(const struct daemon *d);
struct access *daemon_access(const struct daemon *d);

/*
 * The daemon's counters (counters.h): every state's parts count into
 * them, so they run from the start whatever reloads replaced.  Before a
 * statistics line, daemon_refresh_counters() reads the syslog writer's
 * (a thread of its own) into them, and has the pipeline gather its
 * stages'.
 */
struct counters *daemon_counters(struct daemon *d);

/* The statistics line's rows (counters_rows()): rx's, the pipeline's
 * and the daemon's counters.  0, or -1 when s is full. */
struct stats;
int daemon_stats_rows(struct daemon *d, const struct receive_stats *rx,
    struct stats *s);
void daemon_refresh_counters(struct daemon *d);
/* Where the state database counts (and its counters are shown from
 * now on). */
struct statedb_stats *daemon_state_counters(struct daemon *d);

#endif
