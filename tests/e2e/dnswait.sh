#!/bin/sh
# End to end: events keep the DNS answers they wait for, whatever happens
# to the cache (issue 15 item 1), and raw lines keep their place in the
# order of arrival (item 4).  A real dnsmasq on loopback answers; never
# the machine's own DNS server.  Each wait below is far shorter than the
# --dns-wait of 10 s: a line that only comes after the whole wait misses
# it, so these are not timing assertions that a slow machine can break.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap dnsmasq python3

TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}

# wait_lines_s FILE N SECONDS: until FILE has N lines, at most SECONDS.
wait_lines_s() {
	for i in $(seq 1 $(($3 * 20))); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# Names for the 1,600 addresses trapsend -k 800 uses (10.0.x.y and
# 192.168.x.y), served from a hosts file.
python3 - "$WORK/hosts" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for k in range(800):
        f.write("10.0.%d.%d s%d.example\n" % (k >> 8, k & 255, k))
        f.write("192.168.%d.%d d%d.example\n" % (k >> 8, k & 255, k))
PY

# A server that never answers: dnsmasq forwards 203.0.113.0/24 to it, so
# an event from there holds back the ones behind it for its whole wait.
SILENT=$(free_port)
python3 -c 'import socket,signal
signal.alarm(60)
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",'"$SILENT"'))
while True: s.recv(4096)' &
SILENT_PID=$!
for i in $(seq 1 100); do port_bound "$SILENT" && break; sleep 0.05; done

DNSPORT=$(free_port)
# --local: everything else under in-addr.arpa is NXDOMAIN at once.
dnsmasq --keep-in-foreground --port="$DNSPORT" --listen-address=127.0.0.1 \
    --bind-interfaces --no-resolv --no-hosts --local-ttl=300 \
    --local=/in-addr.arpa/ --addn-hosts="$WORK/hosts" \
    --server=/113.0.203.in-addr.arpa/127.0.0.1#$SILENT \
    --pid-file= --user="$(id -un)" \
    --ptr-record=7.2.0.192.in-addr.arpa,scanner.example.net \
    --ptr-record=20.2.0.192.in-addr.arpa,nas.lan \
    2>"$WORK/dnsmasq.err" &
DNSMASQ=$!
for i in $(seq 1 100); do port_bound "$DNSPORT" && break; sleep 0.05; done
port_bound "$DNSPORT" || { cat "$WORK/dnsmasq.err"; skip "dnsmasq did not start"; }
DNS="--dns-server=127.0.0.1:$DNSPORT --dns-wait=10000"
# For the tests with a blocker: it waits 3 s (its query would give up
# only after 5 s), then everything behind it is written.
BLOCKED="--dns-server=127.0.0.1:$DNSPORT --dns-wait=3000 --dns-timeout=5000"
BLOCKER='@in TCP from 203.0.113.50:1 to 192.0.2.20:22'

# The bounds of the two tables, whose memory linklog(8) states.
refused() { ! "$LINKLOG" "$@" --check-config >/dev/null 2>"$WORK/refused.err" &&
    grep -q "expected a number from" "$WORK/refused.err"; }
accepted() { "$LINKLOG" "$@" --check-config >/dev/null 2>&1; }
check "--dns-cache-size=262144 is accepted" accepted --dns-cache-size=262144
check "--dns-cache-size=262145 is refused" refused --dns-cache-size=262145
check "--dns-max-pending=65536 is accepted" accepted --dns-max-pending=65536
check "--dns-max-pending=0 is refused" refused --dns-max-pending=0
check "--dns-max-pending=65537 is refused" refused --dns-max-pending=65537

# A negative answer that may not be cached (--dns-negative-ttl=0) still
# answers the event that waits for it: the line comes at once.
start_linklog $DNS --dns-negative-ttl=0 -s --template '%s'
send_v1 '@in TCP from 198.51.100.99:1 to 192.0.2.20:22'
wait_lines_s "$OUT" 1 5
check_line "NXDOMAIN with --dns-negative-ttl=0: the line comes before the wait" \
    "$OUT" "198.51.100.99"
wait_received 1
check "... and it did not wait out" test "$(counter waited_out)" = 0 -o \
    -z "$(counter waited_out)"
check "... the answer was counted" test "$(counter dns_answered)" -eq 1
stop_linklog

# A cache of one entry: the second query no longer evicts the first.
start_linklog $DNS --dns-cache-size=1 -s --template '%s %d'
send_v1 '@in TCP from 192.0.2.7:1 to 192.0.2.20:22'
wait_lines_s "$OUT" 1 5
check_line "--dns-cache-size=1: both names of one trap, before the wait" \
    "$OUT" "scanner.example.net nas.lan"
stop_linklog

# 800 traps, 1,600 distinct addresses, a cache of 1,000, all behind an
# event that waits 3 s: all 1,600 are answered and cached long before
# they are written, 600 of them are evicted meanwhile, and every answer
# still reaches its event.
if [ -x "$TRAPSEND" ]; then
	start_linklog $BLOCKED --dns-cache-size=1000 -s --template '%s %d'
	send_v1 "$BLOCKER"
	"$TRAPSEND" -n 800 -k 800 -r 4000 -t 10 "127.0.0.1:$PORT"
	wait_lines_s "$OUT" 801 8
	check "800 traps behind a blocker, cache of 1,000: 801 lines" \
	    test "$(wc -l <"$OUT")" -eq 801
	check "... the blocker first, with its address" \
	    test "$(sed -n 1p "$OUT")" = "203.0.113.50 nas.lan"
	check "... then every one with both names" \
	    test "$(grep -c '^s[0-9]*\.example d[0-9]*\.example$' "$OUT")" -eq 800
	wait_received 801
	check "... 1,602 queries (the blocker has two), each once" test "$(counter dns_sent)" -eq 1602
	check "... only the blocker waited out" test "$(counter waited_out)" -eq 1
	check "... none beyond dns.max_pending" test "$(counter dns_over_limit)" -eq 0
	stop_linklog
fi

# dns.max_pending: behind the blocker, the table fills with the answers
# held for waiting events; lookups beyond it are not made, their events
# get addresses, and they are counted.
if [ -x "$TRAPSEND" ]; then
	start_linklog $BLOCKED --dns-max-pending=100 -s --template '%s %d'
	send_v1 "$BLOCKER"
	"$TRAPSEND" -n 800 -k 800 -r 4000 -t 10 "127.0.0.1:$PORT"
	wait_lines_s "$OUT" 801 8
	wait_received 801
	sent=$(counter dns_sent) over=$(counter dns_over_limit)
	check "--dns-max-pending=100: 801 lines" test "$(wc -l <"$OUT")" -eq 801
	check "... at most 100 lookups at once, the rest counted ($sent + $over)" \
	    test "$((sent + over))" -eq 1602 -a "$sent" -le 100 -a "$over" -gt 0
	stop_linklog
fi
kill "$DNSMASQ"

# --unparsed=raw: a raw string is written after the event that came
# before it, even when that event waits for a name (the server that never
# answers, so it waits its whole --dns-wait of 1 s).
start_linklog "--dns-server=127.0.0.1:$SILENT" --dns-wait=1000 \
    --dns-timeout=5000 --unparsed=raw -s --template 'event %s'
send_v1 '@in TCP from 203.0.113.50:1 to 192.168.1.20:22'
send_v1 'not a connection message'
wait_lines_s "$OUT" 2 5
stop_linklog
sed -n 1p "$OUT" | grep -q '^event 203.0.113.50$'
check "the event that waits for DNS comes first" test $? -eq 0
sed -n 2p "$OUT" | grep -q 'raw.*not a connection message'
check "the raw line that arrived after it comes second" test $? -eq 0
check "the waiting event is counted as waited out" test "$(counter waited_out)" -eq 1
kill "$SILENT_PID" 2>/dev/null
finish
