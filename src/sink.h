/*
 * sink.h - where rendered lines go: a file descriptor (standard output or
 * the log file) with a write buffer of its own, or syslog(3) through
 * the syslog writer's queue.
 *
 * Lines are buffered and written with write(2) when the buffer fills and
 * at every sink_flush(), which the event loop calls at the end of each
 * receive batch: a line is never held back longer than one batch (the
 * syslog writer then takes its time: see syslogq.h).
 */
#ifndef LINKLOG_SINK_H
#define LINKLOG_SINK_H

#include <stddef.h>
#include <stdint.h>

struct sink;

struct sink_stats {
	uint64_t lines, errors;
};

/* A sink over an open descriptor (not closed by the sink when own = 0). */
struct sink *sink_fd(const char *name, int fd, int own);

/*
 * Open path (create 0640, append) with privsep_open(ps, ...): a regular
 * file, no symbolic link; reopened the same way when it was removed.  ps
 * may be NULL (opened directly).  NULL with a message in err on failure.
 */
struct privsep;
struct sink *sink_file(struct privsep *ps, const char *path, char *err,
    size_t errlen);

/* The path of a file sink, NULL for others. */
const char *sink_path(const struct sink *s);
/* What a person calls it: "standard output", the file's path, "syslog". */
const char *sink_name(const struct sink *s);

/*
 * syslog(3) through the queue of its writer thread (syslogq.h): one line
 * queued per sink_write() at its priority (facility | level), handed to
 * the writer at sink_flush().  Its lines and losses are the queue's
 * statistics, not sink_stats().
 */
struct syslogq;
struct sink *sink_syslog(struct syslogq *q);

/* Queue one line (without its newline); priority is for syslog only. */
void sink_write(struct sink *s, int priority, const char *line, size_t len);
void sink_flush(struct sink *s);
void sink_close(struct sink *s);

const struct sink_stats *sink_stats(const struct sink *s);

/*
 * Count the lines written and lost into lines and errors too: the
 * daemon's counters, which outlive a sink reopened at each reload.
 */
void sink_count_into(struct sink *s, uint64_t *lines, uint64_t *errors);

#endif
