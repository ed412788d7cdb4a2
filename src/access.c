/*
 * access.c - sender and community checks, per-sender rate limits.
 *
 * Senders are tracked in tables with a keyed hash (keyhash.h) and buckets
 * of ACCESS_WAYS entries: senders chosen to collide cannot share one slot
 * and take it over in turn (which reset the rate limit's count at every
 * change).  When a bucket is full the sender seen least recently leaves,
 * and what it had not reported yet goes to the next summary; if it sends
 * again within the second it starts a fresh budget, so under a flood of
 * thousands of spoofed senders the limit holds per entry, not exactly
 * per address (no amplification: each of those senders has a budget of
 * its own anyway; docs/SECURITY.md).  Reports
 * are capped globally: at most one line a second for rejects and one for
 * the rate limit, whatever the number of senders.  Every interval is
 * measured on the monotonic clock (ms), so a step of the wall clock
 * neither silences nor repeats them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "access.h"
#include "loop.h"
#include "addr.h"
#include "decode.h"
#include "keyhash.h"
#include "log.h"

#define BUCKETS 1024
#define ACCESS_WAYS 4           /* 4,096 senders tracked per table */
#define REPORT_INTERVAL_MS 60000        /* per sender, for rejects */
#define LINE_INTERVAL_MS 1000           /* any sender, per kind */

struct net {
	uint8_t family;
	uint8_t addr[16];
	unsigned bits;
};

/* A sender, as seen by the rate limiter or the reject reporter. */
struct sender {
	uint8_t family, used;
	uint8_t addr[16];
	const char *why;                /* of its last reject */
	uint64_t seen;                  /* ms, last datagram: eviction */
	uint64_t second;                /* rate: the second counted */
	uint64_t last_report;           /* ms; 0: never reported */
	uint64_t count, suppressed, rejected;
};

/* Counts no sender's line carries yet: summed into the next summary. */
struct backlog {
	uint64_t count, senders;
	struct sender top;              /* the one with most, for the line */
	uint64_t top_count;
};

struct table {
	struct sender s[BUCKETS][ACCESS_WAYS];
};

struct access {
	struct net nets[OPTIONS_MAX_LIST];
	size_t nnets;
	char *community[OPTIONS_MAX_LIST];
	size_t ncommunity;
	unsigned rate_limit;
	struct access_stats own, *stats;  /* stats: the daemon's, or NULL: own */
	struct table *rate, *rejects;
	struct backlog rate_evicted, rejects_evicted;
	uint64_t last_second;           /* of the last rate summary */
	struct loop *loop;              /* attached to, or NULL */
	int timer, hook;
	uint64_t next_reject_line;      /* ms: no reject line before */
	int rate_due, rejects_due;      /* a summary is waiting */
};

/* Where the counters go: the daemon's, which outlive a reload, if given. */
static struct access_stats *
counts(struct access *a)
{
	return a->stats != NULL ? a->stats : &a->own;
}

/* ::ffff:0:0/96, compared byte-wise: addr need not be aligned. */
static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int
access_parse_cidr(const char *text, uint8_t *family, uint8_t addr[16],
    unsigned *bits)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long b;
	unsigned max;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	memset(addr, 0, 16);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	*bits = max;
	if (slash != NULL) {
		/* Digits only: strtoul would take "-0", "+8" and " 8". */
		if (*slash < '0' || *slash > '9')
			return -1;
		b = strtoul(slash, &end, 10);
		if (*end != '\0' || b > max)
			return -1;
		*bits = (unsigned)b;
	}
	/* Senders are keyed as IPv4: an IPv4-mapped entry is its IPv4. */
	if (*family == AF_INET6 && memcmp(addr, v4mapped_prefix, 12) == 0) {
		if (*bits < 96)
			return -1;
		memmove(addr, addr + 12, 4);
		memset(addr + 4, 0, 12);
		*family = AF_INET;
		*bits -= 96;
	}
	return 0;
}

struct access *
access_new(const struct string_list *allow_from,
    const struct string_list *community, unsigned rate_limit, char *err,
    size_t errlen)
{
	struct access *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < allow_from->n; i++) {
		struct net *n = &a->nets[a->nnets++];
		if (access_parse_cidr(allow_from->v[i], &n->family, n->addr,
		    &n->bits) < 0) {
			snprintf(err, errlen, "invalid allow_from '%s' (expected "
			    "ADDRESS or ADDRESS/BITS, IPv4 or IPv6)",
			    allow_from->v[i]);
			free(a);
			return NULL;
		}
	}
	for (size_t i = 0; i < community->n; i++)
		a->community[a->ncommunity++] = (char *)community->v[i];
	a->rate_limit = rate_limit;
	a->rate = calloc(1, sizeof(*a->rate));
	a->rejects = calloc(1, sizeof(*a->rejects));
	if (a->rate == NULL || a->rejects == NULL) {
		snprintf(err, errlen, "out of memory");
		access_free(a);
		return NULL;
	}
	return a;
}

void
access_free(struct access *a)
{
	if (a == NULL)
		return;
	access_detach(a);
	free(a->rate);
	free(a->rejects);
	free(a);
}

int
access_active(const struct access *a)
{
	return a->nnets > 0 || a->ncommunity > 0 || a->rate_limit > 0;
}

static int
in_net(const struct net *n, uint8_t family, const uint8_t addr[16])
{
	unsigned full = n->bits / 8, rest = n->bits % 8;

	if (n->family != family)
		return 0;
	if (memcmp(n->addr, addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (n->addr[full] & mask) == (addr[full] & mask);
}

/* What an evicted sender had not reported yet goes to the backlog. */
static void
to_backlog(struct backlog *b, const struct sender *s, uint64_t count)
{
	if (count == 0)
		return;
	b->count += count;
	b->senders++;
	if (count >= b->top_count) {
		b->top = *s;
		b->top_count = count;
	}
}

/*
 * The entry of a sender: found in its bucket, or made there in place of
 * a free entry or of the one seen least recently.
 */
static struct sender *
slot(struct access *a, struct table *t, uint8_t family,
    const uint8_t addr[16], uint64_t now)
{
	uint8_t key[17];
	struct sender *b, *victim;

	key[0] = family;
	memcpy(key + 1, addr, 16);
	b = t->s[keyhash(key, sizeof(key)) % BUCKETS];
	victim = &b[0];
	for (int i = 0; i < ACCESS_WAYS; i++) {
		if (b[i].used && b[i].family == family &&
		    memcmp(b[i].addr, addr, 16) == 0) {
			b[i].seen = now;
			return &b[i];
		}
		if (victim->used && (!b[i].used || b[i].seen < victim->seen))
			victim = &b[i];
	}
	if (victim->used && t == a->rate) {
		to_backlog(&a->rate_evicted, victim, victim->suppressed);
		a->rate_due |= victim->suppressed > 0;
	} else if (victim->used) {
		to_backlog(&a->rejects_evicted, victim, victim->rejected);
		a->rejects_due |= victim->rejected > 0;
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = 1;
	victim->family = family;
	victim->seen = now;
	memcpy(victim->addr, addr, 16);
	return victim;
}

static void
sender_text(const struct sender *s, char *buf, size_t size)
{
	inet_ntop(s->family, s->addr, buf, (socklen_t)size);
}

static int
reject_due(const struct sender *s, uint64_t now)
{
	return s->rejected > 0 && (s->last_report == 0 ||
	    now - s->last_report >= REPORT_INTERVAL_MS);
}

static void
reject_line(struct access *a, struct sender *s, uint64_t now)
{
	char text[ADDR_TEXT_LEN];

	sender_text(s, text, sizeof(text));
	log_msg(LOG_WARNING, "rejected %llu datagram%s from %s (%s)",
	    (unsigned long long)s->rejected, s->rejected == 1 ? "" : "s", text,
	    s->why);
	s->rejected = 0;
	s->last_report = now;
	a->next_reject_line = now + LINE_INTERVAL_MS;
}

/*
 * A reject is reported at once if its sender's minute is over and no
 * reject line was written this second; otherwise it waits for the next
 * summary (access_tick()) or its sender's next minute.
 */
static void
reject(struct access *a, const struct sockaddr *sa, uint64_t now,
    const char *why)
{
	uint8_t family, addr[16];
	struct sender *s;

	addr_key(sa, &family, addr);
	s = slot(a, a->rejects, family, addr, now);
	s->rejected++;
	s->why = why;
	if (!reject_due(s, now))
		return;
	if (now >= a->next_reject_line)
		reject_line(a, s, now);
	else
		a->rejects_due = 1;
}

int
access_sender(struct access *a, const struct sockaddr *sa, uint64_t now)
{
	uint8_t family, addr[16];

	if (a->nnets == 0)
		return 1;
	addr_key(sa, &family, addr);
	for (size_t i = 0; i < a->nnets; i++)
		if (in_net(&a->nets[i], family, addr))
			return 1;
	counts(a)->rejected_sender++;
	reject(a, sa, now, "not in allow_from");
	return 0;
}

int
access_community(struct access *a, const struct sockaddr *sa,
    const unsigned char *community, size_t len, uint64_t now)
{
	if (a->ncommunity == 0)
		return 1;
	for (size_t i = 0; i < a->ncommunity; i++)
		if (strlen(a->community[i]) == len &&
		    memcmp(a->community[i], community, len) == 0)
			return 1;
	counts(a)->rejected_community++;
	reject(a, sa, now, "wrong community");
	return 0;
}

int
access_rate_limited(const struct access *a)
{
	return a->rate_limit > 0;
}

/*
 * The budget of a sender is rate_limit a second, and what it has used
 * carries over: a charge passes while the used count is below the limit
 * and adds its whole cost, so one inform (or forwarded string) that
 * costs more than a second's budget can pass, and its excess is paid
 * back in the seconds after it.  Over any n whole seconds (of the
 * clock: fixed windows, not a sliding one, so a burst across the turn of
 * a second can have twice the limit) a sender's lines stay within n
 * times the limit, plus at most one charge.  For charges of 1 (a trap's
 * events) this is exactly "at most rate_limit in each clock second".
 */
int
access_rate_n(struct access *a, const struct sockaddr *sa, uint64_t now,
    uint64_t cost, uint64_t lines, enum access_unit unit)
{
	uint8_t family, addr[16];
	struct sender *s;
	uint64_t second = now / 1000, paid;

	if (a->rate_limit == 0)
		return 1;
	addr_key(sa, &family, addr);
	s = slot(a, a->rate, family, addr, now);
	if (s->second != second) {
		access_tick(a, now);
		paid = (second - s->second) * a->rate_limit;
		s->count = s->second > second || s->count < paid ? 0 :
		    s->count - paid;
		s->second = second;
	}
	if (s->count < a->rate_limit) {
		s->count += cost;
		return 1;
	}
	s->suppressed += lines;
	if (unit == ACCESS_STRINGS)
		counts(a)->forward_limited += lines;
	else
		counts(a)->rate_limited += lines;
	a->rate_due = 1;
	return 0;
}

int
access_rate(struct access *a, const struct sockaddr *sa, uint64_t now)
{
	return access_rate_n(a, sa, now, 1, 1, ACCESS_EVENTS);
}

/* Sum what the senders of t have to report now into b; returns how many
 * rate-limited senders are still in their second (reported later). */
static int
collect(struct access *a, struct table *t, struct backlog *b, uint64_t now)
{
	uint64_t second = now / 1000;
	int later = 0;

	for (size_t i = 0; i < BUCKETS; i++) {
		for (int w = 0; w < ACCESS_WAYS; w++) {
			struct sender *s = &t->s[i][w];
			if (!s->used)
				continue;
			if (t == a->rate && s->suppressed > 0 &&
			    s->second < second) {
				to_backlog(b, s, s->suppressed);
				s->suppressed = 0;
			} else if (t == a->rejects && reject_due(s, now)) {
				to_backlog(b, s, s->rejected);
				s->rejected = 0;
				s->last_report = now;
			}
			later += t == a->rate && s->suppressed > 0;
		}
	}
	return later;
}

static void
rate_summary(struct access *a, uint64_t now)
{
	struct backlog b = a->rate_evicted;
	char text[ADDR_TEXT_LEN];

	memset(&a->rate_evicted, 0, sizeof(a->rate_evicted));
	a->rate_due = collect(a, a->rate, &b, now) > 0;
	if (b.count == 0)
		return;
	sender_text(&b.top, text, sizeof(text));
	if (b.senders == 1)
		log_msg(LOG_WARNING, "rate limit: suppressed %llu event%s from "
		    "%s (over %u per second)", (unsigned long long)b.count,
		    b.count == 1 ? "" : "s", text, a->rate_limit);
	else
		log_msg(LOG_WARNING, "rate limit: suppressed %llu events from "
		    "%llu senders (over %u per second; most from %s: %llu)",
		    (unsigned long long)b.count, (unsigned long long)b.senders,
		    a->rate_limit, text, (unsigned long long)b.top_count);
}

static void
reject_summary(struct access *a, uint64_t now)
{
	struct backlog b = a->rejects_evicted;
	char text[ADDR_TEXT_LEN];

	memset(&a->rejects_evicted, 0, sizeof(a->rejects_evicted));
	collect(a, a->rejects, &b, now);
	a->rejects_due = 0;     /* the rest: at their sender's next minute */
	if (b.count == 0)
		return;
	a->next_reject_line = now + LINE_INTERVAL_MS;
	sender_text(&b.top, text, sizeof(text));
	if (b.senders == 1)
		log_msg(LOG_WARNING, "rejected %llu datagram%s from %s (%s)",
		    (unsigned long long)b.count, b.count == 1 ? "" : "s", text,
		    b.top.why);
	else
		log_msg(LOG_WARNING, "rejected %llu datagrams from %llu senders "
		    "(most from %s: %llu, %s)", (unsigned long long)b.count,
		    (unsigned long long)b.senders, text,
		    (unsigned long long)b.top_count, b.top.why);
}

void
access_tick(struct access *a, uint64_t now)
{
	if (a->rate_due && now / 1000 != a->last_second) {
		a->last_second = now / 1000;
		rate_summary(a, now);
	}
	if (a->rejects_due && now >= a->next_reject_line)
		reject_summary(a, now);
}

int
access_timeout_ms(const struct access *a, uint64_t now)
{
	uint64_t at = UINT64_MAX;

	if (a->rate_due)
		at = (now / 1000 + 1) * 1000;
	if (a->rejects_due && a->next_reject_line < at)
		at = a->next_reject_line;
	if (at == UINT64_MAX)
		return -1;
	return at > now ? (int)(at - now) : 0;
}

const struct access_stats *
access_stats(const struct access *a)
{
	return a->stats ? a->stats : &a->own;
}

static void
on_timer(void *arg, uint64_t now)
{
	access_tick(arg, now);
}

/* Before each sleep: the timer follows the next summary due. */
static void
arm(void *arg, uint64_t now)
{
	struct access *a = arg;

	loop_timer_in(a->loop, a->timer, now, access_timeout_ms(a, now));
}

int
access_attach(struct access *a, struct loop *l)
{
	a->loop = l;
	a->timer = loop_timer_new(l, on_timer, a);
	a->hook = loop_hook_add(l, arm, a);
	if (a->timer < 0 || a->hook < 0) {
		access_detach(a);
		return -1;
	}
	return 0;
}

void
access_detach(struct access *a)
{
	if (a == NULL || a->loop == NULL)
		return;
	loop_timer_free(a->loop, a->timer);
	loop_hook_del(a->loop, a->hook);
	a->loop = NULL;
}

int
access_check_cidr(const char *v, char *err, size_t errlen)
{
	uint8_t family, addr[16];
	unsigned bits;

	if (access_parse_cidr(v, &family, addr, &bits) == 0)
		return 0;
	snprintf(err, errlen, "invalid address '%s' (expected ADDRESS or "
	    "ADDRESS/BITS, IPv4 or IPv6)", v);
	return -1;
}

/* The decoder holds a community of TRAP_COMMUNITY_MAX - 1 bytes at most
 * (net-snmp's own limit): a longer one could never match. */
int
access_check_community(const char *v, char *err, size_t errlen)
{
	if (strlen(v) < TRAP_COMMUNITY_MAX)
		return 0;
	snprintf(err, errlen, "community of %zu bytes: at most %d (a longer "
	    "one could never match)", strlen(v), TRAP_COMMUNITY_MAX - 1);
	return -1;
}

void
access_count_into(struct access *a, struct access_stats *to)
{
	a->stats = to;
}
