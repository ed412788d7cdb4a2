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
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
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
#include "state.h"
#include "stats.h"

/* Batches read from one socket before the others get a turn. */
#define BATCHES_PER_ROUND 16
/* At most this many batches per socket are read at a stop. */
#define DRAIN_BATCHES 4096
/* How long the stop waits for the state database's last commit. */
#define STATE_STOP_MS 5000

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
	struct statedb *state;          /* --state-db, opened after the drop */
	int state_timer;
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

/* The state database's hand-over, every state.flush seconds: the
 * counters read first, as for a statistics line. */
static void
state_tick(struct linklog *l, int stop)
{
	time_t now = time(NULL);

	receive_count_drops(l->rx);
	daemon_refresh_counters(l->d);
	if (stop) {
		statedb_close(l->state, &l->stats, now, STATE_STOP_MS);
		l->state = NULL;
		return;
	}
	statedb_report(l->state, now);
	(void)statedb_tick(l->state, &l->stats, now, 0, 0);
}

static void
on_state_timer(void *arg, uint64_t now)
{
	struct linklog *l = arg;

	state_tick(l, 0);
	loop_timer_at(l->loop, l->state_timer, now +
	    daemon_options(l->d)->state_flush * 1000ULL);
}

/*
 * After the privilege drop: SQLite opens its -wal and -shm files by name
 * as it needs them, so the file is the unprivileged user's from the
 * start; no descriptor could be handed over.
 */
static void
open_state(struct linklog *l)
{
	const struct options *o = daemon_options(l->d);
	struct statedb_config c = { o->state_database, o->state_flush,
	    o->state_max_rows_per_hour, o->state_retention_days,
	    o->inventory_max_hosts, o->inventory_forget_days,
	    o->inventory_learn, o->inventory_notices_per_minute };
	char err[PATH_MAX + 512];

	if (o->state_database == NULL)
		return;
	l->state = statedb_open(&c, PACKAGE_VERSION, time(NULL),
	    daemon_state_counters(l->d), err, sizeof(err));
	if (l->state == NULL)
		log_fatal(1, "%s", err);
	pipeline_set_state(daemon_pipeline(l->d), l->state);
	if ((l->state_timer = loop_timer_new(l->loop, on_state_timer, l)) < 0)
		log_fatal(1, "too many timers for the event loop");
	loop_timer_at(l->loop, l->state_timer, loop_now() +
	    o->state_flush * 1000ULL);
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

/* The only child is the privileged file opener: say when it is gone. */
static void
reap_children(struct linklog *l)
{
	struct privsep *ps = daemon_privsep(l->d);
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == privsep_pid(ps))
			privsep_exited(ps, status);
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
		if (l->state != NULL)
			state_tick(l, 0);
		process_notify("READY=1");
		break;
	case SIGUSR1:
		statistics(l, 0, 1);
		break;
	case SIGCHLD:
		reap_children(l);
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

/* One line at start: where linklog listens and where lines go. */
static void
say_listening(struct linklog *l, int activated)
{
	char where[512], what[1024];

	receive_describe(l->rx, where, sizeof(where));
	daemon_describe(l->d, what, sizeof(what));
	if (activated)
		log_msg(LOG_INFO, "listening on %s (sockets from systemd, which "
		    "had dropped %llu datagrams before linklog started); %s",
		    where, (unsigned long long)receive_drops_before(l->rx),
		    what);
	else
		log_msg(LOG_INFO, "listening on %s; %s", where, what);
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
	say_listening(l, rc > 0);
}

/*
 * Started as root with a log file or a pid file: the privileged file
 * opener, forked first, while linklog is one thread with no socket and no
 * file open (SIGCHLD is blocked before, so that its death reaches the
 * signalfd).  It also removes the pid file at exit.
 */
static void
start_file_opener(struct linklog *l)
{
	char err[PATH_MAX + 512];

	if (geteuid() != 0)
		return;
	signals_block();
	if (daemon_start_opener(l->d, err, sizeof(err)) < 0)
		log_fatal(1, "%s", err);
}

int
main(int argc, char **argv)
{
	struct linklog l;
	struct privs pv;
	char err[4096];
	int rc, status;

	memset(&l, 0, sizeof(l));
	process_close_inherited();
	log_init("linklog");
	if ((rc = daemon_configure(argc, argv, &l.d)) >= 0) {
		daemon_free(l.d);
		return rc;
	}
	decode_init();
	start_file_opener(&l);
	if ((rc = daemon_start(l.d, err, sizeof(err))) != 0)
		log_fatal(rc, "%s", err);
	if (geteuid() == 0 && privs_lookup(daemon_options(l.d)->run_as, &pv,
	    err, sizeof(err)) < 0)
		log_fatal(2, "%s", err);
	setup_receiver(&l);
	if (daemon_stats_rows(l.d, receive_stats(l.rx), &l.stats) < 0)
		log_fatal(1, "more counters than STATS_MAX");
	if ((l.signals = signals_new(on_signal, &l, err, sizeof(err))) == NULL)
		log_fatal(1, "%s", err);
	setup_loop(&l);
	if (daemon_options(l.d)->pid_file)
		if ((l.pid_file = process_write_pid_file(
		    daemon_options(l.d)->pid_file, err, sizeof(err))) == NULL)
			log_fatal(1, "%s", err);
	if (geteuid() == 0 && privs_drop(&pv, err, sizeof(err)) < 0)
		log_fatal(1, "%s", err);
	/* A relative --state-db is the starting directory's. */
	open_state(&l);
	if (chdir("/") < 0)
		log_fatal(1, "chdir /: %s", strerror(errno));
	process_notify("READY=1");

	status = 0;
	if (loop_run(l.loop) < 0) {
		/* Even then, what is queued is written. */
		log_msg(LOG_ERR, "poll: %s; stopping", strerror(errno));
		status = 1;
	}

	process_notify("STOPPING=1");
	drain(&l);
	daemon_stop(l.d);
	if (l.state != NULL)
		state_tick(&l, 1);
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
