/*
 * conffile.c - read and validate the configuration file with libconfig:
 * walk its tree and set each key through its row of the settings table
 * (settings.c), which gives its type, bounds and checks; or, for the
 * privileged file opener, only the file paths (conffile_paths()).
 */
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "safeopen.h"
#include "settings.h"

#define MAX_ERRORS 20

struct ctx {
	const char *path;
	char *err;
	size_t errlen, used;
	int nerrors;
	unsigned only;                  /* rows with these flags only; 0: all */
};

static void error_at(struct ctx *c, const config_setting_t *s,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "FILE:LINE: KEY: message", one per line. */
static void
error_at(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	char key[128] = "";
	int n;

	if (c->nerrors++ >= MAX_ERRORS || c->used >= c->errlen)
		return;
	/* The full key: parent.child, or rules[2].syslog.priority. */
	for (const config_setting_t *p = s; p && p->parent; p = p->parent) {
		char part[64], tmp[128];
		if (config_setting_name(p))
			snprintf(part, sizeof(part), "%s", config_setting_name(p));
		else
			snprintf(part, sizeof(part), "[%d]",
			    config_setting_index(p));
		snprintf(tmp, sizeof(tmp), "%s%s%s", part,
		    key[0] && key[0] != '[' ? "." : "", key);
		memcpy(key, tmp, sizeof(key));
	}
	n = snprintf(c->err + c->used, c->errlen - c->used, "%s:%d: %s: ",
	    c->path, config_setting_source_line(s), key);
	if (n > 0 && (size_t)n < c->errlen - c->used)
		c->used += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(c->err + c->used, c->errlen - c->used, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < c->errlen - c->used)
		c->used += (size_t)n;
	if (c->used + 1 < c->errlen) {
		c->err[c->used++] = '\n';
		c->err[c->used] = '\0';
	}
}

static int
is_group(struct ctx *c, const config_setting_t *s)
{
	if (config_setting_type(s) == CONFIG_TYPE_GROUP)
		return 1;
	error_at(c, s, "expected a group { ... }");
	return 0;
}

/* One string (alone or in a list) of row. */
static void
load_string(struct ctx *c, const config_setting_t *s,
    const struct setting *row, void *value)
{
	const char *text = config_setting_get_string(s);
	char err[512];

	if (settings_check_text(row, text, err, sizeof(err)) < 0 ||
	    settings_set_text(row, value, text, 1, err, sizeof(err)) < 0)
		error_at(c, s, "%s", err);
}

/* A string, or a list/array of strings, replacing what was there. */
static void
load_strings(struct ctx *c, const config_setting_t *s,
    const struct setting *row, void *value)
{
	int type = config_setting_type(s);

	if (type != CONFIG_TYPE_STRING && type != CONFIG_TYPE_ARRAY &&
	    type != CONFIG_TYPE_LIST) {
		error_at(c, s, "expected a string or a list of strings");
		return;
	}
	settings_clear(row, value);
	if (type == CONFIG_TYPE_STRING) {
		load_string(c, s, row, value);
		return;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s,
		    (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			error_at(c, e, "expected a string");
		else
			load_string(c, e, row, value);
	}
}

static void
load_uint(struct ctx *c, const config_setting_t *s, const struct setting *row,
    unsigned *out)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		error_at(c, s, "expected a whole number");
		return;
	}
	v = config_setting_get_int64(s);
	if (v < (long long)row->min || v > (long long)row->max) {
		error_at(c, s, "%lld is out of range (%lu to %lu)", v, row->min,
		    row->max);
		return;
	}
	*out = (unsigned)v;
}

/* The value of one key, by the type of its row. */
static void
load_value(struct ctx *c, const config_setting_t *s,
    const struct setting *row, void *value)
{
	switch (row->type) {
	case SETTING_BOOL:
		if (config_setting_type(s) == CONFIG_TYPE_BOOL)
			*(int *)value = config_setting_get_bool(s);
		else
			error_at(c, s, "expected true or false");
		break;
	case SETTING_UINT:
		load_uint(c, s, row, value);
		break;
	case SETTING_STRING:
	case SETTING_NAME:
		if (config_setting_type(s) == CONFIG_TYPE_STRING)
			load_string(c, s, row, value);
		else
			error_at(c, s, "expected a string (in double quotes)");
		break;
	case SETTING_LIST:
	case SETTING_FILTER:
		load_strings(c, s, row, value);
		break;
	case SETTING_RULES:             /* load_group's: it needs o */
	case SETTING_ACTION:
		break;
	}
}

static void load_rules(struct ctx *, const config_setting_t *,
    struct options *);

/*
 * The keys of group g, in section ("" or "dns") of place: the top level
 * (into o) or a rule (into r).
 */
static void
load_group(struct ctx *c, const config_setting_t *g, const char *section,
    unsigned place, struct options *o, struct rule_options *r)
{
	char key[128], known[512];

	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g,
		    (unsigned)i);
		const char *name = config_setting_name(s);
		const struct setting *row;
		snprintf(key, sizeof(key), "%s%s%s", section,
		    *section ? "." : "", name);
		if ((row = settings_by_key(key, place)) != NULL &&
		    row->type == SETTING_RULES) {
			load_rules(c, s, o);
		} else if (row != NULL) {
			if (!c->only || (row->flags & c->only))
				load_value(c, s, row, settings_value(row, o, r));
		} else if (!*section && settings_is_section(key, place)) {
			if (is_group(c, s))
				load_group(c, s, key, place, o, r);
		} else if (!c->only) {
			settings_known_keys(section, place, known,
			    sizeof(known));
			error_at(c, s, "unknown key (known here: %s)", known);
		}
	}
}

/* rules = ( { filter = { ... }; template = ...; final = ...; }, ... ) */
static void
load_rules(struct ctx *c, const config_setting_t *list, struct options *o)
{
	if (config_setting_type(list) != CONFIG_TYPE_LIST) {
		error_at(c, list, "expected a list of groups: ( { ... }, ... )");
		return;
	}
	o->nrules = 0;
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *g = config_setting_get_elem(list,
		    (unsigned)i);
		struct rule_options *r;
		if (!is_group(c, g))
			continue;
		if (o->nrules == OPTIONS_MAX_RULES) {
			error_at(c, g, "too many rules (at most %d)",
			    OPTIONS_MAX_RULES);
			return;
		}
		r = &o->rules[o->nrules++];
		settings_rule_defaults(r);
		r->line = config_setting_source_line(g);
		load_group(c, g, "", SETTING_RULE, o, r);
	}
}

static int
load(const char *path, struct options *o, unsigned only, char *err,
    size_t errlen)
{
	config_t *cf = malloc(sizeof(*cf));
	struct ctx c = { path, err, errlen, 0, 0, only };

	err[0] = '\0';
	if (cf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	config_init(cf);
	if (!config_read_file(cf, path)) {
		if (config_error_type(cf) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: cannot read the file: %m",
			    path);
		else
			snprintf(err, errlen, "%s:%d: %s", path,
			    config_error_line(cf), config_error_text(cf));
		config_destroy(cf);
		free(cf);
		return -1;
	}
	load_group(&c, config_root_setting(cf), "", SETTING_TOP, o, NULL);
	if (c.nerrors > MAX_ERRORS && c.used + 40 < errlen)
		snprintf(err + c.used, errlen - c.used,
		    "(%d more errors)\n", c.nerrors - MAX_ERRORS);
	conffile_free(o);
	o->conf = cf;
	if (c.nerrors > 0) {
		/* No trailing newline: callers print it as a message. */
		size_t n = strlen(err);
		if (n > 0 && err[n - 1] == '\n')
			err[n - 1] = '\0';
		return -1;
	}
	return 0;
}

int
conffile_load(const char *path, struct options *o, char *err, size_t errlen)
{
	return load(path, o, 0, err, errlen);
}

/* Every file o was read from passes trusted(); 0 or -1 (err). */
static int
sources_trusted(const struct options *o, conffile_trust_fn *trusted,
    char *err, size_t errlen)
{
	char buf[PATH_MAX];
	const char *f, *abs;

	for (unsigned i = 0; (f = conffile_source(o, i)) != NULL; i++) {
		if ((abs = safeopen_absolute(NULL, f, buf, sizeof(buf))) == NULL) {
			snprintf(err, errlen, "'%s': path too long", f);
			return -1;
		}
		if (trusted(abs, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int
conffile_paths(const char *path, conffile_trust_fn *trusted, char **paths,
    size_t max, char *err, size_t errlen)
{
	struct options *o = calloc(1, sizeof(*o));
	int n = -1;

	if (o == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (load(path, o, SETTING_OPENS, err, errlen) == 0 &&
	    (trusted == NULL ||
	    sources_trusted(o, trusted, err, errlen) == 0) &&
	    (n = settings_paths(o, paths, max)) < 0)
		snprintf(err, errlen, "out of memory");
	conffile_free(o);
	free(o);
	return n;
}

void
conffile_free(struct options *o)
{
	if (o->conf == NULL)
		return;
	config_destroy(o->conf);
	free(o->conf);
	o->conf = NULL;
}

const char *
conffile_source(const struct options *o, unsigned i)
{
	const config_t *cf = o->conf;

	if (cf == NULL || i >= cf->num_filenames)
		return NULL;
	return cf->filenames[i];
}
