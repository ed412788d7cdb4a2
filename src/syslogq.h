/*
 * syslogq.h - the syslog writer and its queue: one thread, the only one
 * in linklog that calls openlog(3), syslog(3) and closelog(3), fed by one
 * bounded queue of lines in memory.
 *
 * The receiving thread is the only producer: syslogq_push() appends a
 * line without taking a lock, syslogq_commit() hands what was appended
 * over to the writer once per batch (one mutex, one signal).  A full
 * queue drops the line and counts it; the producer never waits.  The
 * writer does the waiting: on a slow system logger (syslog(3) blocks in
 * send(2)) and on one that is down (it keeps the line, waits until a
 * daemon listens on /dev/log again, and writes it then).
 *
 * Memory: the queue holds at most size lines in a ring of
 * size * SYSLOGQ_LINE_BYTES bytes (at least 64 KiB), allocated once.
 */
#ifndef LINKLOG_SYSLOGQ_H
#define LINKLOG_SYSLOGQ_H

#include <stddef.h>
#include <stdint.h>

/* Room for a 100,000-trap burst with some to spare: 16 MiB. */
#define SYSLOGQ_DEFAULT_SIZE 131072
#define SYSLOGQ_MAX_SIZE (16u * 1024 * 1024)
/* Ring bytes per line of size: a line and its 8-byte header. */
#define SYSLOGQ_LINE_BYTES 128
/* How long a stop waits for the queue to be written. */
#define SYSLOGQ_STOP_MS 5000

struct syslogq;

struct syslogq_stats {
	uint64_t written;       /* handed to the system logger */
	uint64_t dropped;       /* queue full, not written at the stop, or
	                         * too long for a datagram to /dev/log */
	uint64_t queued;        /* waiting now */
};

/*
 * Allocate the queue and start the writer, which opens syslog with
 * ident and facility (LOG_PID | LOG_NDELAY).  NULL with a message in err.
 * The writer blocks every signal but SIGRTMIN, with which a stop that
 * gives up interrupts a send(2) the daemon does not take; SIGRTMIN gets
 * a no-op handler and is blocked in the calling thread from then on.
 */
struct syslogq *syslogq_new(size_t size, const char *ident, int facility,
    char *err, size_t errlen);

/*
 * Lines pushed from now on are written under this ident and default
 * facility; those already queued keep theirs.  The writer reopens the
 * log when it reaches the first of them.  -1 when out of memory.
 */
int syslogq_ident(struct syslogq *q, const char *ident, int facility);

/* Queue one line (no newline) at priority; drop it if the queue is full. */
void syslogq_push(struct syslogq *q, int priority, const char *line,
    size_t len);

/* Hand the lines pushed since the last commit over to the writer. */
void syslogq_commit(struct syslogq *q);

void syslogq_stats(const struct syslogq *q, struct syslogq_stats *st);

/*
 * Write what is queued, waiting at most timeout_ms, stop the writer and
 * close the log.  Returns how many lines were left unwritten (counted as
 * dropped).  q stays readable by syslogq_stats() until syslogq_free().
 */
uint64_t syslogq_stop(struct syslogq *q, unsigned timeout_ms);
void syslogq_free(struct syslogq *q);

/*
 * The settings' checks (0, or -1 with the reason in err): an ident is one
 * word of at most SYSLOGQ_IDENT_MAX bytes; a facility is not kern.
 */
#define SYSLOGQ_IDENT_MAX 128
int syslogq_check_ident(const char *v, char *err, size_t errlen);
int syslogq_check_facility(const char *v, char *err, size_t errlen);

#endif
