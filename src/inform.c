/*
 * inform.c - the InformRequest's bookkeeping: recently acknowledged
 * informs, to write a retransmitted one once, and the Response that
 * acknowledges one, sent through the reply handle of its datagram.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "decode.h"
#include "inform.h"
#include "parse.h"
#include "unparsed.h"
#include "keyhash.h"

struct inform_entry {
	uint8_t used, family;
	uint16_t port;
	uint8_t addr[16];
	long request_id;
	uint64_t fingerprint;
	time_t first;
};

struct inform_table {
	struct inform_entry e[INFORM_TABLE];
};

struct inform_table *
inform_table_new(void)
{
	return calloc(1, sizeof(struct inform_table));
}

void
inform_table_free(struct inform_table *t)
{
	free(t);
}

/* The sender as family, 16 address bytes and port. */
static void
key_of(const struct sockaddr *sa, uint8_t *family, uint8_t addr[16],
    uint16_t *port)
{
	memset(addr, 0, 16);
	*family = (uint8_t)sa->sa_family;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		memcpy(addr, &sin->sin_addr, 4);
		*port = sin->sin_port;
	} else {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)sa;
		memcpy(addr, &sin6->sin6_addr, 16);
		*port = sin6->sin6_port;
	}
}

uint64_t
inform_fingerprint(const void *varbinds, size_t len)
{
	return keyhash(varbinds, len);
}

int
inform_seen(struct inform_table *t, const struct sockaddr *sa,
    long request_id, uint64_t fingerprint, time_t now, int remember)
{
	uint8_t family, addr[16], key[1 + 16 + 2 + sizeof(long)];
	uint16_t port;
	struct inform_entry *e;

	key_of(sa, &family, addr, &port);
	/* Keyed: a sender cannot pick the request-id that lands on another
	 * sender's entry to push it out before its retransmission. */
	key[0] = family;
	memcpy(key + 1, addr, 16);
	memcpy(key + 17, &port, 2);
	memcpy(key + 19, &request_id, sizeof(long));
	e = &t->e[keyhash(key, sizeof(key)) % INFORM_TABLE];
	if (e->used && e->family == family && e->port == port &&
	    e->request_id == request_id && e->fingerprint == fingerprint &&
	    memcmp(e->addr, addr, 16) == 0 &&
	    now >= e->first && now - e->first < INFORM_WINDOW)
		return 1;
	if (!remember)
		return 0;
	e->used = 1;
	e->family = family;
	e->port = port;
	memcpy(e->addr, addr, 16);
	e->request_id = request_id;
	e->fingerprint = fingerprint;
	e->first = now;
	return 0;
}

int
inform_answer(const struct trap *trap, const struct reply_to *reply,
    const struct sockaddr *to, socklen_t tolen)
{
	/* Never longer than the inform (decode.h), so this always fits. */
	unsigned char buf[RECEIVE_DATAGRAM_MAX + 64];
	size_t n = decode_inform_response(trap, buf, sizeof(buf));

	if (n == 0)
		return -1;
	return receive_reply(reply, buf, n, to, tolen);
}

int
inform_repeats(struct inform_table *t, const struct trap *trap,
    const struct sockaddr *from, uint64_t now)
{
	return inform_seen(t, from, trap->request_id,
	    inform_fingerprint(trap->varbinds, trap->varbinds_len),
	    (time_t)(now / 1000), 0);
}

/* Answer an accepted inform through the handle of its datagram. */
static void
acknowledge(const struct trap *trap, const struct datagram *dg,
    struct inform_stats *st)
{
	if (inform_answer(trap, &dg->reply, dg->from, dg->fromlen) == 0)
		st->responses++;
	else
		st->response_errors++;
}

/*
 * An inform passes the rate limit whole or not at all, its answer with
 * it: answered, it is not sent again, so none of its lines may be
 * dropped; unanswered, it is sent again, so none may be written.  A
 * retransmission of one already written is answered and costs one.
 */
enum inform_verdict
inform_admit(struct inform_table *t, struct access *ac,
    const struct trap *trap, const struct datagram *dg, uint64_t cost,
    uint64_t events, uint64_t now, struct inform_stats *st)
{
	uint64_t fp = inform_fingerprint(trap->varbinds, trap->varbinds_len);
	time_t sec = (time_t)(now / 1000);
	int repeat = inform_seen(t, dg->from, trap->request_id, fp, sec, 0);

	if (repeat)
		cost = 1;
	if (ac != NULL && !access_rate_n(ac, dg->from, now, cost,
	    repeat ? 0 : events, ACCESS_EVENTS)) {
		st->informs_limited++;
		return INFORM_LIMITED;
	}
	st->informs++;
	acknowledge(trap, dg, st);
	if (repeat) {
		st->inform_repeats++;
		return INFORM_REPEAT;
	}
	inform_seen(t, dg->from, trap->request_id, fp, sec, 1);
	return INFORM_NEW;
}

void
inform_cost(const struct span *spans, size_t n, int forward, uint64_t *cost,
    uint64_t *events)
{
	*cost = *events = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = parse_count(spans[i].text, spans[i].len);
		*events += k;
		if (k > 0)
			*cost += k;
		else if (forward)
			*cost += unparsed_cost(spans[i].len);
	}
	if (*cost == 0)
		*cost = 1;      /* an answer costs one, whatever it carries */
}
