/*
 * statedb.h - the state database's file (--state-db): opening it, its
 * schema version, and the migrations that bring an older file forward
 * (state_schema.h holds the SQL, docs/STATE.md documents it).
 *
 * A file is linklog's when its application_id is STATEDB_APPLICATION_ID
 * (or it is empty: a new file); its user_version is the schema version.
 * A newer version, another application's file or one SQLite cannot read
 * is refused with the reason: linklog never writes to a file it does not
 * understand.
 */
#ifndef LINKLOG_STATEDB_H
#define LINKLOG_STATEDB_H

#include <sqlite3.h>
#include <stddef.h>

/* PRAGMA application_id of linklog's files: "LkLg". */
#define STATEDB_APPLICATION_ID 0x4c6b4c67

/*
 * Check that db holds linklog's state at a version this linklog knows,
 * and bring it to STATE_SCHEMA_VERSION in one transaction (an empty file
 * gets the whole schema).  *from gets the version found.  0, or -1 with
 * the reason in err (the file is unchanged).
 */
int statedb_migrate(sqlite3 *db, int *from, char *err, size_t errlen);

/*
 * Check without changing anything (--check-config, read-only readers):
 * 0 if db is linklog's at a version this linklog can use (older ones are
 * migrated when opened for writing; *version gets it, 0 for an empty
 * file), else -1 with the reason in err.
 */
int statedb_check(sqlite3 *db, int *version, char *err, size_t errlen);

#endif
