/*
 * state_int.h - what the state database's two halves share: the records
 * the receiving thread sums (state.c) and the batch it hands the writer
 * thread (state_writer.c).  Not for other modules.
 */
#ifndef LINKLOG_STATE_INT_H
#define LINKLOG_STATE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "state.h"

/* Hours whose totals are kept before they are written. */
#define STATE_HOURS 64
/* Scans, repeats and new hosts kept before they are written. */
#define STATE_RECORDS 4096

/* One row of hourly (and daily): key, then what was added. */
struct state_agg {
	int64_t hour;
	uint32_t inside, outside;       /* network order; 0 0: overflow */
	int32_t port;                   /* -1: unknown */
	uint8_t used, dir, proto, overflow;
	uint8_t foreign;                /* the outside end is not inside */
	uint32_t events;                /* since the last hand-over */
	time_t first, last;             /* of those events */
	uint8_t has_name;
	char iso[GEO_ISO_LEN];
	uint32_t asn;
	char org[GEO_ORG_LEN];
	char name[HOST_NAME_LEN + 1];   /* of the outside end */
};

struct state_host {
	uint32_t addr;                  /* network order; 0: free */
	uint8_t dirty, renew, has_name;
	time_t first, last;
	uint32_t in, out;               /* since the last hand-over */
	char name[HOST_NAME_LEN + 1];
};

struct state_hour {
	int64_t hour;                   /* -1: free */
	uint32_t in, out;
};

enum state_rec_kind { REC_SCAN, REC_REPEAT, REC_NEW_HOST };

/* A scan's summary or start, a repeat, a new host. */
struct state_rec {
	uint8_t kind, dir, proto, horizontal, at_least, final, nsample,
	    written, has_name;
	uint32_t src, dst;              /* network order */
	int32_t port;
	time_t first, last;
	uint32_t count, events, suppressed;
	uint32_t sample[EVENT_SAMPLE_MAX];
	char iso[GEO_ISO_LEN];
	uint32_t asn;
	char org[GEO_ORG_LEN];
	char name[HOST_NAME_LEN + 1];
};

struct state_counter {
	const char *name;
	uint64_t delta;
};

/* What the receiver hands the writer at once. */
struct state_batch {
	time_t now;
	struct state_agg *agg;
	size_t nagg;
	struct state_host *hosts;
	size_t nhosts;
	struct state_hour hours[STATE_HOURS];
	size_t nhours;
	struct state_rec *recs;
	size_t nrecs;
	struct state_counter counters[STATS_MAX];
	size_t ncounters;
};

/* The writer thread and its file. */
struct state_writer;

struct state_writer *state_writer_start(sqlite3 *db, time_t started,
    const char *version, unsigned retention_days, char *err,
    size_t errlen);
/* Whether the writer has no batch: b may be filled and handed over. */
int state_writer_idle(struct state_writer *w);
/* Hand b over (the writer owns it until idle again). */
void state_writer_give(struct state_writer *w, struct state_batch *b);
/* Wait until idle, at most ms; returns whether idle. */
int state_writer_wait(struct state_writer *w, unsigned ms);
/* The writer's failures since the last call, and its last error. */
uint64_t state_writer_errors(struct state_writer *w, char *msg, size_t len);
/* Stop the thread (after its batch, at most ms), mark the run stopped,
 * close the file. */
void state_writer_stop(struct state_writer *w, time_t now, unsigned ms);

/* statedb.c: the file, opened for writing after the privilege drop. */
sqlite3 *statedb_open_file(const char *path, char *err, size_t errlen);
/* The file's creation time (meta created), set to now for a new file;
 * the rows of hourly the current hour has; the inside hosts, through fn. */
int statedb_load(sqlite3 *db, time_t now, time_t *created,
    int64_t hour, unsigned *hour_rows,
    void (*fn)(void *, uint32_t, time_t, time_t, const char *), void *arg,
    char *err, size_t errlen);

#endif
