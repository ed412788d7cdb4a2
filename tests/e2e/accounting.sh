#!/bin/sh
# Every line charged, every loss counted (issue 21): the rate limit covers
# forwarded strings (by their size) and informs (whole, with a debt the
# sender pays back), kernel drops are read from the socket even when no
# datagram follows them, and the counters add up as linklog(8)
# STATISTICS says.  Loopback only; every loop is bounded.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need python3 snmptrap
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
SEND="python3 $top_srcdir/tests/e2e/accounting.py"

# The identities of linklog(8) STATISTICS, from the last statistics line.
identities() {
	check "$1: received = truncated + rejected_sender + malformed + unsupported + rejected_community + decoded" \
	    test "$(counter received)" -eq $(($(counter truncated) + \
	    $(counter rejected_sender) + $(counter malformed) + \
	    $(counter unsupported) + $(counter rejected_community) + \
	    $(counter decoded)))
	check "$1: events = emitted + filtered + rate_limited + scan_suppressed + repeats_suppressed" \
	    test "$(counter events)" -eq $(($(counter emitted) + \
	    $(counter filtered) + $(counter rate_limited) + \
	    $(counter scan_suppressed) + $(counter repeats_suppressed)))
}

# 1. Forwarded strings are charged: 200 datagrams of 30 strings from one
# sender at --rate-limit=1 (6,000 lines before this was fixed).
start_linklog --no-dns -q -l "$WORK/fw.log" --rate-limit=1 --unparsed=forward
$SEND strings "$PORT" 200 30
wait_received 200
wait_grep "$ERR" 'rate limit: suppressed'
stop_linklog
lines=$(wc -l <"$WORK/fw.log")
check "200 x 30 forwarded strings at --rate-limit=1: a few lines ($lines)" \
    test "$lines" -ge 1 -a "$lines" -le 10
check "... the rest counted as forward_limited" \
    test "$(counter forward_limited)" -eq $((6000 - lines))
check "... forwarded counts what was written" test "$(counter forwarded)" -eq "$lines"
check "... unparsed = forwarded + forward_limited" \
    test "$(counter unparsed)" -eq $(($(counter forwarded) + $(counter forward_limited)))
check "... reported as suppressed" grep -q 'rate limit: suppressed' "$ERR"
identities "forwarded strings"

# A string's cost is its size: 50 datagrams of 65,000 bytes of 0xff
# (13 MB on disk before) write the first, then the debt holds the rest.
start_linklog --no-dns -q -l "$WORK/blob.log" --rate-limit=100 --unparsed=forward
$SEND blobs "$PORT" 50 65000
wait_received 50
stop_linklog
bytes=$(wc -c <"$WORK/blob.log")
check "50 strings of 65,000 binary bytes at --rate-limit=100: under 1 MB written ($bytes)" \
    test "$bytes" -lt 1000000 -a "$bytes" -gt 0
check "... the rest counted" test "$(counter forward_limited)" -ge 45

# 2. An inform of more messages than a second's budget is written once
# the sender's budget allows it (it was refused forever before), and
# its debt holds back the next one until it is paid.
start_linklog --no-dns -s --template '%a %D' --rate-limit=2
first=$($SEND inform "$PORT" 1 5 5)
second=$($SEND inform "$PORT" 2 5 8)
wait_lines "$OUT" 10
stop_linklog
check "an inform of 5 messages at --rate-limit=2 is answered at once ($first)" \
    test "$first" = "answered after 1"
check "... the next one after the sender paid its debt ($second)" \
    sh -c "case '$second' in 'answered after '[2-8]) exit 0;; esac; exit 1"
check "... both written, each line once" \
    test "$(grep -c '^10\.7\.' "$OUT")" -eq 10 -a \
    "$(grep '^10\.7\.' "$OUT" | sort -u | wc -l)" -eq 10
check "... the refused copies counted" test "$(counter informs_limited)" -ge 1
identities "informs"

# A repeat is written even over the rate limit (it accounts for events
# not written), so it must only fold events identical to one written:
# 200 x 25 distinct events, each twice, at --rate-limit=10 --repeats=1
# wrote 5,010 lines (a repeat line for each pair whose first was refused).
start_linklog --no-dns -q -l "$WORK/pairs.log" --rate-limit=10 --repeats=1
$SEND pairs "$PORT" 200
wait_received 200
stop_linklog
lines=$(wc -l <"$WORK/pairs.log")
check "10,000 events in repeated pairs at --rate-limit=10 --repeats=1: a few lines ($lines)" \
    test "$lines" -ge 2 -a "$lines" -le 60
check "... repeats only of lines written" \
    test "$(counter repeats)" -le "$(counter emitted)"
identities "repeated pairs over the rate limit"

# A scan's start accounts for no event: over the limit it is not
# written (its summary is).  300 sources scanning 15 ports each at
# --rate-limit=10 --scan wrote 610 lines (a start and a summary each).
start_linklog --no-dns -q -l "$WORK/scans.log" --rate-limit=10 --scan
$SEND scans "$PORT" 300
wait_received 300
stop_linklog
lines=$(wc -l <"$WORK/scans.log")
check "300 15-port scans at --rate-limit=10 --scan: the summaries, few starts ($lines)" \
    test "$lines" -ge 300 -a "$lines" -le 340
check "... every scan summarized" test "$(counter scan_summaries)" -eq 300
identities "scans over the rate limit"

# 3. A mixed run: traps, informs and a retransmission, a wrong
# community, malformed, SNMPv3 and a GetRequest, a filter, a rate limit,
# forwarded strings, and senders outside allow_from.
start_linklog --no-dns -s --template '%a %A' --community=public \
    --allow-from=127.0.0.1/32 --rate-limit=8 --unparsed=forward \
    --filter-port-dest='!23'
$SEND mixed "$PORT"
python3 "$top_srcdir/tests/e2e/senders.py" junk-from "$PORT" 3
wait_received 22
stop_linklog
check "mixed: 3 senders outside allow_from" test "$(counter rejected_sender)" -eq 3
check "mixed: 1 malformed, 2 unsupported, 1 wrong community" \
    test "$(counter malformed).$(counter unsupported).$(counter rejected_community)" = 1.2.1
check "mixed: a retransmission answered, written once" \
    test "$(counter inform_repeats)" -eq 1 -a "$(grep -c '^192\.168\.1\.5 10\.8\.1\.1$' "$OUT")" -eq 1
check "mixed: port 23 filtered" test "$(counter filtered)" -ge 1
check "mixed: some over the rate limit" test "$(counter rate_limited)" -ge 1
check "mixed: the text string forwarded or limited" \
    test $(($(counter forwarded) + $(counter forward_limited))) -eq 1
identities "mixed"

# 3b. The scan and repeat stages fold events before the rate limit: a
# scan, one event 100 times, and 100 distinct events over the limit.
if [ -x "$TRAPSEND" ]; then
	start_linklog --no-dns -q -l "$WORK/scan.log" --scan --repeats=60 \
	    --rate-limit=50
	"$TRAPSEND" -n 300 -k 300 -m '@in TCP from 198.51.100.9:4000 to 192.168.1.1:%p' \
	    "127.0.0.1:$PORT" >/dev/null
	"$TRAPSEND" -n 100 -k 1 -m '@out TCP from 192.168.1.9:4000 to 52.1.2.3:443' \
	    "127.0.0.1:$PORT" >/dev/null
	"$TRAPSEND" -n 100 -k 100 "127.0.0.1:$PORT" >/dev/null
	wait_received 500
	stop_linklog
	check "stages: the scan folded" test "$(counter scan_suppressed)" -eq 286
	check "stages: the repeats folded" test "$(counter repeats_suppressed)" -eq 99
	check "stages: some over the rate limit" test "$(counter rate_limited)" -ge 1
	identities "scan and repeats"
fi

# 4. Kernel drops are read from the socket: linklog stopped (SIGSTOP)
# while 2,000 traps fill a 64 KiB buffer, then resumed; nothing follows
# the burst, yet every trap is received or counted as dropped.
if [ -x "$TRAPSEND" ]; then
	start_linklog --no-dns -q -l "$WORK/drops.log" --receive-buffer=65536
	kill -STOP "$LL_PID"
	"$TRAPSEND" -n 2000 -k 100 -t 10 "127.0.0.1:$PORT" >/dev/null
	kill -CONT "$LL_PID"
	for i in $(seq 1 100); do
		kill -USR1 "$LL_PID"
		sleep 0.1
		r=$(counter received) d=$(counter kernel_drops)
		[ $((r + d)) -eq 2000 ] && break
	done
	stop_linklog
	r=$(counter received) d=$(counter kernel_drops)
	check "a burst into a stopped linklog: received + kernel_drops = 2000 ($r + $d)" \
	    test $((r + d)) -eq 2000 -a "$d" -gt 0
	check "... the kernel's count, read at the stop" \
	    test "$(wc -l <"$WORK/drops.log")" -eq "$r"
fi

# 5. What linklog says at start: where it listens, where lines go, DNS;
# -q silences standard output only.  A reload says what changed.
start_linklog --no-dns -q
check "at start: where it listens" \
    grep -q "listening on UDP 127.0.0.1:$PORT; writing to nowhere" "$ERR"
check "... and DNS off" grep -q "DNS off" "$ERR"
stop_linklog
printf 'log_file = "%s";\n' "$WORK/reload.log" >"$WORK/r.conf"
start_linklog --no-dns -c "$WORK/r.conf"
check "at start: standard output and the file" \
    grep -q "writing to $WORK/reload.log, standard output; DNS off" "$ERR"
printf 'log_file = "%s";\nquiet = true;\n' "$WORK/reload.log" >"$WORK/r.conf"
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
stop_linklog
check "a reload says what changed" \
    grep -q "configuration reloaded from $WORK/r.conf: quiet changed; now writing to $WORK/reload.log; DNS off" "$ERR"

# 6. The receive buffer warning: once for all sockets (two: IPv4 and
# IPv6), with advice that fits who linklog runs as.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	p=$(free_port)
	chmod 0755 "$WORK"
	timeout 5 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$LINKLOG" --no-dns -q -p "$p" --receive-buffer=1073741824 \
	    2>"$WORK/rb.err" &
	sleep 1
	kill "$!" 2>/dev/null
	wait
	check "as a user: the buffer warning once, not per socket" \
	    test "$(grep -c 'receive buffer is' "$WORK/rb.err")" -eq 1
	check "... advising sysctl or root" grep -q 'net.core.rmem_max with sysctl, or start as root' "$WORK/rb.err"
	p=$(free_port)
	timeout 5 setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
	    "$LINKLOG" --no-dns -q -p "$p" --receive-buffer=1073741824 \
	    2>"$WORK/rb2.err" &
	sleep 1
	kill "$!" 2>/dev/null
	wait
	check "as root without CAP_NET_ADMIN: once, without 'start as root'" \
	    sh -c "test \"\$(grep -c 'receive buffer is' '$WORK/rb2.err')\" -eq 1 && ! grep -q 'start as root' '$WORK/rb2.err'"
fi

finish
