/*
 * options.c - the command line, driven by the table of settings.c: the
 * original LinkLog's options, long and short, plus linklog's own.  A
 * usage error prints one line and a hint, and exits 2.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "options.h"
#include "settings.h"

/* getopt's value for row i of the table (above every short option). */
#define ROW_VALUE 256
#define MAX_ROWS SETTINGS_MAX

struct cli {
	struct option longopts[MAX_ROWS + 1];
	char shortopts[2 * MAX_ROWS + 2];
};

static void
cli_init(struct cli *c)
{
	size_t n = 0, s = 0;

	c->shortopts[s++] = ':';
	/* More rows than MAX_ROWS fail test_settings, never silently here. */
	for (size_t i = 0; i < settings_count && n < MAX_ROWS; i++) {
		const struct setting *row = &settings[i];
		int has_arg = row->metavar == NULL ? no_argument :
		    row->optarg_key ? optional_argument : required_argument;
		if (row->option == NULL)
			continue;
		c->longopts[n++] = (struct option){ row->option, has_arg, NULL,
		    ROW_VALUE + (int)i };
		if (row->short_option == 0)
			continue;
		c->shortopts[s++] = (char)row->short_option;
		if (has_arg == required_argument)
			c->shortopts[s++] = ':';
	}
	c->longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	c->shortopts[s] = '\0';
}

/* The row of getopt's result c; NULL for an error. */
static const struct setting *
row_of(int c)
{
	if (c >= ROW_VALUE && c < ROW_VALUE + (int)settings_count)
		return &settings[c - ROW_VALUE];
	for (size_t i = 0; i < settings_count && c > 0; i++)
		if (settings[i].option && settings[i].short_option == c)
			return &settings[i];
	return NULL;
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

/*
 * getopt_long reports "--dns" as unknown like "--bogus": say when it is
 * the beginning of several options instead.  Returns 1 if reported.
 */
static int
ambiguous(const struct option *longopts, const char *arg)
{
	char list[512] = "";
	size_t len, used = 0;
	int n = 0;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	arg += 2;
	len = strcspn(arg, "=");
	for (const struct option *o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, arg, len) != 0)
			continue;
		if (strlen(o->name) == len)
			return 0;
		if (used < sizeof(list)) {
			int k = snprintf(list + used, sizeof(list) - used,
			    "%s--%s", n ? ", " : "", o->name);
			if (k > 0)
				used += (size_t)k;
		}
		n++;
	}
	if (n < 2)
		return 0;
	usage_error("ambiguous option '--%.*s' (could be %s)", (int)len, arg,
	    list);
	return 1;
}

void
options_find(struct options *o, int argc, char **argv, unsigned flags)
{
	struct cli cli;
	const struct setting *row;
	int c, idx;

	cli_init(&cli);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, cli.shortopts, cli.longopts,
	    &idx)) != -1) {
		if ((row = row_of(c)) == NULL || !(row->flags & flags))
			continue;
		/* Taken as given: options_parse() checks them later. */
		if (row->type == SETTING_BOOL)
			*(int *)settings_value(row, o, NULL) = row->arg;
		else if (row->type == SETTING_STRING)
			*(const char **)settings_value(row, o, NULL) = optarg;
	}
}

/* One option with its value; -1 to go on, or an exit status. */
static int
apply(struct options *o, const struct setting *row, const char *arg,
    unsigned char *from_cli)
{
	const struct setting *target = row;
	char err[512];
	void *value;
	int rc;

	if (row->type == SETTING_ACTION) {
		if (row->arg == ACTION_HELP)
			settings_usage(stdout);
		else if (row->arg == ACTION_VERSION)
			printf("linklog %s\n", PACKAGE_VERSION);
		return row->arg == ACTION_NONE ? -1 : 0;
	}
	value = settings_value(row, o, NULL);
	if (row->type == SETTING_BOOL) {
		*(int *)value = row->arg;
		if (arg == NULL || row->optarg_key == NULL)
			return -1;
		target = settings_by_key(row->optarg_key, SETTING_TOP);
		value = settings_value(target, o, NULL);
	}
	/* A list given here replaces the file's; its next values add. */
	rc = settings_set_text(target, value, arg, from_cli[target - settings],
	    err, sizeof(err));
	from_cli[target - settings] = 1;
	if (rc == -1)
		return usage_error("invalid value '%s' for --%s (%s)", arg,
		    row->option, err);
	if (rc < 0)
		return usage_error("--%s: %s", row->option, err);
	return -1;
}

/* Whether the command line gave the setting of key. */
static int
given(const unsigned char *from_cli, const char *key)
{
	return from_cli[settings_by_key(key, SETTING_TOP) - settings];
}

/* "--template or --syslog-template": the options of keys. */
static void
options_of(const char *const *keys, char *buf, size_t size)
{
	size_t used = 0, n = 0;

	while (keys[n] != NULL)
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		const struct setting *row = settings_by_key(keys[i], SETTING_TOP);
		int k = snprintf(buf + used, size - used, "%s--%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ",
		    row && row->option ? row->option : keys[i]);
		if (k < 0)
			return;
		used += (size_t)k;
	}
}

/*
 * A flag that implies other settings (--json: every output of the run is
 * JSON, whatever the file says, so that --check-config prints what runs):
 * its keys are set at the top level and inherited by every rule.  Given
 * with a key it contradicts on one command line, a usage error.
 */
static int
apply_implied(struct options *o, const struct setting *row,
    const unsigned char *from_cli)
{
	char list[256], err[256];

	for (size_t i = 0; row->excludes && row->excludes[i]; i++) {
		if (!given(from_cli, row->excludes[i]))
			continue;
		options_of(row->excludes, list, sizeof(list));
		return usage_error("--%s %s: it cannot be used with %s",
		    row->option, row->excludes_why, list);
	}
	for (size_t i = 0; row->implies[i] != NULL; i++) {
		const struct setting *t = settings_by_key(row->implies[i],
		    SETTING_TOP);
		(void)settings_set_text(t, settings_value(t, o, NULL),
		    row->implied, 0, err, sizeof(err));
		for (size_t r = 0; r < o->nrules; r++)
			settings_unset(t, settings_value(t, NULL, &o->rules[r]));
	}
	return -1;
}

/* The flags given that imply other settings; -1 or an exit status. */
static int
apply_implications(struct options *o, const unsigned char *from_cli)
{
	int rc;

	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		if (row->implies == NULL || row->type != SETTING_BOOL ||
		    !*(const int *)settings_value(row, o, NULL))
			continue;
		if ((rc = apply_implied(o, row, from_cli)) >= 0)
			return rc;
	}
	return -1;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	unsigned char from_cli[MAX_ROWS] = { 0 };
	struct cli cli;
	const struct setting *row;
	char name[256];
	int c, idx, rc;

	cli_init(&cli);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, cli.shortopts, cli.longopts,
	    &idx)) != -1) {
		/* The option as the user wrote it, for messages. */
		snprintf(name, sizeof(name), "%s", argv[optind - 1]);
		if (c == ':')
			return usage_error("option '%s' needs a value", name);
		if (c == '?' && optopt >= ROW_VALUE)
			return usage_error("option '--%s' takes no value",
			    settings[optopt - ROW_VALUE].option);
		if (c == '?' || (row = row_of(c)) == NULL) {
			if (optopt != 0)
				snprintf(name, sizeof(name), "-%c", optopt);
			else if (ambiguous(cli.longopts, name))
				return 2;
			return usage_error("unknown option '%s'", name);
		}
		if ((rc = apply(o, row, optarg, from_cli)) >= 0)
			return rc;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (options are "
		    "written --name=value)", argv[optind]);
	return apply_implications(o, from_cli);
}
