/*
 * settings.h - the one table that describes every setting of linklog.
 *
 * Each row names a setting once: its long and short option, its key in
 * the configuration file, its type, bounds and default, the part of the
 * daemon it configures (which decides what a reload does with it), where
 * it lives in struct options (options.h) and its help text.  The command
 * line (options.c), the configuration file (conffile.c), --check-config's
 * printing, --help, the defaults, the merge of a rule's outputs with the
 * top level, the resolver's configuration and what a reload keeps are
 * all driven by it.
 * The table itself is in settings.c.
 */
#ifndef LINKLOG_SETTINGS_H
#define LINKLOG_SETTINGS_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"

enum setting_type {
	SETTING_ACTION,         /* command line only: help, version, ... */
	SETTING_BOOL,           /* int 0/1 */
	SETTING_UINT,           /* unsigned in [min, max] */
	SETTING_STRING,         /* const char * */
	SETTING_NAME,           /* int, one of the names of a name_table */
	SETTING_LIST,           /* struct string_list */
	SETTING_FILTER,         /* patterns of one field in filter_options */
	SETTING_RULES,          /* rules = ( { ... }, ... ): the rule rows */
};

/* Where a setting may be given; bits. */
enum {
	SETTING_TOP = 1,        /* the top level of the file, the command line */
	SETTING_RULE = 2,       /* inside a rule of rules = ( ... ) */
};

/* What is special about a setting; bits. */
enum {
	/* Read from the command line before the file (options_find()). */
	SETTING_EARLY = 1,
	/* A file the privileged file opener opens (conffile_paths()). */
	SETTING_OPENS = 2,
	/* Unset, the system's configuration is read at each build of its
	 * part (dns.servers: /etc/resolv.conf): the part is never reused. */
	SETTING_SYSTEM = 4,
	/* Not used when systemd passes the sockets (port, listen). */
	SETTING_SOCKET = 8,
};

/* What a reload does with the part of the daemon a setting is for. */
enum setting_apply {
	SETTING_RELOAD,         /* built again by each reload (SIGHUP) */
	SETTING_REUSE,          /* kept while none of its settings changed */
	SETTING_RESTART,        /* kept as started until the next restart */
};

/*
 * The part of the running daemon a setting configures: the table of
 * parts in settings.c says what a reload does with each.
 */
enum setting_part {
	PART_COMMAND,           /* the command line's own: -c, --help */
	PART_PROCESS,           /* user and pid file: at start only */
	PART_RECEIVER,          /* the sockets: at start only */
	PART_SYSLOG_WRITER,     /* the syslog writer's queue: at start only */
	PART_ACCESS,            /* allow_from, community, rate limit */
	PART_RESOLVER,          /* reused while its settings are the same */
	PART_GEO,               /* the geoip databases, read again */
	PART_OUTPUT,            /* filters, templates, outputs, rules */
	PART_STATE,             /* the state database: at start only */
	PART_COUNT
};

/* The sections of --help, in this order. */
enum setting_group {
	GROUP_GENERAL, GROUP_ACCESS, GROUP_FILTER, GROUP_OUTPUT, GROUP_SCAN,
	GROUP_DNS,
	GROUP_COUNT
};

/* What an action row does on the command line. */
enum setting_action {
	ACTION_NONE, ACTION_HELP, ACTION_VERSION,
};

struct name_value {
	const char *name;
	int value;
};

struct name_table {
	const char *what;               /* "facility" for messages, or NULL */
	const struct name_value *v;
	size_t n;
};

/*
 * A check of one value beyond its type, provided by the module the value
 * is for (render_check, access_check_cidr, ...); 0, or -1 with a reason
 * in err.
 */
typedef int setting_check_fn(const char *value, char *err, size_t errlen);

struct setting {
	const char *option;             /* long option, or NULL */
	int short_option;               /* or 0 */
	const char *key;                /* "port", "dns.servers", or NULL */
	enum setting_type type;
	unsigned places;                /* SETTING_TOP | SETTING_RULE */
	enum setting_part part;         /* what it configures */
	unsigned flags;                 /* SETTING_EARLY, SETTING_OPENS, ... */
	size_t conf_offset, conf_size;  /* in its part's config (conf_size 0:
	                                 * none), for settings_part_config() */
	unsigned long min, max;         /* SETTING_UINT */
	const char *def;                /* default, as written in the file */
	size_t top_offset;              /* in struct options */
	size_t rule_offset;             /* in struct rule_options */
	int inherit;                    /* a rule's unset value is the top's */
	int arg;                        /* filter field, action, flag value */
	const struct name_table *names; /* SETTING_NAME */
	setting_check_fn *check;        /* or NULL */
	int unique;                     /* SETTING_LIST: no value twice */
	const char *optarg_key;         /* --opt[=V]: V sets this key */
	/* A flag that sets other keys to a value (at the top level; rules
	 * then inherit it), and refuses the keys that would contradict it
	 * on one command line, saying why. */
	const char *const *implies;     /* keys, NULL-terminated */
	const char *implied;            /* their value ("json") */
	const char *const *excludes;    /* keys, NULL-terminated */
	const char *excludes_why;       /* "writes JSON, not a template" */
	enum setting_group group;
	const char *metavar;            /* "PORT"; NULL: takes no value */
	const char *help;               /* lines separated by \n */
};

/* The table holds at most this many rows (the command line's arrays). */
#define SETTINGS_MAX 128

extern const struct setting settings[];
extern const size_t settings_count;

/* The row of a configuration key valid in place (SETTING_TOP/RULE). */
const struct setting *settings_by_key(const char *key, unsigned place);

/* Whether key (as "dns") is a section holding settings valid in place. */
int settings_is_section(const char *key, unsigned place);

/* The keys directly under section ("" for the top), comma separated. */
void settings_known_keys(const char *section, unsigned place, char *buf,
    size_t size);

/* Where row's value lives in o (SETTING_TOP) or in rule r. */
void *settings_value(const struct setting *row, struct options *o,
    struct rule_options *r);

/*
 * Set row's value from text (the command line), checked.  append: add
 * to a list instead of replacing it.  0; -1 if text is not of the type
 * ("expected a number from 1 to 65535" in err), -2 if a check refused
 * it (the whole reason in err).
 */
int settings_set_text(const struct setting *row, void *value,
    const char *text, int append, char *err, size_t errlen);

/* Empty a list, or the patterns of a filter row. */
void settings_clear(const struct setting *row, void *value);

/* Check one string or list element of row (type, names, row->check). */
int settings_check_text(const struct setting *row, const char *text,
    char *err, size_t errlen);

/* The "not set here" value of a rule's inherited setting. */
void settings_unset(const struct setting *row, void *value);

/* Defaults, as documented in linklog(8), from the table. */
void settings_defaults(struct options *o);
/* A new rule: every inherited value unset, the others their default. */
void settings_rule_defaults(struct rule_options *r);

/* Rule i's effective settings, with the top level's where it has none;
 * with no rules, the top level's as rule 0. */
void settings_effective_rule(const struct options *o, size_t i,
    struct rule_options *out);

/* Print the effective settings in configuration file syntax. */
void settings_print(const struct options *o, FILE *f);

/*
 * The keys whose values differ between a and b ("access.rate_limit,
 * template"; "rules" for any rule) in names, cut at size; returns how
 * many.  For the reload's line: a setting read at start only must be the
 * same in both (settings_keep_restart).
 */
int settings_changed(const struct options *a, const struct options *b,
    char *names, size_t size);

/* Print the --help text. */
void settings_usage(FILE *f);

/* What a reload does with part, and its name ("resolver"). */
enum setting_apply settings_part_apply(enum setting_part part);
const char *settings_part_name(enum setting_part part);

/*
 * Whether the settings of part (those with one of flags; 0: all) are the
 * same in a and b: for SETTING_REUSE, whether the running part may stay.
 * Never for a part with an unset SETTING_SYSTEM row in b.
 */
int settings_part_same(enum setting_part part, const struct options *a,
    const struct options *b, unsigned flags);

/*
 * The module's configuration of part from o: each row with a conf_size
 * is copied to its place in config (a number to an unsigned or a size_t,
 * a list as "a,b" written in buf, NULL when empty).
 */
void settings_part_config(enum setting_part part, const struct options *o,
    void *config, char *buf, size_t size);

/*
 * The settings a reload does not apply (SETTING_RESTART), as started:
 * a copy that owns its strings, kept while linklog runs.
 */
struct settings_pinned;
struct settings_pinned *settings_pin(const struct options *o);
void settings_pinned_free(struct settings_pinned *p);

/*
 * At a reload: put the values as started back into o, which the new
 * file or command line may have changed.  The keys that were changed go
 * to names ("port, pid_file"), but those of rows with one of the flags
 * unlisted; returns how many were listed.
 */
int settings_keep_restart(const struct settings_pinned *p, struct options *o,
    unsigned unlisted, char *names, size_t size);

/*
 * The distinct values of the SETTING_OPENS rows in o, at the top level and
 * in each rule (up to max, each a malloc'ed copy): the files the
 * privileged file opener may open.  Returns how many, or -1 when out of
 * memory.
 */
int settings_paths(const struct options *o, char **paths, size_t max);

/* The table's own helpers, shared by settings*.c. */
unsigned settings_row_places(const struct setting *row);
size_t settings_section_len(const char *key);   /* "dns" of "dns.wait" */
int settings_is_unset(const struct setting *row, const void *value);
size_t settings_value_size(const struct setting *row);

/* Names of syslog facilities and levels. */
extern const struct name_table settings_facilities, settings_priorities;
const char *settings_name_of(const struct name_table *t, int value);

#endif
