/*
 * conffile.c - read and validate the configuration file with libconfig.
 */
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "conffile.h"
#include "render.h"

#define MAX_ERRORS 20

struct ctx {
	const char *path;
	char *err;
	size_t errlen, used;
	int nerrors;
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
get_bool(struct ctx *c, const config_setting_t *s, int *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		error_at(c, s, "expected true or false");
		return -1;
	}
	*out = config_setting_get_bool(s);
	return 0;
}

static int
get_uint(struct ctx *c, const config_setting_t *s, long long min,
    long long max, unsigned *out)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		error_at(c, s, "expected a whole number");
		return -1;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		error_at(c, s, "%lld is out of range (%lld to %lld)", v, min,
		    max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
get_string(struct ctx *c, const config_setting_t *s, const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		error_at(c, s, "expected a string (in double quotes)");
		return -1;
	}
	*out = config_setting_get_string(s);
	return 0;
}

/* A string, or a list/array of strings; calls add for each. */
static int
get_strings(struct ctx *c, const config_setting_t *s,
    int (*add)(struct ctx *, const config_setting_t *, const char *, void *),
    void *arg)
{
	int type = config_setting_type(s), rc = 0;

	if (type == CONFIG_TYPE_STRING)
		return add(c, s, config_setting_get_string(s), arg);
	if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
		error_at(c, s, "expected a string or a list of strings");
		return -1;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			error_at(c, e, "expected a string");
			rc = -1;
			continue;
		}
		if (add(c, e, config_setting_get_string(e), arg) < 0)
			rc = -1;
	}
	return rc;
}

static int
add_string(struct ctx *c, const config_setting_t *s, const char *v, void *arg)
{
	struct string_list *l = arg;

	if (l->n == OPTIONS_MAX_LIST) {
		error_at(c, s, "too many values (at most %d)", OPTIONS_MAX_LIST);
		return -1;
	}
	l->v[l->n++] = v;
	return 0;
}

static int
add_cidr(struct ctx *c, const config_setting_t *s, const char *v, void *arg)
{
	uint8_t family, addr[16];
	unsigned bits;

	if (access_parse_cidr(v, &family, addr, &bits) < 0) {
		error_at(c, s, "invalid address '%s' (expected ADDRESS or "
		    "ADDRESS/BITS, IPv4 or IPv6)", v);
		return -1;
	}
	return add_string(c, s, v, arg);
}

static int
is_group(struct ctx *c, const config_setting_t *s)
{
	if (config_setting_type(s) == CONFIG_TYPE_GROUP)
		return 1;
	error_at(c, s, "expected a group { ... }");
	return 0;
}

static void
unknown(struct ctx *c, const config_setting_t *s, const char *known)
{
	error_at(c, s, "unknown key (known here: %s)", known);
}

/* filter = { direction; protocol; ip; ip_source; ... } */
struct filter_arg {
	struct filter_options *fo;
	enum filter_field field;
};

static int
add_pattern(struct ctx *c, const config_setting_t *s, const char *v, void *arg)
{
	struct filter_arg *fa = arg;
	struct filter *f = filter_new();
	char err[160];
	int rc = 0;

	/* Validate now, for the line number. */
	if (f == NULL || filter_add(f, fa->field, v, err, sizeof(err)) < 0) {
		error_at(c, s, "%s", f ? err : "out of memory");
		rc = -1;
	} else if (fa->fo->n == OPTIONS_MAX_LIST) {
		error_at(c, s, "too many patterns (at most %d)",
		    OPTIONS_MAX_LIST);
		rc = -1;
	} else {
		fa->fo->v[fa->fo->n].field = fa->field;
		fa->fo->v[fa->fo->n++].pattern = v;
	}
	filter_free(f);
	return rc;
}

static void
load_filter(struct ctx *c, const config_setting_t *g, struct filter_options *fo)
{
	if (!is_group(c, g))
		return;
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		struct filter_arg fa = { fo, FILTER_NFIELDS };
		for (int f = 0; f < FILTER_NFIELDS; f++)
			if (strcmp(config_setting_name(s),
			    filter_field_name((enum filter_field)f)) == 0)
				fa.field = (enum filter_field)f;
		if (fa.field == FILTER_NFIELDS) {
			unknown(c, s, "direction, protocol, ip, ip_source, "
			    "ip_dest, host, host_source, host_dest, port, "
			    "port_source, port_dest");
			continue;
		}
		get_strings(c, s, add_pattern, &fa);
	}
}

static void
check_template(struct ctx *c, const config_setting_t *s, const char *text)
{
	char err[256];
	struct template *t = render_compile(text, err, sizeof(err));

	if (t == NULL)
		error_at(c, s, "%s", err);
	render_free(t);
}

static void
load_template(struct ctx *c, const config_setting_t *s, const char **out)
{
	if (get_string(c, s, out) == 0)
		check_template(c, s, *out);
}

/* syslog = { enabled; facility; priority; template; ident (top only) } */
static void
load_syslog(struct ctx *c, const config_setting_t *g, struct output_options *o,
    const char **ident)
{
	const char *v;

	if (!is_group(c, g))
		return;
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strcmp(name, "enabled") == 0) {
			get_bool(c, s, &o->syslog);
		} else if (strcmp(name, "facility") == 0) {
			if (get_string(c, s, &v) == 0 &&
			    (o->syslog_facility = options_facility(v)) < 0)
				error_at(c, s, "unknown facility '%s' (kern, user, "
				    "mail, daemon, auth, syslog, lpr, news, uucp, "
				    "cron, authpriv, ftp, local0..local7)", v);
		} else if (strcmp(name, "priority") == 0) {
			if (get_string(c, s, &v) == 0 &&
			    (o->syslog_priority = options_priority(v)) < 0)
				error_at(c, s, "unknown level '%s' (emerg, alert, "
				    "crit, err, warning, notice, info, debug)", v);
		} else if (strcmp(name, "template") == 0) {
			load_template(c, s, &o->syslog_template);
		} else if (ident != NULL && strcmp(name, "ident") == 0) {
			if (get_string(c, s, ident) == 0 && **ident == '\0')
				error_at(c, s, "must not be empty");
		} else {
			unknown(c, s, ident ? "enabled, facility, priority, "
			    "template, ident" : "enabled, facility, priority, "
			    "template");
		}
	}
}

/* Keys a rule shares with the top level; returns 0 if name is not one. */
static int
load_output_key(struct ctx *c, const config_setting_t *s,
    struct output_options *o, const char **ident)
{
	const char *name = config_setting_name(s);

	if (strcmp(name, "template") == 0)
		load_template(c, s, &o->template);
	else if (strcmp(name, "quiet") == 0)
		get_bool(c, s, &o->quiet);
	else if (strcmp(name, "log_file") == 0)
		get_string(c, s, &o->log_file);
	else if (strcmp(name, "syslog") == 0)
		load_syslog(c, s, o, ident);
	else
		return 0;
	return 1;
}

static void
load_rules(struct ctx *c, const config_setting_t *list, struct options *o)
{
	if (config_setting_type(list) != CONFIG_TYPE_LIST) {
		error_at(c, list, "expected a list of groups: ( { ... }, ... )");
		return;
	}
	o->nrules = 0;
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		struct rule_options *r;
		if (!is_group(c, g))
			continue;
		if (o->nrules == OPTIONS_MAX_RULES) {
			error_at(c, g, "too many rules (at most %d)",
			    OPTIONS_MAX_RULES);
			return;
		}
		r = &o->rules[o->nrules++];
		memset(r, 0, sizeof(*r));
		r->out.quiet = r->out.syslog = -1;
		r->out.syslog_facility = r->out.syslog_priority = -1;
		r->out.json = r->out.syslog_json = r->out.json_original = -1;
		r->line = config_setting_source_line(g);
		for (int k = 0; k < config_setting_length(g); k++) {
			const config_setting_t *s = config_setting_get_elem(g, (unsigned)k);
			if (load_output_key(c, s, &r->out, NULL))
				continue;
			if (strcmp(config_setting_name(s), "filter") == 0)
				load_filter(c, s, &r->filter);
			else if (strcmp(config_setting_name(s), "final") == 0)
				get_bool(c, s, &r->final);
			else
				unknown(c, s, "filter, template, quiet, log_file, "
				    "syslog, final");
		}
	}
}

/* dns = { enabled; source; dest; servers; wait; timeout; ... } */
static void
load_dns(struct ctx *c, const config_setting_t *g, struct options *o)
{
	int on;

	if (!is_group(c, g))
		return;
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strcmp(name, "enabled") == 0) {
			if (get_bool(c, s, &on) == 0)
				o->no_dns = !on;
		} else if (strcmp(name, "source") == 0) {
			if (get_bool(c, s, &on) == 0)
				o->no_dns_source = !on;
		} else if (strcmp(name, "dest") == 0) {
			if (get_bool(c, s, &on) == 0)
				o->no_dns_dest = !on;
		} else if (strcmp(name, "servers") == 0) {
			o->dns_servers.n = 0;
			get_strings(c, s, add_string, &o->dns_servers);
		} else if (strcmp(name, "wait") == 0) {
			get_uint(c, s, 0, 600000, &o->dns_wait_ms);
		} else if (strcmp(name, "timeout") == 0) {
			get_uint(c, s, 1, 60000, &o->dns_timeout_ms);
		} else if (strcmp(name, "cache_size") == 0) {
			get_uint(c, s, 1, 16777216, &o->dns_cache_size);
		} else if (strcmp(name, "ttl") == 0) {
			get_uint(c, s, 0, 604800, &o->dns_ttl);
		} else if (strcmp(name, "negative_ttl") == 0) {
			get_uint(c, s, 0, 604800, &o->dns_negative_ttl);
		} else {
			unknown(c, s, "enabled, source, dest, servers, wait, "
			    "timeout, cache_size, ttl, negative_ttl");
		}
	}
}

/* access = { allow_from; community; rate_limit; } */
static void
load_access(struct ctx *c, const config_setting_t *g, struct options *o)
{
	if (!is_group(c, g))
		return;
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strcmp(name, "allow_from") == 0) {
			o->allow_from.n = 0;
			get_strings(c, s, add_cidr, &o->allow_from);
		} else if (strcmp(name, "community") == 0) {
			o->community.n = 0;
			get_strings(c, s, add_string, &o->community);
		} else if (strcmp(name, "rate_limit") == 0) {
			get_uint(c, s, 0, 10000000, &o->rate_limit);
		} else {
			unknown(c, s, "allow_from, community, rate_limit");
		}
	}
}

static void
load_top(struct ctx *c, const config_setting_t *root, struct options *o)
{
	const char *v;
	unsigned n;

	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		if (load_output_key(c, s, &o->out, &o->syslog_ident))
			continue;
		if (strcmp(name, "port") == 0) {
			get_uint(c, s, 1, 65535, &o->port);
		} else if (strcmp(name, "listen") == 0) {
			o->listen.n = 0;
			get_strings(c, s, add_string, &o->listen);
		} else if (strcmp(name, "run_as") == 0) {
			if (get_string(c, s, &o->run_as) == 0 && !*o->run_as)
				error_at(c, s, "must not be empty");
		} else if (strcmp(name, "show_port_numbers") == 0) {
			get_bool(c, s, &o->show_port_numbers);
		} else if (strcmp(name, "unparsed") == 0) {
			if (get_string(c, s, &v) < 0)
				continue;
			if (strcmp(v, "raw") == 0 || strcmp(v, "drop") == 0)
				o->unparsed_raw = strcmp(v, "raw") == 0;
			else
				error_at(c, s, "expected \"drop\" or \"raw\"");
		} else if (strcmp(name, "pid_file") == 0) {
			get_string(c, s, &o->pid_file);
		} else if (strcmp(name, "receive_buffer") == 0) {
			if (get_uint(c, s, 4096, 1 << 30, &n) == 0)
				o->receive_buffer = (int)n;
		} else if (strcmp(name, "filter") == 0) {
			o->filter.n = 0;
			load_filter(c, s, &o->filter);
		} else if (strcmp(name, "dns") == 0) {
			load_dns(c, s, o);
		} else if (strcmp(name, "access") == 0) {
			load_access(c, s, o);
		} else if (strcmp(name, "rules") == 0) {
			load_rules(c, s, o);
		} else {
			unknown(c, s, "port, listen, run_as, template, quiet, "
			    "log_file, show_port_numbers, unparsed, pid_file, "
			    "receive_buffer, filter, dns, syslog, access, rules");
		}
	}
}

int
conffile_load(const char *path, struct options *o, char *err, size_t errlen)
{
	config_t *cf = malloc(sizeof(*cf));
	struct ctx c = { path, err, errlen, 0, 0 };

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
	load_top(&c, config_root_setting(cf), o);
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

void
conffile_free(struct options *o)
{
	if (o->conf == NULL)
		return;
	config_destroy(o->conf);
	free(o->conf);
	o->conf = NULL;
}
