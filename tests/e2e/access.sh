#!/bin/sh
# Access control: --allow-from, --community and --rate-limit; each counted,
# reported without flooding the log.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}

start_linklog --no-dns -s --template '%a' --allow-from=127.0.0.2/32 --allow-from=10.0.0.0/8
for i in 1 2 3; do send_v1 "@in TCP from 10.0.0.$i:1 to 192.168.1.20:22"; done
wait_received 3
stop_linklog
check "a sender outside allow_from is dropped" test ! -s "$OUT"
check "... and counted" test "$(counter rejected_sender)" -eq 3
check "... and reported once, not three times" \
    test "$(grep -c 'rejected 1 datagram from 127.0.0.1 (not in allow_from)' "$ERR")" -eq 1

start_linklog --no-dns -s --template '%a' --allow-from=127.0.0.0/8 --listen ::1
send_v1 '@in TCP from 10.0.0.1:1 to 192.168.1.20:22'
send_v1 '@in TCP from 10.0.0.2:1 to 192.168.1.20:22' public "udp6:[::1]:$PORT"
wait_received 2
stop_linklog
check_line "a sender inside allow_from is accepted" "$OUT" "10.0.0.1"
check_no_line "an IPv6 sender outside it is not" "$OUT" "10.0.0.2"

start_linklog --no-dns -s --template '%a' --allow-from=::1/128 --listen ::1
send_v1 '@in TCP from 10.0.0.3:1 to 192.168.1.20:22' public "udp6:[::1]:$PORT"
wait_received 1
stop_linklog
check_line "an IPv6 allow_from" "$OUT" "10.0.0.3"

# An IPv4-mapped allow_from is its IPv4 address (senders are IPv4).
start_linklog --no-dns -s --template '%a' --allow-from=::ffff:127.0.0.1
send_v1 '@in TCP from 10.0.0.4:1 to 192.168.1.20:22'
wait_received 1
stop_linklog
check_line "an IPv4-mapped allow_from admits its IPv4 sender" "$OUT" "10.0.0.4"
check "... which is not counted as rejected" test "$(counter rejected_sender)" -eq 0

start_linklog --no-dns -s --template '%a' --community=secret --community=other
send_v1 '@in TCP from 10.0.0.1:1 to 192.168.1.20:22' public
send_v2c '@in TCP from 10.0.0.2:1 to 192.168.1.20:22' secret
send_v1 '@in TCP from 10.0.0.3:1 to 192.168.1.20:22' other
wait_received 3
stop_linklog
check "only the listed communities" test "$(tr '\n' ' ' <"$OUT")" = "10.0.0.2 10.0.0.3 "
check "the wrong community is counted" test "$(counter rejected_community)" -eq 1
check "... and reported" grep -q "rejected 1 datagram from 127.0.0.1 (wrong community)" "$ERR"

if [ -x "$TRAPSEND" ]; then
	start_linklog --no-dns -s -q --log-file="$WORK/rl.log" --rate-limit=10
	"$TRAPSEND" -n 200 -k 200 -t 10 "127.0.0.1:$PORT" >/dev/null
	wait_received 200
	sleep 1.2
	kill -USR1 "$LL_PID"
	sleep 0.1
	stop_linklog
	lines=$(wc -l <"$WORK/rl.log")
	check "at most 10 events per second were written ($lines)" \
	    test "$lines" -ge 10 -a "$lines" -le 20
	check "the rest were counted" test "$(counter rate_limited)" -eq $((200 - lines))
	check "and summarised" grep -q "rate limit: suppressed [0-9]* events from 127.0.0.1 (over 10 per second)" "$ERR"
fi
# Per-sender tables are keyed: 127.0.0.231 and 127.0.2.1, which shared one
# slot of the old unkeyed table and took it over in turn, each keep their
# own count, so alternating between them does not bypass --rate-limit=1.
SOURCES="python3 $top_srcdir/tests/e2e/sources.py"
start_linklog --no-dns -s --template '%a' --rate-limit=1
$SOURCES "$PORT" 5 127.0.0.231 127.0.2.1
wait_received 10
stop_linklog
lines=$(wc -l <"$OUT")
check "two alternating senders with --rate-limit=1: at most 4 of 10 written ($lines)" \
    test "$lines" -ge 2 -a "$lines" -le 4
check "... the rest counted" test "$(counter rate_limited)" -eq $((10 - lines))

# 2,000 senders outside allow_from: a bounded number of report lines, and
# together they still account for every datagram, those of senders the
# table had to let go included.
start_linklog --no-dns -s --template '%a' --allow-from=10.0.0.0/8
$SOURCES "$PORT" 1 range:2000
wait_received 2000
sleep 1.5
kill -USR1 "$LL_PID"
sleep 0.1
stop_linklog
lines=$(grep -c 'rejected [0-9]* datagram' "$ERR")
check "2,000 rejected senders: at most 5 report lines ($lines)" \
    test "$lines" -ge 1 -a "$lines" -le 5
total=$(sed -n 's/.*rejected \([0-9]*\) datagram.*/\1/p' "$ERR" |
    awk '{ n += $1 } END { print n + 0 }')
check "... which report all 2,000 ($total)" test "$total" -eq 2000
check "... all counted" test "$(counter rejected_sender)" -eq 2000

# 2,000 senders over --rate-limit=1: one summary line a second at most.
start_linklog --no-dns -s -q --log-file="$WORK/rl2.log" --rate-limit=1
$SOURCES "$PORT" 2 range:2000
wait_received 4000
sleep 1.5
kill -USR1 "$LL_PID"
sleep 0.1
stop_linklog
lines=$(grep -c 'rate limit: suppressed' "$ERR")
check "2,000 senders over the rate limit: at most 5 report lines ($lines)" \
    test "$lines" -ge 1 -a "$lines" -le 5
total=$(sed -n 's/.*rate limit: suppressed \([0-9]*\) event.*/\1/p' "$ERR" |
    awk '{ n += $1 } END { print n + 0 }')
check "... which report every suppressed event ($total)" \
    test "$total" -eq "$(counter rate_limited)" -a "$total" -ge 1
# Report intervals run on the monotonic clock: after the wall clock steps
# back an hour (libfaketime, in linklog's process only), rate limit
# reports go on instead of falling silent for that hour.
FTLIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
if [ -n "$FTLIB" ]; then
	echo "+0" >"$WORK/faketime"
	# Under --enable-sanitizers ASan must not insist on coming first.
	cat >"$WORK/ll-faketime" <<EOS
#!/bin/sh
ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
LD_PRELOAD=$FTLIB FAKETIME_TIMESTAMP_FILE=$WORK/faketime FAKETIME_NO_CACHE=1 \
    FAKETIME_DONT_FAKE_MONOTONIC=1 exec "$LINKLOG" "\$@"
EOS
	chmod +x "$WORK/ll-faketime"
	REAL_LINKLOG=$LINKLOG LINKLOG=$WORK/ll-faketime
	start_linklog --no-dns -s --template '%a' --rate-limit=1
	LINKLOG=$REAL_LINKLOG
	reports() { grep -c 'suppressed [0-9]* events* from 127.0.0.5' "$ERR"; }
	$SOURCES "$PORT" 5 127.0.0.5
	for i in $(seq 1 60); do
		[ "$(reports)" -ge 1 ] && break
		sleep 0.05
	done
	before=$(reports)
	echo "-1h" >"$WORK/faketime"
	$SOURCES "$PORT" 5 127.0.0.5
	for i in $(seq 1 60); do
		[ "$(reports)" -gt "$before" ] && break
		sleep 0.05
	done
	stop_linklog
	check "rate limit reports go on after the wall clock steps back" \
	    test "$before" -ge 1 -a "$(reports)" -gt "$before"
fi
finish
