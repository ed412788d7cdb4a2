/* Unit tests for the state database's schema and migrations
 * (src/statedb.c, src/state_schema.h), on real SQLite files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state_schema.h"
#include "statedb.h"

static char dir[] = "/tmp/test_statedb.XXXXXX";
static char err[512];

static sqlite3 *
open_file(const char *name)
{
	char path[256];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	return db;
}

static int
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A new file gets the schema; opening it again changes nothing. */
static void
new_file(void **state)
{
	sqlite3 *db = open_file("new.db");
	int from = -1;

	(void)state;
	assert_int_equal(statedb_migrate(db, &from, err, sizeof(err)), 0);
	assert_int_equal(from, 0);
	assert_int_equal(one_int(db, "PRAGMA user_version"),
	    STATE_SCHEMA_VERSION);
	assert_int_equal(one_int(db, "PRAGMA application_id"),
	    STATEDB_APPLICATION_ID);
	assert_int_equal(one_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name IN ('meta', 'runs', "
	    "'inside_hosts', 'outside_hosts', 'hours', 'hourly', 'daily', "
	    "'counters', 'scans', 'repeats', 'new_hosts')"), 11);
	assert_int_equal(statedb_migrate(db, &from, err, sizeof(err)), 0);
	assert_int_equal(from, STATE_SCHEMA_VERSION);
	assert_int_equal(statedb_check(db, &from, err, sizeof(err)), 0);
	sqlite3_close(db);
}

static void
refused(sqlite3 *db, const char *why)
{
	int from;

	assert_int_equal(statedb_check(db, &from, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", err, why);
	assert_int_equal(statedb_migrate(db, &from, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", err, why);
}

static void
newer_version(void **state)
{
	sqlite3 *db = open_file("newer.db");
	char sql[96];

	(void)state;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; "
	    "PRAGMA user_version = %d", STATEDB_APPLICATION_ID,
	    STATE_SCHEMA_VERSION + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	refused(db, "written by a newer linklog");
	/* Unchanged by the refusal. */
	assert_int_equal(one_int(db, "PRAGMA user_version"),
	    STATE_SCHEMA_VERSION + 1);
	sqlite3_close(db);
}

static void
foreign_file(void **state)
{
	sqlite3 *db = open_file("foreign.db");

	(void)state;
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x); "
	    "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	refused(db, "not linklog's");
	sqlite3_close(db);
}

static void
not_a_database(void **state)
{
	char path[256];
	FILE *f;
	sqlite3 *db;

	(void)state;
	snprintf(path, sizeof(path), "%s/text.db", dir);
	assert_non_null(f = fopen(path, "w"));
	for (int i = 0; i < 200; i++)
		fputs("this is a log file, not a database\n", f);
	fclose(f);
	db = open_file("text.db");
	refused(db, "not a database");
	sqlite3_close(db);
}

/* Every ```sql block of docs/STATE.md prepares against the schema:
 * the documented queries name tables and columns that exist. */
static void
documented_queries(void **state)
{
	sqlite3 *db = open_file("docs.db");
	char line[512], sql[4096];
	size_t len = 0;
	int in = 0, n = 0, from;
	FILE *f;

	(void)state;
	assert_int_equal(statedb_migrate(db, &from, err, sizeof(err)), 0);
	assert_non_null(f = fopen(SRCDIR "/docs/STATE.md", "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!in) {
			in = strcmp(line, "```sql\n") == 0;
			len = 0;
			continue;
		}
		if (strcmp(line, "```\n") != 0) {
			assert_true(len + strlen(line) < sizeof(sql));
			memcpy(sql + len, line, strlen(line) + 1);
			len += strlen(line);
			continue;
		}
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			fail_msg("docs/STATE.md: %s: %s", sql,
			    sqlite3_errmsg(db));
		sqlite3_finalize(st);
		in = 0;
		n++;
	}
	fclose(f);
	assert_true(n >= 3);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_file),
		cmocka_unit_test(newer_version),
		cmocka_unit_test(foreign_file),
		cmocka_unit_test(not_a_database),
		cmocka_unit_test(documented_queries),
	};
	char cmd[64];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
