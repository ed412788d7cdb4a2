/*
 * stateloop.c - the state database's timer, and its hand-overs.
 */
#include <stdlib.h>
#include <time.h>

#include "daemon.h"
#include "loop.h"
#include "receive.h"
#include "state.h"
#include "stateloop.h"

/* How long the stop waits for the state database's last commit. */
#define STATE_STOP_MS 5000

struct stateloop {
	struct statedb *db;
	struct daemon *d;
	struct loop *loop;
	struct receiver *rx;
	const struct stats *rows;
	int timer;
};

/* The counters as for a statistics line: the kernel's drops first. */
static void
refresh(struct stateloop *s)
{
	receive_count_drops(s->rx);
	daemon_refresh_counters(s->d);
}

void
stateloop_tick(struct stateloop *s)
{
	time_t now = time(NULL);

	if (s == NULL)
		return;
	refresh(s);
	statedb_report(s->db, now);
	(void)statedb_tick(s->db, s->rows, now, 0, 0);
}

static void
on_timer(void *arg, uint64_t now)
{
	struct stateloop *s = arg;

	stateloop_tick(s);
	loop_timer_at(s->loop, s->timer, now +
	    daemon_options(s->d)->state_flush * 1000ULL);
}

struct stateloop *
stateloop_open(struct daemon *d, struct loop *l, struct receiver *rx,
    const struct stats *rows, char *err, size_t errlen)
{
	const struct options *o = daemon_options(d);
	struct statedb_config c = { o->state_database, o->state_flush,
	    o->state_max_rows_per_hour, o->state_retention_days,
	    o->inventory_max_hosts, o->inventory_forget_days,
	    o->inventory_learn, o->inventory_notices_per_minute };
	struct stateloop *s;

	err[0] = '\0';
	if (o->state_database == NULL)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	*s = (struct stateloop){ NULL, d, l, rx, rows, -1 };
	s->db = statedb_open(&c, PACKAGE_VERSION, time(NULL),
	    daemon_state_counters(d), err, errlen);
	if (s->db == NULL || (s->timer = loop_timer_new(l, on_timer,
	    s)) < 0) {
		if (s->db != NULL)
			snprintf(err, errlen, "too many timers for the loop");
		stateloop_close(s);
		return NULL;
	}
	pipeline_set_state(daemon_pipeline(d), s->db);
	loop_timer_at(l, s->timer, loop_now() + o->state_flush * 1000ULL);
	return s;
}

void
stateloop_close(struct stateloop *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL) {
		refresh(s);
		statedb_close(s->db, s->rows, time(NULL), STATE_STOP_MS);
		pipeline_set_state(daemon_pipeline(s->d), NULL);
	}
	if (s->timer >= 0)
		loop_timer_free(s->loop, s->timer);
	free(s);
}
