/*
 * statedb.c - the state database's file: opening it (to write, after the
 * privilege drop, or read only for --check-config), its schema version
 * and migrations, and what linklog reads back from it at start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state_int.h"
#include "state_schema.h"
#include "statedb.h"

/* One integer of a pragma; -1 with SQLite's reason in err. */
static int
pragma_int(sqlite3 *db, const char *sql, int *out, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
statedb_check(sqlite3 *db, int *version, char *err, size_t errlen)
{
	int app, tables;

	if (pragma_int(db, "PRAGMA application_id", &app, err, errlen) < 0 ||
	    pragma_int(db, "PRAGMA user_version", version, err, errlen) < 0 ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables, err,
	    errlen) < 0)
		return -1;
	if (app == 0 && *version == 0 && tables == 0)
		return 0;
	if (app != STATEDB_APPLICATION_ID) {
		snprintf(err, errlen, "it is an SQLite database, but not "
		    "linklog's (application_id %d)", app);
		return -1;
	}
	if (*version > STATE_SCHEMA_VERSION) {
		snprintf(err, errlen, "it was written by a newer linklog "
		    "(schema version %d; this linklog knows versions up to %d)",
		    *version, STATE_SCHEMA_VERSION);
		return -1;
	}
	if (*version < 1) {
		snprintf(err, errlen, "it has linklog's application_id but "
		    "no schema version");
		return -1;
	}
	return 0;
}

static int
exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s", msg != NULL ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

/* The steps from version v on, and the new version, in the transaction
 * the caller began. */
static int
steps(sqlite3 *db, int v, char *err, size_t errlen)
{
	char sql[96];

	if (v == 0) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
		    STATEDB_APPLICATION_ID);
		if (exec(db, sql, err, errlen) < 0)
			return -1;
	}
	for (; v < STATE_SCHEMA_VERSION; v++)
		if (exec(db, state_migrations[v], err, errlen) < 0)
			return -1;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STATE_SCHEMA_VERSION);
	return exec(db, sql, err, errlen);
}

int
statedb_migrate(sqlite3 *db, int *from, char *err, size_t errlen)
{
	char why[256];

	/* IMMEDIATE: no other writer between the check and the steps. */
	if (exec(db, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	if (statedb_check(db, from, err, errlen) < 0)
		goto fail;
	if (*from == STATE_SCHEMA_VERSION)
		return exec(db, "COMMIT", err, errlen);
	if (steps(db, *from, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "cannot migrate it from schema version "
		    "%d to %d: %s", *from, STATE_SCHEMA_VERSION, why);
		goto fail;
	}
	if (exec(db, "COMMIT", err, errlen) == 0)
		return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* The directory of path, in buf. */
static void
dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

static const char *
user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL ? pw->pw_name : "?";
}

/* What -wal and -shm files need: mode 0640 (SQLite gives them the
 * database's mode; set it on each explicitly all the same). */
static void
set_modes(const char *path)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char p[PATH_MAX];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		(void)chmod(p, 0640);
	}
}

/* The checks a file gets whether opened to write or read only. */
static int
usable(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, version;

	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (statedb_check(db, &version, err, errlen) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st,
	    0), "ok") != 0) {
		snprintf(err, errlen, "it is damaged (%s): move it away, and "
		    "linklog starts a new one", rc == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(st, 0) :
		    sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* WAL, kept between runs so read-only readers always find it. */
static int
wal_mode(sqlite3 *db, char *err, size_t errlen)
{
	int persist = 1;

	if (exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
	    err, errlen) < 0)
		return -1;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL,
	    &persist) != SQLITE_OK) {
		snprintf(err, errlen, "cannot keep its WAL file");
		return -1;
	}
	return 0;
}

sqlite3 *
statedb_open_file(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX], why[512];
	sqlite3 *db = NULL;
	int from;

	dir_of(path, dir, sizeof(dir));
	if (access(dir, W_OK | X_OK) < 0) {
		snprintf(err, errlen, "state database %s: the directory %s must "
		    "be writable by the user linklog runs as (%s): %s", path,
		    dir, user_name(), strerror(errno));
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		snprintf(why, sizeof(why), "%s", db != NULL ?
		    sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	if (usable(db, why, sizeof(why)) < 0)
		goto fail;
	set_modes(path);
	if (wal_mode(db, why, sizeof(why)) < 0 ||
	    statedb_migrate(db, &from, why, sizeof(why)) < 0)
		goto fail;
	set_modes(path);
	sqlite3_busy_timeout(db, 100);
	return db;
fail:
	snprintf(err, errlen, "state database %s: %s", path, why);
	sqlite3_close(db);
	return NULL;
}

int
statedb_check_file(const char *path, char *msg, size_t msglen, char *err,
    size_t errlen)
{
	char why[512];
	sqlite3 *db = NULL;
	int version;

	if (access(path, F_OK) < 0 && errno == ENOENT) {
		snprintf(msg, msglen, "state database %s: does not exist yet "
		    "(linklog creates it)", path);
		return 0;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		snprintf(why, sizeof(why), "%s", db != NULL ?
		    sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	if (usable(db, why, sizeof(why)) < 0 ||
	    statedb_check(db, &version, why, sizeof(why)) < 0)
		goto fail;
	sqlite3_close(db);
	snprintf(msg, msglen, "state database %s: schema version %d%s", path,
	    version, version < STATE_SCHEMA_VERSION ? " (migrated at start)" :
	    "");
	return 0;
fail:
	snprintf(err, errlen, "state database %s: %s", path, why);
	sqlite3_close(db);
	return -1;
}

/* The creation time, set for a new file. */
static int
created_time(sqlite3 *db, time_t now, time_t *created, char *err,
    size_t errlen)
{
	char sql[128];
	long long v;
	sqlite3_stmt *st;

	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO meta VALUES "
	    "('created', '%lld')", (long long)now);
	if (exec(db, sql, err, errlen) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = "
	    "'created'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	*created = (time_t)v;
	return 0;
}

int
statedb_load(sqlite3 *db, time_t now, time_t *created, int64_t hour,
    unsigned *hour_rows,
    void (*fn)(void *, uint32_t, time_t, time_t, const char *), void *arg,
    char *err, size_t errlen)
{
	char sql[128];
	sqlite3_stmt *st;
	struct in_addr a;
	int rows;

	if (created_time(db, now, created, err, errlen) < 0)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM hourly WHERE hour = "
	    "%lld", (long long)hour);
	if (pragma_int(db, sql, &rows, err, errlen) < 0)
		return -1;
	*hour_rows = (unsigned)rows;
	if (sqlite3_prepare_v2(db, "SELECT ip, first_seen, last_seen, name "
	    "FROM inside_hosts ORDER BY last_seen DESC", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *ip = (const char *)sqlite3_column_text(st, 0);
		if (ip == NULL || inet_pton(AF_INET, ip, &a) != 1)
			continue;
		fn(arg, a.s_addr, (time_t)sqlite3_column_int64(st, 1),
		    (time_t)sqlite3_column_int64(st, 2),
		    (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	return 0;
}
