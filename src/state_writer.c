/*
 * state_writer.c - the state database's writer thread: the only user of
 * the SQLite connection after the start.  It takes one batch at a time
 * from the receiving thread (state.c) and commits it in one transaction;
 * when that fails (the file is locked, the disk is full) it keeps the
 * batch and tries again every second, and the receiver keeps summing in
 * its own tables meanwhile.  Once a day, after a commit, it deletes the
 * rows older than the retention, an hour at a time (small transactions:
 * a reader is never held up long).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "state_int.h"

enum {
	ST_HOURS, ST_HOURLY, ST_DAILY, ST_OUTSIDE, ST_INSIDE, ST_COUNTER,
	ST_SCAN, ST_REPEAT, ST_NEW_HOST, ST_RUN, ST_COUNT
};

static const char *const sql[ST_COUNT] = {
	[ST_HOURS] = "INSERT INTO hours VALUES (?1, ?2, ?3) ON CONFLICT (hour) "
	    "DO UPDATE SET events_in = events_in + ?2, "
	    "events_out = events_out + ?3",
	[ST_HOURLY] = "INSERT INTO hourly VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9) ON CONFLICT DO UPDATE SET events = events + ?7, "
	    "country = coalesce(?8, country), asn = coalesce(?9, asn)",
	[ST_DAILY] = "INSERT INTO daily VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9) ON CONFLICT DO UPDATE SET events = events + ?7, "
	    "country = coalesce(?8, country), asn = coalesce(?9, asn)",
	[ST_OUTSIDE] = "INSERT INTO outside_hosts VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9) ON CONFLICT DO UPDATE SET "
	    "name = coalesce(?2, name), country = coalesce(?3, country), "
	    "asn = coalesce(?4, asn), as_org = coalesce(?5, as_org), "
	    "first_seen = min(first_seen, ?6), last_seen = max(last_seen, ?7), "
	    "events_in = events_in + ?8, events_out = events_out + ?9",
	[ST_INSIDE] = "INSERT INTO inside_hosts VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6) ON CONFLICT DO UPDATE SET name = coalesce(?2, name), "
	    "first_seen = CASE WHEN ?7 THEN ?3 ELSE min(first_seen, ?3) END, "
	    "last_seen = max(last_seen, ?4), "
	    "events_in = CASE WHEN ?7 THEN 0 ELSE events_in END + ?5, "
	    "events_out = CASE WHEN ?7 THEN 0 ELSE events_out END + ?6",
	[ST_COUNTER] = "INSERT INTO counters VALUES (?1, ?2, ?3) ON CONFLICT "
	    "DO UPDATE SET value = value + ?3",
	[ST_SCAN] = "INSERT INTO scans (first, last, source, target, "
	    "direction, protocol, horizontal, port, count, at_least, events, "
	    "suppressed, sample, final, name, country, asn, as_org) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "?15, ?16, ?17, ?18) ON CONFLICT DO UPDATE SET "
	    "last = max(last, ?2), count = max(count, ?9), at_least = ?10, "
	    "events = events + ?11, suppressed = suppressed + ?12, "
	    "sample = CASE WHEN length(?13) > length(sample) THEN ?13 "
	    "ELSE sample END, final = max(final, ?14)",
	[ST_REPEAT] = "INSERT INTO repeats (first, last, direction, protocol, "
	    "source, destination, port, count) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8)",
	[ST_NEW_HOST] = "INSERT INTO new_hosts (time, ip, name, direction, "
	    "protocol, peer, peer_port, peer_name, country, asn, written) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_RUN] = "UPDATE runs SET last_flush = ?2, stopped = ?3 "
	    "WHERE started = ?1",
};

/* Tables pruned by their time column. */
static const char *const prune_sql[] = {
	"DELETE FROM hourly WHERE hour = (SELECT min(hour) FROM hourly) "
	    "AND hour < ?1",
	"DELETE FROM daily WHERE day = (SELECT min(day) FROM daily) "
	    "AND day < ?1",
	"DELETE FROM hours WHERE hour < ?1",
	"DELETE FROM counters WHERE hour < ?1",
	"DELETE FROM scans WHERE last < ?1",
	"DELETE FROM repeats WHERE last < ?1",
	"DELETE FROM new_hosts WHERE time < ?1",
	"DELETE FROM outside_hosts WHERE last_seen < ?1",
	"DELETE FROM inside_hosts WHERE last_seen < ?1",
};

struct state_writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	struct state_batch *batch;      /* taken, not yet committed */
	int stop, give_up;
	uint64_t errors;                /* since state_writer_errors() */
	char error[256];
	sqlite3_int64 run;              /* this run's started: its key */
	time_t last_prune;
	unsigned retention_days;
};

static const char *
dir_name(uint8_t d)
{
	return d == DIR_IN ? "in" : "out";
}

static const char *
proto_name(uint8_t p)
{
	return p == PROTO_TCP ? "tcp" : p == PROTO_UDP ? "udp" : "-";
}

/* Bind an address as text (0 and not overflow: NULL). */
static void
bind_addr(sqlite3_stmt *st, int i, uint32_t a)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr in = { a };

	inet_ntop(AF_INET, &in, buf, sizeof(buf));
	sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

static void
bind_str(sqlite3_stmt *st, int i, const char *s, int present)
{
	if (present && s[0] != '\0')
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_asn(sqlite3_stmt *st, int i, uint32_t asn)
{
	if (asn != 0)
		sqlite3_bind_int64(st, i, asn);
	else
		sqlite3_bind_null(st, i);
}

/* Run st (bound) and reset it; -1 on failure. */
static int
step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One row of hourly or daily: the key and the count. */
static int
agg_row(sqlite3_stmt *st, const struct state_agg *a, int64_t when)
{
	sqlite3_bind_int64(st, 1, when);
	if (a->overflow) {
		sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, "", 0, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, "", 0, SQLITE_STATIC);
	} else {
		bind_addr(st, 2, a->inside);
		bind_addr(st, 3, a->outside);
		sqlite3_bind_text(st, 5, proto_name(a->proto), -1,
		    SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 4, dir_name(a->dir), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, a->port);
	sqlite3_bind_int64(st, 7, a->events);
	bind_str(st, 8, a->iso, !a->overflow);
	bind_asn(st, 9, a->overflow ? 0 : a->asn);
	return step(st);
}

static int
outside_row(struct state_writer *w, const struct state_agg *a)
{
	sqlite3_stmt *st = w->st[ST_OUTSIDE];

	bind_addr(st, 1, a->outside);
	bind_str(st, 2, a->name, a->has_name);
	bind_str(st, 3, a->iso, 1);
	bind_asn(st, 4, a->asn);
	bind_str(st, 5, a->org, 1);
	sqlite3_bind_int64(st, 6, a->first);
	sqlite3_bind_int64(st, 7, a->last);
	sqlite3_bind_int64(st, 8, a->dir == DIR_IN ? a->events : 0);
	sqlite3_bind_int64(st, 9, a->dir == DIR_OUT ? a->events : 0);
	return step(st);
}

static int
write_agg(struct state_writer *w, const struct state_batch *b)
{
	for (size_t i = 0; i < b->nagg; i++) {
		const struct state_agg *a = &b->agg[i];
		if (agg_row(w->st[ST_HOURLY], a, a->hour) < 0 ||
		    agg_row(w->st[ST_DAILY], a, a->hour - a->hour % 86400) < 0)
			return -1;
		if (!a->overflow && a->foreign && outside_row(w, a) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->nhours; i++) {
		sqlite3_stmt *st = w->st[ST_HOURS];
		sqlite3_bind_int64(st, 1, b->hours[i].hour);
		sqlite3_bind_int64(st, 2, b->hours[i].in);
		sqlite3_bind_int64(st, 3, b->hours[i].out);
		if (step(st) < 0)
			return -1;
	}
	return 0;
}

static int
write_hosts(struct state_writer *w, const struct state_batch *b)
{
	sqlite3_stmt *st = w->st[ST_INSIDE];

	for (size_t i = 0; i < b->nhosts; i++) {
		const struct state_host *h = &b->hosts[i];
		bind_addr(st, 1, h->addr);
		bind_str(st, 2, h->name, h->has_name);
		sqlite3_bind_int64(st, 3, h->first);
		sqlite3_bind_int64(st, 4, h->last);
		sqlite3_bind_int64(st, 5, h->in);
		sqlite3_bind_int64(st, 6, h->out);
		sqlite3_bind_int(st, 7, h->renew);
		if (step(st) < 0)
			return -1;
	}
	st = w->st[ST_COUNTER];
	for (size_t i = 0; i < b->ncounters; i++) {
		sqlite3_bind_int64(st, 1, b->now - b->now % 3600);
		sqlite3_bind_text(st, 2, b->counters[i].name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)b->counters[i].delta);
		if (step(st) < 0)
			return -1;
	}
	return 0;
}

/* The sample of a scan as text: ports, or targets' addresses. */
static void
sample_text(const struct state_rec *r, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->nsample && len + 18 < size; i++) {
		char a[INET_ADDRSTRLEN];
		struct in_addr in = { r->sample[i] };
		if (r->horizontal)
			inet_ntop(AF_INET, &in, a, sizeof(a));
		else
			snprintf(a, sizeof(a), "%u", r->sample[i]);
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? "," : "", a);
	}
}

static int
scan_row(struct state_writer *w, const struct state_rec *r)
{
	sqlite3_stmt *st = w->st[ST_SCAN];
	char sample[EVENT_SAMPLE_MAX * 17];

	sample_text(r, sample, sizeof(sample));
	sqlite3_bind_int64(st, 1, r->first);
	sqlite3_bind_int64(st, 2, r->last);
	bind_addr(st, 3, r->src);
	if (r->horizontal)
		sqlite3_bind_null(st, 4);
	else
		bind_addr(st, 4, r->dst);
	sqlite3_bind_text(st, 5, dir_name(r->dir), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, proto_name(r->proto), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, r->horizontal);
	if (r->horizontal)
		sqlite3_bind_int(st, 8, r->port);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_int64(st, 9, r->count);
	sqlite3_bind_int(st, 10, r->at_least);
	sqlite3_bind_int64(st, 11, r->events);
	sqlite3_bind_int64(st, 12, r->suppressed);
	sqlite3_bind_text(st, 13, sample, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 14, r->final);
	bind_str(st, 15, r->name, r->has_name);
	bind_str(st, 16, r->iso, 1);
	bind_asn(st, 17, r->asn);
	bind_str(st, 18, r->org, 1);
	return step(st);
}

static int
repeat_row(struct state_writer *w, const struct state_rec *r)
{
	sqlite3_stmt *st = w->st[ST_REPEAT];

	sqlite3_bind_int64(st, 1, r->first);
	sqlite3_bind_int64(st, 2, r->last);
	sqlite3_bind_text(st, 3, dir_name(r->dir), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, proto_name(r->proto), -1, SQLITE_STATIC);
	bind_addr(st, 5, r->src);
	bind_addr(st, 6, r->dst);
	sqlite3_bind_int(st, 7, r->port);
	sqlite3_bind_int64(st, 8, r->count);
	return step(st);
}

/* A new host: src is the host, dst the first connection's other end. */
static int
new_host_row(struct state_writer *w, const struct state_rec *r)
{
	sqlite3_stmt *st = w->st[ST_NEW_HOST];

	sqlite3_bind_int64(st, 1, r->first);
	bind_addr(st, 2, r->src);
	bind_str(st, 3, r->name, r->has_name);
	sqlite3_bind_text(st, 4, dir_name(r->dir), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, proto_name(r->proto), -1, SQLITE_STATIC);
	bind_addr(st, 6, r->dst);
	sqlite3_bind_int(st, 7, r->port);
	sqlite3_bind_null(st, 8);
	bind_str(st, 9, r->iso, 1);
	bind_asn(st, 10, r->asn);
	sqlite3_bind_int(st, 11, r->written);
	return step(st);
}

static int
write_records(struct state_writer *w, const struct state_batch *b)
{
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct state_rec *r = &b->recs[i];
		int rc = r->kind == REC_SCAN ? scan_row(w, r) :
		    r->kind == REC_REPEAT ? repeat_row(w, r) :
		    new_host_row(w, r);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
run_row(struct state_writer *w, time_t now, int stopped)
{
	sqlite3_stmt *st = w->st[ST_RUN];

	sqlite3_bind_int64(st, 1, w->run);
	sqlite3_bind_int64(st, 2, now);
	if (stopped)
		sqlite3_bind_int64(st, 3, now);
	else
		sqlite3_bind_null(st, 3);
	return step(st);
}

/* The batch in one transaction; 0, or -1 with the reason kept. */
static int
commit(struct state_writer *w, const struct state_batch *b, int stopped)
{
	if (sqlite3_exec(w->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK && write_agg(w, b) == 0 && write_hosts(w, b) == 0 &&
	    write_records(w, b) == 0 && run_row(w, b->now, stopped) == 0 &&
	    sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	pthread_mutex_lock(&w->lock);
	snprintf(w->error, sizeof(w->error), "%s", sqlite3_errmsg(w->db));
	w->errors++;
	pthread_mutex_unlock(&w->lock);
	if (!sqlite3_get_autocommit(w->db))
		sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Rows older than the retention, once a day, an hour (or one
 * statement's worth) per transaction. */
static void
prune(struct state_writer *w, time_t now)
{
	int64_t before = (int64_t)now - (int64_t)w->retention_days * 86400;
	sqlite3_stmt *st;

	if (now - w->last_prune < 86400)
		return;
	w->last_prune = now;
	for (size_t i = 0; i < sizeof(prune_sql) / sizeof(prune_sql[0]); i++) {
		if (sqlite3_prepare_v2(w->db, prune_sql[i], -1, &st, NULL) !=
		    SQLITE_OK)
			continue;
		do {
			sqlite3_bind_int64(st, 1, before);
			if (sqlite3_step(st) != SQLITE_DONE)
				break;
			sqlite3_reset(st);
		} while (sqlite3_changes(w->db) > 0 && !w->stop);
		sqlite3_finalize(st);
	}
}

/* Wait for a batch, or until a second has passed after a failure. */
static struct state_batch *
next_batch(struct state_writer *w, int failed)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	while (!w->give_up && (w->batch == NULL || failed) &&
	    !(w->stop && w->batch == NULL)) {
		if (failed) {
			if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) ==
			    ETIMEDOUT || w->stop)
				break;
		} else
			pthread_cond_wait(&w->cond, &w->lock);
	}
	return w->give_up ? NULL : w->batch;
}

static void *
writer_main(void *arg)
{
	struct state_writer *w = arg;
	struct state_batch *b;
	int failed = 0;

	pthread_mutex_lock(&w->lock);
	while ((b = next_batch(w, failed)) != NULL) {
		int stopping = w->stop;
		pthread_mutex_unlock(&w->lock);
		failed = commit(w, b, stopping) < 0;
		if (!failed)
			prune(w, b->now);
		pthread_mutex_lock(&w->lock);
		if (!failed) {
			w->batch = NULL;
			pthread_cond_broadcast(&w->cond);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int
prepare(struct state_writer *w, time_t started, const char *version,
    char *err, size_t errlen)
{
	char *msg = NULL;
	/* A start in the same second as the last is a second later. */
	char *ins = sqlite3_mprintf("INSERT INTO runs (started, version) "
	    "VALUES (max(%lld, coalesce((SELECT max(started) + 1 FROM runs), "
	    "0)), %Q)", (long long)started, version);

	if (ins == NULL || sqlite3_exec(w->db, ins, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : "out of memory");
		sqlite3_free(msg);
		sqlite3_free(ins);
		return -1;
	}
	sqlite3_free(ins);
	/* started is the rowid (INTEGER PRIMARY KEY). */
	w->run = sqlite3_last_insert_rowid(w->db);
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(w->db, sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(w->db));
			return -1;
		}
	return 0;
}

static void
writer_free(struct state_writer *w)
{
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(w->st[i]);
	sqlite3_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

struct state_writer *
state_writer_start(sqlite3 *db, time_t started, const char *version,
    unsigned retention_days, char *err, size_t errlen)
{
	struct state_writer *w = calloc(1, sizeof(*w));
	sigset_t all, old;
	int rc;

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	w->db = db;
	w->retention_days = retention_days;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (prepare(w, started, version, err, errlen) < 0) {
		writer_free(w);
		return NULL;
	}
	/* The signals are the receiving thread's (its signalfd). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start its thread: %s",
		    strerror(rc));
		writer_free(w);
		return NULL;
	}
	return w;
}

int
state_writer_idle(struct state_writer *w)
{
	int idle;

	pthread_mutex_lock(&w->lock);
	idle = w->batch == NULL;
	pthread_mutex_unlock(&w->lock);
	return idle;
}

void
state_writer_give(struct state_writer *w, struct state_batch *b)
{
	pthread_mutex_lock(&w->lock);
	w->batch = b;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int
state_writer_wait(struct state_writer *w, unsigned ms)
{
	struct timespec ts;
	int idle;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w->lock);
	while (w->batch != NULL)
		if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) ==
		    ETIMEDOUT)
			break;
	idle = w->batch == NULL;
	pthread_mutex_unlock(&w->lock);
	return idle;
}

uint64_t
state_writer_errors(struct state_writer *w, char *msg, size_t len)
{
	uint64_t n;

	pthread_mutex_lock(&w->lock);
	n = w->errors;
	w->errors = 0;
	snprintf(msg, len, "%s", w->error);
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
state_writer_stop(struct state_writer *w, time_t now, unsigned ms)
{
	int idle;

	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	idle = state_writer_wait(w, ms);
	pthread_mutex_lock(&w->lock);
	w->give_up = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	if (idle)
		(void)run_row(w, now, 1);
	writer_free(w);
}
