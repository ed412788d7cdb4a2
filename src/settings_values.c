/*
 * settings_values.c - what the table of settings.c drives for values:
 * the rows of a key, values from text (typed, then the module's check),
 * the defaults, and a rule's effective settings (its own, or the top
 * level's where it has none).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "receive.h"
#include "settings.h"

/* ---- lookups ---- */

static int
name_lookup(const struct name_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcasecmp(t->v[i].name, name) == 0)
			return t->v[i].value;
	return -1;
}

const char *
settings_name_of(const struct name_table *t, int value)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].value == value)
			return t->v[i].name;
	return "?";
}

/* "a, b or c", each name in quote. */
static void
names_list(const struct name_table *t, const char *quote, char *buf,
    size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s%s%s",
		    i == 0 ? "" : i + 1 == t->n ? " or " : ", ", quote,
		    t->v[i].name, quote);
		if (n < 0)
			return;
		used += (size_t)n;
	}
}

unsigned
settings_row_places(const struct setting *row)
{
	return row->type == SETTING_ACTION ? 0 : row->places;
}

const struct setting *
settings_by_key(const char *key, unsigned place)
{
	for (size_t i = 0; i < settings_count; i++)
		if (settings[i].key && (settings_row_places(&settings[i]) & place) &&
		    strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

/* The section of a key: "dns" for "dns.wait", "" for "port". */
size_t
settings_section_len(const char *key)
{
	const char *dot = strchr(key, '.');

	return dot ? (size_t)(dot - key) : 0;
}

int
settings_is_section(const char *key, unsigned place)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < settings_count; i++)
		if (settings[i].key && (settings_row_places(&settings[i]) & place) &&
		    settings_section_len(settings[i].key) == n &&
		    strncmp(settings[i].key, key, n) == 0)
			return 1;
	return 0;
}

/* Whether name (len bytes) is in the comma separated list buf. */
static int
listed(const char *buf, const char *name, size_t len)
{
	for (const char *p = buf; *p != '\0'; ) {
		size_t l = strcspn(p, ",");
		if (l == len && strncmp(p, name, len) == 0)
			return 1;
		p += l;
		p += strspn(p, ", ");
	}
	return 0;
}

void
settings_known_keys(const char *section, unsigned place, char *buf,
    size_t size)
{
	size_t n = strlen(section), used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < settings_count; i++) {
		const char *key = settings[i].key;
		size_t len;
		if (!key || !(settings_row_places(&settings[i]) & place))
			continue;
		if (n > 0) {
			if (strncmp(key, section, n) != 0 || key[n] != '.')
				continue;
			key += n + 1;
		}
		len = strcspn(key, ".");
		if (listed(buf, key, len) || used + len + 3 >= size)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%.*s",
		    used ? ", " : "", (int)len, key);
	}
}

void *
settings_value(const struct setting *row, struct options *o,
    struct rule_options *r)
{
	if (r != NULL)
		return (char *)r + row->rule_offset;
	return (char *)o + row->top_offset;
}

/* ---- values ---- */

/* A whole decimal number in [min, max], digits only. */
static int
number(const char *s, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
settings_check_text(const struct setting *row, const char *text, char *err,
    size_t errlen)
{
	char names[512];

	if (row->type == SETTING_NAME && name_lookup(row->names, text) < 0) {
		names_list(row->names, "\"", names, sizeof(names));
		if (row->names->what == NULL)
			snprintf(err, errlen, "expected %s", names);
		else
			snprintf(err, errlen, "unknown %s '%s' (expected %s)",
			    row->names->what, text, names);
		return -1;
	}
	if (row->type == SETTING_FILTER)
		return filter_check((enum filter_field)row->arg, text, err,
		    errlen);
	if (row->check != NULL)
		return row->check(text, err, errlen);
	return 0;
}

/* Whether two values are the same: as addresses, or as text. */
static int
same_text(const char *a, const char *b)
{
	struct sockaddr_storage sa, sb;
	socklen_t la, lb;

	if (receive_parse_address(a, 0, &sa, &la) == 0 &&
	    receive_parse_address(b, 0, &sb, &lb) == 0)
		return la == lb && memcmp(&sa, &sb, la) == 0;
	return strcmp(a, b) == 0;
}

static int
add_to_list(const struct setting *row, struct string_list *l,
    const char *text, int append, char *err, size_t errlen)
{
	if (!append)
		l->n = 0;
	for (size_t i = 0; row->unique && i < l->n; i++) {
		if (!same_text(l->v[i], text))
			continue;
		if (strcmp(l->v[i], text) == 0)
			snprintf(err, errlen, "'%s' is given twice", text);
		else
			snprintf(err, errlen, "'%s' is given twice (as '%s')",
			    text, l->v[i]);
		return -1;
	}
	if (l->n == OPTIONS_MAX_LIST) {
		snprintf(err, errlen, "too many values (at most %d)",
		    OPTIONS_MAX_LIST);
		return -1;
	}
	l->v[l->n++] = text;
	return 0;
}

static int
add_to_filter(struct filter_options *f, enum filter_field field,
    const char *pattern, int append, char *err, size_t errlen)
{
	size_t out = 0;

	if (!append) {
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].field != field)
				f->v[out++] = f->v[i];
		f->n = out;
	}
	if (f->n == OPTIONS_MAX_LIST) {
		snprintf(err, errlen, "too many patterns (at most %d)",
		    OPTIONS_MAX_LIST);
		return -1;
	}
	f->v[f->n].field = field;
	f->v[f->n++].pattern = pattern;
	return 0;
}

void
settings_clear(const struct setting *row, void *value)
{
	struct filter_options *f = value;
	size_t out = 0;

	if (row->type == SETTING_LIST)
		((struct string_list *)value)->n = 0;
	if (row->type != SETTING_FILTER)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].field != (enum filter_field)row->arg)
			f->v[out++] = f->v[i];
	f->n = out;
}

/* Set without checks beyond the type's (defaults are trusted). */
static int
set_text(const struct setting *row, void *value, const char *text, int append,
    char *err, size_t errlen)
{
	char names[512];

	switch (row->type) {
	case SETTING_BOOL:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
			snprintf(err, errlen, "expected true or false");
			return -1;
		}
		*(int *)value = strcmp(text, "true") == 0;
		return 0;
	case SETTING_UINT:
		if (number(text, row->min, row->max, value) == 0)
			return 0;
		snprintf(err, errlen, "expected a number from %lu to %lu",
		    row->min, row->max);
		return -1;
	case SETTING_STRING:
		*(const char **)value = text;
		return 0;
	case SETTING_NAME:
		if ((*(int *)value = name_lookup(row->names, text)) >= 0)
			return 0;
		names_list(row->names, "", names, sizeof(names));
		snprintf(err, errlen, "expected %s", names);
		return -1;
	case SETTING_LIST:
		return add_to_list(row, value, text, append, err, errlen);
	case SETTING_FILTER:
		return add_to_filter(value, (enum filter_field)row->arg, text,
		    append, err, errlen);
	case SETTING_RULES:
	case SETTING_ACTION:
		break;
	}
	return 0;
}

int
settings_set_text(const struct setting *row, void *value, const char *text,
    int append, char *err, size_t errlen)
{
	int typed = row->type == SETTING_NAME || row->type == SETTING_BOOL ||
	    row->type == SETTING_UINT;

	if (!typed && settings_check_text(row, text, err, errlen) < 0)
		return -2;
	if (set_text(row, value, text, append, err, errlen) < 0)
		return typed ? -1 : -2;
	if (typed && row->check != NULL && row->check(text, err, errlen) < 0)
		return -2;
	return 0;
}

/* ---- defaults and rules ---- */

void
settings_unset(const struct setting *row, void *value)
{
	if (row->type == SETTING_STRING)
		*(const char **)value = NULL;
	else
		*(int *)value = -1;
}

int
settings_is_unset(const struct setting *row, const void *value)
{
	if (row->type == SETTING_STRING)
		return *(const char *const *)value == NULL;
	return *(const int *)value < 0;
}

size_t
settings_value_size(const struct setting *row)
{
	switch (row->type) {
	case SETTING_STRING:
		return sizeof(const char *);
	case SETTING_LIST:
		return sizeof(struct string_list);
	case SETTING_FILTER:
		return sizeof(struct filter_options);
	default:
		return sizeof(int);
	}
}

static void
set_default(const struct setting *row, void *value)
{
	char err[256];

	if (row->type == SETTING_STRING)
		*(const char **)value = row->def;
	else if (row->def != NULL)
		set_text(row, value, row->def, 0, err, sizeof(err));
}

void
settings_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < settings_count; i++)
		if (settings_row_places(&settings[i]) & SETTING_TOP)
			set_default(&settings[i], settings_value(&settings[i],
			    o, NULL));
}

void
settings_rule_defaults(struct rule_options *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		if (!(settings_row_places(row) & SETTING_RULE))
			continue;
		if (row->inherit)
			settings_unset(row, settings_value(row, NULL, r));
		else
			set_default(row, settings_value(row, NULL, r));
	}
}

void
settings_effective_rule(const struct options *o, size_t i,
    struct rule_options *out)
{
	if (o->nrules == 0)
		settings_rule_defaults(out);
	else
		*out = o->rules[i];
	for (size_t k = 0; k < settings_count; k++) {
		const struct setting *row = &settings[k];
		void *v;
		if (!row->inherit)
			continue;
		v = settings_value(row, NULL, out);
		if (settings_is_unset(row, v))
			memcpy(v, settings_value(row, (struct options *)o, NULL),
			    settings_value_size(row));
	}
}
