/*
 * settings_print.c - the settings as text: --check-config's effective
 * settings in configuration file syntax, the keys a reload changed, and
 * the --help text, all from the table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

/* ---- --check-config ---- */

/* A string as libconfig reads it back. */
static void
print_quoted(FILE *f, const char *v)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\f')
			fputs("\\f", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
print_row(FILE *f, const char *indent, const struct setting *row,
    const void *value, unsigned place)
{
	const char *name = row->key + (settings_section_len(row->key) ?
	    settings_section_len(row->key) + 1 : 0);
	const struct string_list *l = value;
	const struct filter_options *fo = value;
	size_t n = 0;

	if (row->inherit && place == SETTING_RULE && settings_is_unset(row, value))
		return;
	switch (row->type) {
	case SETTING_BOOL:
		fprintf(f, "%s%s = %s;\n", indent, name,
		    *(const int *)value ? "true" : "false");
		break;
	case SETTING_UINT:
		fprintf(f, "%s%s = %u;\n", indent, name,
		    *(const unsigned *)value);
		break;
	case SETTING_STRING:
		if (*(const char *const *)value == NULL)
			break;
		fprintf(f, "%s%s = ", indent, name);
		print_quoted(f, *(const char *const *)value);
		fputs(";\n", f);
		break;
	case SETTING_NAME:
		fprintf(f, "%s%s = ", indent, name);
		print_quoted(f, settings_name_of(row->names,
		    *(const int *)value));
		fputs(";\n", f);
		break;
	case SETTING_LIST:
		fprintf(f, "%s%s = [", indent, name);
		for (size_t i = 0; i < l->n; i++) {
			fputs(i ? ", " : " ", f);
			print_quoted(f, l->v[i]);
		}
		fprintf(f, "%s];\n", l->n ? " " : "");
		break;
	case SETTING_FILTER:
		for (size_t i = 0; i < fo->n; i++) {
			if (fo->v[i].field != (enum filter_field)row->arg)
				continue;
			fprintf(f, n++ ? ", " : "%s%s = [ ", indent, name);
			print_quoted(f, fo->v[i].pattern);
		}
		if (n > 0)
			fputs(" ];\n", f);
		break;
	case SETTING_RULES:             /* after the top level's keys */
	case SETTING_ACTION:
		break;
	}
}

/* Whether settings[j] is valid in place and in the section of sl bytes
 * that key begins with. */
static int
in_section(size_t j, const char *key, size_t sl, unsigned place)
{
	const struct setting *row = &settings[j];

	return row->key && (settings_row_places(row) & place) &&
	    settings_section_len(row->key) == sl &&
	    strncmp(row->key, key, sl) == 0;
}

/* Every key valid in place, sections grouped at their first row. */
static void
print_place(FILE *f, const char *indent, const struct options *o,
    const struct rule_options *r, unsigned place)
{
	struct options *mo = (struct options *)o;
	struct rule_options *mr = (struct rule_options *)r;
	char inner[32];

	snprintf(inner, sizeof(inner), "%s  ", indent);
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		size_t sl;
		int seen = 0;
		if (!row->key || !(settings_row_places(row) & place))
			continue;
		if ((sl = settings_section_len(row->key)) == 0) {
			print_row(f, indent, row, settings_value(row, mo, mr),
			    place);
			continue;
		}
		for (size_t j = 0; j < i && !seen; j++)
			seen = in_section(j, row->key, sl, place);
		if (seen)
			continue;
		fprintf(f, "%s%.*s = {\n", indent, (int)sl, row->key);
		for (size_t j = i; j < settings_count; j++)
			if (in_section(j, row->key, sl, place))
				print_row(f, inner, &settings[j], settings_value(
				    &settings[j], mo, mr), place);
		fprintf(f, "%s};\n", indent);
	}
}

void
settings_print(const struct options *o, FILE *f)
{
	fputs("# effective settings", f);
	if (o->config_file)
		fprintf(f, " of %s", o->config_file);
	fputc('\n', f);
	print_place(f, "", o, NULL, SETTING_TOP);
	if (o->nrules == 0)
		return;
	fputs("rules = (\n", f);
	for (size_t i = 0; i < o->nrules; i++) {
		fputs("  {\n", f);
		print_place(f, "    ", o, &o->rules[i], SETTING_RULE);
		fprintf(f, "  }%s\n", i + 1 < o->nrules ? "," : "");
	}
	fputs(");\n", f);
}

/* ---- what a reload changed ---- */

/* Row's value in o (rules: all of them), as --check-config prints it, in
 * a buffer the caller frees; NULL when out of memory. */
static char *
row_text(const struct setting *row, const struct options *o, size_t *len)
{
	char *buf = NULL;
	FILE *f;

	if ((f = open_memstream(&buf, len)) == NULL)
		return NULL;
	if (row->type == SETTING_RULES)
		for (size_t i = 0; i < o->nrules; i++)
			print_place(f, "", o, &o->rules[i], SETTING_RULE);
	else
		print_row(f, "", row, settings_value(row, (struct options *)o,
		    NULL), SETTING_TOP);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
settings_changed(const struct options *a, const struct options *b,
    char *names, size_t size)
{
	size_t used = 0;
	int n = 0;

	names[0] = '\0';
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *row = &settings[i];
		char *ta, *tb;
		size_t la = 0, lb = 0;
		int same;
		if (!row->key || !(settings_row_places(row) & SETTING_TOP))
			continue;
		ta = row_text(row, a, &la);
		tb = row_text(row, b, &lb);
		same = ta && tb && la == lb && memcmp(ta, tb, la) == 0;
		free(ta);
		free(tb);
		if (same)
			continue;
		n++;
		if (used < size)
			used += (size_t)snprintf(names + used, size - used,
			    "%s%s", used ? ", " : "", row->key);
	}
	return n;
}

/* ---- --help ---- */

static const char *const group_titles[GROUP_COUNT] = {
	[GROUP_GENERAL] = "General arguments:\n",
	[GROUP_ACCESS] = "Access control:\n",
	[GROUP_FILTER] = "Filter arguments (patterns may use * as a wildcard; "
	    "an option given\nseveral times matches any of its patterns; "
	    "!PATTERN excludes; different\noptions must all match):\n",
	[GROUP_OUTPUT] = "Output control arguments:\n",
	[GROUP_SCAN] = "Scans and repeats:\n",
	[GROUP_DNS] = "Name resolution:\n",
};

#define HELP_COLUMN 36
#define HELP_WIDTH 79

/* One word (or the unbreakable default) of the help text, wrapped. */
static void
help_word(FILE *f, const char *w, size_t n, size_t *col)
{
	if (*col > 0 && *col + 1 + n > HELP_WIDTH - HELP_COLUMN + 1) {
		fprintf(f, "\n%*s", HELP_COLUMN - 1, "");
		*col = 0;
	}
	fprintf(f, " %.*s", (int)n, w);
	*col += 1 + n;
}

static void
usage_row(FILE *f, const struct setting *row)
{
	char head[64], def[300];
	size_t col = 0;
	int n;

	if (row->short_option)
		n = snprintf(head, sizeof(head), "  -%c, --%s", row->short_option,
		    row->option);
	else
		n = snprintf(head, sizeof(head), "      --%s", row->option);
	if (row->metavar && n > 0 && (size_t)n < sizeof(head))
		snprintf(head + n, sizeof(head) - (size_t)n,
		    row->optarg_key ? "[=%s]" : "=%s", row->metavar);
	fprintf(f, "%-*s", HELP_COLUMN - 1, head);
	if (strlen(head) >= HELP_COLUMN - 1)
		fprintf(f, "\n%*s", HELP_COLUMN - 1, "");
	/* Words wrapped to the width; the author's \n breaks a line too. */
	for (const char *p = row->help; *p != '\0'; ) {
		size_t len = strcspn(p, " \n");
		if (len > 0)
			help_word(f, p, len, &col);
		p += len;
		if (*p == '\n' && col > 0)
			col = HELP_WIDTH;       /* the next word starts a line */
		if (*p != '\0')
			p++;
	}
	if (row->def && row->metavar && row->type != SETTING_BOOL) {
		snprintf(def, sizeof(def), "(default %s)", row->def);
		help_word(f, def, strlen(def), &col);
	}
	fputc('\n', f);
}

void
settings_usage(FILE *f)
{
	fputs("Usage: linklog [OPTION]...\n"
	    "Receive the connection log a Linksys router sends as SNMP traps, "
	    "and\nwrite one line per connection.\n", f);
	for (int g = 0; g < GROUP_COUNT; g++) {
		fprintf(f, "\n%s", group_titles[g]);
		for (size_t i = 0; i < settings_count; i++)
			if (settings[i].group == (enum setting_group)g &&
			    settings[i].option && settings[i].help)
				usage_row(f, &settings[i]);
	}
	fputs("\nTemplate tokens:\n"
	    "  %a source IP          %A destination IP     %s source host\n"
	    "  %d destination host   %S source port        %D destination port\n"
	    "  %i direction (' in' or 'out')               %p protocol (TCP, UDP, "
	    "-)\n"
	    "  %t timestamp (%M %T %h:%m:%z)               %T day of the month\n"
	    "  %I RFC 3339 timestamp (2026-12-01T04:27:22.123+01:00)\n"
	    "  %h hour   %m minute   %z second   %M month  %w day of the week\n"
	    "  %y year (4 digits)    %Y year (2 digits)    %r router address\n"
	    "  %R router name        %g address the trap claims (or %r)\n"
	    "  %c %C source, destination country (GB)  %o %O their AS "
	    "(AS20712 ...)\n"
	    "  %% a percent sign\n"
	    "Of scans and repeats (scan.template, repeats.template):\n"
	    "  %k kind   %n count (ports, targets, times)   %u duration (s)\n"
	    "  %L first ports or targets   %x events not shown\n"
	    "\nSee linklog(8) for more.\n", f);
}
