/*
 * settings_parts.c - what the settings are for: the parts of the daemon
 * they configure and what a reload does with each (reuse the resolver
 * while its rows are the same, keep the restart-only values as started),
 * the resolver's configuration from its rows, and the file paths the
 * privileged file opener may open.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "settings.h"

/*
 * The parts of the daemon, and what a reload does with each: the
 * sockets, the user and the pid file, and the syslog writer's queue are
 * made once, at start; the resolver (its cache, the lookups in flight)
 * stays while its settings are the same; the rest is built again.
 */
static const struct {
	const char *name;
	enum setting_apply apply;
} parts[PART_COUNT] = {
	[PART_COMMAND] = { "command line", SETTING_RELOAD },
	[PART_PROCESS] = { "process", SETTING_RESTART },
	[PART_RECEIVER] = { "receiver", SETTING_RESTART },
	[PART_SYSLOG_WRITER] = { "syslog writer", SETTING_RESTART },
	[PART_ACCESS] = { "access", SETTING_RELOAD },
	[PART_RESOLVER] = { "resolver", SETTING_REUSE },
	[PART_GEO] = { "geoip", SETTING_RELOAD },
	[PART_OUTPUT] = { "output", SETTING_RELOAD },
	[PART_STATE] = { "state database", SETTING_RESTART },
};

enum setting_apply
settings_part_apply(enum setting_part part)
{
	return parts[part].apply;
}

const char *
settings_part_name(enum setting_part part)
{
	return parts[part].name;
}

static int
row_restart(const struct setting *row)
{
	return parts[row->part].apply == SETTING_RESTART;
}

static int
same_value(const struct setting *row, const void *a, const void *b)
{
	const struct string_list *la = a, *lb = b;
	const char *sa, *sb;

	switch (row->type) {
	case SETTING_STRING:
		sa = *(const char *const *)a;
		sb = *(const char *const *)b;
		return sa == sb || (sa && sb && strcmp(sa, sb) == 0);
	case SETTING_LIST:
		if (la->n != lb->n)
			return 0;
		for (size_t i = 0; i < la->n; i++)
			if (strcmp(la->v[i], lb->v[i]) != 0)
				return 0;
		return 1;
	case SETTING_FILTER:
	case SETTING_RULES:
	case SETTING_ACTION:
		return 1;       /* no restart-only filters or rules */
	default:
		return memcmp(a, b, settings_value_size(row)) == 0;
	}
}

/* Add v to paths (n of max) unless it is there; -1 when out of memory. */
static int
add_path(char **paths, size_t *n, size_t max, const char *v)
{
	for (size_t k = 0; k < *n; k++)
		if (strcmp(paths[k], v) == 0)
			return 0;
	if (*n == max)
		return 0;
	if ((paths[*n] = strdup(v)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

int
settings_paths(const struct options *o, char **paths, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		const char *v;
		if (!(row->flags & SETTING_OPENS) || row->type != SETTING_STRING)
			continue;
		for (size_t r = 0; r <= o->nrules; r++) {
			if (r == 0 && !(row->places & SETTING_TOP))
				continue;
			if (r > 0 && !(row->places & SETTING_RULE))
				break;
			v = *(const char *const *)settings_value(row,
			    (struct options *)o, r == 0 ? NULL :
			    (struct rule_options *)&o->rules[r - 1]);
			if (v != NULL && add_path(paths, &n, max, v) < 0)
				goto oom;
		}
	}
	return (int)n;
oom:
	while (n > 0)
		free(paths[--n]);
	return -1;
}

int
settings_part_same(enum setting_part part, const struct options *a,
    const struct options *b, unsigned flags)
{
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		const void *vb;
		if (row->part != part || (flags && !(row->flags & flags)) ||
		    !(row->places & SETTING_TOP))
			continue;
		vb = settings_value(row, (struct options *)b, NULL);
		if ((row->flags & SETTING_SYSTEM) && row->type == SETTING_LIST &&
		    ((const struct string_list *)vb)->n == 0)
			return 0;
		if (!same_value(row, settings_value(row, (struct options *)a,
		    NULL), vb))
			return 0;
	}
	return 1;
}

/* A list as "a,b" in buf (used of size so far); NULL when empty. */
static const char *
joined(const struct string_list *l, char *buf, size_t size, size_t *used)
{
	char *start = buf + *used;

	if (l->n == 0 || *used >= size)
		return NULL;
	*start = '\0';
	for (size_t i = 0; i < l->n; i++) {
		int n = snprintf(buf + *used, size - *used, "%s%s",
		    i ? "," : "", l->v[i]);
		if (n < 0 || (size_t)n >= size - *used)
			break;
		*used += (size_t)n;
	}
	*used += 1;
	return start;
}

void
settings_part_config(enum setting_part part, const struct options *o,
    void *config, char *buf, size_t size)
{
	size_t used = 0;

	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		const void *v = settings_value(row, (struct options *)o, NULL);
		char *to = (char *)config + row->conf_offset;
		const char *s;
		size_t z;
		if (row->part != part || row->conf_size == 0)
			continue;
		switch (row->type) {
		case SETTING_UINT:
			z = *(const unsigned *)v;
			if (row->conf_size == sizeof(size_t))
				memcpy(to, &z, sizeof(z));
			else
				memcpy(to, v, sizeof(unsigned));
			break;
		case SETTING_LIST:
			s = joined(v, buf, size, &used);
			memcpy(to, &s, sizeof(s));
			break;
		default:
			memcpy(to, v, row->conf_size);
			break;
		}
	}
}

/* ---- settings read at start only ---- */

struct settings_pinned {
	struct options o;               /* only the restart-only values */
	char **owned;                   /* the copies of its strings */
	size_t nowned;
};

static const char *
pin_string(struct settings_pinned *p, const char *v)
{
	char *copy;

	if (v == NULL || (copy = strdup(v)) == NULL)
		return NULL;
	p->owned[p->nowned++] = copy;
	return copy;
}

struct settings_pinned *
settings_pin(const struct options *o)
{
	struct settings_pinned *p = calloc(1, sizeof(*p));
	size_t max = 0;

	for (size_t i = 0; i < settings_count; i++)
		if (row_restart(&settings[i]))
			max += 1 + OPTIONS_MAX_LIST;
	if (p == NULL || (p->owned = calloc(max, sizeof(char *))) == NULL) {
		free(p);
		return NULL;
	}
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		const void *from = settings_value(row, (struct options *)o, NULL);
		void *to = settings_value(row, &p->o, NULL);
		const struct string_list *lf = from;
		struct string_list *lt = to;
		if (!row_restart(row))
			continue;
		memcpy(to, from, settings_value_size(row));
		if (row->type == SETTING_STRING)
			*(const char **)to = pin_string(p,
			    *(const char *const *)from);
		for (size_t k = 0; row->type == SETTING_LIST && k < lf->n; k++)
			lt->v[k] = pin_string(p, lf->v[k]);
	}
	return p;
}

void
settings_pinned_free(struct settings_pinned *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nowned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p);
}

int
settings_keep_restart(const struct settings_pinned *p, struct options *o,
    unsigned unlisted, char *names, size_t size)
{
	size_t used = 0;
	int n = 0;

	names[0] = '\0';
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		const void *pinned = settings_value(row,
		    (struct options *)&p->o, NULL);
		void *value = settings_value(row, o, NULL);
		int listed = row->key != NULL && !(row->flags & unlisted);
		if (!row_restart(row) ||
		    same_value(row, pinned, value))
			continue;
		memcpy(value, pinned, settings_value_size(row));
		if (!listed || used >= size)
			continue;
		used += (size_t)snprintf(names + used, size - used, "%s%s",
		    used ? ", " : "", row->key);
		n++;
	}
	return n;
}
