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
#include <syslog.h>

#include "config.h"
#include "options.h"
#include "receive.h"
#include "render.h"
#include "sink.h"
#include "syslogq.h"

#define SHORTOPTS ":c:hp:Vl:qst:"

enum {
	OPT_CACHE_DNS = 256, OPT_RUN_AS, OPT_LISTEN, OPT_UNPARSED,
	OPT_NO_DNS, OPT_NO_DNS_SOURCE, OPT_NO_DNS_DEST,
	OPT_FILTER,             /* + enum filter_field */
	OPT_DNS_SERVER = OPT_FILTER + FILTER_NFIELDS, OPT_DNS_WAIT,
	OPT_DNS_TIMEOUT, OPT_DNS_CACHE_SIZE, OPT_DNS_TTL, OPT_DNS_NEGATIVE_TTL,
	OPT_RECEIVE_BUFFER, OPT_SYSLOG, OPT_SYSLOG_PRIORITY, OPT_SYSLOG_IDENT,
	OPT_RENDER_SYSLOG_DEFAULT, OPT_CHECK_CONFIG, OPT_PID_FILE, OPT_ALLOW_FROM,
	OPT_COMMUNITY, OPT_RATE_LIMIT, OPT_SYSLOG_QUEUE,
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
	{ "filter-port", required_argument, NULL, OPT_FILTER + FILTER_PORT },
	{ "filter-port-source", required_argument, NULL, OPT_FILTER + FILTER_PORT_SOURCE },
	{ "filter-port-dest", required_argument, NULL, OPT_FILTER + FILTER_PORT_DEST },
	{ "syslog", optional_argument, NULL, OPT_SYSLOG },
	{ "syslog-priority", required_argument, NULL, OPT_SYSLOG_PRIORITY },
	{ "syslog-ident", required_argument, NULL, OPT_SYSLOG_IDENT },
	{ "syslog-template", required_argument, NULL, OPT_RENDER_SYSLOG_DEFAULT },
	{ "syslog-queue", required_argument, NULL, OPT_SYSLOG_QUEUE },
	{ "config", required_argument, NULL, 'c' },
	{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "allow-from", required_argument, NULL, OPT_ALLOW_FROM },
	{ "community", required_argument, NULL, OPT_COMMUNITY },
	{ "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
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
"  -c, --config=FILE              Read settings from FILE (libconfig syntax);\n"
"                                 options given here win over it\n"
"      --check-config             Validate the settings, print them, exit\n"
"  -h, --help                     Show this usage information\n"
"  -p, --port=PORT                The UDP port to listen on (default 162)\n"
"      --listen=ADDR              Listen on this address only (repeatable;\n"
"                                 default every IPv4 and IPv6 address)\n"
"      --run-as=USER              After initialization, run as this user\n"
"                                 (default 'nobody'; only when started as root)\n"
"      --pid-file=FILE            Write the process id to FILE\n"
"      --receive-buffer=BYTES     Socket receive buffer (default 8388608)\n"
"  -V, --version                  Show the version and exit\n"
"\n"
"Access control:\n"
"      --allow-from=CIDR          Accept traps only from these senders\n"
"                                 (repeatable; default everyone)\n"
"      --community=STRING         Accept only traps with this community\n"
"                                 (repeatable; default any)\n"
"      --rate-limit=N             Events per second per sender at most\n"
"                                 (default 0: no limit)\n"
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
"      --filter-port=PATTERN         Source or destination port number\n"
"      --filter-port-dest=PATTERN    Destination port number\n"
"      --filter-port-source=PATTERN  Source port number\n"
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
"      --syslog[=FACILITY]        Also send lines to syslog(3) (default\n"
"                                 facility daemon)\n"
"      --syslog-priority=LEVEL    Their level (default info)\n"
"      --syslog-ident=NAME        Their program name (default linklog)\n"
"      --syslog-template=TEMPLATE Their template\n"
"                                 (default: " RENDER_SYSLOG_DEFAULT ")\n"
"      --syslog-queue=N           Lines waiting for syslog at most, then\n"
"                                 dropped and counted (default 131072)\n"
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

static const struct {
	const char *name;
	int value;
} facilities[] = {
	{ "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH }, { "syslog", LOG_SYSLOG },
	{ "lpr", LOG_LPR }, { "news", LOG_NEWS }, { "uucp", LOG_UUCP },
	{ "cron", LOG_CRON }, { "authpriv", LOG_AUTHPRIV }, { "ftp", LOG_FTP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
}, priorities[] = {
	{ "emerg", LOG_EMERG }, { "alert", LOG_ALERT }, { "crit", LOG_CRIT },
	{ "err", LOG_ERR }, { "warning", LOG_WARNING }, { "notice", LOG_NOTICE },
	{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

#define LOOKUP(table, name)						\
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)	\
		if (strcasecmp(table[i].name, name) == 0)		\
			return table[i].value;				\
	return -1

#define NAME_OF(table, value)						\
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)	\
		if (table[i].value == value)				\
			return table[i].name;				\
	return "?"

int options_facility(const char *name) { LOOKUP(facilities, name); }
int options_priority(const char *name) { LOOKUP(priorities, name); }
const char *options_facility_name(int value) { NAME_OF(facilities, value); }
const char *options_priority_name(int value) { NAME_OF(priorities, value); }

void
options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 162;
	o->run_as = "nobody";
	o->receive_buffer = RECEIVE_DEFAULT_BUFFER;
	o->out.template = RENDER_DEFAULT;
	o->out.syslog_facility = LOG_DAEMON;
	o->out.syslog_priority = LOG_INFO;
	o->out.syslog_template = RENDER_SYSLOG_DEFAULT;
	o->syslog_ident = "linklog";
	o->syslog_queue_size = SYSLOGQ_DEFAULT_SIZE;
	o->dns_wait_ms = 1000;
	o->dns_timeout_ms = 500;
	o->dns_cache_size = 8192;
	o->dns_ttl = 3600;
	o->dns_negative_ttl = 300;
	o->dns_max_pending = 4096;
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

/*
 * Lists given on the command line replace those of the file: the first
 * value from the command line empties the list.
 */
static int
add_list(struct string_list *l, int *from_cli, const char *v, const char *opt)
{
	if (!*from_cli) {
		l->n = 0;
		*from_cli = 1;
	}
	if (l->n == OPTIONS_MAX_LIST) {
		usage_error("too many %s options (at most %d)", opt,
		    OPTIONS_MAX_LIST);
		return -1;
	}
	l->v[l->n++] = v;
	return 0;
}

/* The same for the patterns of one filter field. */
static int
add_filter(struct filter_options *f, unsigned *from_cli,
    enum filter_field field, const char *pattern)
{
	size_t out = 0;

	if (!(*from_cli & (1u << field))) {
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].field != field)
				f->v[out++] = f->v[i];
		f->n = out;
		*from_cli |= 1u << field;
	}
	if (f->n == OPTIONS_MAX_LIST) {
		usage_error("too many filter options (at most %d)",
		    OPTIONS_MAX_LIST);
		return -1;
	}
	f->v[f->n].field = field;
	f->v[f->n++].pattern = pattern;
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

void
options_find_config(struct options *o, int argc, char **argv)
{
	int c, idx;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, &idx)) != -1) {
		if (c == 'c')
			o->config_file = optarg;
		else if (c == OPT_CHECK_CONFIG)
			o->check_config = 1;
	}
}

int
options_parse(struct options *o, int argc, char **argv)
{
	char err[256];
	unsigned v, filters_cli = 0;
	int c, idx, listen_cli = 0, servers_cli = 0, allow_cli = 0;
	int community_cli = 0;
	const char *name;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, &idx)) != -1) {
		/* The option as the user wrote it, for messages. */
		name = argv[optind - 1];
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("linklog %s\n", PACKAGE_VERSION);
			return 0;
		case 'c':
			o->config_file = optarg;
			break;
		case OPT_CHECK_CONFIG:
			o->check_config = 1;
			break;
		case OPT_PID_FILE:
			o->pid_file = optarg;
			break;
		case 'p':
			if (numeric("--port", optarg, 1, 65535, &o->port) < 0)
				return 2;
			break;
		case 'l':
			o->out.log_file = optarg;
			break;
		case 'q':
			o->out.quiet = 1;
			break;
		case 's':
			o->show_port_numbers = 1;
			break;
		case 't':
			o->out.template = optarg;
			break;
		case OPT_CACHE_DNS:
			break;
		case OPT_RUN_AS:
			if (*optarg == '\0')
				return usage_error("empty user name for --run-as");
			o->run_as = optarg;
			break;
		case OPT_LISTEN:
			if (add_list(&o->listen, &listen_cli, optarg, "--listen"))
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
			if (add_list(&o->dns_servers, &servers_cli, optarg,
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
		case OPT_SYSLOG:
			o->out.syslog = 1;
			if (optarg == NULL)
				break;
			if ((o->out.syslog_facility = options_facility(optarg)) < 0)
				return usage_error("unknown syslog facility '%s' "
				    "(expected kern, user, mail, daemon, auth, "
				    "syslog, lpr, news, uucp, cron, authpriv, ftp "
				    "or local0..local7)", optarg);
			break;
		case OPT_SYSLOG_PRIORITY:
			if ((o->out.syslog_priority = options_priority(optarg)) < 0)
				return usage_error("unknown syslog level '%s' "
				    "(expected emerg, alert, crit, err, warning, "
				    "notice, info or debug)", optarg);
			break;
		case OPT_SYSLOG_IDENT:
			if (*optarg == '\0')
				return usage_error("empty --syslog-ident");
			o->syslog_ident = optarg;
			break;
		case OPT_RENDER_SYSLOG_DEFAULT:
			o->out.syslog_template = optarg;
			break;
		case OPT_SYSLOG_QUEUE:
			if (numeric("--syslog-queue", optarg, 1,
			    SYSLOGQ_MAX_SIZE, &o->syslog_queue_size) < 0)
				return 2;
			break;
		case OPT_ALLOW_FROM:
			if (add_list(&o->allow_from, &allow_cli, optarg,
			    "--allow-from"))
				return 2;
			break;
		case OPT_COMMUNITY:
			if (add_list(&o->community, &community_cli, optarg,
			    "--community"))
				return 2;
			break;
		case OPT_RATE_LIMIT:
			if (numeric("--rate-limit", optarg, 0, 10000000,
			    &o->rate_limit) < 0)
				return 2;
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
			if (c >= OPT_FILTER && c < OPT_FILTER + FILTER_NFIELDS &&
			    add_filter(&o->filter, &filters_cli,
			    (enum filter_field)(c - OPT_FILTER), optarg) < 0)
				return 2;
			break;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (options are "
		    "written --name=value)", argv[optind]);
	return -1;
}

static void
print_string(FILE *f, const char *indent, const char *key, const char *v)
{
	fprintf(f, "%s%s = \"", indent, key);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputs("\";\n", f);
}

static void
print_list(FILE *f, const char *indent, const char *key,
    const struct string_list *l)
{
	fprintf(f, "%s%s = [", indent, key);
	for (size_t i = 0; i < l->n; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : " ", l->v[i]);
	fprintf(f, "%s];\n", l->n ? " " : "");
}

static void
print_filter(FILE *f, const char *indent, const struct filter_options *fo)
{
	fprintf(f, "%sfilter = {\n", indent);
	for (int field = 0; field < FILTER_NFIELDS; field++) {
		size_t n = 0;
		for (size_t i = 0; i < fo->n; i++) {
			if (fo->v[i].field != (enum filter_field)field)
				continue;
			if (n++ == 0)
				fprintf(f, "%s  %s = [ ", indent,
				    filter_field_name((enum filter_field)field));
			else
				fputs(", ", f);
			fprintf(f, "\"%s\"", fo->v[i].pattern);
		}
		if (n > 0)
			fputs(" ];\n", f);
	}
	fprintf(f, "%s};\n", indent);
}

static void
print_output(FILE *f, const char *indent, const struct output_options *o,
    const char *ident)
{
	char in2[16];

	snprintf(in2, sizeof(in2), "%s  ", indent);
	if (o->template)
		print_string(f, indent, "template", o->template);
	if (o->quiet >= 0)
		fprintf(f, "%squiet = %s;\n", indent, o->quiet ? "true" : "false");
	if (o->log_file)
		print_string(f, indent, "log_file", o->log_file);
	fprintf(f, "%ssyslog = {\n", indent);
	if (o->syslog >= 0)
		fprintf(f, "%senabled = %s;\n", in2, o->syslog ? "true" : "false");
	if (o->syslog_facility >= 0)
		print_string(f, in2, "facility",
		    options_facility_name(o->syslog_facility));
	if (o->syslog_priority >= 0)
		print_string(f, in2, "priority",
		    options_priority_name(o->syslog_priority));
	if (o->syslog_template)
		print_string(f, in2, "template", o->syslog_template);
	if (ident)
		print_string(f, in2, "ident", ident);
	fprintf(f, "%s};\n", indent);
}

void
options_print(const struct options *o, FILE *f)
{
	fprintf(f, "# effective settings%s%s\n", o->config_file ? " of " : "",
	    o->config_file ? o->config_file : "");
	fprintf(f, "port = %u;\n", o->port);
	print_list(f, "", "listen", &o->listen);
	print_string(f, "", "run_as", o->run_as);
	fprintf(f, "show_port_numbers = %s;\n",
	    o->show_port_numbers ? "true" : "false");
	print_string(f, "", "unparsed", o->unparsed_raw ? "raw" : "drop");
	if (o->pid_file)
		print_string(f, "", "pid_file", o->pid_file);
	fprintf(f, "receive_buffer = %d;\n", o->receive_buffer);
	print_output(f, "", &o->out, o->syslog_ident);
	print_filter(f, "", &o->filter);
	fprintf(f, "dns = {\n  enabled = %s;\n  source = %s;\n  dest = %s;\n",
	    o->no_dns ? "false" : "true", o->no_dns_source ? "false" : "true",
	    o->no_dns_dest ? "false" : "true");
	print_list(f, "  ", "servers", &o->dns_servers);
	fprintf(f, "  wait = %u;\n  timeout = %u;\n  cache_size = %u;\n"
	    "  ttl = %u;\n  negative_ttl = %u;\n};\n", o->dns_wait_ms,
	    o->dns_timeout_ms, o->dns_cache_size, o->dns_ttl,
	    o->dns_negative_ttl);
	fputs("access = {\n", f);
	print_list(f, "  ", "allow_from", &o->allow_from);
	print_list(f, "  ", "community", &o->community);
	fprintf(f, "  rate_limit = %u;\n};\n", o->rate_limit);
	if (o->nrules == 0)
		return;
	fputs("rules = (\n", f);
	for (size_t i = 0; i < o->nrules; i++) {
		const struct rule_options *r = &o->rules[i];
		fputs("  {\n", f);
		print_filter(f, "    ", &r->filter);
		print_output(f, "    ", &r->out, NULL);
		fprintf(f, "    final = %s;\n  }%s\n", r->final ? "true" : "false",
		    i + 1 < o->nrules ? "," : "");
	}
	fputs(");\n", f);
}
