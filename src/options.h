/*
 * options.h - linklog's settings as values: defaults, then the
 * configuration file (conffile.c), then the command line (options_parse)
 * on top, which wins.  Every field is described by a row of the table in
 * settings.c; add a setting there (and its field here).
 *
 * A plain struct that runtime.c turns into the modules' configurations.
 * Strings point into argv, into the table's defaults or into the loaded
 * configuration, which lives as long as the options (conffile_free()).
 */
#ifndef LINKLOG_OPTIONS_H
#define LINKLOG_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "filter.h"

#define OPTIONS_MAX_LIST 64
#define OPTIONS_MAX_RULES 32

struct filter_option {
	enum filter_field field;
	const char *pattern;
};

struct filter_options {
	struct filter_option v[OPTIONS_MAX_LIST];
	size_t n;
};

struct string_list {
	const char *v[OPTIONS_MAX_LIST];
	size_t n;
};

/* Where the lines of one rule go; unset fields inherit the top level. */
struct output_options {
	const char *template;
	int quiet;                      /* -1: inherit */
	const char *log_file;
	int syslog;                     /* -1: inherit */
	int syslog_facility;            /* -1: inherit; LOG_DAEMON etc. */
	int syslog_priority;            /* -1: inherit */
	const char *syslog_template;
	int json;                       /* format = "json"; -1: inherit */
	int syslog_json;                /* syslog.format = "json"; -1: inherit */
	int json_original;              /* event.original; -1: inherit */
};

struct rule_options {
	struct filter_options filter;
	struct output_options out;
	int final;
	int line;                       /* in the configuration file */
};

struct options {
	const char *config_file;
	int check_config;
	const char *pid_file;

	unsigned port;
	struct string_list listen;
	const char *run_as;
	int show_port_numbers;
	int unparsed_raw;
	int json_everywhere;            /* --json: every output is JSON (set
	                                 * into the formats by options_parse) */
	unsigned receive_buffer;

	struct filter_options filter;   /* applies before every rule */
	struct output_options out;      /* the top level: no -1 here */
	const char *syslog_ident;
	unsigned syslog_queue_size;     /* lines; taken at start only */

	int dns_enabled, dns_source, dns_dest;
	struct string_list dns_servers;
	unsigned dns_wait_ms, dns_timeout_ms;
	unsigned dns_cache_size, dns_ttl, dns_negative_ttl, dns_max_pending;

	struct string_list allow_from, community;
	unsigned rate_limit;

	struct string_list geoip_databases;     /* MaxMind DB files */
	struct string_list inside;      /* the LAN; empty: inside.h's */
	int scan_enabled, scan_action;
	int scan_action_out;            /* SCAN_SAME: as scan_action */
	unsigned scan_window, scan_ports, scan_hosts, scan_quiet, scan_report;
	unsigned scan_max_sources, scan_max_scanners;
	const char *scan_template, *scan_syslog_template;
	int scan_priority;
	unsigned repeats_window, repeats_max_entries;
	const char *repeats_template, *repeats_syslog_template;
	int repeats_priority;

	/* The state database and the inventory (state.h): at start only. */
	const char *state_database;
	unsigned state_flush, state_max_rows_per_hour, state_retention_days;
	unsigned inventory_max_hosts, inventory_forget_days, inventory_learn;
	unsigned inventory_notices_per_minute;
	const char *inventory_template, *inventory_syslog_template;
	int inventory_priority;

	struct rule_options rules[OPTIONS_MAX_RULES];
	size_t nrules;

	void *conf;                     /* the loaded file, see conffile.h */
};

/*
 * Apply argv on top of o.  Returns -1 to go on, or an exit status: 0
 * after --help or --version, 2 after a usage error (already reported).
 */
int options_parse(struct options *o, int argc, char **argv);

/*
 * Only the options of the rows with one of flags (settings.h), unchecked:
 * SETTING_EARLY before loading the file (-c, --check-config),
 * SETTING_OPENS for the privileged file opener (-l).
 */
void options_find(struct options *o, int argc, char **argv, unsigned flags);

#endif
