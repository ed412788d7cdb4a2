/*
 * db.c - opening the state database safely and checking its version (see
 * db.h); the queries of the period are dbquery.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "dbquery.h"
#include "state_schema.h"
#include "statedb.h"

/* The settings that make a hostile file harmless to read. */
static int
harden(sqlite3 *db)
{
	int on = 0;

	if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) !=
	    SQLITE_OK || on != 1)
		return -1;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) !=
	    SQLITE_OK || on != 0)
		return -1;
	/* No ATTACH of other files, no extension from the schema. */
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	/* A WAL reader does not wait for the writer; just in case of a
	 * checkpoint's brief lock, a little patience. */
	sqlite3_busy_timeout(db, 2000);
	/* (Not query_only: the report's working table is a temporary one,
	 * in memory; SQLITE_OPEN_READONLY keeps the file from any write.) */
	return 0;
}

/* linklog's file (statedb.c's check) at the version this program reads. */
static int
check_version(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	char why[256];
	int v;

	if (statedb_check(db, &v, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: cannot use it: %s", path, why);
		return -1;
	}
	if (v == 0) {
		snprintf(err, errlen, "%s: empty: linklog has not written to it "
		    "yet", path);
		return -1;
	}
	if (v < STATE_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema version %d is older than this "
		    "linklog-report reads (%d): start linklog once on it to "
		    "migrate it", path, v, STATE_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

sqlite3 *
db_open(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	struct stat sb;

	/* SQLite's own "unable to open database file" says less. */
	if (stat(path, &sb) == -1) {
		snprintf(err, errlen, "%s: %s (is linklog run with --state-db?)",
		    path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) :
		    "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	if (harden(db) == -1) {
		snprintf(err, errlen, "%s: this SQLite cannot be made safe to "
		    "read a file from elsewhere (defensive mode, trusted_schema)",
		    path);
		sqlite3_close(db);
		return NULL;
	}
	if (check_version(db, path, err, errlen) == -1) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

int
db_load(sqlite3 *db, struct report *r, char *err, size_t errlen)
{
	int rc;

	/* One read transaction: every query sees the same flushes. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	rc = dbquery_all(db, r);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		snprintf(err, errlen, "%s: reading the state database: %s",
		    r->source, sqlite3_errmsg(db));
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : -1;
}
