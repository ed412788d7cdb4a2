/*
 * main.c - linklog: wire the options to the modules and run the event loop.
 *
 *   receive -> decode -> parse -> resolve -> filter -> render -> sinks
 *
 * One thread, one poll(2) loop: datagrams are read in batches, DNS answers
 * and signals (through a signalfd) are handled between batches, and every
 * sink is flushed at the end of each round.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config.h"
#include "decode.h"
#include "filter.h"
#include "log.h"
#include "options.h"
#include "pipeline.h"
#include "privs.h"
#include "receive.h"
#include "render.h"
#include "resolve.h"
#include "services.h"
#include "sink.h"

/* Batches read from one socket before the others get a turn. */
#define BATCHES_PER_ROUND 16
#define MAX_POLL (1 + RECEIVE_MAX_SOCKETS + 16)

struct daemon {
	struct options opt;
	struct receiver *rx;
	struct resolver *resolver;
	struct pipeline *pipeline;
	struct rule rule;
	struct sink *out, *file;
	struct template *tpl;
	int sigfd;
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
build_rule(struct daemon *d)
{
	char err[256];
	struct rule *r = &d->rule;

	d->tpl = render_compile(d->opt.template, err, sizeof(err));
	if (d->tpl == NULL)
		fatal(2, "invalid --template: %s", err);
	if ((r->filter = filter_new()) == NULL)
		fatal(1, "%s", "out of memory");
	for (size_t i = 0; i < d->opt.nfilters; i++) {
		const struct filter_option *f = &d->opt.filters[i];
		if (filter_add(r->filter, f->field, f->pattern, err,
		    sizeof(err)) < 0)
			fatal(2, "invalid filter: %s", err);
	}
	if (d->opt.log_file != NULL) {
		d->file = sink_file(d->opt.log_file);
		if (d->file == NULL) {
			fatal(1, "cannot open log file '%s': %s",
			    d->opt.log_file, strerror(errno));
		}
		r->outputs[r->noutputs++] = (struct output){ d->file, d->tpl };
	}
	if (!d->opt.quiet) {
		d->out = sink_fd("standard output", STDOUT_FILENO, 0);
		r->outputs[r->noutputs++] = (struct output){ d->out, d->tpl };
	}
}

static void
setup_resolver(struct daemon *d, struct pipeline_config *pc)
{
	struct resolve_config rc = {
		.servers = NULL,
		.timeout_ms = d->opt.dns_timeout_ms,
		.wait_ms = d->opt.dns_wait_ms,
		.cache_size = d->opt.dns_cache_size,
		.ttl_max = d->opt.dns_ttl,
		.negative_ttl = d->opt.dns_negative_ttl,
	};
	char servers[OPTIONS_MAX_LIST * 64] = "", err[512];

	if (!pipeline_config_needs_dns(pc))
		return;
	for (size_t i = 0; i < d->opt.ndns_servers; i++) {
		if (i > 0)
			strncat(servers, ",", sizeof(servers) - strlen(servers) - 1);
		strncat(servers, d->opt.dns_servers[i],
		    sizeof(servers) - strlen(servers) - 1);
	}
	if (d->opt.ndns_servers > 0)
		rc.servers = servers;
	if ((d->resolver = resolver_new(&rc, err, sizeof(err))) == NULL)
		fatal(2, "%s", err);
	pc->resolver = d->resolver;
}

static void
setup_pipeline(struct daemon *d)
{
	struct pipeline_config pc = {
		.rules = &d->rule,
		.nrules = 1,
		.show_ports = d->opt.show_port_numbers,
		.names_source = !d->opt.no_dns && !d->opt.no_dns_source,
		.names_dest = !d->opt.no_dns && !d->opt.no_dns_dest,
		.names_router = !d->opt.no_dns,
		.unparsed_raw = d->opt.unparsed_raw,
		.dns_wait_ms = d->opt.dns_wait_ms,
	};

	setup_resolver(d, &pc);
	if ((d->pipeline = pipeline_new(&pc)) == NULL)
		fatal(1, "%s", "out of memory");
}

static void
setup_receiver(struct daemon *d)
{
	char err[512];

	d->rx = receive_open(d->opt.listen, d->opt.nlisten, d->opt.port,
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

static void
log_statistics(const struct daemon *d)
{
	const struct pipeline_stats *p = pipeline_stats(d->pipeline);
	const struct receive_stats *r = receive_stats(d->rx);
	char dns[256] = "";

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
	log_msg(LOG_INFO, "statistics: received=%llu kernel_drops=%llu "
	    "truncated=%llu decoded=%llu malformed=%llu unsupported=%llu "
	    "unparsed=%llu events=%llu filtered=%llu written_stdout=%llu "
	    "written_file=%llu output_errors=%llu%s",
	    (unsigned long long)r->datagrams,
	    (unsigned long long)r->kernel_drops,
	    (unsigned long long)r->truncated,
	    (unsigned long long)p->decoded,
	    (unsigned long long)p->malformed,
	    (unsigned long long)p->unsupported,
	    (unsigned long long)p->unparsed,
	    (unsigned long long)p->events,
	    (unsigned long long)p->filtered,
	    (unsigned long long)(d->out ? sink_stats(d->out)->lines : 0),
	    (unsigned long long)(d->file ? sink_stats(d->file)->lines : 0),
	    (unsigned long long)((d->out ? sink_stats(d->out)->errors : 0) +
	    (d->file ? sink_stats(d->file)->errors : 0)), dns);
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
			if (d->file != NULL && sink_reopen(d->file) < 0)
				log_msg(LOG_ERR, "cannot reopen '%s': %s",
				    d->opt.log_file, strerror(errno));
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
    const struct sockaddr *from, socklen_t fromlen, time_t when)
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
		if (d->resolver != NULL) {
			ndns = resolver_pollfds(d->resolver, pfd + n,
			    MAX_POLL - n);
			n += ndns;
			timeout = min_timeout(timeout,
			    resolver_timeout_ms(d->resolver));
		}
		if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR)
			fatal(1, "poll: %s", strerror(errno));
		if (pfd[0].revents && handle_signals(d))
			return;
		for (size_t i = 0; i < nsock; i++) {
			if (!pfd[1 + i].revents)
				continue;
			dv.now = resolve_now();
			for (int b = 0; b < BATCHES_PER_ROUND; b++)
				if (receive_batch(d->rx, i, on_datagram, &dv) <
				    RECEIVE_BATCH)
					break;
		}
		if (d->resolver != NULL)
			resolver_process(d->resolver, pfd + 1 + nsock, ndns);
		pipeline_release(d->pipeline, resolve_now(), 0);
		pipeline_flush(d->pipeline);
	}
}

int
main(int argc, char **argv)
{
	struct daemon d;
	struct privs pv;
	char err[512];
	int rc;

	memset(&d, 0, sizeof(d));
	options_defaults(&d.opt);
	if ((rc = options_parse(&d.opt, argc, argv)) >= 0)
		return rc;
	log_init("linklog");
	decode_init();
	if (!d.opt.show_port_numbers && services_load() < 0)
		fatal(1, "%s", "out of memory loading the services database");
	build_rule(&d);
	setup_pipeline(&d);
	if (geteuid() == 0 && privs_lookup(d.opt.run_as, &pv, err,
	    sizeof(err)) < 0)
		fatal(2, "%s", err);
	setup_receiver(&d);
	setup_signals(&d);
	if (geteuid() == 0 && privs_drop(&pv, err, sizeof(err)) < 0)
		fatal(1, "%s", err);

	run(&d);

	/* Stop: what is queued is written, with the names known by now. */
	pipeline_release(d.pipeline, resolve_now(), 1);
	pipeline_flush(d.pipeline);
	log_statistics(&d);
	pipeline_free(d.pipeline);
	resolver_free(d.resolver);
	sink_close(d.out);
	sink_close(d.file);
	render_free(d.tpl);
	filter_free(d.rule.filter);
	receive_close(d.rx);
	services_free();
	return 0;
}
