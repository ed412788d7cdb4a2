/*
 * loop.c - one poll(2) loop.  Registrations live in fixed tables; each
 * round builds the poll set from them and remembers which registration
 * (and which generation of it) each entry came from, so one removed or
 * replaced meanwhile is not called.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loop.h"

struct fd_reg {
	int fd;
	short events;
	uint8_t live;
	uint32_t gen;           /* bumped at every add: stale rounds skip */
	loop_fd_fn *fn;
	void *arg;
};

/* run_timers() keeps the due ones in a 32-bit set. */
_Static_assert(LOOP_MAX_TIMERS <= 32, "LOOP_MAX_TIMERS over 32");

struct timer {
	uint8_t used;
	uint64_t when;          /* 0: disarmed */
	loop_timer_fn *fn;
	void *arg;
};

struct hook {
	loop_hook_fn *fn;
	void *arg;
};

struct loop {
	struct fd_reg fds[LOOP_MAX_FDS];
	struct timer timers[LOOP_MAX_TIMERS];
	struct hook hooks[LOOP_MAX_HOOKS];
	/* This round's poll set and where each entry came from. */
	struct pollfd pfd[LOOP_MAX_FDS];
	int from[LOOP_MAX_FDS];
	uint32_t gen[LOOP_MAX_FDS];
	/* One past the highest slot ever used in each table: a round looks
	 * at no more. */
	int nfds, ntimers, nhooks;
	int stop;
};

struct loop *
loop_new(void)
{
	return calloc(1, sizeof(struct loop));
}

void
loop_free(struct loop *l)
{
	free(l);
}

uint64_t
loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct fd_reg *
find_fd(struct loop *l, int fd)
{
	for (int i = 0; i < l->nfds; i++)
		if (l->fds[i].live && l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

int
loop_fd_add(struct loop *l, int fd, short events, loop_fd_fn *fn, void *arg)
{
	struct fd_reg *r = find_fd(l, fd);

	for (int i = 0; r == NULL && i < LOOP_MAX_FDS; i++)
		if (!l->fds[i].live)
			r = &l->fds[i];
	if (r == NULL)
		return -1;
	if (r - l->fds >= l->nfds)
		l->nfds = (int)(r - l->fds) + 1;
	r->fd = fd;
	r->events = events;
	r->fn = fn;
	r->arg = arg;
	r->live = 1;
	r->gen++;
	return 0;
}

void
loop_fd_events(struct loop *l, int fd, short events)
{
	struct fd_reg *r = find_fd(l, fd);

	if (r != NULL)
		r->events = events;
}

void
loop_fd_del(struct loop *l, int fd)
{
	struct fd_reg *r = find_fd(l, fd);

	if (r != NULL)
		r->live = 0;
}

int
loop_timer_new(struct loop *l, loop_timer_fn *fn, void *arg)
{
	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		if (l->timers[i].used)
			continue;
		l->timers[i] = (struct timer){ 1, 0, fn, arg };
		if (i >= l->ntimers)
			l->ntimers = i + 1;
		return i;
	}
	return -1;
}

void
loop_timer_at(struct loop *l, int id, uint64_t when)
{
	if (id >= 0 && id < LOOP_MAX_TIMERS)
		l->timers[id].when = when;
}

void
loop_timer_in(struct loop *l, int id, uint64_t now, int ms)
{
	loop_timer_at(l, id, ms < 0 ? 0 : now + (uint64_t)ms);
}

int
loop_sooner(int a, int b)
{
	if (a < 0)
		return b;
	return b >= 0 && b < a ? b : a;
}

void
loop_timer_free(struct loop *l, int id)
{
	if (id >= 0 && id < LOOP_MAX_TIMERS)
		memset(&l->timers[id], 0, sizeof(l->timers[id]));
}

int
loop_hook_add(struct loop *l, loop_hook_fn *fn, void *arg)
{
	for (int i = 0; i < LOOP_MAX_HOOKS; i++) {
		if (l->hooks[i].fn != NULL)
			continue;
		l->hooks[i] = (struct hook){ fn, arg };
		if (i >= l->nhooks)
			l->nhooks = i + 1;
		return i;
	}
	return -1;
}

void
loop_hook_del(struct loop *l, int id)
{
	if (id >= 0 && id < LOOP_MAX_HOOKS)
		l->hooks[id].fn = NULL;
}

/* ms until the first armed timer; -1: none. */
static int
timeout_ms(const struct loop *l, uint64_t now)
{
	uint64_t first = 0;

	for (int i = 0; i < l->ntimers; i++) {
		uint64_t w = l->timers[i].used ? l->timers[i].when : 0;
		if (w != 0 && (first == 0 || w < first))
			first = w;
	}
	if (first == 0)
		return -1;
	if (first <= now)
		return 0;
	return first - now > 3600000 ? 3600000 : (int)(first - now);
}

static int
poll_set(struct loop *l)
{
	int n = 0;

	for (int i = 0; i < l->nfds; i++) {
		if (!l->fds[i].live)
			continue;
		l->pfd[n] = (struct pollfd){ l->fds[i].fd, l->fds[i].events, 0 };
		l->from[n] = i;
		l->gen[n++] = l->fds[i].gen;
	}
	return n;
}

/* The first of the timers in due still armed for now or before; -1:
 * none (those freed or moved on meanwhile leave due). */
static int
first_due(struct loop *l, uint32_t *due, uint64_t now)
{
	int first = -1;

	for (int i = 0; i < l->ntimers; i++) {
		const struct timer *t = &l->timers[i];
		if (!(*due & (UINT32_C(1) << i)))
			continue;
		if (!t->used || t->when == 0 || t->when > now)
			*due &= ~(UINT32_C(1) << i);
		else if (first < 0 || t->when < l->timers[first].when)
			first = i;
	}
	return first;
}

/* The timers due when the round's timers start, earliest first (a
 * round that ran late has several); one armed again by a callback
 * waits for the next round. */
static void
run_timers(struct loop *l)
{
	uint64_t now = loop_now();
	uint32_t due = 0;
	int i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].used && l->timers[i].when != 0 &&
		    l->timers[i].when <= now)
			due |= UINT32_C(1) << i;
	while ((i = first_due(l, &due, now)) >= 0) {
		struct timer *t = &l->timers[i];
		due &= ~(UINT32_C(1) << i);
		t->when = 0;            /* one-shot: fn may arm it again */
		t->fn(t->arg, now);
	}
}

int
loop_once(struct loop *l)
{
	uint64_t now = loop_now();
	int n;

	for (int i = 0; i < l->nhooks; i++)
		if (l->hooks[i].fn != NULL)
			l->hooks[i].fn(l->hooks[i].arg, now);
	if (l->stop)
		return 0;
	n = poll_set(l);
	if (poll(l->pfd, (nfds_t)n, timeout_ms(l, loop_now())) < 0) {
		if (errno != EINTR)
			return -1;
		n = 0;
	}
	for (int k = 0; k < n; k++) {
		struct fd_reg *r = &l->fds[l->from[k]];
		if (l->pfd[k].revents == 0 || !r->live || r->gen != l->gen[k])
			continue;
		r->fn(r->arg, r->fd, l->pfd[k].revents);
	}
	run_timers(l);
	return 0;
}

int
loop_run(struct loop *l)
{
	l->stop = 0;
	while (!l->stop)
		if (loop_once(l) < 0)
			return -1;
	return 0;
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}
