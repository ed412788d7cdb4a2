/*
 * options.h - linklog's settings, as the command line gives them.
 *
 * A plain struct that main.c turns into the modules' own configurations.
 */
#ifndef LINKLOG_OPTIONS_H
#define LINKLOG_OPTIONS_H

#include <stddef.h>

#include "filter.h"

#define OPTIONS_MAX_LIST 64

struct filter_option {
	enum filter_field field;
	const char *pattern;
};

struct options {
	unsigned port;
	const char *listen[OPTIONS_MAX_LIST];
	size_t nlisten;
	const char *run_as;
	const char *template;
	int quiet;
	const char *log_file;
	int show_port_numbers;
	int unparsed_raw;
	int receive_buffer;

	struct filter_option filters[OPTIONS_MAX_LIST];
	size_t nfilters;

	int no_dns, no_dns_source, no_dns_dest;
	const char *dns_servers[OPTIONS_MAX_LIST];
	size_t ndns_servers;
	unsigned dns_wait_ms, dns_timeout_ms;
	unsigned dns_cache_size, dns_ttl, dns_negative_ttl;
};

/* Defaults, as documented in linklog(8). */
void options_defaults(struct options *o);

/*
 * Parse argv into o.  Returns -1 to go on, or an exit status: 0 after
 * --help or --version, 2 after a usage error (already reported).
 */
int options_parse(struct options *o, int argc, char **argv);

#endif
