/*
 * inform.h - the informs acknowledged in the last minute, so that a
 * retransmission (same sender address and port, same request-id, same
 * varbinds) is acknowledged again but its events are written only once.
 * A new inform that reuses a request-id (a rebooted router, firmware that
 * counts from 0, a forged copy sent first) differs in its varbinds and
 * is written.
 *
 * A fixed table of INFORM_TABLE entries, keyed hash: under a flood of
 * informs from many senders an old entry may be overwritten early, and
 * a late retransmission of it is then written again (never lost).
 */
#ifndef LINKLOG_INFORM_H
#define LINKLOG_INFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#define INFORM_TABLE 4096
#define INFORM_WINDOW 60        /* seconds a request-id is remembered */

struct inform_table;

struct inform_table *inform_table_new(void);
void inform_table_free(struct inform_table *t);

/*
 * Whether request_id from sa (address and port), with the same varbinds
 * (their keyed hash, inform_fingerprint()), was first seen less than
 * INFORM_WINDOW seconds before now; if not, it is remembered from now.
 */
int inform_seen(struct inform_table *t, const struct sockaddr *sa,
    long request_id, uint64_t fingerprint, time_t now);

/* The keyed hash of an inform's varbinds, as received. */
uint64_t inform_fingerprint(const void *varbinds, size_t len);

#endif
