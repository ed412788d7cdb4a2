/*
 * main.c - linklog: wire the settings to the modules and run the event loop.
 *
 *   receive -> decode -> parse -> resolve -> filter -> render -> sinks
 *
 * One thread, one poll(2) loop: datagrams are read in batches, DNS answers
 * and signals (through a signalfd) are handled between batches, and every
 * sink is flushed at the end of each round.  What the settings turn into,
 * and SIGHUP's reload of it, is daemon.c's.
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
#include "privs.h"
#include "privsep.h"
#include "process.h"
#include "receive.h"
#include "services.h"
#include "stats.h"

/* Batches read from one socket before the others get a turn. */
#define BATCHES_PER_ROUND 16
#define MAX_POLL (1 + RECEIVE_MAX_SOCKETS + RESOLVE_MAX_SOCKETS)
/* At most this many batches per socket are read at a stop. */
#define DRAIN_BATCHES 4096

struct linklog {
	struct daemon *d;
	struct receiver *rx;
	int sigfd;
	uint64_t last_status;
	char *pid_file;                 /* as written, absolute */
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

/* The counters' sources, for stats.c; valid until the next round. */
static void
statistics(struct linklog *l, uint64_t now, int log)
{
	struct daemon_counters c;
	struct stats_sources s = { receive_stats(l->rx),
	    pipeline_stats(daemon_pipeline(l->d)), &c };

	daemon_counters(l->d, &c);
	if (log)
		stats_log(&s);
	else
		stats_status(&s, now, &l->last_status);
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

/* Returns 1 when linklog should stop. */
static int
handle_signals(struct linklog *l)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(l->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGINT:
		case SIGTERM:
			stop = 1;
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
	return stop;
}

struct delivery {
	struct pipeline *pipeline;
	uint64_t now;
};

static void
on_datagram(void *arg, const unsigned char *buf, size_t len,
    const struct sockaddr *from, socklen_t fromlen,
    const struct timeval *when)
{
	struct delivery *dv = arg;

	pipeline_datagram(dv->pipeline, buf, len, from, fromlen, when, dv->now);
}

static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* The descriptors to wait for; returns how many, sets *ndns, *timeout. */
static int
poll_set(struct linklog *l, struct pollfd *pfd, int *ndns, int *timeout)
{
	size_t nsock = receive_nsockets(l->rx);
	struct resolver *resolver = daemon_resolver(l->d);
	int n = 0;

	pfd[n++] = (struct pollfd){ l->sigfd, POLLIN, 0 };
	for (size_t i = 0; i < nsock; i++)
		pfd[n++] = (struct pollfd){ receive_socket(l->rx, i), POLLIN, 0 };
	*timeout = pipeline_timeout_ms(daemon_pipeline(l->d), resolve_now());
#ifdef HAVE_SYSTEMD
	*timeout = min_timeout(*timeout, STATS_STATUS_INTERVAL_MS);
#endif
	/* Reject and rate limit summaries: at most one line a second. */
	if (daemon_access(l->d) != NULL)
		*timeout = min_timeout(*timeout,
		    access_timeout_ms(daemon_access(l->d), resolve_now()));
	*ndns = 0;
	if (resolver != NULL) {
		*ndns = resolver_pollfds(resolver, pfd + n, MAX_POLL - n);
		n += *ndns;
		*timeout = min_timeout(*timeout, resolver_timeout_ms(resolver));
	}
	return n;
}

/* Returns the exit status: 0 after a signal to stop, 1 on an error. */
static int
run(struct linklog *l)
{
	struct pollfd pfd[MAX_POLL];
	size_t nsock = receive_nsockets(l->rx);
	struct pipeline *pipeline = daemon_pipeline(l->d);
	struct delivery dv = { pipeline, 0 };

	for (;;) {
		int ndns, timeout, n = poll_set(l, pfd, &ndns, &timeout);
		struct resolver *resolver = daemon_resolver(l->d);
		uint64_t now;

		/* Even then, what is queued is written (main's stop). */
		if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			log_msg(LOG_ERR, "poll: %s; stopping", strerror(errno));
			return 1;
		}
		for (size_t i = 0; i < nsock; i++) {
			if (!pfd[1 + i].revents)
				continue;
			dv.now = resolve_now();
			for (int b = 0; b < BATCHES_PER_ROUND; b++)
				if (receive_batch(l->rx, i, on_datagram, &dv) <
				    RECEIVE_BATCH)
					break;
		}
		/* After the sockets: a reload must not touch a resolver
		 * whose descriptors are still in pfd. */
		if (resolver != NULL)
			resolver_process(resolver, pfd + 1 + nsock, ndns);
		now = resolve_now();
		pipeline_release(pipeline, now, 0);
		pipeline_flush(pipeline);
		statistics(l, now, 0);
		if (daemon_access(l->d) != NULL)
			access_tick(daemon_access(l->d), now);
		if (pfd[0].revents && handle_signals(l))
			return 0;
	}
}

/*
 * At a stop, what the kernel has already received for us is read and
 * written too (bounded: a flood cannot keep linklog from stopping).
 */
static void
drain(struct linklog *l)
{
	struct delivery dv = { daemon_pipeline(l->d), resolve_now() };

	for (size_t i = 0; i < receive_nsockets(l->rx); i++)
		for (int b = 0; b < DRAIN_BATCHES; b++)
			if (receive_batch(l->rx, i, on_datagram, &dv) == 0)
				break;
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
		return;
	}
#endif
	(void)nfds;
	l->rx = receive_open(o->listen.v, o->listen.n, o->port,
	    o->receive_buffer, err, sizeof(err));
	if (l->rx == NULL)
		fatal(1, "%s", err);
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
	/* Informs are answered from the socket they came in on. */
	pipeline_set_receiver(daemon_pipeline(l.d), l.rx);
	setup_signals(&l);
	if (daemon_options(l.d)->pid_file)
		if ((l.pid_file = process_write_pid_file(
		    daemon_options(l.d)->pid_file, err, sizeof(err))) == NULL)
			fatal(1, "%s", err);
	if (geteuid() == 0 && privs_drop(&pv, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	if (chdir("/") < 0)
		fatal(1, "chdir /: %s", strerror(errno));
	notify("READY=1");

	status = run(&l);

	notify("STOPPING=1");
	drain(&l);
	/* Stop: what is queued is written, with the names known by now. */
	pipeline_release(daemon_pipeline(l.d), resolve_now(), 1);
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
	receive_close(l.rx);
	services_free();
	return status;
}
