#!/bin/sh
# reportdb.sh FILE: a state database (docs/STATE.md, schema version 1) for
# the report's tests, written with the sqlite3 CLI: the schema is taken
# from src/state_schema.h itself, so the fixture cannot drift from what
# linklog writes.  One day, 2026-12-01 UTC, with every section filled and
# hostile names (markup in PTR names and an AS organisation).
#
#   hour (UTC)  in  out  what
#   08:00        5       203.0.113.7 -> 192.168.1.20:22/tcp
#   09:00        3       198.51.100.9 -> 192.168.1.20:443/tcp
#   10:00            9   192.168.1.50 -> 142.250.74.14:443/tcp (7),
#                        93.184.216.34:123/udp (2); new host 192.168.1.50
#   11:00        4       the hour's overflow row
#   12:00       42       a scan of 203.0.113.66 on 192.168.1.20: 40 ports,
#                        42 events, 40 suppressed, 2 written (port 21)
#
# Totals: 63 events, 54 in, 9 out, 1 scan, 1 new host, 5 outside hosts,
# 2 inside hosts.
set -eu
db=$1
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
D=1796083200            # 2026-12-01 00:00:00 UTC
h() { echo $((D + $1 * 3600)); }

rm -f "$db"
{
	# The schema's SQL: the string pieces of STATE_SCHEMA_1.
	sed -n '/^#define STATE_SCHEMA_1/,/^$/s/^"\(.*\)"[ \\]*$/\1/p' \
	    "$top_srcdir/src/state_schema.h"
	cat <<SQL
PRAGMA user_version = 1;
PRAGMA application_id = 1282100327;
INSERT INTO meta VALUES ('created', '$(h 0)');
INSERT INTO runs VALUES ($(h 0), '0.1.0', $(h 13), NULL);
INSERT INTO inside_hosts VALUES
  ('192.168.1.20', 'nas.lan', $(h 8), $(h 12), 56, 0),
  ('192.168.1.50', '<img src=x onerror=alert(3)>', $(h 10), $(h 10), 0, 9);
INSERT INTO outside_hosts VALUES
  ('203.0.113.7', '<script>alert(1)</script>', 'DE', 64500,
   '"><svg onload=alert(2)>', $(h 8), $(h 8), 5, 0),
  ('198.51.100.9', 'x.example', NULL, NULL, NULL, $(h 9), $(h 9), 3, 0),
  ('142.250.74.14', 'lhr.1e100.net', 'US', 15169, 'GOOGLE', $(h 10),
   $(h 10), 0, 7),
  ('93.184.216.34', NULL, NULL, NULL, NULL, $(h 10), $(h 10), 0, 2),
  ('203.0.113.66', 'scanner.example', 'NL', 64501, 'Scan & Co',
   $(h 12), $(h 12), 2, 0);
INSERT INTO hours VALUES ($(h 8), 5, 0), ($(h 9), 3, 0), ($(h 10), 0, 9),
  ($(h 11), 4, 0), ($(h 12), 42, 0);
INSERT INTO hourly VALUES
  ($(h 8), '192.168.1.20', '203.0.113.7', 'in', 'tcp', 22, 5, 'DE', 64500),
  ($(h 9), '192.168.1.20', '198.51.100.9', 'in', 'tcp', 443, 3, NULL, NULL),
  ($(h 10), '192.168.1.50', '142.250.74.14', 'out', 'tcp', 443, 7, 'US', 15169),
  ($(h 10), '192.168.1.50', '93.184.216.34', 'out', 'udp', 123, 2, NULL, NULL),
  ($(h 11), '', '', 'in', '', -1, 4, NULL, NULL),
  ($(h 12), '192.168.1.20', '203.0.113.66', 'in', 'tcp', 21, 2, 'NL', 64501);
INSERT INTO daily SELECT hour / 86400 * 86400, inside, outside, direction,
  protocol, port, SUM(events), country, asn FROM hourly
  GROUP BY 1, inside, outside, direction, protocol, port;
INSERT INTO counters VALUES ($(h 9), 'rate_limited', 3),
  ($(h 10), 'kernel_drops', 1), ($(h 10), 'received', 20);
INSERT INTO scans VALUES (1, $(h 12) + 60, $(h 12) + 300, '203.0.113.66',
  '192.168.1.20', 'in', 'tcp', 0, NULL, 40, 0, 42, 40, '21,22,23', 1,
  'scanner.example', 'NL', 64501, 'Scan & Co');
INSERT INTO new_hosts VALUES (1, $(h 10) + 300, '192.168.1.50',
  '<img src=x onerror=alert(3)>', 'out', 'tcp', '142.250.74.14', 443,
  'lhr.1e100.net', 'US', 15169, 1);
PRAGMA journal_mode = WAL;
SQL
} | sqlite3 -bail "$db" >/dev/null
