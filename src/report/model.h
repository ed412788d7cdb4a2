/*
 * model.h - what a report holds, independent of where it came from (the
 * state database, db.c) and of how it is written (html.c, text.c,
 * jsonout.c).  Filled once by db.c, read by the writers, freed by
 * model_free(); every string is owned by the model (NULL: unknown).
 */
#ifndef LINKLOG_REPORT_MODEL_H
#define LINKLOG_REPORT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One hour of the period; hour is its start (Unix time). */
struct rep_hour {
	time_t hour;
	uint64_t inbound, outbound, scans;
};

/* An outside host, its traffic and where it is. */
struct rep_peer {
	char *ip, *name, *country, *as_org;
	uint32_t asn;                   /* 0: unknown */
	uint64_t events;
	uint64_t ports;                 /* distinct destination ports */
	time_t first, last;
};

/* An inside host and the outside hosts it talked to most. */
#define REP_TOP_DESTS 3
struct rep_host {
	char *ip, *name;
	time_t first, last;
	uint64_t in, out;
	uint64_t dests;                 /* distinct outside hosts */
	struct rep_peer top[REP_TOP_DESTS];
	size_t ntop;
	uint64_t hours[24];             /* events by local hour of day */
};

struct rep_newhost {
	char *ip, *name;
	time_t when;
	char *first_dest;               /* "142.250.74.14:443", NULL: unknown */
	int notice;                     /* 0: learned quietly or over the limit */
};

struct rep_scan {
	char *source, *target;
	uint64_t ports, events, suppressed;
	time_t start, end;
};

struct rep_port {
	unsigned port;
	char proto[8];                  /* "TCP", "UDP" */
	uint64_t events;
};

/* A counter of the daemon over the period (its last minus its first). */
struct rep_counter {
	char *name;
	uint64_t value;
};

#define REP_VEC(type, name) struct { type *v; size_t n, cap; } name

struct report {
	time_t from, to;                /* [from, to) */
	char zone[64];                  /* the local time zone's name */
	char *source;                   /* the database, as given */
	int top;                        /* rows per table */
	struct {
		uint64_t events, inbound, outbound, scans, new_hosts;
		uint64_t outside_hosts, inside_hosts;
	} totals;
	/* How many rows each table has in all; the vectors hold --top. */
	struct {
		size_t outside, inside, new_hosts, scans, ports_in, ports_out;
	} all;
	REP_VEC(struct rep_hour, timeline);
	REP_VEC(struct rep_peer, outside);
	REP_VEC(struct rep_host, inside);
	REP_VEC(struct rep_newhost, new_hosts);
	REP_VEC(struct rep_scan, scans);
	REP_VEC(struct rep_port, ports_in);
	REP_VEC(struct rep_port, ports_out);
	REP_VEC(struct rep_counter, lost);
};

/*
 * Room for one more element at the end of vec (a REP_VEC); returns it,
 * zeroed, or NULL when memory is out.
 */
#define REP_PUSH(vec) ((__typeof__((vec).v))rep_grow((void **)&(vec).v, \
    &(vec).n, &(vec).cap, sizeof(*(vec).v)))
void *rep_grow(void **v, size_t *n, size_t *cap, size_t size);

/* A copy of s (NULL stays NULL); exits with a message when out of memory. */
char *rep_strdup(const char *s);

/* Is the period empty: no event, no scan, no new host? */
int model_empty(const struct report *r);

/*
 * The timeline: one entry for each hour that overlaps [from, to), zero
 * until the database's counts are added, so charts need no logic for
 * gaps.  model_hours() makes it (-1: out of memory); model_hour() is the
 * entry of the hour holding t, NULL outside the period.
 */
int model_hours(struct report *r);
struct rep_hour *model_hour(struct report *r, time_t t);

void model_free(struct report *r);

#endif
