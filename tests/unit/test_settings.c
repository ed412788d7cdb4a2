/* Unit tests for the table of settings (src/settings.c) and of counters
 * (src/stats.c): the rows are consistent, every default is a valid
 * value, the printed settings load back, rules inherit, the restart-only
 * settings are kept, the parts decide what a reload reuses and fill the
 * resolver's configuration, and every counter reaches the statistics
 * line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "resolve.h"
#include "settings.h"
#include "counters.h"
#include "stats.h"

/* Options, short options and keys are each given once. */
static void
test_rows_unique(void **state)
{
	(void)state;
	assert_true(settings_count <= SETTINGS_MAX);
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *a = &settings[i];
		for (size_t j = i + 1; j < settings_count; j++) {
			const struct setting *b = &settings[j];
			if (a->option && b->option)
				assert_string_not_equal(a->option, b->option);
			if (a->short_option && b->option)
				assert_int_not_equal(a->short_option,
				    b->short_option);
			if (a->key && b->key)
				assert_string_not_equal(a->key, b->key);
		}
	}
}

/* What each type needs, and defaults that parse within the bounds. */
static void
test_rows_complete(void **state)
{
	struct options o;
	char err[512];

	(void)state;
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		if (row->type == SETTING_ACTION)
			continue;
		assert_true(row->places != 0);
		if (row->type == SETTING_NAME)
			assert_non_null(row->names);
		if (row->type == SETTING_UINT)
			assert_true(row->min <= row->max);
		if (row->inherit)
			assert_int_equal(row->places,
			    SETTING_TOP | SETTING_RULE);
		if (row->option && row->type != SETTING_BOOL)
			assert_non_null(row->metavar);
		if (row->option)
			assert_non_null(row->help);
		if (row->optarg_key)
			assert_non_null(settings_by_key(row->optarg_key,
			    SETTING_TOP));
		if (row->def == NULL || row->type == SETTING_STRING ||
		    !(row->places & SETTING_TOP))
			continue;
		if (settings_set_text(row, settings_value(row, &o, NULL),
		    row->def, 0, err, sizeof(err)) != 0)
			fail_msg("default '%s' of %s: %s", row->def,
			    row->key ? row->key : row->option, err);
	}
}

static char *
print_to_file(const struct options *o, const char *path)
{
	FILE *f = fopen(path, "w");
	char *text;
	long n;

	assert_non_null(f);
	settings_print(o, f);
	fclose(f);
	f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/* The defaults, printed, load back to the same print. */
static void
test_print_loads_back(void **state)
{
	char path[] = "/tmp/linklog-settings-XXXXXX", err[4096];
	struct options a, b;
	char *ta, *tb;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	settings_defaults(&a);
	a.community.v[a.community.n++] = "q\"uo\\te\n\t\x01";
	ta = print_to_file(&a, path);
	settings_defaults(&b);
	if (conffile_load(path, &b, err, sizeof(err)) != 0)
		fail_msg("%s\n%s", err, ta);
	b.config_file = NULL;
	tb = print_to_file(&b, path);
	assert_string_equal(ta, tb);
	assert_string_equal(b.community.v[0], "q\"uo\\te\n\t\x01");
	conffile_free(&b);
	free(ta);
	free(tb);
	unlink(path);
}

/* A rule takes the top level's value where it has none of its own. */
static void
test_rule_inherits(void **state)
{
	struct options o;
	struct rule_options r;

	(void)state;
	settings_defaults(&o);
	o.out.template = "top";
	o.out.syslog_priority = 3;
	o.nrules = 1;
	settings_rule_defaults(&o.rules[0]);
	o.rules[0].out.template = "mine";
	settings_effective_rule(&o, 0, &r);
	assert_string_equal(r.out.template, "mine");
	assert_int_equal(r.out.syslog_priority, 3);
	assert_int_equal(r.final, 0);
	o.nrules = 0;
	settings_effective_rule(&o, 0, &r);
	assert_string_equal(r.out.template, "top");
}

/* A reload gets back the restart-only values, and their names. */
static void
test_keep_restart(void **state)
{
	struct options started, reloaded;
	struct settings_pinned *p;
	char names[256], pid[] = "/run/a.pid";

	(void)state;
	settings_defaults(&started);
	started.pid_file = pid;
	p = settings_pin(&started);
	assert_non_null(p);
	pid[5] = 'x';           /* the pinned copy is linklog's own */
	settings_defaults(&reloaded);
	reloaded.pid_file = "/run/b.pid";
	reloaded.port = 99;
	reloaded.rate_limit = 5;
	assert_int_equal(settings_keep_restart(p, &reloaded, SETTING_SOCKET, names,
	    sizeof(names)), 1);
	assert_string_equal(names, "pid_file");
	assert_string_equal(reloaded.pid_file, "/run/a.pid");
	assert_int_equal(reloaded.port, 162);
	assert_int_equal(reloaded.rate_limit, 5);
	settings_pinned_free(p);
}

/* Every counter is in the line; the DNS ones once a resolver ran. */
static void
test_stats_line(void **state)
{
	struct receive_stats r = { .datagrams = 7 };
	struct pipeline_stats p = { .waited_out = 3, .events = 5 };
	struct counters c = { .written_file = 2 };
	struct stats s = { .n = 0 };
	char line[2048];

	(void)state;
	assert_int_equal(counters_rows(&c, &r, &p, &s), 0);
	stats_format(&s, line, sizeof(line));
	assert_non_null(strstr(line, "received=7 "));
	assert_non_null(strstr(line, " events=5 "));
	assert_non_null(strstr(line, " written_file=2 "));
	assert_null(strstr(line, "waited_out"));
	c.dns_used = 1;
	stats_format(&s, line, sizeof(line));
	assert_non_null(strstr(line, " waited_out=3"));
	assert_non_null(strstr(line, " dns_sent=0 "));
	/* Pointers, not copies: what is counted later is in the next line. */
	r.datagrams = 8;
	c.dns.sent = 4;
	c.syslog.dropped = 6;
	stats_format(&s, line, sizeof(line));
	assert_non_null(strstr(line, "received=8 "));
	assert_non_null(strstr(line, " dns_sent=4 "));
	assert_non_null(strstr(line, " syslog_dropped=6 "));
	assert_null(strstr(line, "geoip_"));
	/* A full table says so. */
	s.n = STATS_MAX;
	assert_int_equal(stats_add(&s, "x", NULL, NULL), -1);
}

/* --help fits 79 columns, whatever the rows' texts. */
static void
test_usage_width(void **state)
{
	char line[256];
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	settings_usage(f);
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strlen(line) > 80)
			fail_msg("too wide: %s", line);
	fclose(f);
}

/*
 * The parts: what a reload does with each; a row copied to a module's
 * configuration is the resolver's, and the restart-only rows are at the
 * top level (settings_pin copies only those).
 */
static void
test_parts(void **state)
{
	(void)state;
	assert_int_equal(settings_part_apply(PART_RECEIVER), SETTING_RESTART);
	assert_int_equal(settings_part_apply(PART_PROCESS), SETTING_RESTART);
	assert_int_equal(settings_part_apply(PART_RESOLVER), SETTING_REUSE);
	assert_int_equal(settings_part_apply(PART_OUTPUT), SETTING_RELOAD);
	assert_int_equal(settings_part_apply(PART_ACCESS), SETTING_RELOAD);
	for (int p = 0; p < PART_COUNT; p++)
		assert_non_null(settings_part_name((enum setting_part)p));
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		if (row->conf_size != 0 && row->part != PART_RESOLVER)
			fail_msg("%s: a config field outside the resolver",
			    row->key);
		if (row->key && row->part == PART_RESOLVER &&
		    row->conf_size == 0)
			fail_msg("%s: the resolver's, but not in its config",
			    row->key);
		if (settings_part_apply(row->part) == SETTING_RESTART &&
		    row->places != SETTING_TOP)
			fail_msg("%s: restart-only in rules", row->key);
	}
}

/* The running resolver stays exactly while its rows are the same. */
static void
test_resolver_reused(void **state)
{
	struct options a, b;

	(void)state;
	settings_defaults(&a);
	a.dns_servers.v[0] = "127.0.0.1";
	a.dns_servers.n = 1;
	b = a;
	assert_true(settings_part_same(PART_RESOLVER, &a, &b, 0));
	b.rate_limit = 7;               /* another part's */
	b.dns_enabled = 0;              /* the pipeline's, not the resolver's */
	b.out.template = "%a";
	assert_true(settings_part_same(PART_RESOLVER, &a, &b, 0));
	b.dns_timeout_ms = 7;
	assert_false(settings_part_same(PART_RESOLVER, &a, &b, 0));
	b = a;
	b.dns_servers.v[0] = "127.0.0.2";
	assert_false(settings_part_same(PART_RESOLVER, &a, &b, 0));
	/* No dns.servers: /etc/resolv.conf is read again, whatever else. */
	a.dns_servers.n = b.dns_servers.n = 0;
	assert_false(settings_part_same(PART_RESOLVER, &a, &b, 0));
	/* Only the rows with a flag: the sockets systemd may pass. */
	b.port = 99;
	assert_false(settings_part_same(PART_RECEIVER, &a, &b,
	    SETTING_SOCKET));
	b.port = a.port;
	b.receive_buffer = 8192;
	assert_true(settings_part_same(PART_RECEIVER, &a, &b,
	    SETTING_SOCKET));
	assert_false(settings_part_same(PART_RECEIVER, &a, &b, 0));
}

/* The resolver's configuration, filled from its rows. */
static void
test_resolver_config(void **state)
{
	struct options o;
	struct resolve_config rc;
	char buf[256];

	(void)state;
	settings_defaults(&o);
	memset(&rc, 0xff, sizeof(rc));
	settings_part_config(PART_RESOLVER, &o, &rc, buf, sizeof(buf));
	assert_null(rc.servers);
	assert_int_equal(rc.timeout_ms, 500);
	assert_int_equal(rc.wait_ms, 1000);
	assert_int_equal(rc.cache_size, 8192);
	assert_int_equal(rc.ttl_max, 3600);
	assert_int_equal(rc.negative_ttl, 300);
	assert_int_equal(rc.max_pending, 4096);
	o.dns_servers.v[0] = "127.0.0.1";
	o.dns_servers.v[1] = "[::1]:5353";
	o.dns_servers.n = 2;
	o.dns_cache_size = 5;
	settings_part_config(PART_RESOLVER, &o, &rc, buf, sizeof(buf));
	assert_string_equal(rc.servers, "127.0.0.1,[::1]:5353");
	assert_int_equal(rc.cache_size, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_unique),
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_print_loads_back),
		cmocka_unit_test(test_rule_inherits),
		cmocka_unit_test(test_keep_restart),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_resolver_reused),
		cmocka_unit_test(test_resolver_config),
		cmocka_unit_test(test_stats_line),
		cmocka_unit_test(test_usage_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
