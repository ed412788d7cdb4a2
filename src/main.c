/*
 * main.c - linklog: wire the modules to the event loop and run it.
 *
 *   receive -> pipeline (decode -> parse -> ... -> sinks, pipeline.c)
 *
 * One thread, one loop (loop.h): the sockets are read in batches and each
 * datagram goes down the pipeline; the resolver, the wait queue and the
 * access reports register themselves (through daemon_attach()); signals
 * come through a signalfd.  What the settings turn into, and SIGHUP's
 * reload of it, is daemon.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "daemon.h"
#include "decode.h"
#include "log.h"
#include "loop.h"
#include "privs.h"
#include "privsep.h"
#include "process.h"
#include "receive.h"
#include "services.h"
#include "stats.h"

/* Batches read from one socket before the others get a turn. */
#define BATCHES_PER_ROUND 16
/* At most this many batches per socket are read at a stop. */
#define DRAIN_BATCHES 4096

struct linklog;

/* A listening socket, as the loop calls back for it. */
struct socket_ref {
	struct linklog *l;
	size_t i;
};

struct linklog {
	struct daemon *d;
	struct receiver *rx;
	struct loop *loop;
	int sigfd;
	int status_timer;
	uint64_t last_status;
	char *pid_file;                 /* as written, absolute */
	struct socket_ref socks[RECEIVE_MAX_SOCKETS];
	struct datagram batch[RECEIVE_BATCH];
};

static void fatal(int, const char *, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	/* At level err: under systemd the journal files it as one. */
	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(status);
}

static void
notify(const char *state)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

/* The counters as they are now; the kernel's drops read first. */
static void
statistics(struct linklog *l, uint64_t now, int log)
{
	struct daemon_counters c;
	struct stats_sources s = { receive_stats(l->rx),
	    pipeline_stats(daemon_pipeline(l->d)), &c };

	receive_count_drops(l->rx);
	daemon_counters(l->d, &c);
	if (log)
		stats_log(&s);
	else
		stats_status(&s, now, &l->last_status);
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
on_signal(void *arg, int fd, short revents)
{
	struct linklog *l = arg;
	struct signalfd_siginfo si;

	(void)revents;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGINT:
		case SIGTERM:
			loop_stop(l->loop);
			break;
		case SIGHUP:
			notify("RELOADING=1");
			daemon_reload(l->d);
			notify("READY=1");
			break;
		case SIGUSR1:
			statistics(l, 0, 1);
			break;
		case SIGCHLD:
			reap_children(l);
			break;
		}
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
		fatal(1, "out of memory");
	for (size_t i = 0; i < receive_nsockets(l->rx); i++) {
		l->socks[i] = (struct socket_ref){ l, i };
		if (loop_fd_add(l->loop, receive_socket(l->rx, i), POLLIN,
		    on_datagrams, &l->socks[i]) < 0)
			fatal(1, "too many descriptors for the event loop");
	}
	if (loop_fd_add(l->loop, l->sigfd, POLLIN, on_signal, l) < 0 ||
	    daemon_attach(l->d, l->loop) < 0)
		fatal(1, "too many descriptors for the event loop");
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
	int nfds = 0;

#ifdef HAVE_SYSTEMD
	nfds = sd_listen_fds(1);
	if (nfds > 0) {
		int fds[RECEIVE_MAX_SOCKETS];
		for (int i = 0; i < nfds && i < RECEIVE_MAX_SOCKETS; i++) {
			fds[i] = SD_LISTEN_FDS_START + i;
			/* A ListenStream= socket would never see a trap. */
			if (sd_is_socket_inet(fds[i], AF_UNSPEC, SOCK_DGRAM,
			    -1, 0) <= 0)
				fatal(1, "socket %d passed by systemd is not a "
				    "UDP socket: the socket unit needs "
				    "ListenDatagram=, not ListenStream=", fds[i]);
		}
		l->rx = receive_adopt(fds, (size_t)nfds, o->receive_buffer,
		    err, sizeof(err));
		if (l->rx == NULL)
			fatal(1, "%s", err);
		daemon_set_socket_activated(l->d);
		say_listening(l, 1);
		return;
	}
#endif
	(void)nfds;
	l->rx = receive_open(o->listen.v, o->listen.n, o->port,
	    o->receive_buffer, err, sizeof(err));
	if (l->rx == NULL)
		fatal(1, "%s", err);
	say_listening(l, 0);
}

static void
setup_signals(struct linklog *l)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	/* A file size limit is a write error (EFBIG), like a full disk. */
	signal(SIGXFSZ, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	l->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sigfd < 0)
		fatal(1, "signalfd: %s", strerror(errno));
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
	sigset_t set;

	if (geteuid() != 0)
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (daemon_start_opener(l->d, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
}

/* Errors of the settings, one a line, each with linklog's prefix. */
static void
print_errors(const char *err)
{
	while (*err != '\0') {
		size_t n = strcspn(err, "\n");
		fprintf(stderr, "linklog: %.*s\n", (int)n, err);
		err += n + (err[n] == '\n');
	}
}

/* Read the settings; returns -1 to go on, or the exit status. */
static int
configure(struct linklog *l, int argc, char **argv)
{
	char err[4096];
	int rc;

	if ((l->d = daemon_new(argc, argv, &rc, err, sizeof(err))) == NULL)
		fatal(1, "out of memory");
	if (daemon_options(l->d)->check_config) {
		if (rc >= 0) {
			print_errors(err);
			return rc == 0 ? 0 : 1;
		}
		if (daemon_check(l->d, err, sizeof(err)) != 0) {
			print_errors(err);
			return 1;
		}
		fprintf(stderr, "linklog: the configuration is valid\n");
		return 0;
	}
	if (rc >= 0)
		print_errors(err);
	return rc;
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
	if ((rc = configure(&l, argc, argv)) >= 0) {
		daemon_free(l.d);
		return rc;
	}
	decode_init();
	start_file_opener(&l);
	if ((rc = daemon_start(l.d, err, sizeof(err))) != 0)
		fatal(rc, "%s", err);
	if (geteuid() == 0 && privs_lookup(daemon_options(l.d)->run_as, &pv,
	    err, sizeof(err)) < 0)
		fatal(2, "%s", err);
	setup_receiver(&l);
	setup_signals(&l);
	setup_loop(&l);
	if (daemon_options(l.d)->pid_file)
		if ((l.pid_file = process_write_pid_file(
		    daemon_options(l.d)->pid_file, err, sizeof(err))) == NULL)
			fatal(1, "%s", err);
	if (geteuid() == 0 && privs_drop(&pv, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	if (chdir("/") < 0)
		fatal(1, "chdir /: %s", strerror(errno));
	notify("READY=1");

	status = 0;
	if (loop_run(l.loop) < 0) {
		/* Even then, what is queued is written. */
		log_msg(LOG_ERR, "poll: %s; stopping", strerror(errno));
		status = 1;
	}

	notify("STOPPING=1");
	drain(&l);
	/* Stop: what is queued is written, with the names known by now. */
	pipeline_release(daemon_pipeline(l.d), loop_now(), 1);
	pipeline_flush(daemon_pipeline(l.d));
	daemon_stop_syslog(l.d);
	statistics(&l, 0, 1);
	/* By the helper if one runs: linklog may not have the right. */
	if (l.pid_file != NULL &&
	    privsep_remove_pid_file(daemon_privsep(l.d)) < 0 &&
	    process_remove_pid_file(l.pid_file, getpid(), err,
	    sizeof(err)) < 0)
		log_msg(LOG_WARNING, "%s", err);
	free(l.pid_file);
	daemon_free(l.d);
	loop_free(l.loop);
	receive_close(l.rx);
	services_free();
	return status;
}
