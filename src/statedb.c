/*
 * statedb.c - the state database's schema version and migrations.
 */
#include <stdio.h>
#include <string.h>

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
