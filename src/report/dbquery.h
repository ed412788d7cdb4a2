/*
 * dbquery.h - the report's queries over the state database, schema
 * version 1 (docs/STATE.md): the timeline and totals from hours, the
 * tables from hourly (whole UTC days of the period from daily), scans and
 * new hosts from their tables, what was lost from counters.
 */
#ifndef LINKLOG_REPORT_DBQUERY_H
#define LINKLOG_REPORT_DBQUERY_H

#include <sqlite3.h>

#include "model.h"

/* Fill r; returns SQLITE_OK, or the SQLite error (sqlite3_errmsg). */
int dbquery_all(sqlite3 *db, struct report *r);

#endif
