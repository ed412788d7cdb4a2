#!/bin/sh
# End to end: JSON through syslog.  linklog's syslog lines carry the
# "@cee:" cookie; a real rsyslogd, in this test's private mount namespace,
# runs the example configuration the package ships
# (conf/rsyslog-linklog-json.conf: mmjsonparse, then a JSON file), and the
# fields it writes, read with python3's json, must be those of the traps
# sent with real snmptrap.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap rsyslogd python3
enter_syslog_namespace "$@"

EXAMPLE=$top_srcdir/conf/rsyslog-linklog-json.conf
JSONFILE=$WORK/linklog.json
REST=$WORK/linklog.log
# The example as shipped, its socket this namespace's /dev/log (as
# linklog.service's BindPaths= makes it), its files in this directory.
sed -e "s|/var/log/linklog.json|$JSONFILE|" -e "s|/var/log/linklog.log|$REST|" \
    -e "s|/run/linklog/dev-log|/dev/log|" "$EXAMPLE" >"$WORK/example.conf"
for want in "file=\"$JSONFILE\"" "file=\"$REST\"" 'Socket="/dev/log"'; do
	check "the example names $want once" \
	    test "$(grep -cF "$want" "$WORK/example.conf")" -eq 1
done
start_rsyslog local 'module(load="imuxsock" SysSock.Use="off")
include(file="'"$WORK"'/example.conf")
*.* action(type="omfile" file="'"$WORK"'/other.txt")'
wait_for_socket /dev/log || { cat "$WORK/local.out"; skip "rsyslogd did not start"; }

FIELDS=$WORK/fields.txt
has() {
	n=$1; shift
	for f in "$@"; do
		check_line "rsyslog's line $n: $f" "$FIELDS" "$n $f"
	done
}

start_linklog --no-dns -q --syslog --json --unparsed=forward
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
send_v2c '@out UDP from nas.lan(192.168.1.20):40000 to dns.example(8.8.8.8):53'
send_v2c 'System log: "WAN up" \ 100%'
wait_received 3
check "rsyslog wrote three lines" wait_lines "$JSONFILE" 3
stop_linklog
if python3 "$top_srcdir/tests/e2e/jsonfields.py" "$JSONFILE" >"$FIELDS" \
    2>"$WORK/fields.err"; then
	ok "every line rsyslog wrote is one JSON object"
else
	not_ok "rsyslog wrote invalid JSON:"
	sed 's/^/    /' "$WORK/fields.err" "$JSONFILE"
fi
has 1 'event.kind="event"' 'event.module="linklog"' \
    'network.direction="inbound"' 'network.transport="tcp"' \
    'source.ip="203.0.113.7"' 'source.port=51234' \
    'destination.ip="192.168.1.20"' 'destination.port=22' \
    'observer.ip="127.0.0.1"' "host.name=\"$(hostname)\""
has 2 'network.direction="outbound"' 'network.transport="udp"' \
    'source.ip="192.168.1.20"' 'source.port=40000' 'source.domain="nas.lan"' \
    'destination.ip="8.8.8.8"' 'destination.port=53' \
    'destination.domain="dns.example"'
has 3 'observer.ip="127.0.0.1"' 'message="System log: \"WAN up\" \\ 100%"'
check "the same @timestamp as linklog's own rendering (milliseconds)" \
    grep -q '^1 @timestamp="[0-9-]*T[0-9:]*\.[0-9][0-9][0-9]Z"$' "$FIELDS"
check "no JSON line in the text file" \
    test -z "$(grep -F '@cee:' "$REST" 2>/dev/null)"
check "nothing went on to the other rules" test ! -s "$WORK/other.txt"

# A text syslog template is not JSON: the example writes it to the text
# file, as the package's 30-linklog.conf does, not into the JSON file.
start_linklog --no-dns -s -q --syslog
send_v1 '@in TCP from 203.0.113.8:1 to 192.168.1.20:22'
check "a text line goes to the text file" wait_grep "$REST" \
    'linklog\[[0-9]*\]: 127.0.0.1: \[ in, TCP\] 203.0.113.8:1 -> 192.168.1.20:22'
stop_linklog
check "and not into the JSON file" test "$(wc -l <"$JSONFILE")" -eq 3
check "the JSON file is 0640 root:adm, as the package's log" \
    test "$(stat -c '%a %U %G' "$JSONFILE")" = "640 root adm"

# A forwarded string longer than rsyslog keeps of a line (8 KiB by
# default): linklog cuts it so that the object stays whole, and rsyslog
# still parses it into the JSON file.
start_linklog --no-dns -q --syslog --json --unparsed=forward
send_v2c "System $(python3 -c 'print("x" * 9000)')"
wait_received 1
check "rsyslog parsed the long line into the JSON file" wait_lines "$JSONFILE" 4
stop_linklog
check "no half object in the text file" \
    test -z "$(grep -F '@cee:' "$REST" 2>/dev/null)"
sed -n 4p "$JSONFILE" >"$WORK/long.json"
if python3 "$top_srcdir/tests/e2e/jsonfields.py" "$WORK/long.json" \
    >"$FIELDS" 2>"$WORK/fields.err"; then
	ok "the long line is one JSON object"
else
	not_ok "the long line is not JSON: $(cat "$WORK/fields.err")"
fi
check "its message is the string's start, cut ($(wc -c <"$FIELDS") bytes)" \
    grep -q '^1 message="System xxxxxxxxxx*"$' "$FIELDS"
check "... near 8 KiB" test "$(wc -c <"$FIELDS")" -gt 7500

stop_rsyslog local
finish
