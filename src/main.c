/*
 * main.c - linklog: wire the settings to the modules and run the event loop.
 *
 *   receive -> decode -> parse -> resolve -> filter -> render -> sinks
 *
 * One thread, one poll(2) loop: datagrams are read in batches, DNS answers
 * and signals (through a signalfd) are handled between batches, and every
 * sink is flushed at the end of each round.  SIGHUP rebuilds the runtime
 * from the configuration; a configuration that fails leaves the old one.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "access.h"
#include "conffile.h"
#include "decode.h"
#include "log.h"
#include "options.h"
#include "pipeline.h"
#include "privs.h"
#include "receive.h"
#include "resolve.h"
#include "runtime.h"
#include "services.h"
#include "sink.h"

/* Batches read from one socket before the others get a turn. */
#define BATCHES_PER_ROUND 16
#define MAX_POLL (1 + RECEIVE_MAX_SOCKETS + 16)
#define STATUS_INTERVAL_MS 10000
/* At most this many batches per socket are read at a stop. */
#define DRAIN_BATCHES 4096

struct daemon {
	int argc;
	char **argv;
	struct options opt;
	struct receiver *rx;
	struct resolver *resolver;
	struct access *access;
	struct pipeline *pipeline;
	struct runtime *rt;
	struct sink *out, *syslog;
	int sigfd;
	uint64_t file_lines, file_errors;       /* of runtimes replaced */
	uint64_t last_status;
};

static void fatal(int, const char *, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "linklog: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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

/*
 * Defaults, then the file, then the command line on top.  Returns -1 to
 * go on, or an exit status; file errors are in err.
 */
static int
load_options(struct daemon *d, struct options *o, char *err, size_t errlen)
{
	options_defaults(o);
	options_find_config(o, d->argc, d->argv);
	err[0] = '\0';
	if (o->config_file != NULL &&
	    conffile_load(o->config_file, o, err, errlen) < 0)
		return 1;
	return options_parse(o, d->argc, d->argv);
}

static void
format_stats(const struct daemon *d, char *buf, size_t size)
{
	const struct pipeline_stats *p = pipeline_stats(d->pipeline);
	const struct receive_stats *r = receive_stats(d->rx);
	uint64_t fl, fe, errors;
	char dns[256] = "";

	runtime_file_stats(d->rt, &fl, &fe);
	fl += d->file_lines;
	errors = fe + d->file_errors +
	    (d->out ? sink_stats(d->out)->errors : 0) +
	    (d->syslog ? sink_stats(d->syslog)->errors : 0);
	if (d->resolver != NULL) {
		const struct resolve_stats *s = resolver_stats(d->resolver);
		snprintf(dns, sizeof(dns), " dns_sent=%llu dns_answered=%llu "
		    "dns_failed=%llu dns_timed_out=%llu dns_cache_hits=%llu "
		    "unresolved=%llu",
		    (unsigned long long)s->sent,
		    (unsigned long long)s->answered,
		    (unsigned long long)s->failed,
		    (unsigned long long)s->timed_out,
		    (unsigned long long)s->cache_hits,
		    (unsigned long long)p->unresolved);
	}
	const struct access_stats *a = access_stats(d->access);

	snprintf(buf, size, "received=%llu kernel_drops=%llu truncated=%llu "
	    "rejected_sender=%llu rejected_community=%llu rate_limited=%llu "
	    "decoded=%llu malformed=%llu unsupported=%llu unparsed=%llu "
	    "events=%llu filtered=%llu written_stdout=%llu written_file=%llu "
	    "written_syslog=%llu output_errors=%llu%s",
	    (unsigned long long)r->datagrams,
	    (unsigned long long)r->kernel_drops,
	    (unsigned long long)r->truncated,
	    (unsigned long long)a->rejected_sender,
	    (unsigned long long)a->rejected_community,
	    (unsigned long long)a->rate_limited,
	    (unsigned long long)p->decoded,
	    (unsigned long long)p->malformed,
	    (unsigned long long)p->unsupported,
	    (unsigned long long)p->unparsed,
	    (unsigned long long)p->events,
	    (unsigned long long)p->filtered,
	    (unsigned long long)(d->out ? sink_stats(d->out)->lines : 0),
	    (unsigned long long)fl,
	    (unsigned long long)(d->syslog ? sink_stats(d->syslog)->lines : 0),
	    (unsigned long long)errors, dns);
}

static void
log_statistics(const struct daemon *d)
{
	char line[1024];

	format_stats(d, line, sizeof(line));
	log_msg(LOG_INFO, "statistics: %s", line);
}

/* systemd's STATUS= line, at most every STATUS_INTERVAL_MS. */
static void
update_status(struct daemon *d, uint64_t now)
{
#ifdef HAVE_SYSTEMD
	char line[1100];

	if (now - d->last_status < STATUS_INTERVAL_MS)
		return;
	d->last_status = now;
	memcpy(line, "STATUS=", 7);
	format_stats(d, line + 7, sizeof(line) - 7);
	sd_notify(0, line);
#else
	(void)d;
	(void)now;
#endif
}

static void
open_syslog(struct daemon *d, const struct options *o)
{
	closelog();
	openlog(o->syslog_ident, LOG_PID | LOG_NDELAY, o->out.syslog_facility);
	if (d->syslog == NULL && (d->syslog = sink_syslog()) == NULL)
		fatal(1, "out of memory");
	log_to_syslog(1);
}

static struct resolver *
make_resolver(const struct options *o, char *err, size_t errlen)
{
	char servers[OPTIONS_MAX_LIST * 64] = "";
	struct resolve_config rc = {
		.servers = NULL,
		.timeout_ms = o->dns_timeout_ms,
		.wait_ms = o->dns_wait_ms,
		.cache_size = o->dns_cache_size,
		.ttl_max = o->dns_ttl,
		.negative_ttl = o->dns_negative_ttl,
	};

	for (size_t i = 0; i < o->dns_servers.n; i++) {
		if (i > 0)
			strncat(servers, ",", sizeof(servers) - strlen(servers) - 1);
		strncat(servers, o->dns_servers.v[i],
		    sizeof(servers) - strlen(servers) - 1);
	}
	if (o->dns_servers.n > 0)
		rc.servers = servers;
	return resolver_new(&rc, err, errlen);
}

static void
pipeline_config_of(const struct options *o, const struct runtime *rt,
    struct resolver *resolver, struct access *access,
    struct pipeline_config *pc)
{
	memset(pc, 0, sizeof(*pc));
	runtime_pipeline_config(rt, pc);
	pc->show_ports = o->show_port_numbers;
	pc->names_source = !o->no_dns && !o->no_dns_source;
	pc->names_dest = !o->no_dns && !o->no_dns_dest;
	pc->names_router = !o->no_dns;
	pc->unparsed_raw = o->unparsed_raw;
	pc->dns_wait_ms = o->dns_wait_ms;
	pc->resolver = resolver;
	pc->access = access_active(access) ? access : NULL;
}

static int
same_dns(const struct options *a, const struct options *b)
{
	if (a->dns_servers.n != b->dns_servers.n)
		return 0;
	for (size_t i = 0; i < a->dns_servers.n; i++)
		if (strcmp(a->dns_servers.v[i], b->dns_servers.v[i]) != 0)
			return 0;
	return a->dns_wait_ms == b->dns_wait_ms &&
	    a->dns_timeout_ms == b->dns_timeout_ms &&
	    a->dns_cache_size == b->dns_cache_size &&
	    a->dns_ttl == b->dns_ttl &&
	    a->dns_negative_ttl == b->dns_negative_ttl;
}

static int
same_listening(const struct options *a, const struct options *b)
{
	if (a->port != b->port || a->listen.n != b->listen.n ||
	    a->receive_buffer != b->receive_buffer)
		return 0;
	for (size_t i = 0; i < a->listen.n; i++)
		if (strcmp(a->listen.v[i], b->listen.v[i]) != 0)
			return 0;
	return 1;
}

/* SIGHUP: read the configuration again and reopen the log files. */
static void
reload(struct daemon *d)
{
	struct options *o = malloc(sizeof(*o));
	struct access *access;
	struct runtime *rt;
	struct resolver *resolver = d->resolver;
	struct pipeline_config pc;
	char err[4096];

	notify("RELOADING=1");
	if (o == NULL || load_options(d, o, err, sizeof(err)) >= 0) {
		log_msg(LOG_ERR, "reload failed, keeping the running "
		    "configuration: %s", o ? err : "out of memory");
		goto out;
	}
	if (!same_listening(&d->opt, o))
		log_msg(LOG_WARNING, "reload: port, listen and receive_buffer "
		    "changes take effect at the next restart");
	if (runtime_uses_syslog(o))
		open_syslog(d, o);
	if (runtime_uses_stdout(o) && d->out == NULL)
		d->out = sink_fd("standard output", STDOUT_FILENO, 0);
	rt = runtime_build(o, d->out, d->syslog, 0, err, sizeof(err));
	if (rt == NULL) {
		log_msg(LOG_ERR, "reload failed, keeping the running "
		    "configuration: %s", err);
		goto out;
	}
	if ((access = access_new(&o->allow_from, &o->community, o->rate_limit,
	    err, sizeof(err))) == NULL) {
		log_msg(LOG_ERR, "reload failed, keeping the running "
		    "configuration: %s", err);
		runtime_free(rt);
		goto out;
	}
	pipeline_config_of(o, rt, NULL, access, &pc);
	if (!pipeline_config_needs_dns(&pc)) {
		resolver = NULL;
	} else if (resolver == NULL || !same_dns(&d->opt, o)) {
		resolver = make_resolver(o, err, sizeof(err));
		if (resolver == NULL) {
			log_msg(LOG_ERR, "reload failed, keeping the running "
			    "configuration: %s", err);
			runtime_free(rt);
			access_free(access);
			goto out;
		}
	}
	pc.resolver = resolver;
	/* Write what waits with the old settings, then switch. */
	pipeline_reconfigure(d->pipeline, &pc);
	{
		uint64_t l, e;
		runtime_file_stats(d->rt, &l, &e);
		d->file_lines += l;
		d->file_errors += e;
	}
	runtime_free(d->rt);
	d->rt = rt;
	if (resolver != d->resolver)
		resolver_free(d->resolver);
	d->resolver = resolver;
	access_free(d->access);
	d->access = access;
	conffile_free(&d->opt);
	d->opt = *o;
	o->conf = NULL;
	log_msg(LOG_INFO, "configuration reloaded%s%s",
	    d->opt.config_file ? " from " : "",
	    d->opt.config_file ? d->opt.config_file : "");
out:
	if (o != NULL)
		conffile_free(o);
	free(o);
	notify("READY=1");
}

/* Returns 1 when linklog should stop. */
static int
handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGINT:
		case SIGTERM:
			stop = 1;
			break;
		case SIGHUP:
			reload(d);
			break;
		case SIGUSR1:
			log_statistics(d);
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

static void
run(struct daemon *d)
{
	struct pollfd pfd[MAX_POLL];
	size_t nsock = receive_nsockets(d->rx);
	struct delivery dv = { d->pipeline, 0 };

	for (;;) {
		int n = 0, ndns = 0, timeout;
		uint64_t now = resolve_now();

		pfd[n++] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		for (size_t i = 0; i < nsock; i++)
			pfd[n++] = (struct pollfd){ receive_socket(d->rx, i),
			    POLLIN, 0 };
		timeout = pipeline_timeout_ms(d->pipeline, now);
#ifdef HAVE_SYSTEMD
		timeout = min_timeout(timeout, STATUS_INTERVAL_MS);
#endif
		/* The rate limit's summaries come once a second. */
		if (d->opt.rate_limit > 0)
			timeout = min_timeout(timeout, 1000);
		if (d->resolver != NULL) {
			ndns = resolver_pollfds(d->resolver, pfd + n,
			    MAX_POLL - n);
			n += ndns;
			timeout = min_timeout(timeout,
			    resolver_timeout_ms(d->resolver));
		}
		if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR)
			fatal(1, "poll: %s", strerror(errno));
		for (size_t i = 0; i < nsock; i++) {
			if (!pfd[1 + i].revents)
				continue;
			dv.now = resolve_now();
			for (int b = 0; b < BATCHES_PER_ROUND; b++)
				if (receive_batch(d->rx, i, on_datagram, &dv) <
				    RECEIVE_BATCH)
					break;
		}
		/* After the sockets: a reload must not touch a resolver
		 * whose descriptors are still in pfd. */
		if (d->resolver != NULL)
			resolver_process(d->resolver, pfd + 1 + nsock, ndns);
		now = resolve_now();
		pipeline_release(d->pipeline, now, 0);
		pipeline_flush(d->pipeline);
		update_status(d, now);
		if (d->access != NULL)
			access_tick(d->access, time(NULL));
		if (pfd[0].revents && handle_signals(d))
			return;
	}
}

/*
 * At a stop, what the kernel has already received for us is read and
 * written too (bounded: a flood cannot keep linklog from stopping).
 */
static void
drain(struct daemon *d)
{
	struct delivery dv = { d->pipeline, resolve_now() };

	for (size_t i = 0; i < receive_nsockets(d->rx); i++)
		for (int b = 0; b < DRAIN_BATCHES; b++)
			if (receive_batch(d->rx, i, on_datagram, &dv) == 0)
				break;
}

static void
write_pid_file(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0)
		fatal(1, "cannot write pid file '%s': %s", path,
		    strerror(errno));
	fchmod(fd, 0644);
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n)
		fatal(1, "cannot write pid file '%s': %s", path,
		    strerror(errno));
	close(fd);
}

static void
setup_receiver(struct daemon *d)
{
	char err[512];
	int nfds = 0;

#ifdef HAVE_SYSTEMD
	nfds = sd_listen_fds(1);
	if (nfds > 0) {
		int fds[RECEIVE_MAX_SOCKETS];
		for (int i = 0; i < nfds && i < RECEIVE_MAX_SOCKETS; i++)
			fds[i] = SD_LISTEN_FDS_START + i;
		d->rx = receive_adopt(fds, (size_t)nfds, d->opt.receive_buffer,
		    err, sizeof(err));
		if (d->rx == NULL)
			fatal(1, "%s", err);
		return;
	}
#endif
	(void)nfds;
	d->rx = receive_open(d->opt.listen.v, d->opt.listen.n, d->opt.port,
	    d->opt.receive_buffer, err, sizeof(err));
	if (d->rx == NULL)
		fatal(1, "%s", err);
}

static void
setup_signals(struct daemon *d)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		fatal(1, "signalfd: %s", strerror(errno));
}

/* --check-config: validate everything that can be without side effects. */
static int
check_config(struct daemon *d, int rc, const char *err)
{
	struct runtime *rt;
	struct resolver *r;
	char msg[4096];

	if (rc >= 0) {
		if (err[0])
			fprintf(stderr, "%s\n", err);
		return rc == 0 ? 0 : 1;
	}
	rt = runtime_build(&d->opt, NULL, NULL, 1, msg, sizeof(msg));
	if (rt == NULL) {
		fprintf(stderr, "linklog: %s\n", msg);
		return 1;
	}
	runtime_free(rt);
	if ((r = make_resolver(&d->opt, msg, sizeof(msg))) == NULL) {
		fprintf(stderr, "linklog: %s\n", msg);
		return 1;
	}
	resolver_free(r);
	options_print(&d->opt, stdout);
	fprintf(stderr, "linklog: the configuration is valid\n");
	return 0;
}

static void
setup(struct daemon *d)
{
	struct pipeline_config pc;
	char err[4096];

	log_init("linklog");
	decode_init();
	if ((!d->opt.show_port_numbers || runtime_uses_json(&d->opt)) &&
	    services_load() < 0)
		fatal(1, "out of memory loading the services database");
	if (runtime_uses_syslog(&d->opt))
		open_syslog(d, &d->opt);
	if (runtime_uses_stdout(&d->opt))
		d->out = sink_fd("standard output", STDOUT_FILENO, 0);
	/* Bad values first (exit 2), then what can fail at open (exit 1). */
	if ((d->rt = runtime_build(&d->opt, NULL, NULL, 1, err,
	    sizeof(err))) == NULL)
		fatal(2, "%s", err);
	runtime_free(d->rt);
	d->rt = runtime_build(&d->opt, d->out, d->syslog, 0, err, sizeof(err));
	if (d->rt == NULL)
		fatal(1, "%s", err);
	if ((d->access = access_new(&d->opt.allow_from, &d->opt.community,
	    d->opt.rate_limit, err, sizeof(err))) == NULL)
		fatal(2, "%s", err);
	pipeline_config_of(&d->opt, d->rt, NULL, d->access, &pc);
	if (pipeline_config_needs_dns(&pc)) {
		d->resolver = make_resolver(&d->opt, err, sizeof(err));
		if (d->resolver == NULL)
			fatal(2, "%s", err);
		pc.resolver = d->resolver;
	}
	if ((d->pipeline = pipeline_new(&pc)) == NULL)
		fatal(1, "out of memory");
}

int
main(int argc, char **argv)
{
	struct daemon d;
	struct privs pv;
	char err[4096];
	int rc;

	memset(&d, 0, sizeof(d));
	d.argc = argc;
	d.argv = argv;
	rc = load_options(&d, &d.opt, err, sizeof(err));
	if (d.opt.check_config) {
		rc = check_config(&d, rc, err);
		conffile_free(&d.opt);
		return rc;
	}
	if (rc >= 0) {
		if (err[0])
			fprintf(stderr, "linklog: %s\n", err);
		conffile_free(&d.opt);
		return rc;
	}
	setup(&d);
	if (geteuid() == 0 && privs_lookup(d.opt.run_as, &pv, err,
	    sizeof(err)) < 0)
		fatal(2, "%s", err);
	setup_receiver(&d);
	setup_signals(&d);
	if (d.opt.pid_file)
		write_pid_file(d.opt.pid_file);
	if (geteuid() == 0 && privs_drop(&pv, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	notify("READY=1");

	run(&d);

	notify("STOPPING=1");
	drain(&d);
	/* Stop: what is queued is written, with the names known by now. */
	pipeline_release(d.pipeline, resolve_now(), 1);
	pipeline_flush(d.pipeline);
	log_statistics(&d);
	if (d.opt.pid_file)
		unlink(d.opt.pid_file);
	pipeline_free(d.pipeline);
	resolver_free(d.resolver);
	access_free(d.access);
	runtime_free(d.rt);
	sink_close(d.out);
	sink_close(d.syslog);
	receive_close(d.rx);
	services_free();
	conffile_free(&d.opt);
	return 0;
}
