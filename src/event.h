/*
 * event.h - one connection reported by a router: the unit that flows from
 * the parser through name resolution and filtering to the renderer.
 *
 * An event is plain data, copied by value; it holds no pointers, so it can
 * wait in the pipeline's queue after the datagram it came from is gone.
 */
#ifndef LINKLOG_EVENT_H
#define LINKLOG_EVENT_H

#include <netinet/in.h>
#include <stdint.h>
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

struct event {
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
};

#endif
