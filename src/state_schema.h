/*
 * state_schema.h - the schema of the state database (--state-db), the
 * SQL that makes each version from the one before it.
 *
 * docs/STATE.md documents every table and column for the people who
 * query the file with sqlite3, and linklog-report reads it: a change here
 * is a new version (STATE_SCHEMA_VERSION + 1) with its own step appended
 * to state_migrations[], a fixture of the old version in tests/, and
 * docs/STATE.md updated.  A step is never edited once released: files of
 * every older version are migrated forward through each step in turn.
 *
 * Conventions: times are INTEGER Unix seconds, UTC; an hour is the Unix
 * time of its start (a multiple of 3600), a day that of its UTC midnight
 * (a multiple of 86400); addresses are TEXT as inet_ntop(3) writes them;
 * direction is 'in' or 'out', protocol 'tcp', 'udp' or '-' (unknown), a
 * port -1 when the message does not carry it.  Names, countries and AS
 * organisations are stored as received (from DNS, a message or a MaxMind
 * DB file): whoever prints them escapes them.
 */
#ifndef LINKLOG_STATE_SCHEMA_H
#define LINKLOG_STATE_SCHEMA_H

/* The version this linklog writes; PRAGMA user_version of the file. */
#define STATE_SCHEMA_VERSION 1

/* Version 0 (an empty file) to 1. */
#define STATE_SCHEMA_1 \
"CREATE TABLE meta (" \
"  key TEXT PRIMARY KEY," \
"  value TEXT NOT NULL" \
") WITHOUT ROWID;" \
"CREATE TABLE runs (" \
"  started INTEGER PRIMARY KEY," \
"  version TEXT NOT NULL," \
"  last_flush INTEGER," \
"  stopped INTEGER" \
");" \
"CREATE TABLE inside_hosts (" \
"  ip TEXT PRIMARY KEY," \
"  name TEXT," \
"  first_seen INTEGER NOT NULL," \
"  last_seen INTEGER NOT NULL," \
"  events_in INTEGER NOT NULL DEFAULT 0," \
"  events_out INTEGER NOT NULL DEFAULT 0" \
") WITHOUT ROWID;" \
"CREATE TABLE outside_hosts (" \
"  ip TEXT PRIMARY KEY," \
"  name TEXT," \
"  country TEXT," \
"  asn INTEGER," \
"  as_org TEXT," \
"  first_seen INTEGER NOT NULL," \
"  last_seen INTEGER NOT NULL," \
"  events_in INTEGER NOT NULL DEFAULT 0," \
"  events_out INTEGER NOT NULL DEFAULT 0" \
") WITHOUT ROWID;" \
"CREATE INDEX outside_hosts_last ON outside_hosts (last_seen);" \
"CREATE TABLE hours (" \
"  hour INTEGER PRIMARY KEY," \
"  events_in INTEGER NOT NULL DEFAULT 0," \
"  events_out INTEGER NOT NULL DEFAULT 0" \
");" \
"CREATE TABLE hourly (" \
"  hour INTEGER NOT NULL," \
"  inside TEXT NOT NULL," \
"  outside TEXT NOT NULL," \
"  direction TEXT NOT NULL," \
"  protocol TEXT NOT NULL," \
"  port INTEGER NOT NULL," \
"  events INTEGER NOT NULL," \
"  country TEXT," \
"  asn INTEGER," \
"  PRIMARY KEY (hour, inside, outside, direction, protocol, port)" \
") WITHOUT ROWID;" \
"CREATE INDEX hourly_inside ON hourly (inside, hour);" \
"CREATE TABLE daily (" \
"  day INTEGER NOT NULL," \
"  inside TEXT NOT NULL," \
"  outside TEXT NOT NULL," \
"  direction TEXT NOT NULL," \
"  protocol TEXT NOT NULL," \
"  port INTEGER NOT NULL," \
"  events INTEGER NOT NULL," \
"  country TEXT," \
"  asn INTEGER," \
"  PRIMARY KEY (day, inside, outside, direction, protocol, port)" \
") WITHOUT ROWID;" \
"CREATE TABLE counters (" \
"  hour INTEGER NOT NULL," \
"  name TEXT NOT NULL," \
"  value INTEGER NOT NULL," \
"  PRIMARY KEY (hour, name)" \
") WITHOUT ROWID;" \
"CREATE TABLE scans (" \
"  id INTEGER PRIMARY KEY," \
"  first INTEGER NOT NULL," \
"  last INTEGER NOT NULL," \
"  source TEXT NOT NULL," \
"  target TEXT," \
"  direction TEXT NOT NULL," \
"  protocol TEXT NOT NULL," \
"  horizontal INTEGER NOT NULL," \
"  port INTEGER," \
"  count INTEGER NOT NULL," \
"  at_least INTEGER NOT NULL," \
"  events INTEGER NOT NULL," \
"  suppressed INTEGER NOT NULL," \
"  sample TEXT NOT NULL," \
"  final INTEGER NOT NULL," \
"  name TEXT," \
"  country TEXT," \
"  asn INTEGER," \
"  as_org TEXT," \
"  UNIQUE (first, source, direction, protocol, horizontal)" \
");" \
"CREATE INDEX scans_last ON scans (last);" \
"CREATE TABLE repeats (" \
"  id INTEGER PRIMARY KEY," \
"  first INTEGER NOT NULL," \
"  last INTEGER NOT NULL," \
"  direction TEXT NOT NULL," \
"  protocol TEXT NOT NULL," \
"  source TEXT NOT NULL," \
"  destination TEXT NOT NULL," \
"  port INTEGER NOT NULL," \
"  count INTEGER NOT NULL" \
");" \
"CREATE INDEX repeats_last ON repeats (last);" \
"CREATE TABLE new_hosts (" \
"  id INTEGER PRIMARY KEY," \
"  time INTEGER NOT NULL," \
"  ip TEXT NOT NULL," \
"  name TEXT," \
"  direction TEXT NOT NULL," \
"  protocol TEXT NOT NULL," \
"  peer TEXT NOT NULL," \
"  peer_port INTEGER NOT NULL," \
"  peer_name TEXT," \
"  country TEXT," \
"  asn INTEGER," \
"  written INTEGER NOT NULL" \
");" \
"CREATE INDEX new_hosts_time ON new_hosts (time);"

/*
 * state_migrations[v] brings a file of version v to v + 1; each step runs
 * in the transaction that sets user_version to v + 1.
 */
static const char *const state_migrations[STATE_SCHEMA_VERSION] = {
	STATE_SCHEMA_1,
};

#endif
