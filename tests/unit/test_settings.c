/* Unit tests for the table of settings (src/settings.c) and of counters
 * (src/stats.c): the rows are consistent, every default is a valid
 * value, the printed settings load back, rules inherit, the restart-only
 * settings are kept, and every counter reaches the statistics line. */
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
#include "settings.h"
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
	static const char *const unlisted[] = { "port", NULL };

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
	assert_int_equal(settings_keep_restart(p, &reloaded, unlisted, names,
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
	struct daemon_counters c = { .written_file = 2 };
	struct stats_sources s = { &r, &p, &c };
	char line[2048];

	(void)state;
	stats_format(&s, line, sizeof(line));
	assert_non_null(strstr(line, "received=7 "));
	assert_non_null(strstr(line, " events=5 "));
	assert_non_null(strstr(line, " written_file=2 "));
	assert_null(strstr(line, "waited_out"));
	c.dns_used = 1;
	stats_format(&s, line, sizeof(line));
	assert_non_null(strstr(line, " waited_out=3"));
	assert_non_null(strstr(line, " dns_sent=0 "));
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_unique),
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_print_loads_back),
		cmocka_unit_test(test_rule_inherits),
		cmocka_unit_test(test_keep_restart),
		cmocka_unit_test(test_stats_line),
		cmocka_unit_test(test_usage_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
