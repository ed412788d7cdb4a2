#!/bin/sh
# End to end: real traps (tools/trapsend, snmptrap) into linklog
# --state-db, then linklog-report over the file linklog wrote: the JSON's
# totals are the events sent (linklog's own counter), its tables the
# traffic (an outbound fan-out, an inbound port scan, a hostile name from
# a message; at 2,000 traps a second, which a loaded machine's socket
# buffer takes whole), and the text and HTML agree; a report while
# linklog runs.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need sqlite3 python3 snmptrap
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
[ -x "$TRAPSEND" ] || skip "no tools/trapsend"
REPORT=${LINKLOG_REPORT:-$(dirname "$LINKLOG")/linklog-report}

D=$WORK/state
mkdir -m 1777 "$D"
DB=$D/live.db
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
check_json() {
	got=$(json "$2" "$3" 2>&1)
	if [ "$got" = "$4" ]; then ok "$1"; else not_ok "$1: $3 is '$got', expected '$4'"; fi
}

start_linklog --no-dns --scan --state-db="$DB" -c /dev/null
# 300 events out: 30 inside hosts, 10 each, to 52.1.2.3:443; 200 in: a
# port scan of 192.168.1.1 by 198.51.100.9; 3 in from a hostile name (a
# name in a message has no parentheses).
"$TRAPSEND" -n 300 -r 2000 -k 30 -m "@out TCP from 192.168.1.1%k:40000 to 52.1.2.3:443" "127.0.0.1:$PORT" >/dev/null
"$TRAPSEND" -n 200 -r 2000 -k 200 -m "@in TCP from 198.51.100.9:4000 to 192.168.1.1:%p" "127.0.0.1:$PORT" >/dev/null
for i in 1 2 3; do
	send_v1 "@in TCP from \"><svg onload=x> <script>y=1</script>(203.0.113.7):5123$i to 192.168.1.20:22"
done
sync_linklog
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
# The events linklog counted: those sent and sync_linklog's (inbound).
EVENTS=$(counter events)
IN=$((EVENTS - 300))
check "linklog counted the 503 events sent, and sync_linklog's" test "$IN" -ge 203
kill -HUP "$LL_PID"             # a flush: readable while linklog runs
for i in $(seq 1 100); do
	[ "$(sqlite3 -readonly "$DB" 'SELECT sum(events_in + events_out) FROM hours' 2>/dev/null)" = "$EVENTS" ] && break
	sleep 0.1
done
"$REPORT" --db "$DB" --since 2h --format json -o "$WORK/running.json"
check "a report while linklog runs (exit 0)" test $? -eq 0
check_json "... counts what linklog flushed" "$WORK/running.json" 'd["totals"]["events"]' "$EVENTS"
stop_linklog

"$REPORT" --db "$DB" --since 2h --format json >"$WORK/r.json"
check_json "totals: the events sent, in and out" "$WORK/r.json" \
    '[d["totals"][k] for k in ("events", "inbound", "outbound", "scans")]' "[$EVENTS, $IN, 300, 1]"
check_json "the timeline holds every event" "$WORK/r.json" \
    'sum(h["inbound"] + h["outbound"] for h in d["timeline"])' "$EVENTS"
check_json "outside hosts reaching in: the scanner (200 ports), the hostile name" "$WORK/r.json" \
    '[(h["ip"], h["events"], h["ports"], h["name"]) for h in d["outside_hosts"] if not h["ip"].startswith("10.")]' \
    "[('198.51.100.9', 200, 200, None), ('203.0.113.7', 3, 1, '\"><svg onload=x> <script>y=1</script>')]"
check_json "inside hosts: 30 with 10 out each to 52.1.2.3, the scanned, the ssh host, sync_linklog's" "$WORK/r.json" \
    '[d["totals"]["inside_hosts"], sorted(set((h["outbound"], h["destinations"], h["top_destinations"][0]["ip"]) for h in d["inside_hosts"] if h["outbound"]))]' \
    "[33, [(10, 1, '52.1.2.3')]]"
check_json "ports out: 443/TCP 300; in: 22/TCP 3 first" "$WORK/r.json" \
    '[(p["port"], p["protocol"], p["events"]) for p in d["ports_out"]] + [(d["ports_in"][0]["port"], d["ports_in"][0]["events"])]' \
    "[(443, 'TCP', 300), (22, 3)]"
want=$(sqlite3 -readonly "$DB" 'SELECT events, suppressed FROM scans' | tr '|' ' ')
check_json "the scan: source, target, 200 ports, its events" "$WORK/r.json" \
    '[(s["source"], s["target"], s["ports"], s["events"], s["suppressed"]) for s in d["scans"]]' \
    "[('198.51.100.9', '192.168.1.1', 200, ${want% *}, ${want#* })]"
want=$(sqlite3 -readonly "$DB" 'SELECT count(*) FROM new_hosts')
check_json "new hosts: those the database holds" "$WORK/r.json" 'd["totals"]["new_hosts"]' "$want"

"$REPORT" --db "$DB" --since 2h --format text >"$WORK/r.txt"
check_line "the text's totals are the JSON's" "$WORK/r.txt" \
    "  events $EVENTS (in $IN, out 300), scans 1, new hosts $want"
"$REPORT" --db "$DB" --since 2h -o "$WORK/r.html"
check "the page holds the total" grep -qF "<b id=\"total-events\">$EVENTS</b>" "$WORK/r.html"
check "the page holds the hostile name as text" \
    grep -qF '&quot;&gt;&lt;svg onload=x&gt; &lt;script&gt;y=1&lt;/script&gt;' "$WORK/r.html"
check "the page holds no element of it" test "$(grep -c '<script\|<svg onload' "$WORK/r.html")" -eq 0
finish
