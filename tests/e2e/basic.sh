#!/bin/sh
# End to end: real snmptrap traps (v1, v2c, IPv4, IPv6) become lines;
# junk between them is counted and dropped; SIGTERM and SIGINT exit 0.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap python3 xxd

start_linklog --no-dns -s --listen ::1
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
send_raw 'deadbeef'
send_v2c '@out UDP from 192.168.1.20:40000 to 8.8.8.8:53'
send_raw ''
send_v1 '@in TCP from scanner.example.net(203.0.113.7):51234 to 192.168.1.20:22'
send_raw '3003020100'
send_v2c '@out TCP from 192.168.1.20:40001 to www.example.com(93.184.216.34):443'
send_v2c '@in TCP from 198.51.100.1:1000 to 192.168.1.20:2000' public "udp6:[::1]:$PORT"
send_v1 'this is no log message'
send_v1 '@in TCP from 1.1.1.256:1 to 2.2.2.2:2'
wait_received 10
# The day is padded with a space, as syslog and the original write it.
ts='[A-Z][a-z][a-z] [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
check "v1 trap, the original's default template" \
    grep -q "^$ts \[ in, TCP\] 203.0.113.7:51234 -> 192.168.1.20:22\$" "$OUT"
check "v2c trap" \
    grep -q "^$ts \[out, UDP\] 192.168.1.20:40000 -> 8.8.8.8:53\$" "$OUT"
check "a named source shows its IP with --no-dns" \
    grep -q "\[ in, TCP\] 203.0.113.7:51234 -> 192.168.1.20:22\$" "$OUT"
check "a named destination shows its IP with --no-dns" \
    grep -q "\[out, TCP\] 192.168.1.20:40001 -> 93.184.216.34:443\$" "$OUT"
check "a trap over IPv6 (::1)" \
    grep -q "198.51.100.1:1000 -> 192.168.1.20:2000\$" "$OUT"
check "one line per event, nothing else" test "$(wc -l <"$OUT")" -eq 5
check "junk datagrams are counted as malformed" test "$(counter malformed)" -eq 3
check "strings without a message are counted" test "$(counter unparsed)" -eq 2
check "events are counted" test "$(counter events)" -eq 5
stop_linklog TERM
check "SIGTERM exits 0" test "$LL_STATUS" -eq 0
check "net-snmp printed nothing (every line is linklog's own)" \
    test -z "$(grep -v '^linklog: ' "$ERR")"
check "the junk is reported, once a minute per sender" \
    test "$(grep -c 'malformed datagram from 127.0.0.1' "$ERR")" -eq 1
check "a bad @in message is reported with its text" \
    grep -q 'unparsed log message from 127.0.0.1: "@in TCP from 1.1.1.256:1 to 2.2.2.2:2"' "$ERR"
check "other text is not reported" sh -c "! grep -q 'no log message' '$ERR'"

# Names carried in the message are shown when DNS is on, with no lookup:
# the DNS server given is a port where nothing answers.
start_linklog -s --dns-server=127.0.0.1:9 --template '%s:%S -> %A:%D'
send_v1 '@in TCP from scanner.example.net(203.0.113.7):51234 to 192.168.1.20:22'
wait_received 1
stop_linklog INT
check "SIGINT exits 0" test "$LL_STATUS" -eq 0
check "a carried name is shown as is" \
    grep -qx "scanner.example.net:51234 -> 192.168.1.20:22" "$OUT"
check "no DNS query was sent for it" test "$(counter dns_sent)" -eq 0

# Without --listen: every IPv4 and IPv6 address, two sockets.
PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
OUT=$WORK/any.txt ERR=$WORK/any.err
"$LINKLOG" -p "$PORT" --no-dns -s --template '%a' >"$OUT" 2>"$ERR" &
LL_PID=$!
for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done
sleep 0.2
hex=$(printf '%04X' "$PORT")
check "bound on 0.0.0.0" grep -q "^ *[0-9]*: 00000000:$hex " /proc/net/udp
if [ -r /proc/net/udp6 ] && ! grep -q 'no IPv6' "$ERR"; then
	check "bound on ::" grep -q "^ *[0-9]*: 0\{32\}:$hex " /proc/net/udp6
	send_v1 '@in TCP from 10.6.6.6:1 to 192.168.1.20:22' public "udp6:[::1]:$PORT"
fi
send_v1 '@in TCP from 10.4.4.4:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
stop_linklog
check_line "a trap to 127.0.0.1 arrives" "$OUT" "10.4.4.4"
[ -r /proc/net/udp6 ] && ! grep -q 'no IPv6' "$ERR" &&
    check_line "a trap to ::1 arrives" "$OUT" "10.6.6.6"
finish
