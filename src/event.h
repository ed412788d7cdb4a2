/*
 * event.h - one connection reported by a router, or an event linklog
 * makes of several (a scan, a repeat): the unit that flows from the
 * parser through scan and repeat folding, name resolution and filtering
 * to the renderer.
 *
 * An event is plain data, copied by value; it holds no pointers, so it can
 * wait in the pipeline's queue after the datagram it came from is gone.
 */
#ifndef LINKLOG_EVENT_H
#define LINKLOG_EVENT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Longest host name we accept or print: RFC 1035 presentation form. */
#define HOST_NAME_LEN 253
/* Room for the longest message the parser accepts (two names, addresses,
 * ports and keywords), kept for JSON's event.original. */
#define EVENT_ORIGINAL_MAX 640

/*
 * Where an outside address is (geo.h): from MaxMind DB files, cut to these
 * lengths (NUL included) at a UTF-8 boundary; empty strings and asn 0
 * when unknown.  Bytes as the file holds them: escaped when written.
 */
#define GEO_ISO_LEN 4           /* "GB": ISO 3166-1 alpha-2 */
#define GEO_NAME_LEN 64         /* English country and city names */
#define GEO_ORG_LEN 128         /* AS organisation */

struct geo_data {
	uint32_t asn;                   /* 0: unknown */
	char iso[GEO_ISO_LEN];
	char country[GEO_NAME_LEN];
	char city[GEO_NAME_LEN];
	char org[GEO_ORG_LEN];
};

enum direction { DIR_IN, DIR_OUT };
/* PROTO_UNKNOWN: the message's form does not say (older firmware);
 * rendered "-", and matched by no --filter-protocol pattern. */
enum protocol { PROTO_TCP, PROTO_UDP, PROTO_UNKNOWN };

struct endpoint {
	struct in_addr addr;            /* network byte order */
	uint16_t port;                  /* host byte order; 0 if unknown */
	uint8_t port_unknown;           /* 1: the message does not carry it
	                                 * (arrow form's source): rendered
	                                 * "-", matched by no port pattern */
	uint8_t has_name;               /* name carried in the message */
	char name[HOST_NAME_LEN + 1];   /* NUL-terminated when has_name */
	struct geo_data geo;            /* filled by the geo stage */
};

/* The sender of the datagram: v4 or v6, kept compact. */
struct router {
	struct sockaddr_storage addr;
	socklen_t len;
};

/*
 * What an event is.  EVENT_CONNECTION (0) is what the router reported;
 * the others linklog makes (scan.c, repeat.c; new-host for the
 * inventory) and carry a struct event_summary.
 */
enum event_kind {
	EVENT_CONNECTION = 0,
	EVENT_SCAN_START,       /* a source became a scanner */
	EVENT_SCAN_SUMMARY,     /* what a scanner did (since the last one) */
	EVENT_REPEAT,           /* an event that came again, counted */
	EVENT_NEW_HOST,         /* an inside host seen for the first time */
	EVENT_KINDS
};

/* The first ports (vertical scan) or targets (horizontal) of a scan. */
#define EVENT_SAMPLE_MAX 20

/*
 * The figures of a made event.  count: distinct ports (vertical scan),
 * distinct targets (horizontal) or times it came (repeat); at_least: the
 * count is a lower bound.  suppressed: connection events not written one
 * by one that this event accounts for (since the previous summary of the
 * same scan).  first/last: the times of the first and last connection.
 */
struct event_summary {
	uint32_t count;
	uint32_t suppressed;
	uint32_t events;                /* connection events it covers */
	time_t first, last;
	uint32_t first_usec, last_usec;
	uint8_t horizontal;             /* one port on many targets */
	uint8_t at_least;
	uint8_t final;                  /* the scan is over (quiet, stop) */
	uint8_t any_target;             /* more than one target: no dst.addr */
	uint8_t any_port;               /* more than one port: no dst.port */
	uint8_t nsample;
	/* Ports, or targets (network byte order). */
	uint32_t sample[EVENT_SAMPLE_MAX];
};

/* Microseconds from first to last; 0 if last is not later, at most
 * about 31 years (the figures of a made event come from linklog's own
 * clock, but a summary is plain data). */
static inline uint64_t
event_duration_us(const struct event_summary *s)
{
	time_t d;

	if (s->last < s->first || __builtin_sub_overflow(s->last, s->first,
	    &d) || d > (time_t)1000000000)
		return s->last < s->first ? 0 : UINT64_C(1000000000) * 1000000;
	if (d == 0 && s->last_usec <= s->first_usec)
		return 0;
	return (uint64_t)d * 1000000 + s->last_usec - s->first_usec;
}

struct event {
	enum event_kind kind;
	/* A connection of a scanner under scan.action "annotate": written,
	 * and marked so. */
	uint8_t scan_mark;
	enum direction dir;
	enum protocol proto;
	struct endpoint src, dst;
	struct router router;
	/* The address the trap claims to come from (v1 agent-addr, v2c
	 * snmpTrapAddress.0): a relay's or NAT'd router's own address.  Not
	 * verified; access control uses router.  Template token %g. */
	uint8_t has_agent;
	struct in_addr agent;           /* network byte order */
	time_t time;                    /* when the datagram was received */
	uint32_t usec;                  /* and the microseconds of that second */
	uint16_t original_len;
	char original[EVENT_ORIGINAL_MAX];      /* the message as received */
	struct event_summary sum;       /* kinds other than connection */
};

/*
 * A made event's common part (scan.c, repeat.c): kind, direction,
 * protocol, source and destination addresses (network byte order), no
 * source port, no message; everything else zero.
 */
static inline void
event_made(struct event *out, enum event_kind kind, uint8_t dir,
    uint8_t proto, uint32_t src, uint32_t dst)
{
	memset(out, 0, offsetof(struct event, original));
	memset(&out->sum, 0, sizeof(out->sum));
	out->kind = kind;
	out->dir = dir ? DIR_OUT : DIR_IN;
	out->proto = (enum protocol)proto;
	out->src.addr.s_addr = src;
	out->src.port_unknown = 1;
	out->dst.addr.s_addr = dst;
	out->original_len = 0;
}

/* The first and last connection a made event covers (wall time). */
static inline void
event_span(struct event_summary *s, time_t first, uint32_t first_usec,
    time_t last, uint32_t last_usec)
{
	s->first = first;
	s->first_usec = first_usec;
	s->last = last;
	s->last_usec = last_usec;
}

/* The wall time at now (ms on the monotonic clock): that of the last
 * event, seen at seen (ms), plus the time since. */
static inline void
event_time_at(time_t last, uint32_t last_usec, uint64_t seen, uint64_t now,
    time_t *sec, uint32_t *usec)
{
	uint64_t us = (uint64_t)last_usec + (now > seen ? (now - seen) * 1000 :
	    0);

	*sec = last + (time_t)(us / 1000000);
	*usec = (uint32_t)(us % 1000000);
}

#endif
