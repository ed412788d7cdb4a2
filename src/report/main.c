/*
 * main.c - linklog-report(1): the command line, the period, and one
 * report of the state database written in the format asked for, to
 * standard output or atomically to a file (-o: a reader of the file never
 * sees half a report).  Exit 0: a report (an empty period included),
 * 1: an error (database, output), 2: a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "model.h"
#include "when.h"
#include "writers.h"

#define DEFAULT_DB "/var/lib/linklog/linklog.db"
#define TOP_MAX 10000

enum format { FORMAT_HTML, FORMAT_TEXT, FORMAT_JSON };

struct args {
	const char *db, *since, *until, *output;
	enum format format;
	int top;
};

static void usage_error(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("linklog-report: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'linklog-report --help' for more information.\n", stderr);
	exit(2);
}

static void
help(void)
{
	printf("Usage: linklog-report [OPTION]...\n"
	    "A report of linklog's state database: HTML (one self-contained "
	    "page), text or JSON.\n\n"
	    "  -d, --db=FILE        the database (default " DEFAULT_DB ")\n"
	    "  -s, --since=WHEN     the period's start (default 24h: the last "
	    "24 hours)\n"
	    "  -u, --until=WHEN     the period's end (default now)\n"
	    "  -f, --format=FORMAT  html, text or json (default html)\n"
	    "  -n, --top=N          rows per table, 1 to %d (default 10)\n"
	    "  -o, --output=FILE    write to FILE (replaced whole) instead of "
	    "standard output\n"
	    "  -h, --help           this help;  -V, --version  the version\n\n"
	    "WHEN: a duration back from now (7d, 36h, 90m, 2w, 1d12h), now, "
	    "today,\nyesterday (local midnight), or a local date and time "
	    "(2026-12-01,\n2026-12-01 13:00, 2026-12-01T13:00:05).  Times are "
	    "in the local time zone.\n", TOP_MAX);
	exit(0);
}

static enum format
parse_format(const char *s)
{
	if (strcmp(s, "html") == 0)
		return FORMAT_HTML;
	if (strcmp(s, "text") == 0)
		return FORMAT_TEXT;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	usage_error("invalid value '%s' for --format (html, text or json)", s);
	return FORMAT_HTML;
}

static int
parse_top(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > TOP_MAX)
		usage_error("invalid value '%s' for --top (1 to %d)", s, TOP_MAX);
	return (int)v;
}

static void
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:s:u:f:n:o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 's': a->since = optarg; break;
		case 'u': a->until = optarg; break;
		case 'f': a->format = parse_format(optarg); break;
		case 'n': a->top = parse_top(optarg); break;
		case 'o': a->output = optarg; break;
		case 'h': help(); break;
		case 'V': puts("linklog-report " PACKAGE_VERSION); exit(0);
		case ':': usage_error("option '%s' needs a value", argv[optind - 1]);
			break;
		default: usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

static void
parse_period(const struct args *a, struct report *r)
{
	time_t now = time(NULL);
	char err[200];

	if (when_parse(a->until, now, &r->to, err, sizeof(err)) == -1)
		usage_error("--until: %s", err);
	if (when_parse(a->since, now, &r->from, err, sizeof(err)) == -1)
		usage_error("--since: %s", err);
	if (r->from >= r->to)
		usage_error("the period is empty: --since must be before --until");
	/* The period excludes its end: up to now includes this second. */
	if (r->to == now)
		r->to = now + 1;
}

static int
write_report(FILE *f, enum format format, const struct report *r)
{
	switch (format) {
	case FORMAT_TEXT: return write_text(f, r);
	case FORMAT_JSON: return write_json(f, r);
	default: return write_html(f, r);
	}
}

/*
 * Write to path through a temporary file beside it, renamed over it once
 * complete: the daily timer's latest report is never half written.
 */
static int
write_file(const char *path, enum format format, const struct report *r)
{
	char tmp[PATH_MAX];
	mode_t mask;
	FILE *f;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "linklog-report: %s: name too long\n", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "linklog-report: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);       /* as a plain open(2) would make it */
	if (write_report(f, format, r) == -1 || fflush(f) == EOF ||
	    fsync(fd) == -1 || fclose(f) == EOF) {
		fprintf(stderr, "linklog-report: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		fprintf(stderr, "linklog-report: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
write_stdout(enum format format, const struct report *r)
{
	if (write_report(stdout, format, r) == -1 || fflush(stdout) == EOF) {
		fprintf(stderr, "linklog-report: standard output: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct args a = { DEFAULT_DB, "24h", "now", NULL, FORMAT_HTML, 10 };
	struct report r;
	char err[512];
	sqlite3 *db;
	int rc;

	memset(&r, 0, sizeof(r));
	tzset();
	parse_args(argc, argv, &a);
	parse_period(&a, &r);
	r.top = a.top;
	r.source = rep_strdup(a.db);
	if ((db = db_open(a.db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "linklog-report: %s\n", err);
		return 1;
	}
	rc = db_load(db, &r, err, sizeof(err));
	sqlite3_close(db);
	if (rc == -1) {
		fprintf(stderr, "linklog-report: %s\n", err);
		model_free(&r);
		return 1;
	}
	rc = a.output != NULL ? write_file(a.output, a.format, &r) :
	    write_stdout(a.format, &r);
	model_free(&r);
	return rc == -1 ? 1 : 0;
}
