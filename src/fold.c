/*
 * fold.c - scan detection, then repeat suppression, as one stage.
 */
#include <stdlib.h>

#include "fold.h"
#include "log.h"
#include "loop.h"

struct fold {
	struct scan *scan;
	struct repeat *repeats;
	int scans_done;                 /* fold_due(): scans are out */
	struct event made[FOLD_MADE];
};

struct fold *
fold_new(const struct scan_config *sc, const struct repeat_config *rc)
{
	struct fold *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->scan = scan_new(sc);
	f->repeats = repeat_new(rc);
	if (f->scan == NULL || f->repeats == NULL) {
		fold_free(f);
		return NULL;
	}
	return f;
}

void
fold_free(struct fold *f)
{
	if (f == NULL)
		return;
	scan_free(f->scan);
	repeat_free(f->repeats);
	free(f);
}

void
fold_configure(struct fold *f, const struct scan_config *sc,
    const struct repeat_config *rc)
{
	if (scan_configure(f->scan, sc) < 0)
		log_msg(LOG_ERR, "out of memory for the scan tables: scan "
		    "detection is off");
	if (repeat_configure(f->repeats, rc) < 0)
		log_msg(LOG_ERR, "out of memory for the repeat table: repeat "
		    "suppression is off");
}

int
fold_event(struct fold *f, struct event *ev, uint64_t now,
    struct event **made, size_t *nmade)
{
	size_t n, m = 0;

	*made = f->made;
	/* A scan's start (and the summary of a scanner it evicts) comes
	 * before the event that made it a scanner. */
	if (scan_event(f->scan, ev, now, f->made, &n) == SCAN_SUPPRESS) {
		*nmade = n;
		return 1;
	}
	if (repeat_event(f->repeats, ev, now, f->made + n, &m) ==
	    REPEAT_SUPPRESS) {
		*nmade = n + m;
		return 1;
	}
	*nmade = n + m;
	return 0;
}

void
fold_unwritten(struct fold *f, const struct event *ev)
{
	repeat_unwritten(f->repeats, ev);
}

size_t
fold_due(struct fold *f, uint64_t now, int force, struct event **made)
{
	size_t n;

	*made = f->made;
	if (!f->scans_done) {
		n = force ? scan_flush_all(f->scan, now, f->made, FOLD_MADE) :
		    scan_expire(f->scan, now, f->made, FOLD_MADE);
		if (n > 0)
			return n;
		f->scans_done = 1;
	}
	n = force ? repeat_flush_all(f->repeats, now, f->made, FOLD_MADE) :
	    repeat_expire(f->repeats, now, f->made, FOLD_MADE);
	if (n == 0)
		f->scans_done = 0;      /* both out: the next call starts over */
	return n;
}

int
fold_timeout_ms(struct fold *f, uint64_t now)
{
	return loop_sooner(scan_timeout_ms(f->scan, now),
	    repeat_timeout_ms(f->repeats, now));
}

const struct scan_stats *
fold_scan_stats(const struct fold *f)
{
	return scan_stats(f->scan);
}

const struct repeat_stats *
fold_repeat_stats(const struct fold *f)
{
	return repeat_stats(f->repeats);
}
