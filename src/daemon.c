/*
 * daemon.c - the daemon's state, built whole and switched in one step.
 *
 * A state is everything one configuration turns into.  daemon_reload()
 * builds a new one next to the running one; only when every part of it
 * is built (options, runtime with its log files, access, geoip
 * databases, resolver, services table) does it switch: the pipeline writes what waits with the
 * old state, the lines queued for syslog from then on carry the new ident
 * and facility, and the old state is freed.  A failure before the switch
 * frees the new state and leaves the running one, syslog included,
 * untouched.
 *
 * The syslog writer (syslogq.h) is the only caller of openlog(3) and
 * syslog(3); it is started by the first state that uses syslog and runs
 * until the stop, across reloads.  Its queue copies the ident.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "counters.h"
#include "daemon.h"
#include "geo.h"
#include "inside.h"
#include "log.h"
#include "receive.h"
#include "loop.h"
#include "privsep.h"
#include "runtime.h"
#include "safeopen.h"
#include "services.h"
#include "settings.h"
#include "sink.h"
#include "state.h"
#include "syslogq.h"

struct state {
	struct options opt;             /* with the configuration it holds */
	struct runtime *rt;
	struct access *access;
	struct inside *inside;          /* the scan stage's LAN */
	struct resolver *resolver;      /* may be the previous state's */
	struct geo *geo;                /* NULL: no geoip database */
	int use_syslog;
	struct pipeline_config pc;
};

struct daemon {
	int argc;
	char **argv;
	char *config_path;              /* -c made absolute, or NULL */
	struct state *cur;
	struct options first;           /* the settings read by daemon_new */
	int have_first;
	struct pipeline *pipeline;
	struct sink *out, *syslog;      /* live across reloads */
	struct syslogq *syslogq;        /* the syslog writer, once started */
	int socket_activated;
	struct settings_pinned *pinned; /* restart-only settings, as started */
	struct privsep *privsep;        /* opens the log files */
	struct loop *loop;              /* the parts register with it */
	/* Counted into by every state's parts, whatever reloads replace. */
	struct counters counters;
};

enum build_mode { BUILD_CHECK, BUILD_START, BUILD_RELOAD };

static int
load_options(const struct daemon *d, struct options *o, char *err,
    size_t errlen)
{
	settings_defaults(o);
	options_find(o, d->argc, d->argv, SETTING_EARLY);
	/* linklog runs in "/": the file is found where it was at start. */
	if (o->config_file != NULL && d->config_path != NULL)
		o->config_file = d->config_path;
	err[0] = '\0';
	if (o->config_file != NULL &&
	    conffile_load(o->config_file, o, err, errlen) < 0)
		return 1;
	return options_parse(o, d->argc, d->argv);
}

struct daemon *
daemon_new(int argc, char **argv, int *status, char *err, size_t errlen)
{
	struct daemon *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->argc = argc;
	d->argv = argv;
	if ((d->privsep = privsep_new()) == NULL) {
		free(d);
		return NULL;
	}
	*status = load_options(d, &d->first, err, errlen);
	if (*status < 0 && d->first.config_file != NULL)
		d->config_path = safeopen_absolute_copy(d->first.config_file);
	d->have_first = 1;
	return d;
}

const struct options *
daemon_options(const struct daemon *d)
{
	return d->cur ? &d->cur->opt : &d->first;
}

/* The resolver of o: its settings are the rows of PART_RESOLVER. */
static struct resolver *
make_resolver(const struct options *o, char *err, size_t errlen)
{
	char buf[OPTIONS_MAX_LIST * 64];
	struct resolve_config rc;

	memset(&rc, 0, sizeof(rc));
	settings_part_config(PART_RESOLVER, o, &rc, buf, sizeof(buf));
	return resolver_new(&rc, err, errlen);
}

/*
 * What a reload cannot change (the rows of SETTING_RESTART parts): o gets
 * the values linklog was started with, and the reload says once what it
 * keeps.
 */
static void
keep_restart_only(const struct daemon *d, struct options *o, char *msg,
    size_t size)
{
	char names[512];
	int n, systemd = d->socket_activated &&
	    !settings_part_same(PART_RECEIVER, &d->cur->opt, o, SETTING_SOCKET);

	n = settings_keep_restart(d->pinned, o,
	    d->socket_activated ? SETTING_SOCKET : 0, names, sizeof(names));
	snprintf(msg, size, "%s%s%s%s%s%s",
	    systemd ? "reload: port and listen are not used: the sockets come "
	    "from systemd (change ListenDatagram= in the socket unit)" : "",
	    systemd && n ? "; " : "", n && !systemd ? "reload: " : "",
	    n == 1 ? "a " : "", names, n == 0 ? "" : n == 1 ?
	    " change takes effect at the next restart" :
	    " changes take effect at the next restart");
}

/* Free st, but not keep (a resolver the running state still uses). */
static void
state_free(struct state *st, const struct resolver *keep)
{
	if (st == NULL)
		return;
	runtime_free(st->rt);
	access_free(st->access);
	inside_free(st->inside);
	if (st->resolver != keep)
		resolver_free(st->resolver);
	geo_free(st->geo);
	conffile_free(&st->opt);
	free(st);
}

static void
pipeline_config_of(struct state *st)
{
	const struct options *o = &st->opt;
	struct pipeline_config *pc = &st->pc;

	memset(pc, 0, sizeof(*pc));
	runtime_pipeline_config(st->rt, pc);
	pc->out.show_ports = o->show_port_numbers;
	pc->out.names_source = o->dns_enabled && o->dns_source;
	pc->out.names_dest = o->dns_enabled && o->dns_dest;
	pc->out.names_router = o->dns_enabled;
	pc->unparsed_raw = o->unparsed_raw;
	pc->dns_wait_ms = o->dns_wait_ms;
	pc->access = access_active(st->access) ? st->access : NULL;
	pc->geo = st->geo;
	pc->scan = (struct scan_config){
		.enabled = o->scan_enabled, .window = o->scan_window,
		.quiet = o->scan_quiet, .report = o->scan_report,
		.ports = o->scan_ports, .hosts = o->scan_hosts,
		.max_sources = o->scan_max_sources,
		.max_scanners = o->scan_max_scanners,
		.action = (enum scan_action)o->scan_action,
		/* "same": as scan.action. */
		.action_out = (enum scan_action)(o->scan_action_out == 2 ?
		    o->scan_action : o->scan_action_out),
		.inside = st->inside,
	};
	pc->repeat = (struct repeat_config){ o->repeats_window,
	    o->repeats_max_entries };
}

/*
 * The resolver: none if nothing needs names, the running one if its
 * settings did not change, else a new one.
 */
static int
build_resolver(struct state *st, const struct state *cur,
    enum build_mode mode, char *err, size_t errlen)
{
	/* --check-config checks the DNS settings even when unused. */
	if (mode != BUILD_CHECK && !emit_needs_names(&st->pc.out))
		return 0;
	if (mode != BUILD_CHECK && cur != NULL && cur->resolver != NULL &&
	    settings_part_apply(PART_RESOLVER) == SETTING_REUSE &&
	    settings_part_same(PART_RESOLVER, &cur->opt, &st->opt, 0))
		st->resolver = cur->resolver;
	else if ((st->resolver = make_resolver(&st->opt, err, errlen)) == NULL)
		return -1;
	st->pc.resolver = st->resolver;
	return 0;
}

/* Whether a filter, at the top or in a rule, matches countries or AS. */
static int
filters_need_geo(const struct runtime *rt)
{
	struct pipeline_config pc;

	runtime_pipeline_config(rt, &pc);
	if (filter_needs_geo(pc.out.filter))
		return 1;
	for (size_t i = 0; i < pc.out.nrules; i++)
		if (filter_needs_geo(pc.out.rules[i].filter))
			return 1;
	return 0;
}

/*
 * The geoip databases, read again at every reload (a new file renamed
 * over the old one is taken).  Returns 0, or an exit status.
 */
static int
build_geo(struct state *st, char *err, size_t errlen)
{
	const struct string_list *dbs = &st->opt.geoip_databases;
	char why[1024];

	if (dbs->n == 0) {
		if (!filters_need_geo(st->rt))
			return 0;
		snprintf(err, errlen, "country and AS filters need a geoip "
		    "database (--geoip-db, geoip.databases)");
		return 2;
	}
	if ((st->geo = geo_open(dbs->v, dbs->n, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "geoip database %s", why);
		return 1;
	}
	return 0;
}

/*
 * The syslog writer and its sink, the first time a state uses syslog.
 * A reload that fails after this leaves the writer idle, which is
 * harmless: the next state that uses syslog sets its ident.
 */
static int
start_syslog(struct daemon *d, const struct options *o, char *err,
    size_t errlen)
{
	if (d->syslogq != NULL)
		return 0;
	d->syslogq = syslogq_new(o->syslog_queue_size, o->syslog_ident,
	    o->out.syslog_facility, err, errlen);
	if (d->syslogq == NULL)
		return -1;
	if ((d->syslog = sink_syslog(d->syslogq)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Build the parts of st that depend on its options, in mode.  Returns 0,
 * or an exit status for start (2: bad value, 1: cannot open).
 */
static int
build_parts(struct daemon *d, struct state *st, enum build_mode mode,
    char *err, size_t errlen)
{
	const struct options *o = &st->opt;
	int status;

	/* Bad values first (exit 2), then what can fail at open (exit 1). */
	if ((st->rt = runtime_build(o, err, errlen)) == NULL)
		return 2;
	st->use_syslog = runtime_uses_syslog(o);
	if (mode != BUILD_CHECK) {
		struct runtime_sinks s = { d->out, NULL, d->privsep,
		    &d->counters.written_file, &d->counters.output_errors };
		if (st->use_syslog && start_syslog(d, o, err, errlen) < 0)
			return 1;
		s.syslog = d->syslog;
		if (runtime_open(st->rt, o, &s, err, errlen) < 0)
			return 1;
	}
	if ((st->access = access_new(&o->allow_from, &o->community,
	    o->rate_limit, err, errlen)) == NULL)
		return 2;
	access_count_into(st->access, &d->counters.access);
	if ((status = build_geo(st, err, errlen)) != 0)
		return status;
	if (st->geo != NULL)
		geo_count_into(st->geo, &d->counters.geo);
	if ((st->inside = inside_new(&o->inside, err, errlen)) == NULL)
		return 2;
	pipeline_config_of(st);
	if (build_resolver(st, d->cur, mode, err, errlen) < 0)
		return 2;
	if (st->resolver != NULL)
		resolver_count_into(st->resolver, &d->counters.dns);
	/* Service names: for %S and %D, and JSON's service fields. */
	if (mode != BUILD_CHECK &&
	    (!o->show_port_numbers || runtime_uses_json(o)) &&
	    !services_loaded() && services_load() < 0) {
		snprintf(err, errlen, "out of memory loading the services "
		    "database");
		return 1;
	}
	return 0;
}

/*
 * A whole new state from opt (taken over, configuration included), or
 * NULL with an exit status in *status and the message in err.
 */
static struct state *
state_build(struct daemon *d, struct options *opt, enum build_mode mode,
    int *status, char *err, size_t errlen)
{
	struct state *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		conffile_free(opt);
		*status = 1;
		return NULL;
	}
	st->opt = *opt;
	opt->conf = NULL;
	if ((*status = build_parts(d, st, mode, err, errlen)) != 0) {
		state_free(st, d->cur ? d->cur->resolver : NULL);
		return NULL;
	}
	return st;
}

int
daemon_check(struct daemon *d, char *err, size_t errlen)
{
	char msg[PATH_MAX + 128];
	struct state *st;
	int status;

	st = state_build(d, &d->first, BUILD_CHECK, &status, err, errlen);
	d->have_first = 0;
	if (st == NULL)
		return 1;
	/* Read only: --check-config never creates or changes it. */
	if (st->opt.state_database != NULL && statedb_check_file(
	    st->opt.state_database, msg, sizeof(msg), err, errlen) < 0) {
		state_free(st, NULL);
		return 1;
	}
	settings_print(&st->opt, stdout);
	state_free(st, NULL);
	return 0;
}

/*
 * Syslog for the new state: the lines it queues carry its ident and
 * facility (the writer reopens the log when it reaches the first).
 */
static void
switch_syslog(struct daemon *d, const struct state *st)
{
	if (!st->use_syslog || d->syslogq == NULL)
		return;
	if (syslogq_ident(d->syslogq, st->opt.syslog_ident,
	    st->opt.out.syslog_facility) < 0)
		log_msg(LOG_ERR, "out of memory: syslog keeps the previous "
		    "ident and facility");
}

/* The one step: from here on st runs, and the old state is gone. */
static void
state_switch(struct daemon *d, struct state *st)
{
	struct state *old = d->cur;

	/* What waits is written with the old settings first. */
	if (d->pipeline != NULL)
		pipeline_reconfigure(d->pipeline, &st->pc);
	/* The new parts wait on the loop; the old ones leave it when they
	 * are freed. */
	if (d->loop != NULL) {
		access_attach(st->access, d->loop);
		if (st->resolver != NULL &&
		    (old == NULL || st->resolver != old->resolver))
			resolver_attach(st->resolver, d->loop);
	}
	switch_syslog(d, st);
	if (st->resolver != NULL)
		d->counters.dns_used = 1;
	if (st->geo != NULL)
		d->counters.geo_used = 1;
	d->cur = st;
	if (old == NULL)
		return;
	state_free(old, st->resolver);
}

int
daemon_start(struct daemon *d, char *err, size_t errlen)
{
	struct state *st;
	int status;

	d->out = sink_fd("standard output", STDOUT_FILENO, 0);
	if (d->out == NULL) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	sink_count_into(d->out, &d->counters.written_stdout,
	    &d->counters.output_errors);
	if ((d->pinned = settings_pin(&d->first)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	st = state_build(d, &d->first, BUILD_START, &status, err, errlen);
	d->have_first = 0;
	if (st == NULL)
		return status;
	state_switch(d, st);
	if ((d->pipeline = pipeline_new(&st->pc)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	return 0;
}

int
daemon_start_opener(struct daemon *d, char *err, size_t errlen)
{
	struct options *cli = calloc(1, sizeof(*cli));
	char *fixed[OPTIONS_MAX_RULES + 1];
	struct privsep_files f = { d->config_path, fixed, 0,
	    daemon_options(d)->pid_file };
	int n, rc = -1;

	if (cli == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* The command line's log files: it does not change at a reload. */
	options_find(cli, d->argc, d->argv, SETTING_OPENS);
	if ((n = settings_paths(cli, fixed, OPTIONS_MAX_RULES + 1)) < 0)
		snprintf(err, errlen, "out of memory");
	else
		f.nfixed = (size_t)n;
	if (n >= 0)
		rc = privsep_start(d->privsep, &f, err, errlen);
	while (n > 0)
		free(fixed[--n]);
	free(cli);
	return rc;
}

struct privsep *
daemon_privsep(const struct daemon *d)
{
	return d->privsep;
}

void
daemon_set_socket_activated(struct daemon *d)
{
	d->socket_activated = 1;
}

void
daemon_reload(struct daemon *d)
{
	struct options o;
	struct state *st;
	char err[4096], kept[1024], before[1024], after[1024];
	char changed[1024];
	int status, n;

	if (load_options(d, &o, err, sizeof(err)) >= 0 ||
	    privsep_reload(d->privsep, err, sizeof(err)) < 0) {
		conffile_free(&o);
		log_msg(LOG_ERR, "reload failed, keeping the running "
		    "configuration: %s", err);
		return;
	}
	keep_restart_only(d, &o, kept, sizeof(kept));
	st = state_build(d, &o, BUILD_RELOAD, &status, err, sizeof(err));
	if (st == NULL) {
		log_msg(LOG_ERR, "reload failed, keeping the running "
		    "configuration: %s", err);
		return;
	}
	if (kept[0] != '\0')
		log_msg(LOG_WARNING, "%s", kept);
	n = settings_changed(&d->cur->opt, &st->opt, changed, sizeof(changed));
	daemon_describe(d, before, sizeof(before));
	state_switch(d, st);
	privsep_commit(d->privsep);
	daemon_describe(d, after, sizeof(after));
	log_msg(LOG_INFO, "configuration reloaded%s%s: %s%s%s%s",
	    st->opt.config_file ? " from " : "",
	    st->opt.config_file ? st->opt.config_file : "",
	    n == 0 ? (kept[0] != '\0' ? "no other setting changed" :
	    "no setting changed") : changed, n > 0 ? " changed" : "",
	    strcmp(before, after) != 0 ? "; now " : "",
	    strcmp(before, after) != 0 ? after : "");
}

int
daemon_attach(struct daemon *d, struct loop *l)
{
	d->loop = l;
	if (pipeline_attach(d->pipeline, l) < 0 ||
	    access_attach(d->cur->access, l) < 0)
		return -1;
	if (d->cur->resolver != NULL && resolver_attach(d->cur->resolver,
	    l) < 0)
		return -1;
	return 0;
}

/* "writing to standard output, /var/log/x.log and syslog; DNS on". */
void
daemon_describe(const struct daemon *d, char *buf, size_t size)
{
	char where[768];

	runtime_describe(d->cur->rt, where, sizeof(where));
	snprintf(buf, size, "writing to %s; DNS %s", where,
	    d->cur->resolver != NULL ? "on" : "off");
}

struct pipeline *
daemon_pipeline(const struct daemon *d)
{
	return d->pipeline;
}

struct resolver *
daemon_resolver(const struct daemon *d)
{
	return d->cur ? d->cur->resolver : NULL;
}

struct access *
daemon_access(const struct daemon *d)
{
	return d->cur ? d->cur->access : NULL;
}

struct counters *
daemon_counters(struct daemon *d)
{
	return &d->counters;
}

int
daemon_stats_rows(struct daemon *d, const struct receive_stats *rx,
    struct stats *s)
{
	return counters_rows(&d->counters, rx, pipeline_stats(d->pipeline), s);
}

struct statedb_stats *
daemon_state_counters(struct daemon *d)
{
	d->counters.state_used = 1;
	return &d->counters.state;
}

void
daemon_refresh_counters(struct daemon *d)
{
	/* The pipeline's stages' counters are copied into its own when
	 * pipeline_stats() is called. */
	if (d->pipeline != NULL)
		(void)pipeline_stats(d->pipeline);
	if (d->syslogq != NULL)
		syslogq_stats(d->syslogq, &d->counters.syslog);
}

void
daemon_stop_syslog(struct daemon *d)
{
	uint64_t left = syslogq_stop(d->syslogq, SYSLOGQ_STOP_MS);

	if (left > 0)
		log_msg(LOG_ERR, "syslog did not take %llu queued lines within "
		    "%u s: they are not written", (unsigned long long)left,
		    SYSLOGQ_STOP_MS / 1000);
}

void
daemon_free(struct daemon *d)
{
	if (d == NULL)
		return;
	pipeline_free(d->pipeline);
	state_free(d->cur, NULL);
	if (d->have_first)
		conffile_free(&d->first);
	sink_close(d->out);
	sink_close(d->syslog);
	syslogq_free(d->syslogq);
	settings_pinned_free(d->pinned);
	privsep_free(d->privsep);
	free(d->config_path);
	free(d);
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

int
daemon_configure(int argc, char **argv, struct daemon **dp)
{
	char err[4096];
	int rc;

	if ((*dp = daemon_new(argc, argv, &rc, err, sizeof(err))) == NULL)
		log_fatal(1, "out of memory");
	if (daemon_options(*dp)->check_config) {
		if (rc >= 0) {
			print_errors(err);
			return rc == 0 ? 0 : 1;
		}
		if (daemon_check(*dp, err, sizeof(err)) != 0) {
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

void
daemon_stop(struct daemon *d)
{
	/* What is queued is written, with the names known by now. */
	pipeline_release(d->pipeline, loop_now(), 1);
	pipeline_flush(d->pipeline);
	daemon_stop_syslog(d);
}

void
daemon_say_listening(const struct daemon *d, const struct receiver *rx,
    int activated)
{
	char where[512], what[1024];

	receive_describe(rx, where, sizeof(where));
	daemon_describe(d, what, sizeof(what));
	if (activated)
		log_msg(LOG_INFO, "listening on %s (sockets from systemd, which "
		    "had dropped %llu datagrams before linklog started); %s",
		    where, (unsigned long long)receive_drops_before(rx), what);
	else
		log_msg(LOG_INFO, "listening on %s; %s", where, what);
}
