/*
 * db.h - the state database (docs/STATE.md), read-only: opened so that a
 * file from anywhere can do no harm (read-only, defensive mode, no
 * trusted schema), its version checked, and the period's report read
 * into the model.  Never writes, never waits for linklog: a WAL reader.
 */
#ifndef LINKLOG_REPORT_DB_H
#define LINKLOG_REPORT_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "model.h"

/*
 * Open path for reading; returns the handle, or NULL with a sentence in
 * err (no such file, not a database, a version this program does not
 * read).
 */
sqlite3 *db_open(const char *path, char *err, size_t errlen);

/* Fill r (from, to and top set) from db; 0, or -1 with a sentence. */
int db_load(sqlite3 *db, struct report *r, char *err, size_t errlen);

#endif
