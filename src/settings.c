/*
 * settings.c - the table of every setting.  What is driven by it: the
 * lookups, checks, values from text, defaults and the merge of a rule
 * with the top level are settings_values.c's; what a reload does with
 * each part settings_parts.c's; the printing (--check-config, --help)
 * settings_print.c's.
 */
#include <stddef.h>
#include <stdio.h>
#include <syslog.h>

/* The modules whose values the rows check and bound. */
#include "access.h"
#include "filter.h"
#include "inside.h"
#include "namecache.h"
#include "privs.h"
#include "receive.h"
#include "render.h"
#include "resolve.h"
#include "scan.h"
#include "settings.h"
#include "syslogq.h"

#define STR(x) #x
#define XSTR(x) STR(x)
#define NAMES(w, a) { w, a, sizeof(a) / sizeof(a[0]) }

static const struct name_value facility_names[] = {
	{ "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH }, { "syslog", LOG_SYSLOG },
	{ "lpr", LOG_LPR }, { "news", LOG_NEWS }, { "uucp", LOG_UUCP },
	{ "cron", LOG_CRON }, { "authpriv", LOG_AUTHPRIV }, { "ftp", LOG_FTP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
}, priority_names[] = {
	{ "emerg", LOG_EMERG }, { "alert", LOG_ALERT }, { "crit", LOG_CRIT },
	{ "err", LOG_ERR }, { "warning", LOG_WARNING }, { "notice", LOG_NOTICE },
	{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
}, unparsed_names[] = {
	/* "raw" is the older name of "forward". */
	{ "drop", 0 }, { "forward", 1 }, { "raw", 1 },
}, format_names[] = {
	{ "text", 0 }, { "json", 1 },
}, action_names[] = {
	{ "summarize", SCAN_SUMMARIZE }, { "annotate", SCAN_ANNOTATE },
}, action_out_names[] = {
	/* "same": as scan.action (SCAN_SAME). */
	{ "same", SCAN_SAME }, { "summarize", SCAN_SUMMARIZE },
	{ "annotate", SCAN_ANNOTATE },
};

const struct name_table settings_facilities = NAMES("facility", facility_names);
const struct name_table settings_priorities = NAMES("level", priority_names);
static const struct name_table unparsed_table = NAMES(NULL, unparsed_names);
static const struct name_table format_table = NAMES(NULL, format_names);
static const struct name_table action_table = NAMES(NULL, action_names);
static const struct name_table action_out_table = NAMES(NULL,
    action_out_names);

/* A value that may not be empty (a file name). */
static int
check_not_empty(const char *v, char *err, size_t errlen)
{
	if (*v != '\0')
		return 0;
	snprintf(err, errlen, "must not be empty");
	return -1;
}

/* Where a setting lives: at the top level only, or also in rules, which
 * inherit the top level's value when they do not set it. */
#define TOP(field) .places = SETTING_TOP, \
	.top_offset = offsetof(struct options, field)
#define OUT(field) .part = PART_OUTPUT, \
	.places = SETTING_TOP | SETTING_RULE, .inherit = 1, \
	.top_offset = offsetof(struct options, out.field), \
	.rule_offset = offsetof(struct rule_options, out.field)
/* A top-level setting of another part than PART_OUTPUT's. */
#define IN(part_, field) .part = PART_##part_, TOP(field)
/* The resolver's, copied to its field of struct resolve_config. */
#define DNS(field, to) IN(RESOLVER, field), \
	.conf_offset = offsetof(struct resolve_config, to), \
	.conf_size = sizeof(((struct resolve_config *)0)->to)
#define RULE(field) .part = PART_OUTPUT, .places = SETTING_RULE, \
	.rule_offset = offsetof(struct rule_options, field)
#define FILTER(f) .type = SETTING_FILTER, .arg = f, .part = PART_OUTPUT, \
	.places = SETTING_TOP | SETTING_RULE, .group = GROUP_FILTER, \
	.top_offset = offsetof(struct options, filter), \
	.rule_offset = offsetof(struct rule_options, filter)

/*
 * Every setting, one row each.  To add a setting: its field in struct
 * options (options.h; in struct output_options if rules may override
 * it) or, for the resolver, in struct resolve_config too; then one row
 * here, and its documentation.  A row says:
 *
 *   .option   long option ("dns-wait"), .short_option ('p'), if any
 *   .key      configuration key, "section.name" inside a group
 *   .type     SETTING_BOOL/UINT/STRING/NAME/LIST (see settings.h)
 *   where it is stored and which part of the daemon it configures (the
 *             part decides what a reload does: parts[] in
 *             settings_parts.c):
 *             OUT(field)  the output's, at the top level and in rules;
 *             RULE(field) a rule's only;
 *             IN(part, field) a top-level setting of part (RECEIVER,
 *             PROCESS, SYSLOG_WRITER: kept as started; ACCESS, GEO:
 *             built again at each reload);
 *             DNS(field, to) the resolver's, copied to resolve_config's
 *             field to (reused while its rows are the same);
 *             TOP(field)  the command line's own
 *   .min, .max (SETTING_UINT: take a bound from the module's header),
 *             .names (SETTING_NAME), .check (the module's function that
 *             refuses bad values, for the file and the command line)
 *   .def      the default, written as in the file ("1000", "true", "raw")
 *   .flags    SETTING_EARLY: read from the command line before the file;
 *             SETTING_OPENS: a file path the privileged opener may open;
 *             SETTING_SYSTEM: unset, the system's configuration is read;
 *             SETTING_SOCKET: unused when systemd passes the sockets
 *   .unique   a list that may not hold one value twice
 *   .arg      the value a flag without argument sets (SETTING_BOOL)
 *   .implies, .implied, .excludes, .excludes_why: a flag that sets other
 *             keys and refuses those that contradict it (--json)
 *   .group, .metavar, .help   its place and text in --help (the text is
 *             wrapped to the width; \n starts a new line)
 *
 * The command line, the configuration file, the checks, --check-config,
 * --help, the defaults, the merge of rules, the resolver's configuration
 * and its reuse, and what a reload keeps all follow.  Then document it in
 * linklog(8), linklog.conf(5) and conf/linklog.conf (docs.sh checks them
 * against the table).  test_settings checks the rows (unique names,
 * defaults that parse, a --help that fits, the parts); config.sh's round
 * trip prints and reloads every key.
 */
const struct setting settings[] = {
	/* General. */
	{ .option = "cache-dns", .type = SETTING_ACTION, .arg = ACTION_NONE,
	  .group = GROUP_GENERAL, .help = "Accepted for compatibility: the "
	  "DNS cache\nis always on, and bounded" },
	{ .option = "config", .short_option = 'c', .type = SETTING_STRING,
	  TOP(config_file), .flags = SETTING_EARLY, .group = GROUP_GENERAL,
	  .metavar = "FILE",
	  .help = "Read settings from FILE (libconfig syntax);\noptions given "
	  "here win over it" },
	{ .option = "check-config", .type = SETTING_BOOL, TOP(check_config),
	  .arg = 1, .flags = SETTING_EARLY, .group = GROUP_GENERAL,
	  .help = "Validate the settings, print them, exit" },
	{ .option = "help", .short_option = 'h', .type = SETTING_ACTION,
	  .arg = ACTION_HELP, .group = GROUP_GENERAL,
	  .help = "Show this usage information" },
	{ .option = "port", .short_option = 'p', .key = "port",
	  .type = SETTING_UINT, IN(RECEIVER, port), .flags = SETTING_SOCKET,
	  .min = 1, .max = 65535, .def = "162",
	  .group = GROUP_GENERAL, .metavar = "PORT",
	  .help = "The UDP port to listen on" },
	{ .option = "listen", .key = "listen", .type = SETTING_LIST,
	  IN(RECEIVER, listen), .flags = SETTING_SOCKET,
	  .check = receive_check_listen, .unique = 1,
	  .group = GROUP_GENERAL,
	  .metavar = "ADDR", .help = "Listen on this address only "
	  "(repeatable;\ndefault every IPv4 and IPv6 address)" },
	{ .option = "run-as", .key = "run_as", .type = SETTING_STRING,
	  IN(PROCESS, run_as), .def = "nobody", .check = privs_check_user,
	  .group = GROUP_GENERAL, .metavar = "USER",
	  .help = "After initialization, run as this user\nwhen started "
	  "as root" },
	{ .option = "pid-file", .key = "pid_file", .type = SETTING_STRING,
	  IN(PROCESS, pid_file), .group = GROUP_GENERAL,
	  .metavar = "FILE", .help = "Write the process id to FILE" },
	{ .option = "receive-buffer", .key = "receive_buffer",
	  .type = SETTING_UINT, IN(RECEIVER, receive_buffer), .min = 4096,
	  .max = 1UL << 30, .def = "8388608",
	  .group = GROUP_GENERAL, .metavar = "BYTES",
	  .help = "Socket receive buffer" },
	{ .option = "version", .short_option = 'V', .type = SETTING_ACTION,
	  .arg = ACTION_VERSION, .group = GROUP_GENERAL,
	  .help = "Show the version and exit" },

	/* Access control. */
	{ .option = "allow-from", .key = "access.allow_from",
	  .type = SETTING_LIST, IN(ACCESS, allow_from), .check = access_check_cidr,
	  .group = GROUP_ACCESS, .metavar = "CIDR", .help = "Accept traps only "
	  "from these senders\n(repeatable; default everyone)" },
	{ .option = "community", .key = "access.community",
	  .type = SETTING_LIST, IN(ACCESS, community), .check = access_check_community,
	  .group = GROUP_ACCESS,
	  .metavar = "STRING", .help = "Accept only traps with this "
	  "community\n(repeatable; default any)" },
	{ .option = "rate-limit", .key = "access.rate_limit",
	  .type = SETTING_UINT, IN(ACCESS, rate_limit), .min = 0, .max = 10000000,
	  .def = "0", .group = GROUP_ACCESS, .metavar = "N",
	  .help = "Events per second per sender at most;\n0: no limit" },

	/* Filters, at the top level and in rules. */
	{ .option = "filter-direction", .key = "filter.direction",
	  FILTER(FILTER_DIRECTION), .metavar = "{IN|OUT}",
	  .help = "Only inbound or outbound traffic" },
	{ .option = "filter-kind", .key = "filter.kind",
	  FILTER(FILTER_KIND), .metavar = "KIND",
	  .help = "connection, scan, repeat or new-host" },
	{ .option = "filter-ip", .key = "filter.ip", FILTER(FILTER_IP),
	  .metavar = "PATTERN", .help = "Source or destination IP address" },
	{ .option = "filter-ip-dest", .key = "filter.ip_dest",
	  FILTER(FILTER_IP_DEST), .metavar = "PATTERN",
	  .help = "Destination IP address" },
	{ .option = "filter-ip-source", .key = "filter.ip_source",
	  FILTER(FILTER_IP_SOURCE), .metavar = "PATTERN",
	  .help = "Source IP address" },
	{ .option = "filter-host", .key = "filter.host", FILTER(FILTER_HOST),
	  .metavar = "PATTERN", .help = "Source or destination host name" },
	{ .option = "filter-host-dest", .key = "filter.host_dest",
	  FILTER(FILTER_HOST_DEST), .metavar = "PATTERN",
	  .help = "Destination host name" },
	{ .option = "filter-host-source", .key = "filter.host_source",
	  FILTER(FILTER_HOST_SOURCE), .metavar = "PATTERN",
	  .help = "Source host name" },
	{ .option = "filter-port", .key = "filter.port", FILTER(FILTER_PORT),
	  .metavar = "PATTERN", .help = "Source or destination port number" },
	{ .option = "filter-port-dest", .key = "filter.port_dest",
	  FILTER(FILTER_PORT_DEST), .metavar = "PATTERN",
	  .help = "Destination port number" },
	{ .option = "filter-port-source", .key = "filter.port_source",
	  FILTER(FILTER_PORT_SOURCE), .metavar = "PATTERN",
	  .help = "Source port number" },
	{ .option = "filter-protocol", .key = "filter.protocol",
	  FILTER(FILTER_PROTOCOL), .metavar = "{TCP|UDP}",
	  .help = "Only TCP or UDP" },
	{ .option = "filter-country", .key = "filter.country",
	  FILTER(FILTER_COUNTRY), .metavar = "CC",
	  .help = "Source or destination country (ISO\ncode, e.g. DE; needs "
	  "--geoip-db)" },
	{ .option = "filter-country-dest", .key = "filter.country_dest",
	  FILTER(FILTER_COUNTRY_DEST), .metavar = "CC",
	  .help = "Destination country" },
	{ .option = "filter-country-source", .key = "filter.country_source",
	  FILTER(FILTER_COUNTRY_SOURCE), .metavar = "CC",
	  .help = "Source country" },
	{ .option = "filter-asn", .key = "filter.asn", FILTER(FILTER_ASN),
	  .metavar = "ASN", .help = "Source or destination AS number\n"
	  "(e.g. 20712 or AS20712; needs --geoip-db)" },
	{ .option = "filter-asn-dest", .key = "filter.asn_dest",
	  FILTER(FILTER_ASN_DEST), .metavar = "ASN",
	  .help = "Destination AS number" },
	{ .option = "filter-asn-source", .key = "filter.asn_source",
	  FILTER(FILTER_ASN_SOURCE), .metavar = "ASN",
	  .help = "Source AS number" },

	/* Output, at the top level and in rules (which inherit it). */
	{ .option = "log-file", .short_option = 'l', .key = "log_file",
	  .type = SETTING_STRING, OUT(log_file), .flags = SETTING_OPENS,
	  .group = GROUP_OUTPUT,
	  .metavar = "FILE", .help = "Append all traffic lines to FILE" },
	{ .option = "no-dns", .key = "dns.enabled", .type = SETTING_BOOL,
	  IN(OUTPUT, dns_enabled), .def = "true", .arg = 0, .group = GROUP_OUTPUT,
	  .help = "Show IPs instead of host names" },
	{ .option = "no-dns-dest", .key = "dns.dest", .type = SETTING_BOOL,
	  IN(OUTPUT, dns_dest), .def = "true", .arg = 0, .group = GROUP_OUTPUT,
	  .help = "Show destination IPs instead of host names" },
	{ .option = "no-dns-source", .key = "dns.source", .type = SETTING_BOOL,
	  IN(OUTPUT, dns_source), .def = "true", .arg = 0, .group = GROUP_OUTPUT,
	  .help = "Show source IPs instead of host names" },
	{ .option = "quiet", .short_option = 'q', .key = "quiet",
	  .type = SETTING_BOOL, OUT(quiet), .def = "false", .arg = 1,
	  .group = GROUP_OUTPUT, .help = "Do not write lines to standard output" },
	{ .option = "show-port-numbers", .short_option = 's',
	  .key = "show_port_numbers", .type = SETTING_BOOL,
	  IN(OUTPUT, show_port_numbers), .def = "false", .arg = 1,
	  .group = GROUP_OUTPUT,
	  .help = "Show port numbers instead of service names" },
	{ .option = "template", .short_option = 't', .key = "template",
	  .type = SETTING_STRING, OUT(template), .def = RENDER_DEFAULT,
	  .check = render_check, .group = GROUP_OUTPUT,
	  .metavar = "TEMPLATE", .help = "The line's template" },
	{ .key = "format", .type = SETTING_NAME, OUT(json),
	  .names = &format_table, .def = "text" },
	{ .key = "json_original", .type = SETTING_BOOL, OUT(json_original),
	  .def = "false" },
	{ .option = "json", .type = SETTING_BOOL, IN(OUTPUT, json_everywhere),
	  .arg = 1, .group = GROUP_OUTPUT,
	  .implies = (const char *const[]){ "format", "syslog.format", NULL },
	  .implied = "json",
	  .excludes = (const char *const[]){ "template", "syslog.template",
	  NULL }, .excludes_why = "writes JSON, not a template",
	  .help = "Every line as one JSON object (ECS field\nnames) on "
	  "standard output, the log file\nand syslog; not with --template" },
	{ .option = "unparsed", .key = "unparsed", .type = SETTING_NAME,
	  IN(OUTPUT, unparsed_raw), .names = &unparsed_table, .def = "drop",
	  .group = GROUP_OUTPUT, .metavar = "{drop|forward}",
	  .help = "Drop or forward trap strings that\nhold no log message" },
	{ .option = "syslog", .key = "syslog.enabled", .type = SETTING_BOOL,
	  OUT(syslog), .def = "false", .arg = 1,
	  .optarg_key = "syslog.facility", .group = GROUP_OUTPUT,
	  .metavar = "FACILITY", .help = "Also send lines to syslog(3), "
	  "with\nthis facility (default daemon)" },
	{ .key = "syslog.facility", .type = SETTING_NAME, OUT(syslog_facility),
	  .names = &settings_facilities, .check = syslogq_check_facility,
	  .def = "daemon" },
	{ .option = "syslog-priority", .key = "syslog.priority",
	  .type = SETTING_NAME, OUT(syslog_priority),
	  .names = &settings_priorities, .def = "info", .group = GROUP_OUTPUT,
	  .metavar = "LEVEL", .help = "Their level" },
	{ .option = "syslog-ident", .key = "syslog.ident",
	  .type = SETTING_STRING, IN(OUTPUT, syslog_ident), .def = "linklog",
	  .check = syslogq_check_ident, .group = GROUP_OUTPUT, .metavar = "NAME",
	  .help = "Their program name" },
	{ .option = "syslog-template", .key = "syslog.template",
	  .type = SETTING_STRING, OUT(syslog_template),
	  .def = RENDER_SYSLOG_DEFAULT, .check = render_check,
	  .group = GROUP_OUTPUT, .metavar = "TEMPLATE", .help = "Their template" },
	{ .key = "syslog.format", .type = SETTING_NAME, OUT(syslog_json),
	  .names = &format_table, .def = "text" },
	{ .option = "syslog-queue", .key = "syslog.queue_size",
	  .type = SETTING_UINT, IN(SYSLOG_WRITER, syslog_queue_size), .min = 1,
	  .max = SYSLOGQ_MAX_SIZE, .def = XSTR(SYSLOGQ_DEFAULT_SIZE),
	  .group = GROUP_OUTPUT, .metavar = "N",
	  .help = "Lines waiting for syslog at most, then\ndropped and "
	  "counted" },
	{ .key = "final", .type = SETTING_BOOL, RULE(final), .def = "false" },
	{ .option = "geoip-db", .key = "geoip.databases", .type = SETTING_LIST,
	  IN(GEO, geoip_databases), .check = check_not_empty, .unique = 1,
	  .group = GROUP_OUTPUT, .metavar = "FILE",
	  .help = "Country, city or AS of outside\naddresses from this MaxMind "
	  "DB file\n(repeatable; %c %C %o %O, JSON)" },

	/* Scans and repeats (scan.c, repeat.c), and the LAN they need;
	 * the pipeline's stages, configured anew at each reload. */
	{ .option = "inside", .key = "inside", .type = SETTING_LIST,
	  IN(OUTPUT, inside), .check = inside_check, .unique = 1,
	  .group = GROUP_SCAN, .metavar = "CIDR", .help = "The LAN's "
	  "networks (repeatable; default\n" INSIDE_DEFAULT ")" },
	{ .option = "scan", .key = "scan.enabled", .type = SETTING_BOOL,
	  IN(OUTPUT, scan_enabled), .def = "false", .arg = 1,
	  .group = GROUP_SCAN,
	  .help = "Detect port scans: one alert, not a line\nper port" },
	{ .option = "scan-action", .key = "scan.action", .type = SETTING_NAME,
	  IN(OUTPUT, scan_action), .names = &action_table, .def = "summarize",
	  .group = GROUP_SCAN, .metavar = "{summarize|annotate}",
	  .help = "A scanner's connections: counted into\nits summary, or "
	  "written and marked" },
	{ .option = "scan-action-out", .key = "scan.action_out",
	  .type = SETTING_NAME, IN(OUTPUT, scan_action_out),
	  .names = &action_out_table, .def = "same", .group = GROUP_SCAN,
	  .metavar = "{same|summarize|annotate}",
	  .help = "The same for inside hosts scanning out" },
	{ .key = "scan.window", .type = SETTING_UINT, IN(OUTPUT, scan_window),
	  .min = 1, .max = 3600, .def = "60" },
	{ .key = "scan.ports", .type = SETTING_UINT, IN(OUTPUT, scan_ports),
	  .min = 2, .max = SCAN_PORTS_MAX, .def = "15" },
	{ .key = "scan.hosts", .type = SETTING_UINT, IN(OUTPUT, scan_hosts),
	  .min = 2, .max = SCAN_HOSTS_MAX, .def = "100" },
	{ .key = "scan.quiet", .type = SETTING_UINT, IN(OUTPUT, scan_quiet),
	  .min = 1, .max = 3600, .def = "60" },
	{ .key = "scan.report", .type = SETTING_UINT, IN(OUTPUT, scan_report),
	  .min = 10, .max = 86400, .def = "600" },
	{ .key = "scan.max_sources", .type = SETTING_UINT,
	  IN(OUTPUT, scan_max_sources), .min = 64, .max = 1048576,
	  .def = "65536" },
	{ .key = "scan.max_scanners", .type = SETTING_UINT,
	  IN(OUTPUT, scan_max_scanners), .min = 8, .max = 16384,
	  .def = "1024" },
	{ .key = "scan.template", .type = SETTING_STRING,
	  IN(OUTPUT, scan_template), .def = RENDER_SCAN_DEFAULT,
	  .check = render_check },
	{ .key = "scan.syslog_template", .type = SETTING_STRING,
	  IN(OUTPUT, scan_syslog_template), .def = RENDER_SCAN_SYSLOG_DEFAULT,
	  .check = render_check },
	{ .key = "scan.priority", .type = SETTING_NAME,
	  IN(OUTPUT, scan_priority), .names = &settings_priorities,
	  .def = "notice" },
	{ .option = "repeats", .key = "repeats.window", .type = SETTING_UINT,
	  IN(OUTPUT, repeats_window), .min = 0, .max = 86400, .def = "0",
	  .group = GROUP_SCAN, .metavar = "SECONDS",
	  .help = "Count an event that came less than\nSECONDS ago instead of "
	  "writing it;\n0: off" },
	{ .key = "repeats.max_entries", .type = SETTING_UINT,
	  IN(OUTPUT, repeats_max_entries), .min = 64, .max = 1048576,
	  .def = "65536" },
	{ .key = "repeats.template", .type = SETTING_STRING,
	  IN(OUTPUT, repeats_template), .def = RENDER_REPEAT_DEFAULT,
	  .check = render_check },
	{ .key = "repeats.syslog_template", .type = SETTING_STRING,
	  IN(OUTPUT, repeats_syslog_template),
	  .def = RENDER_REPEAT_SYSLOG_DEFAULT, .check = render_check },
	{ .key = "repeats.priority", .type = SETTING_NAME,
	  IN(OUTPUT, repeats_priority), .names = &settings_priorities,
	  .def = "info" },

	/* The state database and the inventory (state.c): the file, its
	 * tables and its thread are the process's, kept as started. */
	{ .option = "state-db", .key = "state.database", .type = SETTING_STRING,
	  IN(STATE, state_database), .check = check_not_empty,
	  .group = GROUP_GENERAL, .metavar = "FILE",
	  .help = "Keep the inventory and hourly summary\nin this SQLite file "
	  "(docs/STATE.md)" },
	{ .key = "state.flush", .type = SETTING_UINT, IN(STATE, state_flush),
	  .min = 1, .max = 3600, .def = "10" },
	{ .key = "state.max_rows_per_hour", .type = SETTING_UINT,
	  IN(STATE, state_max_rows_per_hour), .min = 16, .max = 1000000,
	  .def = "1000" },
	{ .key = "state.retention_days", .type = SETTING_UINT,
	  IN(STATE, state_retention_days), .min = 1, .max = 3660,
	  .def = "31" },
	{ .key = "inventory.max_hosts", .type = SETTING_UINT,
	  IN(STATE, inventory_max_hosts), .min = 16, .max = 262144,
	  .def = "16384" },
	{ .key = "inventory.forget_days", .type = SETTING_UINT,
	  IN(STATE, inventory_forget_days), .min = 1, .max = 3660,
	  .def = "30" },
	{ .key = "inventory.learn", .type = SETTING_UINT,
	  IN(STATE, inventory_learn), .min = 0, .max = 31622400,
	  .def = "86400" },
	{ .key = "inventory.notices_per_minute", .type = SETTING_UINT,
	  IN(STATE, inventory_notices_per_minute), .min = 1, .max = 100000,
	  .def = "20" },
	{ .key = "inventory.template", .type = SETTING_STRING,
	  IN(OUTPUT, inventory_template), .def = RENDER_NEW_HOST_DEFAULT,
	  .check = render_check },
	{ .key = "inventory.syslog_template", .type = SETTING_STRING,
	  IN(OUTPUT, inventory_syslog_template),
	  .def = RENDER_NEW_HOST_SYSLOG_DEFAULT, .check = render_check },
	{ .key = "inventory.priority", .type = SETTING_NAME,
	  IN(OUTPUT, inventory_priority), .names = &settings_priorities,
	  .def = "notice" },

	/* Name resolution. */
	{ .option = "dns-server", .key = "dns.servers", .type = SETTING_LIST,
	  DNS(dns_servers, servers), .flags = SETTING_SYSTEM,
	  .check = resolve_check_server, .group = GROUP_DNS,
	  .metavar = "ADDR[:PORT]",
	  .help = "DNS server for reverse lookups\n(repeatable; default the "
	  "system's\nresolver configuration)" },
	{ .option = "dns-wait", .key = "dns.wait", .type = SETTING_UINT,
	  DNS(dns_wait_ms, wait_ms), .min = 0, .max = 600000, .def = "1000",
	  .group = GROUP_DNS, .metavar = "MS",
	  .help = "Longest wait for a name" },
	{ .option = "dns-timeout", .key = "dns.timeout", .type = SETTING_UINT,
	  DNS(dns_timeout_ms, timeout_ms), .min = 1, .max = 60000, .def = "500",
	  .group = GROUP_DNS, .metavar = "MS", .help = "Time-out of one query" },
	{ .option = "dns-cache-size", .key = "dns.cache_size",
	  .type = SETTING_UINT, DNS(dns_cache_size, cache_size), .min = 1,
	  .max = NAMECACHE_MAX, .def = "8192", .group = GROUP_DNS,
	  .metavar = "N", .help = "Cached names at most (~300 bytes each)" },
	{ .option = "dns-ttl", .key = "dns.ttl", .type = SETTING_UINT,
	  DNS(dns_ttl, ttl_max), .min = 0, .max = 604800, .def = "3600",
	  .group = GROUP_DNS, .metavar = "S",
	  .help = "Longest time a name is kept" },
	{ .option = "dns-negative-ttl", .key = "dns.negative_ttl",
	  .type = SETTING_UINT, DNS(dns_negative_ttl, negative_ttl), .min = 0,
	  .max = 604800, .def = "300", .group = GROUP_DNS, .metavar = "S",
	  .help = "Time a failed lookup is kept" },
	{ .option = "dns-max-pending", .key = "dns.max_pending",
	  .type = SETTING_UINT, DNS(dns_max_pending, max_pending), .min = 1,
	  .max = RESOLVE_MAX_PENDING, .def = "4096", .group = GROUP_DNS,
	  .metavar = "N",
	  .help = "Addresses looked up at once; beyond: no lookup" },

	/* The rules, each a group of the SETTING_RULE rows. */
	{ .key = "rules", .type = SETTING_RULES, .part = PART_OUTPUT,
	  TOP(rules) },
};

const size_t settings_count = sizeof(settings) / sizeof(settings[0]);
