/*
 * report.c - rate-limited warnings about senders' unusable datagrams.
 *
 * A (sender, kind) pair lives in a bucket of WAYS entries chosen by a keyed
 * hash; when the bucket is full the pair reported least recently leaves,
 * and the occurrences it had not reported go to the summary.  Occurrences
 * a report did not carry (within a sender's minute, over the global cap)
 * stay on their entry until a later report carries them or, a minute on,
 * report_tick() moves them to the summary, which is written once the
 * global minute is over: every occurrence is in some line.  Lines: at
 * most REPORT_CAP reports and one summary a minute.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "keyhash.h"
#include "log.h"
#include "decode.h"
#include "report.h"

#define BUCKETS 128
#define WAYS 4                  /* 512 (sender, kind) pairs tracked */

struct entry {
	uint8_t used, kind, family;
	uint8_t addr[16];
	time_t last;            /* its last report; 0: none yet */
	time_t seen;            /* its last occurrence: eviction order */
	unsigned long held;     /* occurrences no report has carried */
};

struct reporter {
	struct entry table[BUCKETS][WAYS];
	time_t minute;          /* start of the global cap's window */
	unsigned written;       /* reports written in it */
	unsigned long backlog[REPORT_KINDS];    /* for the summary */
	int pending;            /* some entry holds occurrences */
	time_t next_tick;       /* report_tick() works once a second */
	time_t last_summary;    /* 0: none yet */
	time_t backlog_since;   /* when the backlog began; 0: empty */
};

static const char *const noun[REPORT_KINDS] = {
	"malformed datagram",
	"SNMPv3 datagram",
	"unsupported SNMP PDU",
	"unparsed log message",
};
static const char *const hint[REPORT_KINDS] = {
	"not a valid SNMPv1 or SNMPv2c message",
	"SNMPv3 is not supported: configure the sender to send SNMPv2c (or "
	    "SNMPv1) traps or informs with a community",
	"linklog receives traps and informs only",
	NULL,
};

static int collect(struct reporter *r, time_t now, int force);
static int backlog_empty(const struct reporter *r);
static void write_summary(struct reporter *r);

struct reporter *
report_new(void)
{
	return calloc(1, sizeof(struct reporter));
}

/* At a stop: what no report has said yet is said now. */
void
report_free(struct reporter *r)
{
	if (r == NULL)
		return;
	collect(r, 0, 1);
	if (!backlog_empty(r))
		write_summary(r);
	free(r);
}

/* The entry of (sa, kind); a newcomer takes the way seen least recently,
 * whose unreported occurrences go to the summary. */
static struct entry *
slot(struct reporter *r, enum report_kind kind, const struct sockaddr *sa,
    time_t now)
{
	uint8_t key[18];
	struct entry *b, *e = NULL;

	addr_key(sa, &key[0], key + 2);
	key[1] = (uint8_t)kind;
	b = r->table[keyhash(key, sizeof(key)) % BUCKETS];
	for (int w = 0; w < WAYS; w++) {
		if (b[w].used && b[w].kind == kind && b[w].family == key[0] &&
		    memcmp(b[w].addr, key + 2, 16) == 0) {
			e = &b[w];
			break;
		}
		if (e == NULL || !b[w].used || (e->used && b[w].seen < e->seen))
			e = &b[w];
	}
	if (!e->used || e->kind != kind || e->family != key[0] ||
	    memcmp(e->addr, key + 2, 16) != 0) {
		if (e->used)
			r->backlog[e->kind] += e->held;
		memset(e, 0, sizeof(*e));
		e->used = 1;
		e->kind = (uint8_t)kind;
		e->family = key[0];
		memcpy(e->addr, key + 2, 16);
	}
	e->seen = now;
	return e;
}

/* Start a new global minute when the last one is over. */
static void
new_minute(struct reporter *r, time_t now)
{
	if (now - r->minute >= REPORT_INTERVAL || now < r->minute) {
		r->minute = now;
		r->written = 0;
	}
}

int
report(struct reporter *r, enum report_kind kind, const struct sockaddr *sa,
    time_t now, const char *detail)
{
	struct entry *e = slot(r, kind, sa, now);
	char text[ADDR_TEXT_LEN], more[64] = "";

	new_minute(r, now);
	if ((e->last != 0 && now - e->last < REPORT_INTERVAL &&
	    now >= e->last) || r->written >= REPORT_CAP) {
		e->held++;
		r->pending = 1;
		return 0;
	}
	r->written++;
	inet_ntop(e->family, e->addr, text, sizeof(text));
	if (e->held > 0)
		snprintf(more, sizeof(more), " (and %lu more since the last "
		    "report)", e->held);
	log_msg(LOG_WARNING, "%s from %s%s%s%s%s%s", noun[kind], text,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "",
	    hint[kind] != NULL ? (detail != NULL ? "; " : ": ") : "",
	    hint[kind] != NULL ? hint[kind] : "", more);
	e->held = 0;
	e->last = now;
	return 1;
}

/* Move what entries have held for a minute (or since a report that never
 * came; all with force) to the backlog; returns whether some still hold
 * occurrences. */
static int
collect(struct reporter *r, time_t now, int force)
{
	int holding = 0;

	for (int i = 0; i < BUCKETS; i++) {
		for (int w = 0; w < WAYS; w++) {
			struct entry *e = &r->table[i][w];
			if (!e->used || e->held == 0)
				continue;
			if (force || e->last == 0 ||
			    now - e->last >= REPORT_INTERVAL || now < e->last) {
				r->backlog[e->kind] += e->held;
				e->held = 0;
			} else {
				holding = 1;
			}
		}
	}
	return holding;
}

static int
backlog_empty(const struct reporter *r)
{
	for (int k = 0; k < REPORT_KINDS; k++)
		if (r->backlog[k] > 0)
			return 0;
	return 1;
}

/* "held back 1980 reports of unusable datagrams (...): malformed
 * datagram 1978, SNMPv3 datagram 2". */
static void
write_summary(struct reporter *r)
{
	char kinds[256];
	size_t n = 0;
	unsigned long total = 0;

	kinds[0] = '\0';
	for (int k = 0; k < REPORT_KINDS; k++) {
		if (r->backlog[k] == 0)
			continue;
		total += r->backlog[k];
		n += (size_t)snprintf(kinds + n, sizeof(kinds) - n, "%s%s %lu",
		    n > 0 ? ", " : "", noun[k], r->backlog[k]);
		r->backlog[k] = 0;
	}
	log_msg(LOG_WARNING, "held back %lu report%s of unusable datagrams "
	    "(one a minute per sender, %d a minute in all): %s", total,
	    total == 1 ? "" : "s", REPORT_CAP, kinds);
}

void
report_tick(struct reporter *r, time_t now)
{
	if ((!r->pending && backlog_empty(r)) || now < r->next_tick)
		return;
	r->next_tick = now + 1;
	r->pending = collect(r, now, 0);
	if (backlog_empty(r))
		return;
	/* Gathered a second or two, so a burst makes one line, not two. */
	if (r->backlog_since == 0)
		r->backlog_since = now;
	if (now - r->backlog_since >= 2 && (r->last_summary == 0 ||
	    now - r->last_summary >= REPORT_INTERVAL)) {
		write_summary(r);
		r->last_summary = now;
		r->backlog_since = 0;
	}
}

int
report_timeout_ms(const struct reporter *r, uint64_t now_ms)
{
	uint64_t due = (uint64_t)r->next_tick * 1000;

	if (!r->pending && backlog_empty(r))
		return -1;
	return due > now_ms ? (int)(due - now_ms) : 0;
}

void
report_unusable(struct reporter *r, enum decode_status st,
    const struct trap *trap, const struct sockaddr *sa, time_t now)
{
	char detail[64];

	if (st == DECODE_MALFORMED) {
		report(r, REPORT_MALFORMED, sa, now, NULL);
		return;
	}
	if (trap->version == 3) {
		report(r, REPORT_SNMPV3, sa, now, NULL);
		return;
	}
	if (trap->pdu == 0)
		snprintf(detail, sizeof(detail), "unknown SNMP version");
	else
		snprintf(detail, sizeof(detail), "%s in SNMPv%s",
		    decode_pdu_name(trap->pdu), trap->version == 1 ? "1" : "2c");
	report(r, REPORT_PDU, sa, now, detail);
}
