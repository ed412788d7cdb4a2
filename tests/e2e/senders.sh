#!/bin/sh
# What real senders send (issue 13): the two older firmware forms through
# real snmptrap v1 and v2c, to standard output and a file; SNMPv2c
# informs acknowledged for real snmpinform over IPv4 and IPv6 (and a
# retransmission written once); SNMPv3 and GetRequest counted unsupported,
# each on its own; warnings for bad "@in"/"@out" text; %g; a lenient v1
# header; binary strings counted apart from unparsed text.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap snmpinform snmpget python3
SENDERS="python3 $top_srcdir/tests/e2e/senders.py"
LOG=$WORK/traffic.log

# The older forms, v1 and v2c, default template, stdout and a file at once.
start_linklog --no-dns -s --log-file="$LOG"
send_v1 '@out 192.168.0.2 8080 24.159.204.248 10325'
send_v2c '@in 203.0.113.7 51234 192.168.0.2 80'
send_v1 '@out 192.168.1.200 ==> 24.254.60.13[110].'
send_v2c "$(printf '@in 203.0.113.8 ==> 192.168.1.200[22].\r\n')"
send_v1 '@in TCP from John PC(192.168.1.5):40000 to 8.8.8.8:53'
wait_received 5
stop_linklog
ts='[A-Z][a-z][a-z] [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
for f in "$OUT" "$LOG"; do
	check "spaces form, v1 ($f)" grep -q \
	    "^$ts \[out, -\] 192.168.0.2:8080 -> 24.159.204.248:10325\$" "$f"
	check "spaces form, @in: the remote end first, v2c ($f)" grep -q \
	    "^$ts \[ in, -\] 203.0.113.7:51234 -> 192.168.0.2:80\$" "$f"
	check "arrow form: no source port, v1 ($f)" grep -q \
	    "^$ts \[out, -\] 192.168.1.200:- -> 24.254.60.13:110\$" "$f"
	check "arrow form with CR LF, v2c ($f)" grep -q \
	    "^$ts \[ in, -\] 203.0.113.8:- -> 192.168.1.200:22\$" "$f"
	check "five lines ($f)" test "$(wc -l <"$f")" -eq 5
done
check "no unparsed string" test "$(counter unparsed)" -eq 0

# A name with a space; unknown fields match no filter pattern.
start_linklog -s --template '%s|%S|%p' --filter-protocol='!udp'
send_v1 '@in TCP from John PC(192.168.1.5):40000 to 8.8.8.8:53'
send_v1 '@out 192.168.1.200 ==> 24.254.60.13[110].'
send_v1 '@out UDP from 192.168.1.5:1 to 8.8.8.8:53'
wait_received 3
stop_linklog
check_line "a DHCP client name with a space" "$OUT" "John PC|40000|TCP"
check_line "unknown protocol and port render as -" "$OUT" "192.168.1.200|-|-"
check "an exclusion keeps the unknown protocol" test "$(wc -l <"$OUT")" -eq 2
start_linklog --no-dns -s --template '%a' --filter-protocol=tcp --filter-port-source='*'
send_v1 '@out 192.168.0.2 8080 24.159.204.248 10325'
send_v1 '@out 192.168.1.200 ==> 24.254.60.13[110].'
send_v1 '@out TCP from 192.168.0.3:1 to 8.8.8.8:53'
wait_received 3
stop_linklog
check "a concrete pattern never selects an unknown value" \
    test "$(cat "$OUT")" = "192.168.0.3"

# snmpinform over IPv4 and IPv6: acknowledged (exit 0), one line each.
start_linklog --no-dns -s --listen ::1 --template '%a %p'
check "snmpinform over IPv4 gets its Response" snmpinform -v 2c -c public \
    -t 1 -r 1 "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 "$TRAP_OID" s \
    '@out 192.168.0.2 8080 24.159.204.248 10325'
check "snmpinform over IPv6 gets its Response" snmpinform -v 2c -c public \
    -t 1 -r 1 "udp6:[::1]:$PORT" '' 1.3.6.1.4.1.3955.1 "$TRAP_OID" s \
    '@in UDP from 203.0.113.9:5 to 192.168.1.20:53'
wait_received 2
stop_linklog
check "exactly one line per inform" test "$(wc -l <"$OUT")" -eq 2
check_line "the IPv4 inform's line" "$OUT" "192.168.0.2 -"
check_line "the IPv6 inform's line" "$OUT" "203.0.113.9 UDP"
check "informs counted" test "$(counter informs)" -eq 2
check "responses counted" test "$(counter responses)" -eq 2

# A retransmission (same port, same request-id) is answered, written once.
start_linklog --no-dns -s --template '%a'
$SENDERS inform-twice "$PORT" public '@in TCP from 10.4.4.4:4 to 10.5.5.5:5' \
    >"$WORK/acks.txt"
wait_received 2
stop_linklog
check "both copies acknowledged with the request-id" \
    test "$(tr '\n' ' ' <"$WORK/acks.txt")" = "responses=2 match match "
check "the retransmission is written once" test "$(cat "$OUT")" = "10.4.4.4"
check "... and counted" test "$(counter inform_repeats)" -eq 1

# Another inform that reuses the request-id is no retransmission: written.
start_linklog --no-dns -s --template '%a'
check "two informs with one request-id: both answered" test "$($SENDERS \
    inform-reuse "$PORT" '@in TCP from 10.4.4.1:4 to 10.5.5.5:5' \
    '@in TCP from 10.4.4.2:4 to 10.5.5.5:5')" = responses=2
wait_received 2
stop_linklog
check "... and both written" test "$(tr '\n' ' ' <"$OUT")" = "10.4.4.1 10.4.4.2 "

# --rate-limit holds for answers too: an inform is taken whole (its events
# written, and answered) or not at all (neither: it will be sent again),
# and a retransmission costs as much, so a flood of copies, spoofed to
# reflect answers at one address, gets no more than the limit allows.
start_linklog --no-dns -s --template '%a' --rate-limit=2
$SENDERS inform-flood "$PORT" 20 distinct | sort -n >"$WORK/answered.txt"
$SENDERS inform-flood "$PORT" 20 same >"$WORK/answered-same.txt"
wait_received 40
stop_linklog
sed 's/^/10.9.0./' "$WORK/answered.txt" >"$WORK/answered-addr.txt"
grep '^10\.9\.0\.' "$OUT" >"$WORK/written.txt"
check "every answered inform is written, no other" \
    cmp -s "$WORK/answered-addr.txt" "$WORK/written.txt"
check "... and the rate limit held for distinct informs" \
    test "$(wc -l <"$WORK/answered.txt")" -lt 20
same=$(wc -l <"$WORK/answered-same.txt")
check "... and for copies of one" test "$same" -lt 20
check "... written once if answered" \
    test "$(grep -c '^10\.9\.1\.1$' "$OUT")" -eq $((same > 0))
check "... the others counted as refused by the rate limit" \
    test "$(counter informs_limited)" \
    -eq $((40 - $(wc -l <"$WORK/answered.txt") - same))
# Their events (a retransmission of one written has none: it is not
# parsed again) are the rate-limited ones.
check "... and the refused distinct informs' events as rate-limited" \
    test "$(counter rate_limited)" -ge $((20 - $(wc -l <"$WORK/answered.txt")))

# Bound to every address, the answer comes from the address the inform
# was sent to (IP_PKTINFO): a sender whose socket is connected to it, as
# some are, accepts nothing else.
PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
OUT=$WORK/any.txt ERR=$WORK/any.err
"$LINKLOG" -p "$PORT" --no-dns -s --template '%a' >"$OUT" 2>"$ERR" &
LL_PID=$!
for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done
check "an inform to 127.0.0.2 is answered from 127.0.0.2" test \
    "$($SENDERS inform-to 127.0.0.2 "$PORT" '@in TCP from 10.8.8.8:8 to 10.5.5.5:5')" = answered
stop_linklog
check_line "... and written" "$OUT" "10.8.8.8"

# A sender that fails the access checks is never answered.
start_linklog --no-dns -s --template '%a' --community=sesame
check "an inform with a wrong community is not answered" sh -c \
    "! snmpinform -v 2c -c public -t 0.3 -r 0 127.0.0.1:$PORT '' \
    1.3.6.1.4.1.3955.1 $TRAP_OID s '@in TCP from 10.6.6.6:6 to 10.5.5.5:5' \
    2>/dev/null"
wait_received 1
check "... nothing written, nothing sent" \
    test ! -s "$OUT" -a "$(counter responses)" -eq 0
check "... but the right community is" snmpinform -v 2c -c sesame -t 1 \
    -r 1 "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 "$TRAP_OID" s \
    '@in TCP from 10.7.7.7:7 to 10.5.5.5:5'
stop_linklog
check_line "... and written" "$OUT" "10.7.7.7"

# Nor a sender outside --allow-from (dropped before decoding).
start_linklog --no-dns -s --template '%a' --allow-from=192.0.2.0/24
check "an inform from outside allow_from is not answered" sh -c \
    "! snmpinform -v 2c -c public -t 0.3 -r 0 127.0.0.1:$PORT '' \
    1.3.6.1.4.1.3955.1 $TRAP_OID s '@in TCP from 10.6.6.6:6 to 10.5.5.5:5' \
    2>/dev/null"
wait_received 1
stop_linklog
check "... nothing written, nothing sent" \
    test ! -s "$OUT" -a "$(counter responses)" -eq 0 -a "$(counter informs)" -eq 0

# SNMPv3 and GetRequest: each on its own is unsupported, not malformed.
start_linklog --no-dns -s --listen ::1
snmptrap -v 3 -u alice -l noAuthNoPriv -e 0x8000000001020304 \
    "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 "$TRAP_OID" s \
    '@in TCP from 1.2.3.4:5 to 6.7.8.9:22'
wait_received 1
check "a real SNMPv3 trap is unsupported" test "$(counter unsupported)" -eq 1
check "... not malformed" test "$(counter malformed)" -eq 0
check "... and the sender is told what to configure" \
    grep -q 'SNMPv3 datagram from 127.0.0.1: SNMPv3 is not supported: configure the sender to send SNMPv2c' "$ERR"
snmptrap -v 3 -u alice -l authPriv -a SHA -A secretsecret -x AES \
    -X secretsecret -e 0x8000000001020304 "udp6:[::1]:$PORT" '' \
    1.3.6.1.4.1.3955.1 "$TRAP_OID" s '@in TCP from 1.2.3.4:5 to 6.7.8.9:22'
wait_received 2
check "an encrypted SNMPv3 trap over IPv6 is unsupported" \
    test "$(counter unsupported)" -eq 2 -a "$(counter malformed)" -eq 0
snmpget -v 2c -c public -t 0.2 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.1.0 \
    >/dev/null 2>&1
wait_received 3
check "a GetRequest is unsupported" \
    test "$(counter unsupported)" -eq 3 -a "$(counter malformed)" -eq 0
check "... and reported by name" \
    grep -q 'unsupported SNMP PDU from 127.0.0.1: GetRequest in SNMPv2c' "$ERR"
snmptrap -v 3 -u alice -l noAuthNoPriv -e 0x8000000001020304 \
    "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 "$TRAP_OID" s 'again'
wait_received 4
# An SNMPv3 inform starts with engine discovery, which is not answered.
check "an SNMPv3 inform is not acknowledged" sh -c "! snmpinform -v 3 \
    -u alice -l authNoPriv -a SHA -A secretsecret -t 0.3 -r 0 \
    127.0.0.1:$PORT '' 1.3.6.1.4.1.3955.1 $TRAP_OID s x 2>/dev/null"
wait_received 5
check "... and is unsupported" \
    test "$(counter unsupported)" -eq 5 -a "$(counter malformed)" -eq 0
stop_linklog
check "the SNMPv3 warning comes once a minute per sender" \
    test "$(grep -c 'SNMPv3 datagram from 127.0.0.1' "$ERR")" -eq 1
check "nothing written" test ! -s "$OUT"

# Junk from 25 addresses: 20 reports (the cap), and the 5 others are not
# only counted: a summary says so without waiting for more junk.
start_linklog --no-dns -s
$SENDERS junk-from "$PORT" 25
wait_received 25
check "malformed datagrams from 25 senders: 20 reports" \
    test "$(grep -c '^linklog: malformed datagram from 127\.0\.1\.' "$ERR")" -eq 20
check "... and the 5 held back are reported" wait_grep "$ERR" \
    'held back 5 reports of unusable datagrams .*: malformed datagram 5$'
stop_linklog

# Bad "@in"/"@out" text is warned about with its text; other text is not.
start_linklog --no-dns -s
send_v1 '@in TCP from 1.1.1.1:1 to 2.2.2.2:99999'
send_v1 '@out 1.2.3.4 ==> 5.6.7.8[80'
send_v1 'System started'
send_v1 '@in TCP from 1.1.1.1:1 to 2.2.2.2:2' && wait_received 4
stop_linklog
check "the bad message is reported with its text" grep -q \
    'unparsed log message from 127.0.0.1: "@in TCP from 1.1.1.1:1 to 2.2.2.2:99999"' "$ERR"
check "... once a minute per sender" \
    test "$(grep -c 'unparsed log message from' "$ERR")" -eq 1
check "... the other one said at the stop" grep -q \
    'held back 1 report of unusable datagrams .*: unparsed log message 1$' "$ERR"
check "other text is counted, not reported" \
    test "$(counter unparsed)" -eq 3 -a "$(counter unparsed_messages)" -eq 2
check "the good one is written" test "$(wc -l <"$OUT")" -eq 1

# %g: what the trap claims (v1 agent-addr, v2c snmpTrapAddress.0), else %r.
start_linklog --no-dns -s --template '%g %r %a'
snmptrap -v 1 -c public "127.0.0.1:$PORT" 1.3.6.1.4.1.3955 192.0.2.9 6 1 '' \
    "$TRAP_OID" s '@in TCP from 10.1.1.1:1 to 10.2.2.2:2'
snmptrap -v 2c -c public "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 \
    1.3.6.1.6.3.18.1.3.0 a 198.51.100.3 \
    "$TRAP_OID" s '@in TCP from 10.1.1.2:1 to 10.2.2.2:2'
send_v2c '@in TCP from 10.1.1.3:1 to 10.2.2.2:2'
$SENDERS v1-lenient "$PORT" '@in TCP from 10.1.1.4:1 to 10.2.2.2:2'
# A BITS-like binary value beside a message: not "unparsed" text.
snmptrap -v 2c -c public "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 \
    "$TRAP_OID" s '@in TCP from 10.1.1.5:1 to 10.2.2.2:2' \
    1.3.6.1.4.1.3955.1.2 x 8000
wait_received 5
stop_linklog
check_line "v1 agent-addr" "$OUT" "192.0.2.9 127.0.0.1 10.1.1.1"
check_line "v2c snmpTrapAddress.0" "$OUT" "198.51.100.3 127.0.0.1 10.1.1.2"
check_line "no claim: the sender" "$OUT" "127.0.0.1 127.0.0.1 10.1.1.3"
check_line "a v1 header with a Gauge32 time and a string agent-addr" "$OUT" \
    "192.0.2.77 127.0.0.1 10.1.1.4"
check "a binary string is not counted unparsed" \
    test "$(counter unparsed)" -eq 0 -a "$(counter binary_strings)" -eq 1

# "@in " with a NUL inside is a broken message, not a binary value:
# counted unparsed (unparsed_messages is a part of unparsed) and reported.
start_linklog --no-dns -s
snmptrap -v 2c -c public "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 \
    "$TRAP_OID" x 40696e205443502000780a
wait_received 1
stop_linklog
check "a message start with a NUL inside is unparsed, not binary" \
    test "$(counter unparsed)" -eq 1 -a "$(counter unparsed_messages)" -eq 1 \
    -a "$(counter binary_strings)" -eq 0
check "... and reported, escaped" grep -q \
    'unparsed log message from 127.0.0.1: "@in TCP \\000x\\012"' "$ERR"

finish
