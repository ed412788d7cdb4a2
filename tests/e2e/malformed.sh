#!/bin/sh
# Hostile input: broken BER, wrong tags, empty and maximal datagrams,
# SNMPv3 and GetRequest PDUs, control bytes and invalid UTF-8, invalid
# messages, a 65 KB trap and 1,600 messages in one string.  linklog stays
# up, counts each, writes every line as exactly one escaped line, and the
# valid trap sent right after each bad one is delivered.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need python3

start_linklog --no-dns -s --unparsed=raw --template '%a:%S -> %A:%D'
python3 "$top_srcdir/tests/e2e/malformed.py" "$PORT" >"$WORK/cases.txt"
ncases=$(wc -l <"$WORK/cases.txt")
# Every bad datagram and every valid one after it.
wait_received $((ncases * 2))
check "linklog is still running" kill -0 "$LL_PID"
while read -r name id size; do
	if grep -qx "10.0.0.$id:1 -> 192.168.1.20:22" "$OUT"; then
		ok "the valid trap after '$name' ($size bytes) is delivered"
	else
		not_ok "the valid trap after '$name' ($size bytes) is missing"
	fi
done <"$WORK/cases.txt"
check "the 65 KB trap was read whole (its message is at the end)" \
    grep -qx "10.77.77.77:7 -> 192.168.1.20:22" "$OUT"
check "1,600 messages in one string are 1,600 lines" \
    test "$(grep -c '^10\.2\.' "$OUT")" -eq 1600
check "no byte outside printable ASCII in the output" \
    sh -c "! LC_ALL=C grep -q '[^ -~]' '$OUT'"
check "raw strings with control bytes are one escaped line each" \
    grep -qx '.* \[raw\] 127.0.0.1: line1\\012line2\\015\\012line3' "$OUT"
check "a NUL is escaped" grep -qx '.* \[raw\] 127.0.0.1: a\\000b\\000c' "$OUT"
check "ANSI escapes are escaped" grep -q '\[raw\] 127.0.0.1: \\033\[31mred' "$OUT"
check "invalid UTF-8 is escaped" grep -q '\[raw\] 127.0.0.1: \\377\\376\\303(' "$OUT"
check "a message with an octet over 255 is not an event" \
    grep -q '\[raw\] 127.0.0.1: @in TCP from 1.1.1.256:1' "$OUT"
check "a message with a port over 65535 is not an event" \
    grep -q '\[raw\] 127.0.0.1: @in TCP from 1.1.1.1:65536' "$OUT"
stop_linklog
check "malformed datagrams are counted (6 + empty)" test "$(counter malformed)" -eq 7
# SNMPv3, GetRequest, a v1 message with a v2 trap PDU and one with tag 5;
# tests/e2e/senders.sh checks SNMPv3 and GetRequest each on its own.
check "unsupported datagrams are counted" test "$(counter unsupported)" -eq 4
check "linklog exits 0 after all that" test "$LL_STATUS" -eq 0
finish
