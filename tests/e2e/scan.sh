#!/bin/sh
# Scan detection and repeat suppression (issue 20), with the project's
# trap sender and snmptrap: a fast scan is one start and one summary with
# exact counts while another source's lines are all written, in order; a
# slow scan and browsing raise nothing; an outward sweep is detected and
# annotated; SIGTERM and SIGHUP write the summary of an open scan;
# repeats collapse across interleaving; a scan under the rate limit does
# not use up the router's budget; JSON lines carry the fields; a summary
# carries the scanner's country and AS (geo stage, with test databases);
# a flood of distinct sources keeps the tables bounded and counts what
# they push out.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap python3
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
[ -x "$TRAPSEND" ] || skip "no tools/trapsend"

SCANNER="@in TCP from 198.51.100.9:4000 to 192.168.1.1:%p"
OTHER="@in UDP from 198.51.100.20:1%k to 192.168.1.1:53"

# conf KEY=VALUE...: a configuration file of "section.key = value" pairs.
conf() {
	f=$WORK/scan.conf
	printf '%s\n' "$@" | awk -F= '{ split($1, k, "."); v = substr($0, length($1) + 2)
	    if (!(k[1] in g)) order[n++] = k[1]; g[k[1]] = g[k[1]] " " k[2] " = " v ";" }
	    END { for (i = 0; i < n; i++) print order[i] " = {" g[order[i]] " };" }' >"$f"
	chmod 644 "$f"
	echo "$f"
}

# ---- a 1,000-port scan in 2 s, another source's traffic beside it ----
start_linklog --no-dns -s -c "$(conf scan.enabled=true scan.quiet=2)"
"$TRAPSEND" -n 1000 -k 1000 -r 500 -t 10 -m "$SCANNER" "127.0.0.1:$PORT" >/dev/null &
S1=$!
"$TRAPSEND" -n 100 -k 100 -r 50 -t 10 -m "$OTHER" "127.0.0.1:$PORT" >/dev/null &
S2=$!
wait $S1 $S2
wait_grep "$OUT" "port scan end" || sleep 3
check_grep_count() { # DESCRIPTION PATTERN N
	n=$(grep -c -- "$2" "$OUT")
	if [ "$n" -eq "$3" ]; then ok "$1"; else not_ok "$1: $n, not $3"; sed 's/^/    /' "$OUT" | head -40; fi
}
check_grep_count "one scan start" "\[port scan start\]" 1
check_grep_count "one scan summary" "\[port scan end\]" 1
check_line "the summary counts 1000 ports, 986 not shown" "$OUT" \
    "$(grep '\[port scan end\]' "$OUT" | cut -c1-15) [port scan end] [ in, TCP] 198.51.100.9 -> 192.168.1.1:*: 1000 distinct in 2 s, 986 not shown: 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,..."
check_grep_count "the scanner's 14 lines before its start" "198.51.100.9:4000 ->" 14
grep '198.51.100.20:' "$OUT" | sed 's/.*198.51.100.20:\([0-9]*\) .*/\1/' >"$WORK/other"
seq 0 99 | sed 's/^/1/' >"$WORK/other.expected"
check "the other source's 100 lines, in order" cmp -s "$WORK/other" "$WORK/other.expected"
# The start comes right after the 14th port.
awk '/198.51.100.9:4000 ->/ { n++ } /port scan start/ { print n; exit }' "$OUT" >"$WORK/x"
check "the start follows the 14th port" grep -qx 14 "$WORK/x"
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
check "scan_suppressed=986" test "$(counter scan_suppressed)" = 986
check "events = written + suppressed" test "$(counter events)" -eq \
    "$(( $(grep -vc 'port scan' "$OUT") + $(counter scan_suppressed) ))"
stop_linklog

# ---- below the threshold: every line; browsing: no alert --------------
start_linklog --no-dns -c "$(conf scan.enabled=true scan.window=1)"
# 30 ports at 10 a second: 10 a window, never 15.
"$TRAPSEND" -n 30 -k 30 -r 10 -t 10 -m "$SCANNER" "127.0.0.1:$PORT" >/dev/null
# A browser: 20 connections to one server; a page from 40 servers on 443
# within two seconds; a phone: 60 services (on 443) over 6 s.
"$TRAPSEND" -n 20 -k 20 -m "@out TCP from 192.168.1.20:5%k to 93.184.216.34:443" "127.0.0.1:$PORT" >/dev/null
"$TRAPSEND" -n 40 -k 40 -r 20 -m "@out TCP from 192.168.1.20:6%k to %a:443" "127.0.0.1:$PORT" >/dev/null
"$TRAPSEND" -n 60 -k 60 -r 10 -m "@out TCP from 192.168.1.30:7%k to %a:443" "127.0.0.1:$PORT" >/dev/null
sync_linklog
check_grep_count "a slow scan writes every line" "198.51.100.9:4000 ->" 30
check_grep_count "browsing writes every line" "192.168.1.[23]0:" 120
check_no_line "and raises no alert" "$OUT" "scan"
stop_linklog

# ---- an outward sweep on port 23, annotated ----------------------------
start_linklog --no-dns --scan --scan-action-out=annotate \
    -c "$(conf scan.quiet=1)"
"$TRAPSEND" -n 300 -k 300 -r 1000 -m "@out TCP from 192.168.1.50:40000 to %a:23" "127.0.0.1:$PORT" >/dev/null
wait_grep "$OUT" "sweep end" || sleep 2
check_grep_count "the sweep has one start" "\[sweep start\] \[out, TCP\] 192.168.1.50 -> \*:telnet" 1
check_grep_count "and one end" "\[sweep end\] \[out, TCP\] 192.168.1.50 -> \*:telnet" 1
check_grep_count "every connection is written" "192.168.1.50:40000 ->" 300
n=$(grep -c '192.168.1.50:40000 -> .* \[scan\]$' "$OUT")
check "those after the start are marked ($n)" test "$n" -ge 170 -a "$n" -le 220
stop_linklog

# ---- SIGTERM and SIGHUP mid-scan --------------------------------------
printf 'scan = { enabled = true; quiet = 600; };\n' >"$WORK/long.conf"
chmod 644 "$WORK/long.conf"
start_linklog --no-dns -c "$WORK/long.conf"
"$TRAPSEND" -n 100 -k 100 -m "$SCANNER" "127.0.0.1:$PORT" >/dev/null
sync_linklog
check_no_line "no summary while the scan goes on" "$OUT" "port scan end"
kill -HUP "$LL_PID"
wait_grep "$OUT" "port scan end"
check_grep_count "SIGHUP writes the summary" ": 100 distinct in .* 86 not shown" 1
"$TRAPSEND" -n 50 -k 50 -m "$SCANNER" "127.0.0.1:$PORT" >/dev/null
sync_linklog
stop_linklog
check_grep_count "a new start after the reload" "port scan start" 2
check_grep_count "SIGTERM writes the summary" "port scan end.*: 50 distinct in .* 36 not shown" 1

# ---- repeats: A B A B A is two repeats ---------------------------------
start_linklog --no-dns --repeats=2
A="@out TCP from 192.168.1.9:40001 to 52.1.2.3:443"
B="@out TCP from 192.168.1.9:40002 to 52.1.2.4:443"
send_v1 "$A"; send_v1 "$B"
send_v1 "${A%40001*}40003${A#*40001}"; send_v1 "$B"; send_v1 "$A"
wait_grep "$OUT" "52.1.2.4:https: 2 times" || sleep 2
check_grep_count "A is written once" "192.168.1.9:40001 -> 52.1.2.3" 1
check_grep_count "B is written once" "192.168.1.9:40002 -> 52.1.2.4" 1
check_line "A's repeat: 3 times" "$OUT" \
    "$(grep '52.1.2.3:https: 3' "$OUT" | cut -c1-15) [repeat] [out, TCP] 192.168.1.9 -> 52.1.2.3:https: 3 times in 0 s"
check_grep_count "B's repeat: 2 times" "\[repeat\] \[out, TCP\] 192.168.1.9 -> 52.1.2.4:https: 2 times" 1
check_grep_count "five events, four lines" "" 4
send_v1 "$A"
sync_linklog
check_grep_count "after the window A is written again" "192.168.1.9:40001 -> 52.1.2.3" 2
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
check "repeats_suppressed=3" test "$(counter repeats_suppressed)" = 3
stop_linklog

# ---- the rate limit charges only what is written ----------------------
# 5,000 ports in a second through the router's budget of 2,000, and
# another source's 100 lines in the same second: all of them written.
start_linklog --no-dns --scan --rate-limit=2000
"$TRAPSEND" -n 5000 -k 5000 -r 5000 -t 10 -m "$SCANNER" "127.0.0.1:$PORT" >/dev/null &
S1=$!
"$TRAPSEND" -n 100 -k 100 -r 100 -t 10 -m "$OTHER" "127.0.0.1:$PORT" >/dev/null &
S2=$!
wait $S1 $S2
sync_linklog
check_grep_count "the other source's lines are all written" "198.51.100.20:" 100
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
check "nothing was rate limited" test "$(counter rate_limited)" = 0
check "the scan was folded" test "$(counter scan_suppressed)" = 4986
stop_linklog

# ---- JSON ---------------------------------------------------------------
start_linklog --no-dns --json --repeats=1 -c "$(conf scan.enabled=true scan.quiet=1)"
"$TRAPSEND" -n 1000 -k 1000 -m "$SCANNER" "127.0.0.1:$PORT" >/dev/null
send_v1 "$A"; send_v1 "$A"
wait_grep "$OUT" '"type":\["end"\]' || sleep 2
wait_grep "$OUT" 'repeated-connection' || sleep 2
stop_linklog
if python3 "$top_srcdir/tests/e2e/jsonfields.py" "$OUT" >"$WORK/fields"; then
	ok "every JSON line is valid"
else
	not_ok "a JSON line is not valid"
fi
end=$(awk '/event.type=\["end"\]/ { print $1; exit }' "$WORK/fields")
for f in 'event.kind="alert"' \
    'event.category=["network","intrusion_detection"]' \
    'event.action="port-scan"' 'source.ip="198.51.100.9"' \
    'destination.ip="192.168.1.1"' 'linklog.scan.ports=1000' \
    'linklog.scan.suppressed=986' \
    'linklog.scan.sample=[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]'; do
	check "the summary has $f" grep -qxF "$end $f" "$WORK/fields"
done
check "the summary has event.start, event.end, event.duration" \
    test "$(grep -cE "^$end event\.(start|end|duration)=" "$WORK/fields")" -eq 3
check "a start has event.type [\"start\"]" grep -q 'event.type=\["start"\]' "$WORK/fields"
check "a repeat has linklog.repeat.count=2" grep -q 'linklog.repeat.count=2' "$WORK/fields"
check "a repeat has event.action repeated-connection" \
    grep -q 'event.action="repeated-connection"' "$WORK/fields"

# ---- a scan summary carries the scanner's country and AS (geo stage) ---
mkdir -p "$WORK/db"
if perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null &&
    perl "$top_srcdir/tests/e2e/geodb.pl" "$WORK/db" 2>/dev/null; then
	chmod 644 "$WORK"/db/*.mmdb
	start_linklog --no-dns --json --geoip-db="$WORK/db/city.mmdb" \
	    --geoip-db="$WORK/db/asn.mmdb" -c "$(conf scan.enabled=true scan.quiet=1)"
	"$TRAPSEND" -n 30 -k 30 -m '@in TCP from 81.2.69.1:4000 to 192.168.1.1:%p' \
	    "127.0.0.1:$PORT" >/dev/null
	wait_grep "$OUT" '"type":\["end"\]' || sleep 2
	stop_linklog
	python3 "$top_srcdir/tests/e2e/jsonfields.py" "$OUT" >"$WORK/fields"
	end=$(awk '/event.type=\["end"\]/ { print $1; exit }' "$WORK/fields")
	check "the summary has source.geo.country_iso_code GB" \
	    grep -qxF "$end source.geo.country_iso_code=\"GB\"" "$WORK/fields"
	check "and source.as.number 20712" \
	    grep -qxF "$end source.as.number=20712" "$WORK/fields"
	start_linklog --no-dns -s --geoip-db="$WORK/db/city.mmdb" \
	    --geoip-db="$WORK/db/asn.mmdb" \
	    -c "$(conf scan.enabled=true scan.quiet=1 'scan.template="%k %a %c %o: %n"')"
	"$TRAPSEND" -n 30 -k 30 -m '@in TCP from 81.2.69.1:4000 to 192.168.1.1:%p' \
	    "127.0.0.1:$PORT" >/dev/null
	wait_grep "$OUT" 'port scan end' || sleep 2
	stop_linklog
	check_line "and in a text template: %c %o" "$OUT" \
	    'port scan end 81.2.69.1 GB AS20712 Andrews & Arnold Ltd: 30'
fi

# ---- a flood of distinct sources ---------------------------------------
# 100,000 sources, each on two candidate entries, through a table of
# 65,536: the tables are allocated at start (about 15 MB, touched as
# they fill), and the rest is pushed out.
start_linklog --no-dns --scan
rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$LL_PID/status")
"$TRAPSEND" -n 100000 -k 100000 -r 50000 -t 30 -m "@in TCP from %a:1000 to 192.168.1.1:22" "127.0.0.1:$PORT" >/dev/null
sync_linklog
rss1=$(awk '/^VmRSS/ { print $2 }' "/proc/$LL_PID/status")
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
ev=$(counter scan_evictions)
check "a full table pushes out and counts ($ev)" test "$ev" -gt 50000
check "memory stays bounded (${rss0} -> ${rss1} KiB)" test $((rss1 - rss0)) -lt 20000
check "nothing was suppressed" test "$(counter scan_suppressed)" = 0
stop_linklog

finish
