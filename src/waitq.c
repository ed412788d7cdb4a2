/*
 * waitq.c - events waiting for names: a ring of fixed size, and a second
 * ring for the text of forwarded strings waiting among them.  Nothing is
 * allocated after waitq_new().
 */
#include <stdlib.h>
#include <string.h>

#include "waitq.h"

struct queued {
	struct event ev;        /* a forwarded string: router and time only */
	uint64_t deadline;
	uint64_t rules;
	resolve_ticket tickets[NAMES];  /* holds on the answers it needs */
	uint8_t text;           /* a forwarded string */
	uint32_t text_off, text_len, text_skip; /* its text in the ring */
};

struct waitq {
	struct waitq_lookups lk;
	struct queued *slots;
	size_t head, count;
	char *ring;
	size_t ring_end, ring_used;
};

struct waitq *
waitq_new(void)
{
	struct waitq *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return NULL;
	q->slots = calloc(WAITQ_SIZE, sizeof(*q->slots));
	q->ring = malloc(WAITQ_TEXT);
	if (q->slots == NULL || q->ring == NULL) {
		waitq_free(q);
		return NULL;
	}
	return q;
}

void
waitq_free(struct waitq *q)
{
	if (q == NULL)
		return;
	free(q->slots);
	free(q->ring);
	free(q);
}

void
waitq_configure(struct waitq *q, const struct waitq_lookups *lk)
{
	q->lk = *lk;
	if (lk->resolver == NULL)
		q->lk.source = q->lk.dest = q->lk.router = 0;
}

int
waitq_empty(const struct waitq *q)
{
	return q->count == 0;
}

/* The address whose name k of ev is looked up; NULL if none is. */
static const struct sockaddr *
name_addr(const struct waitq *q, const struct event *ev, int k,
    struct sockaddr_in *sin)
{
	const struct endpoint *ep = k == NAME_SRC ? &ev->src : &ev->dst;
	int lookup = k == NAME_SRC ? q->lk.source : q->lk.dest;

	if (k == NAME_ROUTER)
		return q->lk.router ?
		    (const struct sockaddr *)&ev->router.addr : NULL;
	if (!lookup || ep->has_name)
		return NULL;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = ep->addr;
	return (const struct sockaddr *)sin;
}

/*
 * The names of ev: carried in the message, or looked up (start: a miss
 * starts a query; else through the tickets of a queued event).  Returns
 * whether any is still pending.
 */
static int
names_of(struct waitq *q, const struct event *ev, int start, uint64_t now,
    struct names *n)
{
	const struct endpoint *eps[2] = { &ev->src, &ev->dst };
	const char **out[NAMES] = { &n->src, &n->dst, &n->router };
	struct sockaddr_in sin;
	int pending = 0;

	for (int k = 0; k < NAMES; k++) {
		const struct sockaddr *sa = name_addr(q, ev, k, &sin);
		*out[k] = NULL;
		n->res[k] = RESOLVE_NONE;
		if (k != NAME_ROUTER && eps[k]->has_name)
			*out[k] = eps[k]->name;
		if (sa == NULL)
			continue;
		if (start)
			n->res[k] = resolve_lookup(q->lk.resolver, sa, now,
			    n->buf[k], &n->tickets[k]);
		else
			n->res[k] = resolve_answer(q->lk.resolver,
			    n->tickets[k], sa, now, n->buf[k]);
		if (n->res[k] == RESOLVE_NAME)
			*out[k] = n->buf[k];
		pending |= n->res[k] == RESOLVE_PENDING;
	}
	return pending;
}

/* Hold the known answers of an event that is going to wait, so that
 * the cache cannot lose them meanwhile. */
static void
hold_names(struct waitq *q, const struct event *ev, struct names *n)
{
	struct sockaddr_in sin;

	for (int k = 0; k < NAMES; k++) {
		const struct sockaddr *sa = name_addr(q, ev, k, &sin);
		if (sa != NULL && n->tickets[k] == 0 &&
		    n->res[k] != RESOLVE_PENDING)
			n->tickets[k] = resolve_hold(q->lk.resolver, sa,
			    n->res[k], n->buf[k]);
	}
}

static void
release(struct waitq *q, const resolve_ticket *tickets)
{
	for (int k = 0; k < NAMES; k++)
		if (tickets[k] != 0)
			resolve_release(q->lk.resolver, tickets[k]);
}

void
waitq_done(struct waitq *q, struct names *n)
{
	release(q, n->tickets);
	memset(n->tickets, 0, sizeof(n->tickets));
}

static struct queued *
slot_at(struct waitq *q, size_t i)
{
	return &q->slots[(q->head + i) % WAITQ_SIZE];
}

int
waitq_event(struct waitq *q, const struct event *ev, uint64_t rules,
    uint64_t now, struct names *n)
{
	struct queued *s;

	if (q->count == WAITQ_SIZE)
		return -1;
	memset(n->tickets, 0, sizeof(n->tickets));
	if (!names_of(q, ev, 1, now, n) && q->count == 0)
		return 1;
	hold_names(q, ev, n);
	s = slot_at(q, q->count++);
	s->ev = *ev;
	s->rules = rules;
	s->text = 0;
	s->deadline = now + q->lk.wait_ms;
	memcpy(s->tickets, n->tickets, sizeof(s->tickets));
	return 0;
}

/* Where len bytes of text would go after what the ring holds; -1 if
 * they do not fit yet. */
static int
text_fits(const struct waitq *q, size_t len, size_t *off, size_t *skip)
{
	*off = q->ring_end;
	*skip = 0;
	if (*off + len > WAITQ_TEXT) {
		*skip = WAITQ_TEXT - *off;
		*off = 0;
	}
	return q->ring_used + *skip + len <= WAITQ_TEXT ? 0 : -1;
}

int
waitq_text(struct waitq *q, const struct event *from, const char *text,
    size_t len)
{
	struct queued *s;
	size_t off, skip;

	if (q->count == 0 || len > WAITQ_TEXT)
		return 1;
	if (q->count == WAITQ_SIZE || text_fits(q, len, &off, &skip) < 0)
		return -1;
	memcpy(q->ring + off, text, len);
	q->ring_end = off + len;
	q->ring_used += skip + len;
	s = slot_at(q, q->count++);
	memset(s->tickets, 0, sizeof(s->tickets));
	s->text = 1;
	s->text_off = (uint32_t)off;
	s->text_len = (uint32_t)len;
	s->text_skip = (uint32_t)skip;
	s->deadline = 0;
	s->ev.router = from->router;
	s->ev.time = from->time;
	s->ev.usec = from->usec;
	return 0;
}

/* Take the oldest slot out; the ring's text stays readable until the
 * next waitq_text(). */
static void
advance(struct waitq *q, const struct queued *s)
{
	if (s->text)
		q->ring_used -= s->text_skip + s->text_len;
	q->head = (q->head + 1) % WAITQ_SIZE;
	if (--q->count == 0) {
		q->head = 0;    /* reuse the same, warm, slots */
		q->ring_end = q->ring_used = 0;
	}
}

int
waitq_pop(struct waitq *q, uint64_t now, enum waitq_pop_mode mode,
    struct waitq_item *it)
{
	struct queued *s;
	int pending;

	if (q->count == 0)
		return 0;
	s = slot_at(q, 0);
	it->ev = &s->ev;
	it->rules = s->rules;
	it->text = NULL;
	it->waited_out = 0;
	if (s->text) {
		it->text = q->ring + s->text_off;
		it->text_len = s->text_len;
		advance(q, s);
		return 1;
	}
	memcpy(it->names.tickets, s->tickets, sizeof(s->tickets));
	pending = names_of(q, &s->ev, 0, now, &it->names);
	if (pending && mode == WAITQ_READY && now < s->deadline)
		return 0;
	it->waited_out = pending;
	release(q, s->tickets);
	memset(it->names.tickets, 0, sizeof(it->names.tickets));
	advance(q, s);
	return 1;
}

int
waitq_timeout_ms(const struct waitq *q, uint64_t now)
{
	const struct queued *s;

	if (q->count == 0)
		return -1;
	s = &q->slots[q->head];
	return s->deadline > now ? (int)(s->deadline - now) : 0;
}
