/*
 * syslogq.c - the syslog writer thread and its queue (see syslogq.h).
 *
 * The queue is a byte ring with one producer and one consumer.  An entry
 * is an 8-byte header (length, priority, ident generation) and the line,
 * padded to 8 bytes.  An entry never wraps: when it does not fit before
 * the end of the ring, a pad entry fills the rest and it starts at 0.
 * Positions only grow (byte counts since the start).  The producer owns
 * the tail and reads the head with an acquire load to know the room; the
 * writer owns the head and gets the tail under the mutex, once per batch.
 *
 * syslog(3) reports no error.  glibc sets errno when send(2) to /dev/log
 * fails, though only while it was connected: a connect(2) that fails
 * (at openlog(3), or after a failed send) loses the line quietly and
 * restores errno.  So the writer checks itself, by connecting to /dev/log,
 * after every openlog() and when errno says the send failed; when no
 * daemon listens it keeps the line and waits for one to listen again.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <strings.h>

#include "log.h"
#include "syslogq.h"

#define HEADER 8
#define PAD UINT32_MAX
#define MIN_BYTES (64 * 1024)
/* While no daemon listens on /dev/log, look again this often. */
#define PROBE_MS 100
/*
 * After a small batch the writer naps NAP_MS before it looks again, so
 * that at a steady few thousand traps a second it wakes for a batch of
 * lines, not for each (a wake-up costs more than a syslog() call).  A
 * producer wakes a napping writer only when the queue is half full.
 */
#define NAP_MS 10
#define NAP_BELOW 256
/*
 * After a stop gave up, a writer blocked in send(2) is interrupted by
 * WAKE_SIGNAL (handled by a no-op, without SA_RESTART) every
 * INTERRUPT_MS, INTERRUPTS times at most.
 */
#define WAKE_SIGNAL SIGRTMIN
#define INTERRUPT_MS 50
#define INTERRUPTS 40

struct entry {
	uint32_t len;
	uint16_t priority;
	uint16_t gen;
};

/* An ident and default facility for openlog(3); lines carry its gen. */
struct ident {
	struct ident *next;
	uint16_t gen;
	int facility;
	char name[];
};

struct syslogq {
	unsigned char *ring;
	size_t bytes, size;
	pthread_t thread;
	int started, stuck;

	/* The producer's. */
	uint64_t tail, tail_lines, committed, ident_tail;
	uint16_t gen;
	uint64_t dropped;
	time_t last_report;

	/* Handed over under the lock. */
	pthread_mutex_t lock;
	pthread_cond_t work;
	uint64_t pub_tail;
	int waiting, napping;
	struct ident *idents;           /* the writer's current first */
	struct ident *current;
	_Atomic int stopping, give_up;

	/* The writer's, read by the producer. */
	_Atomic uint64_t head, head_lines, written;
	_Atomic uint64_t too_long;      /* refused by send(2): EMSGSIZE */

	/* The writer's own. */
	int down;
	int unsure;                     /* whether glibc could connect */
	time_t last_down_report, last_long_report;
};

static size_t
entry_size(size_t len)
{
	return (HEADER + len + 7) & ~(size_t)7;
}

/* A line the queue cannot take: counted, said once a minute at most. */
static void
drop(struct syslogq *q, size_t len)
{
	q->dropped++;
	if (!log_ratelimit(&q->last_report, 60))
		return;
	if (entry_size(len) > q->bytes)
		log_msg(LOG_ERR, "a syslog line of %zu bytes is longer than the "
		    "whole queue (%zu bytes): dropped (%llu lines dropped so "
		    "far)", len, q->bytes, (unsigned long long)q->dropped);
	else
		log_msg(LOG_ERR, "syslog queue full (%zu lines): lines dropped "
		    "(%llu so far)", q->size, (unsigned long long)q->dropped);
}

void
syslogq_push(struct syslogq *q, int priority, const char *line, size_t len)
{
	uint64_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	uint64_t head_lines = atomic_load_explicit(&q->head_lines,
	    memory_order_relaxed);
	size_t need = entry_size(len), off = q->tail % q->bytes;
	size_t pad = q->bytes - off < need ? q->bytes - off : 0;
	struct entry e = { (uint32_t)len, (uint16_t)priority, q->gen };

	if (len > INT_MAX || need > q->bytes ||
	    q->tail_lines - head_lines >= q->size ||
	    q->tail + pad + need - head > q->bytes) {
		drop(q, len);
		return;
	}
	if (pad > 0) {
		struct entry p = { PAD, 0, 0 };
		memcpy(q->ring + off, &p, HEADER);
		q->tail += pad;
		off = 0;
	}
	memcpy(q->ring + off, &e, HEADER);
	memcpy(q->ring + off + HEADER, line, len);
	q->tail += need;
	q->tail_lines++;
}

void
syslogq_commit(struct syslogq *q)
{
	if (q->tail == q->committed)
		return;
	q->committed = q->tail;
	pthread_mutex_lock(&q->lock);
	q->pub_tail = q->tail;
	if (q->waiting || (q->napping && q->tail_lines -
	    atomic_load_explicit(&q->head_lines, memory_order_relaxed) >=
	    q->size / 2))
		pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
}

int
syslogq_ident(struct syslogq *q, const char *name, int facility)
{
	struct ident *id, *latest, **at = &q->idents;
	size_t n = strlen(name);

	pthread_mutex_lock(&q->lock);
	while (*at != NULL && (*at)->next != NULL)
		at = &(*at)->next;
	latest = *at;
	if (latest != NULL && latest->facility == facility &&
	    strcmp(latest->name, name) == 0) {
		pthread_mutex_unlock(&q->lock);
		return 0;
	}
	if ((id = malloc(sizeof(*id) + n + 1)) == NULL) {
		pthread_mutex_unlock(&q->lock);
		return -1;
	}
	id->next = NULL;
	id->facility = facility;
	memcpy(id->name, name, n + 1);
	if (latest != NULL && latest != q->current && q->tail == q->ident_tail) {
		/* No line carries the latest ident: replace it. */
		id->gen = latest->gen;
		*at = id;
		free(latest);
	} else {
		id->gen = latest != NULL ? (uint16_t)(latest->gen + 1) : 0;
		if (latest != NULL)
			latest->next = id;
		else
			q->idents = id;
	}
	q->gen = id->gen;
	q->ident_tail = q->tail;
	pthread_mutex_unlock(&q->lock);
	return 0;
}

/* Writer: open the log under the ident of gen, freeing older idents. */
static void
switch_ident(struct syslogq *q, uint16_t gen)
{
	struct ident *id;

	closelog();
	pthread_mutex_lock(&q->lock);
	while (q->idents->gen != gen && q->idents->next != NULL) {
		id = q->idents;
		q->idents = id->next;
		free(id);
	}
	q->current = q->idents;
	pthread_mutex_unlock(&q->lock);
	openlog(q->current->name, LOG_PID | LOG_NDELAY, q->current->facility);
	q->unsure = 1;
}

/* Whether a daemon listens on /dev/log: a datagram socket connects. */
static int
daemon_listens(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = _PATH_LOG };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), ok;

	if (fd < 0)
		return 1;
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

static int
refused(int err)
{
	return err == ECONNREFUSED || err == ENOENT || err == ENOTCONN ||
	    err == ECONNRESET || err == EPIPE;
}

/* Writer, under the lock: wait for a signal, ms at most. */
static void
timed_wait(struct syslogq *q, long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += ms * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&q->work, &q->lock, &ts);
}

/* Writer: sleep PROBE_MS or until a stop gives up; 0 once one listens. */
static int
wait_for_daemon(struct syslogq *q)
{
	while (!daemon_listens()) {
		pthread_mutex_lock(&q->lock);
		if (!atomic_load(&q->give_up))
			timed_wait(q, PROBE_MS);
		pthread_mutex_unlock(&q->lock);
		if (atomic_load(&q->give_up))
			return -1;
	}
	q->down = 0;
	log_msg(LOG_NOTICE, "syslog answers again on %s", _PATH_LOG);
	return 0;
}

static void
going_down(struct syslogq *q)
{
	q->down = 1;
	if (log_ratelimit(&q->last_down_report, 60))
		log_msg(LOG_WARNING, "no syslog daemon listens on %s: lines "
		    "wait in the queue (%zu at most)", _PATH_LOG, q->size);
}

/*
 * Writer: a line longer than one datagram to /dev/log can be (the
 * socket's send buffer, about 208 KiB by default: only a forwarded string
 * of control bytes gets there) is lost; glibc says so only in errno.
 */
static void
too_long(struct syslogq *q, uint32_t len)
{
	uint64_t n = atomic_fetch_add(&q->too_long, 1) + 1;

	if (log_ratelimit(&q->last_long_report, 60))
		log_msg(LOG_ERR, "a syslog line of %u bytes is longer than %s "
		    "takes: dropped (%llu so far)", (unsigned)len, _PATH_LOG,
		    (unsigned long long)n);
}

/*
 * Writer: one line to syslog(3), waiting for the daemon if it is down.
 * -1 when a stop gave up first (the line is not written).  glibc retries
 * a failed send once on a new connection and leaves the first error in
 * errno either way, so a refusal is checked against /dev/log itself: a
 * daemon that came back between glibc's retry and that check makes a
 * lost line count as written.  At most one line per restart; telling
 * the two apart would need glibc's socket, which syslog(3) hides.
 * Documented in linklog(8) and docs/SECURITY.md.
 */
static int
write_entry(struct syslogq *q, const struct entry *e, const char *line)
{
	int err;

	for (;;) {
		if (atomic_load(&q->give_up) ||
		    (q->down && wait_for_daemon(q) < 0))
			return -1;
		if (e->gen != q->current->gen)
			switch_ident(q, e->gen);
		if (q->unsure && !daemon_listens()) {
			going_down(q);
			continue;
		}
		q->unsure = 0;
		errno = 0;
		syslog(e->priority, "%.*s", (int)e->len, line);
		err = errno;
		/* A stop that gave up interrupted send(2): not written. */
		if (err == EINTR && atomic_load(&q->give_up))
			return -1;
		if (err == EMSGSIZE) {
			too_long(q, e->len);
			q->unsure = 1;  /* glibc closed its socket */
			return 0;
		}
		if (!refused(err) || daemon_listens()) {
			atomic_fetch_add_explicit(&q->written, 1,
			    memory_order_relaxed);
			return 0;
		}
		going_down(q);
	}
}

/* Writer: after a small batch, let the next lines gather (see NAP_MS). */
static void
nap(struct syslogq *q)
{
	pthread_mutex_lock(&q->lock);
	if (!atomic_load(&q->stopping)) {
		q->napping = 1;
		timed_wait(q, NAP_MS);
		q->napping = 0;
	}
	pthread_mutex_unlock(&q->lock);
}

/* Writer: the lines from head up to tail; returns the new head. */
static uint64_t
write_batch(struct syslogq *q, uint64_t head, uint64_t tail)
{
	uint64_t lines = atomic_load_explicit(&q->head_lines,
	    memory_order_relaxed);

	while (head < tail) {
		size_t off = head % q->bytes;
		struct entry e;

		memcpy(&e, q->ring + off, HEADER);
		if (e.len == PAD) {
			head += q->bytes - off;
		} else {
			if (write_entry(q, &e, (char *)q->ring + off + HEADER) < 0)
				break;
			head += entry_size(e.len);
			atomic_store_explicit(&q->head_lines, ++lines,
			    memory_order_relaxed);
		}
		atomic_store_explicit(&q->head, head, memory_order_release);
	}
	return head;
}

static void *
writer(void *arg)
{
	struct syslogq *q = arg;
	uint64_t head = 0, tail, lines;
	sigset_t wake;

	/* Of all signals, only the stop's interruption comes here. */
	sigemptyset(&wake);
	sigaddset(&wake, WAKE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	pthread_mutex_lock(&q->lock);
	q->current = q->idents;
	pthread_mutex_unlock(&q->lock);
	openlog(q->current->name, LOG_PID | LOG_NDELAY, q->current->facility);
	q->unsure = 1;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->pub_tail == head && !atomic_load(&q->stopping)) {
			q->waiting = 1;
			pthread_cond_wait(&q->work, &q->lock);
			q->waiting = 0;
		}
		tail = q->pub_tail;
		pthread_mutex_unlock(&q->lock);
		if (atomic_load(&q->give_up) || tail == head)
			break;
		lines = atomic_load_explicit(&q->head_lines,
		    memory_order_relaxed);
		head = write_batch(q, head, tail);
		if (atomic_load_explicit(&q->head_lines, memory_order_relaxed) -
		    lines < NAP_BELOW)
			nap(q);
	}
	closelog();
	return NULL;
}

static void
interrupted(int sig)
{
	(void)sig;
}

/*
 * The writer runs with every signal blocked but WAKE_SIGNAL, which is
 * blocked in the calling thread (and those it starts) from now on: a
 * stray one cannot interrupt the receiver.
 */
static int
start_writer(struct syslogq *q)
{
	struct sigaction sa;
	sigset_t all, old;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = interrupted;
	sigemptyset(&sa.sa_mask);
	if (sigaction(WAKE_SIGNAL, &sa, NULL) < 0)
		return errno;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&q->thread, NULL, writer, q);
	sigaddset(&old, WAKE_SIGNAL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct syslogq *
syslogq_new(size_t size, const char *ident, int facility, char *err,
    size_t errlen)
{
	struct syslogq *q;
	pthread_condattr_t ca;
	int rc;

	if (size < 1 || size > SYSLOGQ_MAX_SIZE) {
		snprintf(err, errlen, "syslog queue size %zu out of range "
		    "1..%u", size, SYSLOGQ_MAX_SIZE);
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		goto nomem;
	q->size = size;
	q->bytes = size * SYSLOGQ_LINE_BYTES;
	if (q->bytes < MIN_BYTES)
		q->bytes = MIN_BYTES;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->work, &ca);
	pthread_condattr_destroy(&ca);
	if ((q->ring = malloc(q->bytes)) == NULL ||
	    syslogq_ident(q, ident, facility) < 0)
		goto nomem;
	if ((rc = start_writer(q)) != 0) {
		snprintf(err, errlen, "cannot start the syslog writer: %s",
		    strerror(rc));
		syslogq_free(q);
		return NULL;
	}
	q->started = 1;
	return q;
nomem:
	snprintf(err, errlen, "out of memory for a syslog queue of %zu lines",
	    size);
	syslogq_free(q);
	return NULL;
}

/* Whether the writer ended within ms. */
static int
joined_within(struct syslogq *q, unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(q->thread, NULL, &ts) == 0;
}

static void
wake(struct syslogq *q, _Atomic int *flag)
{
	pthread_mutex_lock(&q->lock);
	atomic_store(flag, 1);
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->lock);
}

uint64_t
syslogq_stop(struct syslogq *q, unsigned timeout_ms)
{
	uint64_t left;
	int i;

	if (q == NULL || !q->started)
		return 0;
	syslogq_commit(q);
	wake(q, &q->stopping);
	if (!joined_within(q, timeout_ms)) {
		wake(q, &q->give_up);
		/* Blocked in send(2): the daemon takes nothing. */
		for (i = 0; i < INTERRUPTS; i++) {
			pthread_kill(q->thread, WAKE_SIGNAL);
			if (joined_within(q, INTERRUPT_MS))
				break;
		}
		/* Never seen; if it happens, the process exit ends it. */
		q->stuck = i == INTERRUPTS;
	}
	q->started = 0;
	left = q->tail_lines - atomic_load(&q->head_lines);
	q->dropped += left;
	return left;
}

void
syslogq_stats(const struct syslogq *q, struct syslogq_stats *st)
{
	st->written = atomic_load_explicit(&q->written, memory_order_relaxed);
	st->dropped = q->dropped + atomic_load(&q->too_long);
	st->queued = q->tail_lines - atomic_load_explicit(&q->head_lines,
	    memory_order_relaxed);
}

void
syslogq_free(struct syslogq *q)
{
	struct ident *id;

	if (q == NULL)
		return;
	syslogq_stop(q, SYSLOGQ_STOP_MS);
	if (q->stuck)
		return;         /* the writer may still read q */
	while ((id = q->idents) != NULL) {
		q->idents = id->next;
		free(id);
	}
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->lock);
	free(q->ring);
	free(q);
}

/* ---- the settings' checks of the writer's values ---- */

/*
 * The syslog ident: one word.  rsyslog takes a line's program name up to
 * the first space, so with "my app" it files "my" and the message starts
 * "app[PID]: ...": a JSON line's "@cee:" cookie is no longer first and
 * mmjsonparse refuses it.  128 bytes at most: room left in a JSON line
 * (json.h, JSON_CEE_LINE_MAX): SYSLOGQ_IDENT_MAX.
 */
int
syslogq_check_ident(const char *v, char *err, size_t errlen)
{
	if (*v == '\0') {
		snprintf(err, errlen, "must not be empty");
		return -1;
	}
	if (strlen(v) > SYSLOGQ_IDENT_MAX) {
		snprintf(err, errlen, "longer than %d bytes", SYSLOGQ_IDENT_MAX);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			snprintf(err, errlen, "must be one word, without spaces "
			    "or control characters (syslog readers end the "
			    "program name at a space)");
			return -1;
		}
	}
	return 0;
}

/* kern is the kernel's own: traffic must not pose as kernel messages. */
int
syslogq_check_facility(const char *v, char *err, size_t errlen)
{
	if (strcasecmp(v, "kern") != 0)
		return 0;
	snprintf(err, errlen, "facility '%s' refused: it is reserved for the "
	    "kernel's messages, and traffic lines must not pose as them", v);
	return -1;
}
