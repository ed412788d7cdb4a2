/*
 * report.c - rate-limited warnings about senders' unusable datagrams.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "report.h"

#define TABLE 512               /* (sender, kind) pairs tracked */

struct entry {
	uint8_t used, kind, family;
	uint8_t addr[16];
	time_t last;
	unsigned long held;     /* occurrences since the last report */
};

struct reporter {
	struct entry table[TABLE];
	time_t minute;          /* start of the global cap's window */
	unsigned written;       /* reports written in it */
	unsigned long held;     /* reports the cap held back in it */
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

struct reporter *
report_new(void)
{
	return calloc(1, sizeof(struct reporter));
}

void
report_free(struct reporter *r)
{
	free(r);
}

/* The sender as family + 16 bytes, v4-mapped as v4 (as access.c). */
static void
key_of(const struct sockaddr *sa, uint8_t *family, uint8_t addr[16])
{
	const struct in6_addr *a6;

	memset(addr, 0, 16);
	if (sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return;
	}
	a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a6)) {
		*family = AF_INET;
		memcpy(addr, &a6->s6_addr[12], 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, a6, 16);
	}
}

/* Hashed; a newcomer takes the slot over (its count starts again). */
static struct entry *
slot(struct reporter *r, enum report_kind kind, const struct sockaddr *sa)
{
	uint8_t family, addr[16];
	uint32_t h;
	struct entry *e;

	key_of(sa, &family, addr);
	h = (2166136261u ^ family ^ ((uint32_t)kind << 8));
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	e = &r->table[h % TABLE];
	if (!e->used || e->kind != kind || e->family != family ||
	    memcmp(e->addr, addr, 16) != 0) {
		memset(e, 0, sizeof(*e));
		e->used = 1;
		e->kind = (uint8_t)kind;
		e->family = family;
		memcpy(e->addr, addr, 16);
	}
	return e;
}

/* Whether the global cap lets one more report through at now. */
static int
within_cap(struct reporter *r, time_t now)
{
	if (now - r->minute >= REPORT_INTERVAL || now < r->minute) {
		if (r->held > 0)
			log_msg(LOG_WARNING, "held back %lu report%s of unusable "
			    "datagrams (more than %d a minute)", r->held,
			    r->held == 1 ? "" : "s", REPORT_CAP);
		r->minute = now;
		r->written = 0;
		r->held = 0;
	}
	if (r->written >= REPORT_CAP) {
		r->held++;
		return 0;
	}
	r->written++;
	return 1;
}

int
report(struct reporter *r, enum report_kind kind, const struct sockaddr *sa,
    time_t now, const char *detail)
{
	struct entry *e = slot(r, kind, sa);
	char text[ADDR_TEXT_LEN], more[64] = "";

	if (e->last != 0 && now - e->last < REPORT_INTERVAL && now >= e->last) {
		e->held++;
		return 0;
	}
	if (!within_cap(r, now)) {
		e->held++;
		return 0;
	}
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
