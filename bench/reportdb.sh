#!/bin/sh
# bench/reportdb.sh FILE DAYS EVENTS_PER_DAY [ROWS_PER_HOUR]: a state
# database (docs/STATE.md) as linklog writes it under that load, for the
# report's benchmark (make bench-report): the last DAYS days up to the
# current hour, each hour at linklog's per-hour bound of hourly rows
# (state.max_rows_per_hour, default 1000) with the rest of its events in
# the overflow rows, daily roll-ups, 200 inside and 20,000 outside hosts,
# a scan and a new host a day.  Written by SQLite itself (recursive
# queries in the sqlite3 CLI): a million-event day takes no million
# inserts, as linklog's own summary does not.
set -eu
db=$1 days=$2 per_day=$3 rows=${4:-1000}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
now=$(date +%s)
end=$((now / 3600 * 3600))
start=$((end - days * 86400 + 3600))
per_hour=$((per_day / 24))
# Each keyed row carries per_row events; what is left goes to overflow.
per_row=$((per_hour / rows))
[ "$per_row" -ge 1 ] || per_row=1
keyed=$((rows - 2))
rm -f "$db" "$db-wal" "$db-shm"
{
	sed -n '/^#define STATE_SCHEMA_1/,/^$/s/^"\(.*\)"[ \\]*$/\1/p' \
	    "$top_srcdir/src/state_schema.h"
	cat <<SQL
PRAGMA user_version = 1;
PRAGMA application_id = 1282100327;
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE h AS WITH RECURSIVE h(t) AS (SELECT $start UNION ALL
  SELECT t + 3600 FROM h WHERE t < $end) SELECT t FROM h;
CREATE TEMP TABLE k AS WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL
  SELECT i + 1 FROM k WHERE i < $keyed - 1) SELECT i FROM k;
-- Rows of an hour: inside host i % 200, an outside host that moves with
-- the hour, inbound one row in four (to a few services), outbound to
-- web, DNS and NTP.
INSERT INTO hourly SELECT t, '192.168.' || (i % 200 / 100) || '.' || (i % 100 + 2),
  '198.' || (51 + (i * 7 + t / 3600 * 13) % 20000 / 10000) || '.' ||
    ((i * 7 + t / 3600 * 13) % 10000 / 100) || '.' || ((i * 7 + t / 3600 * 13) % 100),
  CASE WHEN i % 4 = 0 THEN 'in' ELSE 'out' END,
  CASE WHEN i % 5 = 0 THEN 'udp' ELSE 'tcp' END,
  CASE WHEN i % 4 = 0 THEN (22, 80, 443, 3389, 8080) ELSE 443 END, $per_row,
  CASE i % 3 WHEN 0 THEN 'US' WHEN 1 THEN 'DE' ELSE 'NL' END, 64500 + i % 50
  FROM h, k;
SQL
	# (SQLite has no tuple pick: CASE on i % 5.)
	cat <<SQL
INSERT INTO hourly SELECT t, '', '', d, '', -1,
  CASE d WHEN 'in' THEN $per_hour / 4 ELSE $per_hour * 3 / 4 END
  - (SELECT COALESCE(SUM(events), 0) FROM hourly x WHERE x.hour = t AND x.direction = d),
  NULL, NULL FROM h, (SELECT 'in' AS d UNION ALL SELECT 'out');
INSERT INTO hours SELECT hour, SUM(CASE direction WHEN 'in' THEN events ELSE 0 END),
  SUM(CASE direction WHEN 'out' THEN events ELSE 0 END) FROM hourly GROUP BY hour;
INSERT INTO daily SELECT hour / 86400 * 86400, inside, outside, direction,
  protocol, port, SUM(events), MAX(country), MAX(asn) FROM hourly
  GROUP BY 1, inside, outside, direction, protocol, port;
INSERT INTO inside_hosts SELECT inside, 'host-' || replace(inside, '.', '-') || '.lan',
  MIN(hour), MAX(hour), SUM(CASE direction WHEN 'in' THEN events ELSE 0 END),
  SUM(CASE direction WHEN 'out' THEN events ELSE 0 END) FROM hourly WHERE inside != ''
  GROUP BY inside;
INSERT INTO outside_hosts SELECT outside, 'ptr-' || replace(outside, '.', '-') || '.example',
  MAX(country), MAX(asn), 'AS ' || MAX(asn) || ' Example Networks', MIN(hour), MAX(hour),
  SUM(CASE direction WHEN 'in' THEN events ELSE 0 END),
  SUM(CASE direction WHEN 'out' THEN events ELSE 0 END) FROM hourly WHERE outside != ''
  GROUP BY outside;
INSERT INTO scans SELECT NULL, t + 60, t + 600, '203.0.113.' || (t / 86400 % 250),
  '192.168.0.2', 'in', 'tcp', 0, NULL, 1000, 0, 1000, 985, '1,2,3', 1, NULL,
  NULL, NULL, NULL FROM h WHERE t % 86400 = 0;
INSERT INTO new_hosts SELECT NULL, t + 120, '192.168.9.' || (t / 86400 % 250),
  NULL, 'out', 'tcp', '198.51.100.1', 443, NULL, NULL, NULL, 1 FROM h
  WHERE t % 86400 = 0;
INSERT INTO counters SELECT t, 'kernel_drops', 1 FROM h;
COMMIT;
PRAGMA journal_mode = WAL;
SQL
} | sed 's/CASE WHEN i % 4 = 0 THEN (22, 80, 443, 3389, 8080) ELSE 443 END/CASE WHEN i % 4 = 0 THEN (CASE i % 5 WHEN 0 THEN 22 WHEN 1 THEN 80 WHEN 2 THEN 443 WHEN 3 THEN 3389 ELSE 8080 END) ELSE (CASE i % 3 WHEN 0 THEN 53 WHEN 1 THEN 123 ELSE 443 END) END/' |
    sqlite3 -bail "$db" >/dev/null
