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
finish
