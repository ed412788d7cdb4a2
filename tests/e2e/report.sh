#!/bin/sh
# End to end: linklog-report over a real SQLite file (tests/e2e/reportdb.sh,
# the schema taken from src/state_schema.h): the JSON's totals and tables
# are the fixture's, the whole day (read from daily) and its hours (read
# from hourly) agree, the text fits 80 columns, the HTML loads nothing and
# carries hostile names as text; an empty period is a report (exit 0);
# errors exit 1 with a sentence, usage errors 2; a writer's open
# transaction does not stop a report, and the file is never changed.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need sqlite3 python3

REPORT=${LINKLOG_REPORT:-$(dirname "$LINKLOG")/linklog-report}
DB=$WORK/state.db
sh "$top_srcdir/tests/e2e/reportdb.sh" "$DB" || not_ok "reportdb.sh wrote no database"
DAY="--since 2026-12-01 --until 2026-12-02"
before=$(cat "$DB" "$DB-wal" 2>/dev/null | cksum)

# json FILE EXPR: the Python expression's value over the JSON in FILE (d).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
# check_json DESCRIPTION FILE EXPR EXPECTED
check_json() {
	got=$(json "$2" "$3" 2>&1)
	if [ "$got" = "$4" ]; then ok "$1"; else not_ok "$1: $3 is '$got', expected '$4'"; fi
}

# ---- JSON: the fixture's numbers --------------------------------------
# shellcheck disable=SC2086
"$REPORT" --db "$DB" $DAY --format json >"$WORK/day.json" 2>"$WORK/err"
check "a day's JSON report exits 0" test $? -eq 0
check_json "totals" "$WORK/day.json" \
    '[d["totals"][k] for k in ("events", "inbound", "outbound", "scans", "new_hosts", "outside_hosts", "inside_hosts")]' \
    '[63, 54, 9, 1, 1, 5, 2]'
check_json "the timeline: 24 hours, the fixture's" "$WORK/day.json" \
    '[len(d["timeline"]), sum(h["inbound"] for h in d["timeline"]), sum(h["outbound"] for h in d["timeline"]), [h["hour"][11:16] for h in d["timeline"] if h["scans"]]]' \
    "[24, 54, 9, ['12:00']]"
check_json "the period, in the named zone" "$WORK/day.json" \
    '[d["period"]["from"], d["period"]["to"], d["period"]["zone"]]' \
    "['2026-12-01T00:00:00+00:00', '2026-12-02T00:00:00+00:00', 'UTC (+0000)']"
check_json "outside hosts reaching in, by events, scans included" "$WORK/day.json" \
    '[(h["ip"], h["events"], h["ports"], h["country"], h["asn"]) for h in d["outside_hosts"]]' \
    "[('203.0.113.66', 42, 40, 'NL', 64501), ('203.0.113.7', 5, 1, 'DE', 64500), ('198.51.100.9', 3, 1, None, None)]"
check_json "hostile names are kept as they are in JSON" "$WORK/day.json" \
    '[d["outside_hosts"][1]["name"], d["outside_hosts"][1]["as_org"]]' \
    "['<script>alert(1)</script>', '\"><svg onload=alert(2)>']"
check_json "inside hosts and their top destinations" "$WORK/day.json" \
    '[(h["ip"], h["inbound"], h["outbound"], h["destinations"], [(t["ip"], t["events"]) for t in h["top_destinations"]]) for h in d["inside_hosts"]]' \
    "[('192.168.1.20', 50, 0, 0, []), ('192.168.1.50', 0, 9, 2, [('142.250.74.14', 7), ('93.184.216.34', 2)])]"
check_json "each inside host's events by hour of day (hourly rows)" "$WORK/day.json" \
    '[[(i, v) for i, v in enumerate(h["hours"]) if v] for h in d["inside_hosts"]]' \
    "[[(8, 5), (9, 3), (12, 2)], [(10, 9)]]"
TZ=Europe/Berlin "$REPORT" --db "$DB" $DAY --format json >"$WORK/berlin.json"
check_json "... in local time (Berlin: an hour later), named" "$WORK/berlin.json" \
    '[[(i, v) for i, v in enumerate(h["hours"]) if v] for h in d["inside_hosts"]] + [d["period"]["zone"]]' \
    "[[(9, 5), (10, 3), (13, 2)], [(11, 9)], 'Europe/Berlin (CET, +0100)']"
check_json "ports in and out" "$WORK/day.json" \
    '[[(p["port"], p["protocol"], p["events"]) for p in d[k]] for k in ("ports_in", "ports_out")]' \
    "[[(22, 'TCP', 5), (443, 'TCP', 3), (21, 'TCP', 2)], [(443, 'TCP', 7), (123, 'UDP', 2)]]"
check_json "scans and new hosts" "$WORK/day.json" \
    '[(s["source"], s["target"], s["ports"], s["events"], s["suppressed"]) for s in d["scans"]] + [(h["ip"], h["first_destination"], h["notice"]) for h in d["new_hosts"]]' \
    "[('203.0.113.66', '192.168.1.20', 40, 42, 40), ('192.168.1.50', '142.250.74.14:443', True)]"
check_json "what linklog lost" "$WORK/day.json" \
    '[d["lost"]["kernel_drops"], d["lost"]["rate_limited"], d["lost"]["state_dropped"], "received" in d["lost"]]' \
    "[1, 3, 0, False]"
# The same day with an hour on each side: its ends from hourly, the day
# from daily; and the hours alone.
"$REPORT" --db "$DB" --since '2026-11-30 23:00' --until '2026-12-02 01:00' \
    --format json >"$WORK/wide.json"
check_json "a day and two hours (daily and hourly) count as the day" "$WORK/wide.json" \
    '[d["totals"]["events"], d["totals"]["outside_hosts"], d["ports_in"][0]["events"], len(d["timeline"])]' \
    "[63, 5, 5, 26]"
"$REPORT" --db "$DB" --since '2026-12-01 08:30' --until '2026-12-01 10:00' \
    --format json >"$WORK/hours.json"
check_json "08:30 to 10:00 is the hours 08 and 09 (hourly)" "$WORK/hours.json" \
    '[d["totals"]["events"], [h["ip"] for h in d["outside_hosts"]], d["totals"]["new_hosts"], d["totals"]["scans"]]' \
    "[8, ['203.0.113.7', '198.51.100.9'], 0, 0]"
"$REPORT" --db "$DB" $DAY --format json --top 1 >"$WORK/top.json"
check_json "--top 1: one row a table" "$WORK/top.json" \
    '[len(d[k]) for k in ("outside_hosts", "inside_hosts", "ports_in", "ports_out")]' "[1, 1, 1, 1]"

# ---- text --------------------------------------------------------------
"$REPORT" --db "$DB" $DAY --format text >"$WORK/day.txt"
check "the text report exits 0" test $? -eq 0
check_line "the text's totals" "$WORK/day.txt" "  events 63 (in 54, out 9), scans 1, new hosts 1"
check_line "the text says what was lost" "$WORK/day.txt" "  lost: kernel_drops=1 rate_limited=3"
check "the text fits 80 columns" test "$(awk 'length > 80' "$WORK/day.txt" | wc -l)" -eq 0
check_line "a scan in the text" "$WORK/day.txt" \
    "  203.0.113.66    192.168.1.20       40     42     40 12-01 12:01 12-01 12:05"
printf '\033[31m' >"$WORK/esc"
check "no escape character reaches the terminal" test "$(grep -c "$(cat "$WORK/esc" | cut -c1)" "$WORK/day.txt")" -eq 0

# ---- HTML ---------------------------------------------------------------
"$REPORT" --db "$DB" $DAY -o "$WORK/day.html"
check "the HTML report exits 0" test $? -eq 0
check "-o leaves no temporary file" test "$(ls "$WORK" | grep -c 'day.html.')" -eq 0
check_no_line "no element of a hostile name" "$WORK/day.html" "<script"
check_no_line "no svg of a hostile name" "$WORK/day.html" "<svg onload"
check_no_line "no img of a hostile name" "$WORK/day.html" "<img"
check_grep() { if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1: no '$3'"; fi; }
check_grep "a hostile PTR name is text" "$WORK/day.html" "&lt;script&gt;alert(1)&lt;/script&gt;"
check_grep "a hostile AS organisation is text" "$WORK/day.html" "&quot;&gt;&lt;svg onload=alert(2)&gt;"
check_grep "the page forbids loading" "$WORK/day.html" \
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
# (Every < of a name is &lt;: a < is the program's own markup.)
grep -oiE '<[^>]* (src|href)=|<link|url\(|@import' "$WORK/day.html" >"$WORK/loads"
check "the page points nowhere (no src, href, link, url() or @import)" test ! -s "$WORK/loads"
check_grep "the page has the timeline" "$WORK/day.html" '<svg id="timeline"'
check_grep "the page has the heatmap" "$WORK/day.html" '<svg id="heatmap"'

# ---- an empty period, errors, usage -------------------------------------
for f in json text html; do
	"$REPORT" --db "$DB" --since 2026-11-01 --until 2026-11-02 --format $f \
	    >"$WORK/empty.$f" 2>"$WORK/err"
	check "an empty period is a $f report, exit 0" test $? -eq 0
done
check_json "an empty period's JSON says so" "$WORK/empty.json" \
    '[d["empty"], d["totals"]["events"], len(d["timeline"])]' "[True, 0, 24]"
check_grep "an empty period's text says so" "$WORK/empty.text" "No connection events, scans or new hosts in this period."
check_grep "an empty period's page says so" "$WORK/empty.html" "No connection events, scans or new hosts"

# fails RC MESSAGE ARGS...: exit RC, the message on standard error, no output.
fails() {
	rc=$1 msg=$2; shift 2
	"$REPORT" "$@" >"$WORK/f.out" 2>"$WORK/f.err"
	got=$?
	if [ "$got" -eq "$rc" ] && grep -qF -- "$msg" "$WORK/f.err" && [ ! -s "$WORK/f.out" ]; then
		ok "$*: exit $rc, $msg"
	else
		not_ok "$*: exit $got (expected $rc), stderr:"
		sed 's/^/    /' "$WORK/f.err"
	fi
}
fails 1 "$WORK/none.db: No such file or directory" --db "$WORK/none.db"
echo "not a database at all, but long enough to be read as one" >"$WORK/text.db"
fails 1 "file is not a database" --db "$WORK/text.db"
sqlite3 "$WORK/other.db" "CREATE TABLE t (x); PRAGMA user_version = 1;"
fails 1 "not linklog's" --db "$WORK/other.db"
cp "$DB" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" "PRAGMA user_version = 2;"
fails 1 "written by a newer linklog (schema version 2" --db "$WORK/newer.db"
fails 1 "not a regular file" --db "$WORK"
fails 2 "unknown option '--bogus'" --bogus
fails 2 "invalid value 'pdf' for --format" --format pdf
fails 2 "invalid value '0' for --top" --db "$DB" --top 0
fails 2 "--since: '3x' is neither a duration" --since 3x
fails 2 "--until: '2026-02-31' is neither" --until 2026-02-31
fails 2 "the period is empty" --since 2026-12-02 --until 2026-12-01
fails 2 "unexpected argument 'extra'" extra
fails 2 "needs a value" --db
fails 1 "$WORK/nodir/x.html" --db "$DB" $DAY -o "$WORK/nodir/x.html"

# ---- a writer holds the file ----------------------------------------------
# A transaction that wrote and has not committed (linklog's flush) does not
# stop a reader, which sees the file as it was.
{ echo "BEGIN IMMEDIATE; INSERT INTO hours VALUES (1796083200 + 5 * 3600, 1000, 0);"
  sleep 4; echo "ROLLBACK;"; } | sqlite3 "$DB" &
writer=$!
sleep 1
timeout 3 "$REPORT" --db "$DB" $DAY --format json >"$WORK/busy.json" 2>"$WORK/err"
check "a report while a writer holds its transaction (exit 0 within 3 s)" test $? -eq 0
check_json "... and it sees the committed data only" "$WORK/busy.json" 'd["totals"]["events"]' 63
wait "$writer"
after=$(cat "$DB" "$DB-wal" 2>/dev/null | cksum)
check "the reports changed nothing in the file" test "$before" = "$after"

finish
