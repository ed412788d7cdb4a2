/*
 * options.c - the command line: the original LinkLog's options, long and
 * short, plus linklog's own.  A usage error prints one line and a hint.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "options.h"
#include "receive.h"
#include "render.h"

enum {
	OPT_CACHE_DNS = 256, OPT_RUN_AS, OPT_LISTEN, OPT_UNPARSED,
	OPT_NO_DNS, OPT_NO_DNS_SOURCE, OPT_NO_DNS_DEST,
	OPT_FILTER,             /* + enum filter_field */
	OPT_DNS_SERVER = OPT_FILTER + FILTER_NFIELDS, OPT_DNS_WAIT,
	OPT_DNS_TIMEOUT, OPT_DNS_CACHE_SIZE, OPT_DNS_TTL, OPT_DNS_NEGATIVE_TTL,
	OPT_RECEIVE_BUFFER,
};

static const struct option longopts[] = {
	{ "cache-dns", no_argument, NULL, OPT_CACHE_DNS },
	{ "help", no_argument, NULL, 'h' },
	{ "port", required_argument, NULL, 'p' },
	{ "run-as", required_argument, NULL, OPT_RUN_AS },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "version", no_argument, NULL, 'V' },
	{ "filter-direction", required_argument, NULL, OPT_FILTER + FILTER_DIRECTION },
	{ "filter-protocol", required_argument, NULL, OPT_FILTER + FILTER_PROTOCOL },
	{ "filter-ip", required_argument, NULL, OPT_FILTER + FILTER_IP },
	{ "filter-ip-source", required_argument, NULL, OPT_FILTER + FILTER_IP_SOURCE },
	{ "filter-ip-dest", required_argument, NULL, OPT_FILTER + FILTER_IP_DEST },
	{ "filter-host", required_argument, NULL, OPT_FILTER + FILTER_HOST },
	{ "filter-host-source", required_argument, NULL, OPT_FILTER + FILTER_HOST_SOURCE },
	{ "filter-host-dest", required_argument, NULL, OPT_FILTER + FILTER_HOST_DEST },
	{ "log-file", required_argument, NULL, 'l' },
	{ "no-dns", no_argument, NULL, OPT_NO_DNS },
	{ "no-dns-source", no_argument, NULL, OPT_NO_DNS_SOURCE },
	{ "no-dns-dest", no_argument, NULL, OPT_NO_DNS_DEST },
	{ "quiet", no_argument, NULL, 'q' },
	{ "show-port-numbers", no_argument, NULL, 's' },
	{ "template", required_argument, NULL, 't' },
	{ "unparsed", required_argument, NULL, OPT_UNPARSED },
	{ "dns-server", required_argument, NULL, OPT_DNS_SERVER },
	{ "dns-wait", required_argument, NULL, OPT_DNS_WAIT },
	{ "dns-timeout", required_argument, NULL, OPT_DNS_TIMEOUT },
	{ "dns-cache-size", required_argument, NULL, OPT_DNS_CACHE_SIZE },
	{ "dns-ttl", required_argument, NULL, OPT_DNS_TTL },
	{ "dns-negative-ttl", required_argument, NULL, OPT_DNS_NEGATIVE_TTL },
	{ "receive-buffer", required_argument, NULL, OPT_RECEIVE_BUFFER },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"Usage: linklog [OPTION]...\n"
"Receive the connection log a Linksys router sends as SNMP traps, and\n"
"write one line per connection.\n"
"\n"
"General arguments:\n"
"      --cache-dns                Accepted for compatibility: the DNS cache\n"
"                                 is always on, and bounded\n"
"  -h, --help                     Show this usage information\n"
"  -p, --port=PORT                The UDP port to listen on (default 162)\n"
"      --listen=ADDR              Listen on this address only (repeatable;\n"
"                                 default every IPv4 and IPv6 address)\n"
"      --run-as=USER              After initialization, run as this user\n"
"                                 (default 'nobody'; only when started as root)\n"
"      --receive-buffer=BYTES     Socket receive buffer (default 8388608)\n"
"  -V, --version                  Show the version and exit\n"
"\n"
"Filter arguments (patterns may use * as a wildcard; an option given\n"
"several times matches any of its patterns; !PATTERN excludes; different\n"
"options must all match):\n"
"      --filter-direction={IN|OUT}   Only inbound or outbound traffic\n"
"      --filter-ip=PATTERN           Source or destination IP address\n"
"      --filter-ip-dest=PATTERN      Destination IP address\n"
"      --filter-ip-source=PATTERN    Source IP address\n"
"      --filter-host=PATTERN         Source or destination host name\n"
"      --filter-host-dest=PATTERN    Destination host name\n"
"      --filter-host-source=PATTERN  Source host name\n"
"      --filter-protocol={TCP|UDP}   Only TCP or UDP\n"
"\n"
"Output control arguments:\n"
"  -l, --log-file=FILE            Append all traffic lines to FILE\n"
"      --no-dns                   Show IPs instead of host names\n"
"      --no-dns-dest              Show destination IPs instead of host names\n"
"      --no-dns-source            Show source IPs instead of host names\n"
"  -q, --quiet                    Do not write lines to standard output\n"
"  -s, --show-port-numbers        Show port numbers instead of service names\n"
"  -t, --template=TEMPLATE        The line's template\n"
"                                 (default: " RENDER_DEFAULT ")\n"
"      --unparsed={drop|raw}      Drop (default) or show trap strings that\n"
"                                 hold no log message\n"
"\n"
"Name resolution:\n"
"      --dns-server=ADDR[:PORT]   DNS server for reverse lookups (repeatable;\n"
"                                 default the system's resolver configuration)\n"
"      --dns-wait=MS              Longest wait for a name (default 1000)\n"
"      --dns-timeout=MS           Time-out of one query (default 500)\n"
"      --dns-cache-size=N         Cached names at most (default 8192)\n"
"      --dns-ttl=S                Longest time a name is kept (default 3600)\n"
"      --dns-negative-ttl=S       Time a failed lookup is kept (default 300)\n"
"\n"
"Template tokens:\n"
"  %a source IP          %A destination IP     %s source host\n"
"  %d destination host   %S source port        %D destination port\n"
"  %i direction (' in' or 'out')               %p protocol (TCP or UDP)\n"
"  %t timestamp (%M %T %h:%m:%z)               %T day of the month\n"
"  %h hour   %m minute   %z second   %M month  %w day of the week\n"
"  %y year (4 digits)    %Y year (2 digits)    %r router address\n"
"  %R router name        %% a percent sign\n"
"\n"
"See linklog(8) for more.\n";

void
options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 162;
	o->run_as = "nobody";
	o->template = RENDER_DEFAULT;
	o->receive_buffer = RECEIVE_DEFAULT_BUFFER;
	o->dns_wait_ms = 1000;
	o->dns_timeout_ms = 500;
	o->dns_cache_size = 8192;
	o->dns_ttl = 3600;
	o->dns_negative_ttl = 300;
}

static int usage_error(const char *, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "linklog: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'linklog --help' for more information.\n");
	return 2;
}

/* A whole decimal number in [min, max]. */
static int
number(const char *s, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	if (*s == '-' || *s == '+' || *s == ' ')
		return -1;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
add_list(const char **list, size_t *n, const char *v, const char *opt)
{
	if (*n == OPTIONS_MAX_LIST) {
		usage_error("too many %s options (at most 64)", opt);
		return -1;
	}
	list[(*n)++] = v;
	return 0;
}

static int
numeric(const char *opt, const char *arg, unsigned long min, unsigned long max,
    unsigned *out)
{
	char range[64];

	if (number(arg, min, max, out) == 0)
		return 0;
	snprintf(range, sizeof(range), "a number from %lu to %lu", min, max);
	fprintf(stderr, "linklog: invalid value '%s' for %s (expected %s)\n"
	    "Try 'linklog --help' for more information.\n", arg, opt, range);
	return -1;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	char err[256];
	unsigned v;
	int c, idx;
	const char *name;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hp:Vl:qst:", longopts, &idx)) != -1) {
		/* The option as the user wrote it, for messages. */
		name = argv[optind - 1];
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("linklog %s\n", PACKAGE_VERSION);
			return 0;
		case 'p':
			if (numeric("--port", optarg, 1, 65535, &o->port) < 0)
				return 2;
			break;
		case 'l':
			o->log_file = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 's':
			o->show_port_numbers = 1;
			break;
		case 't':
			o->template = optarg;
			break;
		case OPT_CACHE_DNS:
			break;
		case OPT_RUN_AS:
			if (*optarg == '\0')
				return usage_error("empty user name for --run-as");
			o->run_as = optarg;
			break;
		case OPT_LISTEN:
			if (add_list(o->listen, &o->nlisten, optarg, "--listen"))
				return 2;
			break;
		case OPT_UNPARSED:
			if (strcmp(optarg, "raw") == 0)
				o->unparsed_raw = 1;
			else if (strcmp(optarg, "drop") == 0)
				o->unparsed_raw = 0;
			else
				return usage_error("invalid value '%s' for "
				    "--unparsed (expected drop or raw)", optarg);
			break;
		case OPT_NO_DNS:
			o->no_dns = 1;
			break;
		case OPT_NO_DNS_SOURCE:
			o->no_dns_source = 1;
			break;
		case OPT_NO_DNS_DEST:
			o->no_dns_dest = 1;
			break;
		case OPT_DNS_SERVER:
			if (add_list(o->dns_servers, &o->ndns_servers, optarg,
			    "--dns-server"))
				return 2;
			break;
		case OPT_DNS_WAIT:
			if (numeric("--dns-wait", optarg, 0, 600000,
			    &o->dns_wait_ms) < 0)
				return 2;
			break;
		case OPT_DNS_TIMEOUT:
			if (numeric("--dns-timeout", optarg, 1, 60000,
			    &o->dns_timeout_ms) < 0)
				return 2;
			break;
		case OPT_DNS_CACHE_SIZE:
			if (numeric("--dns-cache-size", optarg, 1, 16777216,
			    &o->dns_cache_size) < 0)
				return 2;
			break;
		case OPT_DNS_TTL:
			if (numeric("--dns-ttl", optarg, 0, 604800,
			    &o->dns_ttl) < 0)
				return 2;
			break;
		case OPT_DNS_NEGATIVE_TTL:
			if (numeric("--dns-negative-ttl", optarg, 0, 604800,
			    &o->dns_negative_ttl) < 0)
				return 2;
			break;
		case OPT_RECEIVE_BUFFER:
			if (numeric("--receive-buffer", optarg, 4096,
			    1U << 30, &v) < 0)
				return 2;
			o->receive_buffer = (int)v;
			break;
		case ':':
			return usage_error("option '%s' needs a value", name);
		case '?':
			if (optopt != 0)
				snprintf(err, sizeof(err), "-%c", optopt);
			else
				snprintf(err, sizeof(err), "%s", name);
			return usage_error("unknown option '%s'", err);
		default:
			if (c >= OPT_FILTER && c < OPT_FILTER + FILTER_NFIELDS) {
				struct filter_option *f;
				if (o->nfilters == OPTIONS_MAX_LIST)
					return usage_error("too many filter "
					    "options (at most 64)");
				f = &o->filters[o->nfilters++];
				f->field = (enum filter_field)(c - OPT_FILTER);
				f->pattern = optarg;
			}
			break;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (options are "
		    "written --name=value)", argv[optind]);
	return -1;
}
