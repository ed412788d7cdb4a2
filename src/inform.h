/*
 * inform.h - the informs acknowledged in the last minute, so that a
 * retransmission (same sender address and port, same request-id) is
 * acknowledged again but its events are written only once.
 *
 * A fixed table of INFORM_TABLE entries, hashed: under a flood of
 * informs from many senders an old entry may be overwritten early, and
 * a late retransmission of it is then written again (never lost).
 */
#ifndef LINKLOG_INFORM_H
#define LINKLOG_INFORM_H

#include <sys/socket.h>
#include <time.h>

#define INFORM_TABLE 4096
#define INFORM_WINDOW 60        /* seconds a request-id is remembered */

struct inform_table;

struct inform_table *inform_table_new(void);
void inform_table_free(struct inform_table *t);

/*
 * Whether request_id from sa (address and port) was first seen less than
 * INFORM_WINDOW seconds before now; if not, it is remembered from now.
 */
int inform_seen(struct inform_table *t, const struct sockaddr *sa,
    long request_id, time_t now);

#endif
