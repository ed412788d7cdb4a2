/*
 * main.c - linklog: wire the modules to the event loop and run it.
 *
 *   receive -> pipeline (decode -> parse -> ... -> sinks, pipeline.c)
 *
 * One thread, one loop (loop.h): the sockets are read in batches and each
 * datagram goes down the pipeline; the resolver, the wait queue and the
 * access reports register themselves (through daemon_attach()), and so
 * do signals (signals.h).  What the settings turn into, and SIGHUP's
 * reload of it, is daemon.c's.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "decode.h"
#include "log.h"
#include "loop.h"
#include "privs.h"
#include "privsep.h"
#include "process.h"
#include "receive.h"
#include "services.h"
#include "signals.h"
#include "stateloop.h"
#include "stats.h"

/* Batches read from one socket before the others get a turn. */
#define BATCHES_PER_ROUND 16
/* At most this many batches per socket are read at a stop. */
#define DRAIN_BATCHES 4096

/* A listening socket, as the loop calls back for it. */
struct socket_ref {
	struct linklog *l;
	size_t i;
};

struct linklog {
	struct daemon *d;
	struct receiver *rx;
	struct loop *loop;
	struct signals *signals;
	int status_timer;
	struct stateloop *state;        /* --state-db, opened after the drop */
	uint64_t last_status;
	char *pid_file;                 /* as written, absolute */
	struct stats stats;             /* the statistics line's rows */
	struct socket_ref socks[RECEIVE_MAX_SOCKETS];
	struct datagram batch[RECEIVE_BATCH];
};

/* The counters as they are now; the kernel's drops read first. */
static void
statistics(struct linklog *l, uint64_t now, int log)
{
	char line[2048];

	receive_count_drops(l->rx);
	daemon_refresh_counters(l->d);
	if (log) {
		stats_format(&l->stats, line, sizeof(line));
		log_msg(LOG_INFO, "statistics: %s", line);
	} else
		stats_status(&l->stats, now, &l->last_status);
}

/* systemd's STATUS line, every STATS_STATUS_INTERVAL_MS. */
static void
on_status(void *arg, uint64_t now)
{
	struct linklog *l = arg;

	l->last_status = 0;
	statistics(l, now, 0);
	loop_timer_at(l->loop, l->status_timer, now + STATS_STATUS_INTERVAL_MS);
}

static void
on_signal(void *arg, int signo)
{
	struct linklog *l = arg;

	switch (signo) {
	case SIGINT:
	case SIGTERM:
		loop_stop(l->loop);
		break;
	case SIGHUP:
		process_notify("RELOADING=1");
		daemon_reload(l->d);
		/* With the summaries the reload wrote. */
		stateloop_tick(l->state);
		process_notify("READY=1");
		break;
	case SIGUSR1:
		statistics(l, 0, 1);
		break;
	case SIGCHLD:
		privsep_reap(daemon_privsep(l->d));
		break;
	}
}

/* Up to batches batches of socket i down the pipeline; returns whether
 * the socket had more. */
static int
read_socket(struct linklog *l, size_t i, int batches)
{
	struct pipeline *p = daemon_pipeline(l->d);
	uint64_t now = loop_now();

	for (int b = 0; b < batches; b++) {
		size_t n;
		int got = receive_batch(l->rx, i, l->batch, &n);
		for (size_t k = 0; k < n; k++)
			pipeline_datagram(p, &l->batch[k], now);
		if (got < RECEIVE_BATCH)
			return 0;
	}
	return 1;
}

static void
on_datagrams(void *arg, int fd, short revents)
{
	struct socket_ref *s = arg;

	(void)fd;
	(void)revents;
	read_socket(s->l, s->i, BATCHES_PER_ROUND);
}

/*
 * At a stop, what the kernel has already received for us is read and
 * written too (bounded: a flood cannot keep linklog from stopping).
 */
static void
drain(struct linklog *l)
{
	for (size_t i = 0; i < receive_nsockets(l->rx); i++)
		read_socket(l, i, DRAIN_BATCHES);
}

/* The loop and what registers with it: sockets, signals, STATUS, and
 * the daemon's parts (pipeline, resolver, access reports). */
static void
setup_loop(struct linklog *l)
{
	if ((l->loop = loop_new()) == NULL)
		log_fatal(1, "out of memory");
	for (size_t i = 0; i < receive_nsockets(l->rx); i++) {
		l->socks[i] = (struct socket_ref){ l, i };
		if (loop_fd_add(l->loop, receive_socket(l->rx, i), POLLIN,
		    on_datagrams, &l->socks[i]) < 0)
			log_fatal(1, "too many descriptors for the event loop");
	}
	if (signals_attach(l->signals, l->loop) < 0 ||
	    daemon_attach(l->d, l->loop) < 0)
		log_fatal(1, "too many descriptors for the event loop");
#ifdef HAVE_SYSTEMD
	/* The first at once, then every interval. */
	l->status_timer = loop_timer_new(l->loop, on_status, l);
	loop_timer_at(l->loop, l->status_timer, 1);
#endif
}

static void
setup_receiver(struct linklog *l)
{
	const struct options *o = daemon_options(l->d);
	char err[512];
	int rc;

	/* Sockets from systemd first: the socket unit decides. */
	rc = receive_from_systemd(o->receive_buffer, &l->rx, err, sizeof(err));
	if (rc == 0)
		l->rx = receive_open(o->listen.v, o->listen.n, o->port,
		    o->receive_buffer, err, sizeof(err));
	if (rc < 0 || l->rx == NULL)
		log_fatal(1, "%s", err);
	if (rc > 0)
		daemon_set_socket_activated(l->d);
	daemon_say_listening(l->d, l->rx, rc > 0);
}

/* Everything the loop needs, from the sockets to the state database,
 * privileges dropped on the way. */
static void
start(struct linklog *l)
{
	struct privs pv;
	char err[4096];
	int rc;

	decode_init();
	/* As root, the privileged file opener first, while linklog is one
	 * thread with no socket and no file open (SIGCHLD blocked, so that
	 * its death reaches the signalfd). */
	if (geteuid() == 0) {
		signals_block();
		if (daemon_start_opener(l->d, err, sizeof(err)) < 0)
			log_fatal(1, "%s", err);
	}
	if ((rc = daemon_start(l->d, err, sizeof(err))) != 0)
		log_fatal(rc, "%s", err);
	if (geteuid() == 0 && privs_lookup(daemon_options(l->d)->run_as, &pv,
	    err, sizeof(err)) < 0)
		log_fatal(2, "%s", err);
	setup_receiver(l);
	if (daemon_stats_rows(l->d, receive_stats(l->rx), &l->stats) < 0)
		log_fatal(1, "more counters than STATS_MAX");
	if ((l->signals = signals_new(on_signal, l, err, sizeof(err))) == NULL)
		log_fatal(1, "%s", err);
	setup_loop(l);
	if (daemon_options(l->d)->pid_file &&
	    (l->pid_file = process_write_pid_file(daemon_options(l->d)->pid_file,
	    err, sizeof(err))) == NULL)
		log_fatal(1, "%s", err);
	if (geteuid() == 0 && privs_drop(&pv, err, sizeof(err)) < 0)
		log_fatal(1, "%s", err);
	/* After the drop; a relative --state-db is the starting directory's. */
	l->state = stateloop_open(l->d, l->loop, l->rx, &l->stats, err,
	    sizeof(err));
	if (l->state == NULL && err[0] != '\0')
		log_fatal(1, "%s", err);
	if (chdir("/") < 0)
		log_fatal(1, "chdir /: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	struct linklog l;
	char err[4096];
	int rc, status = 0;

	memset(&l, 0, sizeof(l));
	process_close_inherited();
	log_init("linklog");
	if ((rc = daemon_configure(argc, argv, &l.d)) >= 0) {
		daemon_free(l.d);
		return rc;
	}
	start(&l);
	process_notify("READY=1");
	if (loop_run(l.loop) < 0) {
		/* Even then, what is queued is written. */
		log_msg(LOG_ERR, "poll: %s; stopping", strerror(errno));
		status = 1;
	}
	process_notify("STOPPING=1");
	drain(&l);
	daemon_stop(l.d);
	stateloop_close(l.state);
	statistics(&l, 0, 1);
	/* By the helper if one runs: linklog may not have the right. */
	if (l.pid_file != NULL &&
	    privsep_remove_pid_file(daemon_privsep(l.d)) < 0 &&
	    process_remove_pid_file(l.pid_file, getpid(), err,
	    sizeof(err)) < 0)
		log_msg(LOG_WARNING, "%s", err);
	free(l.pid_file);
	daemon_free(l.d);
	signals_free(l.signals);
	loop_free(l.loop);
	receive_close(l.rx);
	services_free();
	return status;
}
