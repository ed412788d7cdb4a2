#!/bin/sh
# End to end: every template token, and values that must not be expanded
# again or break the line.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

start_linklog -s --template '%a|%A|%s|%d|%S|%D|%i|%p|%r|%R|%%|%%s'
send_v1 '@in TCP from scanner.example.net(203.0.113.7):51234 to www.example.com(93.184.216.34):443'
wait_received 1
stop_linklog
check_line "address, host, port, direction, protocol, router tokens" "$OUT" \
    '203.0.113.7|93.184.216.34|scanner.example.net|www.example.com|51234|443| in|TCP|127.0.0.1|127.0.0.1|%|%s'

# Time tokens: the time is taken when the datagram arrives; compare with
# date(1) on either side of the send.  The day is padded with a space, as
# the original and syslog write it (%e); tests/unit/test_render.c checks
# days 1-9 against fixed times.
start_linklog --no-dns --template '%t|%M|%T|%h|%m|%z|%w|%y|%Y'
before=$(date +%s)
send_v2c '@out UDP from 192.168.1.20:40000 to 8.8.8.8:53'
after=$(date +%s)
wait_received 1
stop_linklog
line=$(cat "$OUT")
found=no
t=$before
while [ "$t" -le "$after" ]; do
	want=$(date -d "@$t" '+%b %e %H:%M:%S|%b|%e|%H|%M|%S|%a|%Y|%y')
	[ "$line" = "$want" ] && found=yes
	t=$((t + 1))
done
check "time tokens (%y four digits, %Y two, %w the weekday): $line" \
    test "$found" = yes

# %I: RFC 3339 in local time with its UTC offset and milliseconds.
TZ=Asia/Kolkata start_linklog --no-dns --template '%I'
before=$(date +%s)
send_v1 '@out UDP from 192.168.1.20:40000 to 8.8.8.8:53'
after=$(date +%s)
wait_received 1
stop_linklog
line=$(cat "$OUT")
found=no
t=$before
while [ "$t" -le "$after" ]; do
	want=$(TZ=Asia/Kolkata date -d "@$t" '+%Y-%m-%dT%H:%M:%S')
	case "$line" in "$want".[0-9][0-9][0-9]+05:30) found=yes ;; esac
	t=$((t + 1))
done
check "%I is RFC 3339 with milliseconds and the UTC offset: $line" \
    test "$found" = yes

# Service names from the services database, unless -s.
if getent services ssh/tcp >/dev/null 2>&1; then
	start_linklog --no-dns --template '%S %D'
	send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
	send_v1 '@out UDP from 192.168.1.20:40000 to 8.8.8.8:53'
	wait_received 2
	stop_linklog
	check_line "service name for TCP 22" "$OUT" "51234 ssh"
	check_line "service name for UDP 53" "$OUT" "40000 domain"
fi

# --no-dns-source / --no-dns-dest show the address on one side only.
start_linklog --no-dns-source -s --template '%s %d'
send_v1 '@in TCP from a.example(203.0.113.7):1 to b.example(192.168.1.20):2'
wait_received 1
stop_linklog
check_line "--no-dns-source" "$OUT" "203.0.113.7 b.example"
start_linklog --no-dns-dest -s --template '%s %d'
send_v1 '@in TCP from a.example(203.0.113.7):1 to b.example(192.168.1.20):2'
wait_received 1
stop_linklog
check_line "--no-dns-dest" "$OUT" "a.example 192.168.1.20"

# A template with percent signs in literal text and in values (defect 5).
start_linklog -s --template '100%% %s'
send_v1 '@in TCP from m%h.example(1.2.3.4):1 to 5.6.7.8:2'
send_v1 '@in TCP from m-h.example(1.2.3.4):1 to 5.6.7.8:2'
wait_received 2
stop_linklog
check_line "literal %% and a value rendered once" "$OUT" "100% m-h.example"
# A name may hold any printable character but parentheses (DHCP client
# names); one holding a token is printed as is, never expanded.
check_line "a name with %h is printed, not expanded" "$OUT" "100% m%h.example"
check "one line per message" test "$(wc -l <"$OUT")" -eq 2

# Raw unparsed strings: escaped, one line each, and only with --unparsed=raw.
start_linklog --no-dns --unparsed=raw
send_v1 "$(printf 'line1\nline2 \033[31mred %%s')"
wait_received 1
stop_linklog
check "raw line is one escaped line" \
    grep -q '\[raw\] 127.0.0.1: line1\\012line2 \\033\[31mred %s$' "$OUT"
check "exactly one line" test "$(wc -l <"$OUT")" -eq 1
start_linklog --no-dns
send_v1 "no message here"
wait_received 1
stop_linklog
check "unparsed strings are dropped by default" test ! -s "$OUT"
finish
