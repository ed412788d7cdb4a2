/*
 * deliver.c - waiting for names, then writing, in arrival order.
 */
#include <stdlib.h>
#include <string.h>

#include "deliver.h"
#include "log.h"
#include "render.h"
#include "waitq.h"

struct deliver {
	const struct emit_config *out;
	struct waitq_lookups lookups;
	struct waitq *waitq;
	struct deliver_stats stats;
	time_t last_overflow_report;
	char line[RENDER_LINE_MAX];
};

struct deliver *
deliver_new(void)
{
	struct deliver *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	if ((d->waitq = waitq_new()) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
deliver_free(struct deliver *d)
{
	if (d == NULL)
		return;
	waitq_free(d->waitq);
	free(d);
}

void
deliver_configure(struct deliver *d, const struct emit_config *out,
    struct resolver *resolver, unsigned wait_ms)
{
	d->out = out;
	memset(&d->lookups, 0, sizeof(d->lookups));
	d->lookups.resolver = resolver;
	d->lookups.wait_ms = wait_ms;
	if (resolver != NULL)
		emit_lookups(out, &d->lookups.source, &d->lookups.dest,
		    &d->lookups.router);
	waitq_configure(d->waitq, &d->lookups);
}

/* Filter by names, render and write. */
static void
emit(struct deliver *d, const struct event *ev, uint64_t rules,
    const struct names *n)
{
	int written;

	if ((d->lookups.source && n->src == NULL) ||
	    (d->lookups.dest && n->dst == NULL) ||
	    (d->lookups.router && n->router == NULL))
		d->stats.unresolved++;
	written = emit_event(d->out, ev, rules, n->src, n->dst, n->router,
	    d->line, sizeof(d->line));
	/* The events linklog made are counted where they are made. */
	if (ev->kind != EVENT_CONNECTION)
		return;
	if (written)
		d->stats.emitted++;
	else
		d->stats.filtered++;
}

static void
emit_text(struct deliver *d, const struct event *from, const char *text,
    size_t len)
{
	emit_forwarded(d->out, from, text, len, d->line, sizeof(d->line));
	d->stats.forwarded++;
}

/* Write what the wait queue hands back, and count how it waited. */
static void
emit_item(struct deliver *d, struct waitq_item *it, int count_wait)
{
	if (it->text != NULL) {
		emit_text(d, it->ev, it->text, it->text_len);
		return;
	}
	if (it->waited_out && count_wait)
		d->stats.waited_out++;
	emit(d, it->ev, it->rules, &it->names);
}

/* The queue is full: its oldest item is written at once with the names
 * known by now, never dropped. */
static void
make_room(struct deliver *d, uint64_t now)
{
	struct waitq_item it;

	if (log_ratelimit(&d->last_overflow_report, 60))
		log_msg(LOG_WARNING, "%d events are waiting for DNS answers: "
		    "writing the oldest with addresses", WAITQ_SIZE);
	if (waitq_pop(d->waitq, now, WAITQ_ONE, &it))
		emit_item(d, &it, 1);
}

void
deliver_event(struct deliver *d, const struct event *ev, uint64_t rules,
    uint64_t now)
{
	struct names n;
	int rc;

	while ((rc = waitq_event(d->waitq, ev, rules, now, &n)) < 0)
		make_room(d, now);
	if (rc == 0)
		return;
	emit(d, ev, rules, &n);
	waitq_done(d->waitq, &n);
}

void
deliver_text(struct deliver *d, const struct event *from, const char *text,
    size_t len, uint64_t now)
{
	int rc;

	while ((rc = waitq_text(d->waitq, from, text, len)) < 0)
		make_room(d, now);
	if (rc == 1)
		emit_text(d, from, text, len);
}

void
deliver_release(struct deliver *d, uint64_t now, int force)
{
	struct waitq_item it;

	while (waitq_pop(d->waitq, now, force ? WAITQ_ONE : WAITQ_READY, &it))
		emit_item(d, &it, !force);
}

int
deliver_timeout_ms(const struct deliver *d, uint64_t now)
{
	return waitq_timeout_ms(d->waitq, now);
}

void
deliver_flush(struct deliver *d)
{
	emit_flush(d->out);
}

const struct deliver_stats *
deliver_stats(const struct deliver *d)
{
	return &d->stats;
}
