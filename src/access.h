/*
 * access.h - who may send traps, and how many events a sender may cause.
 *
 * Senders outside --allow-from are dropped before decoding; traps with a
 * community not in --community are dropped after it; --rate-limit caps
 * the events per second per sender.  Each is counted, and reported at
 * most once a minute per sender (once a second for the rate limit), and
 * at most one line a second for each kind whatever the number of senders
 * (then as a summary), so a flood cannot flood the log.  Tables are fixed
 * in size and keyed against chosen collisions.  Times are ms on the
 * monotonic clock (loop_now()).
 */
#ifndef LINKLOG_ACCESS_H
#define LINKLOG_ACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "options.h"

/* rate_limited: events over --rate-limit; forward_limited: forwarded
 * strings over it. */
struct access_stats {
	uint64_t rejected_sender, rejected_community, rate_limited;
	uint64_t forward_limited;
};

enum access_unit { ACCESS_EVENTS, ACCESS_STRINGS };

struct access;

/* NULL with a message in err for a bad CIDR. */
struct access *access_new(const struct string_list *allow_from,
    const struct string_list *community, unsigned rate_limit, char *err,
    size_t errlen);
void access_free(struct access *a);

/* Whether any check is configured at all. */
int access_active(const struct access *a);
/* Whether --rate-limit is set. */
int access_rate_limited(const struct access *a);

int access_sender(struct access *a, const struct sockaddr *sa, uint64_t now);
int access_community(struct access *a, const struct sockaddr *sa,
    const unsigned char *community, size_t len, uint64_t now);
/* One event from sa at now: 1 to write it, 0 if over the limit. */
int access_rate(struct access *a, const struct sockaddr *sa, uint64_t now);
/*
 * A charge of cost to sa's budget for lines events or forwarded strings
 * (unit) at once, all or none (an inform's, a long string's): 1 if the
 * sender's budget is not used up (the whole cost is then taken, the
 * excess carried into the next seconds), else 0 and the lines are
 * counted as suppressed.
 */
int access_rate_n(struct access *a, const struct sockaddr *sa, uint64_t now,
    uint64_t cost, uint64_t lines, enum access_unit unit);

/* Log the summaries that are due (rate limit of seconds that are over,
 * rejects held back by the global cap or left by evicted senders). */
void access_tick(struct access *a, uint64_t now);

/* ms until access_tick() has something to log; -1: nothing waits. */
int access_timeout_ms(const struct access *a, uint64_t now);

/* Let the event loop run access_tick() when a summary is due; an access
 * checker replaced at a reload is detached (access_free() does it). */
struct loop;
int access_attach(struct access *a, struct loop *l);
void access_detach(struct access *a);

const struct access_stats *access_stats(const struct access *a);

/* Parse "ADDR/BITS" or "ADDR" (BITS: digits only); an IPv4-mapped IPv6
 * address (/96 or longer) becomes its IPv4 address. */
int access_parse_cidr(const char *text, uint8_t *family, uint8_t addr[16],
    unsigned *bits);

/*
 * The settings' checks (0, or -1 with the reason in err): an address or
 * network of allow_from; a community the decoder can hold whole.
 */
int access_check_cidr(const char *v, char *err, size_t errlen);
int access_check_community(const char *v, char *err, size_t errlen);

/*
 * Count into to (the daemon's counters, which outlive this access built
 * for one configuration) from now on; access_stats() then returns to.
 */
void access_count_into(struct access *a, struct access_stats *to);

#endif
