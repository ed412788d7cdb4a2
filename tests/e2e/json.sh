#!/bin/sh
# End to end: JSON output.  Traps sent with real snmptrap (v1 and v2c, to
# an IPv4 and an IPv6 listener), every line parsed by python3's json and
# compared field by field with what was sent; forwarded strings; per-rule
# formats and event.original from the configuration file.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap python3

FIELDS=$WORK/fields.txt
# fields FILE [--cee]: every line must be one JSON object; its fields,
# flattened ("1 source.port=22"), go to $FIELDS.
fields() {
	if python3 "$top_srcdir/tests/e2e/jsonfields.py" ${2:+"$2"} "$1" \
	    >"$FIELDS" 2>"$WORK/fields.err"; then
		ok "every line of $(basename "$1") is one valid JSON object"
	else
		not_ok "invalid JSON in $1:"
		sed 's/^/    /' "$WORK/fields.err" "$1"
	fi
}
# has N KEY=VALUE...: line N has these fields (VALUE as JSON).
has() {
	n=$1; shift
	for f in "$@"; do
		check_line "line $n: $f" "$FIELDS" "$n $f"
	done
}
# lacks N KEY: line N has no such field.
lacks() {
	if grep -q "^$1 $2=" "$FIELDS"; then
		not_ok "line $1 has no $2: $(grep "^$1 $2=" "$FIELDS")"
	else
		ok "line $1 has no $2"
	fi
}

COMMON='event.kind="event" event.category=["network"]
event.type=["connection","start"] event.module="linklog"'

# --json: v1 and v2c, both message forms (addresses only; names with
# addresses), an IPv4 and an IPv6 listener; a forwarded string.
start_linklog --no-dns --json --unparsed=forward --listen ::1
before=$(date -u +%s)
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
send_v2c '@out UDP from nas.lan(192.168.1.20):40000 to dns.example(8.8.8.8):53'
send_v2c '@in TCP from scanner.example(198.51.100.9):4444 to 192.168.1.20:65001' \
    public "udp6:[::1]:$PORT"
send_v1 'System "log": link up \ again' public "udp6:[::1]:$PORT"
after=$(date -u +%s)
wait_received 4
stop_linklog
check "four lines" test "$(wc -l <"$OUT")" -eq 4
fields "$OUT"
# shellcheck disable=SC2086
has 1 $COMMON 'network.direction="inbound"' 'network.transport="tcp"' \
    'source.ip="203.0.113.7"' 'source.port=51234' \
    'destination.ip="192.168.1.20"' 'destination.port=22' \
    'observer.ip="127.0.0.1"' 'observer.vendor="Linksys"' \
    'observer.type="router"'
lacks 1 source.domain
lacks 1 destination.domain
lacks 1 event.original
lacks 1 observer.hostname
# shellcheck disable=SC2086
has 2 $COMMON 'network.direction="outbound"' 'network.transport="udp"' \
    'source.ip="192.168.1.20"' 'source.port=40000' 'source.domain="nas.lan"' \
    'destination.ip="8.8.8.8"' 'destination.port=53' \
    'destination.domain="dns.example"' 'observer.ip="127.0.0.1"'
has 3 'source.domain="scanner.example"' 'source.ip="198.51.100.9"' \
    'source.port=4444' 'destination.port=65001' 'observer.ip="::1"'
lacks 3 network.protocol
has 4 'observer.ip="::1"' 'message="System \"log\": link up \\ again"'
lacks 4 event.kind
check "a forwarded string has only @timestamp, observer and message" \
    test "$(grep -c '^4 ' "$FIELDS")" -eq 3
if getent services ssh/tcp >/dev/null 2>&1; then
	has 1 'network.protocol="ssh"'
	has 2 'network.protocol="domain"'
fi
# @timestamp: the receive time, RFC 3339 in UTC with milliseconds.
stamp=$(sed -n 's/^1 @timestamp="\(.*\)"$/\1/p' "$FIELDS")
found=no
t=$before
while [ "$t" -le "$after" ]; do
	case "$stamp" in "$(date -u -d "@$t" '+%Y-%m-%dT%H:%M:%S')".[0-9][0-9][0-9]Z)
		found=yes ;;
	esac
	t=$((t + 1))
done
check "@timestamp is the receive time with milliseconds: $stamp" \
    test "$found" = yes

# Hostile text: a DHCP name with quotes and a backslash in the message,
# and a forwarded string of control bytes and invalid UTF-8 (sent as a hex
# OCTET STRING): escaped, or replaced by U+FFFD, never a broken line.
start_linklog --no-dns --json --unparsed=forward
send_v1 '@in TCP from John "the" PC\(203.0.113.7):1 to 192.168.1.20:22'
snmptrap -v 2c -c public "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 \
    "$TRAP_OID" x '41 0A 22 5C 00 1B FF C3 A9 E2 82'
wait_received 2
stop_linklog
check "two lines" test "$(wc -l <"$OUT")" -eq 2
fields "$OUT"
has 1 'source.domain="John \"the\" PC\\"' 'source.ip="203.0.113.7"'
want=$(python3 -c 'import json
print("message=" + json.dumps("A\n\"\\\x00\x1b\ufffd\u00e9\ufffd\ufffd",
    ensure_ascii=False, separators=(",", ":")))')
has 2 "$want"

# The older firmware forms: what the message does not carry (protocol,
# the arrow form's source port) is absent from the object.
start_linklog --no-dns --json
send_v1 '@out 192.168.0.2 8080 24.159.204.248 10325'
send_v2c '@out 192.168.1.200 ==> 24.254.60.13[110].'
wait_received 2
stop_linklog
fields "$OUT"
has 1 'network.direction="outbound"' 'source.ip="192.168.0.2"' \
    'source.port=8080' 'destination.ip="24.159.204.248"' \
    'destination.port=10325'
lacks 1 network.transport
has 2 'source.ip="192.168.1.200"' 'destination.ip="24.254.60.13"' \
    'destination.port=110'
lacks 2 network.transport
lacks 2 source.port
if getent services pop3/tcp >/dev/null 2>&1 &&
    ! getent services pop3/udp >/dev/null 2>&1; then
	has 2 'network.protocol="pop3"'
fi

# With -s too, and with names looked up: the line holds both the address
# and, when known, the name (here the router's lookup fails: no name).
start_linklog --json -s --dns-wait=200
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
wait_received 1
stop_linklog
fields "$OUT"
has 1 'source.ip="203.0.113.7"' 'source.port=51234' 'observer.ip="127.0.0.1"'
if getent services ssh/tcp >/dev/null 2>&1; then
	has 1 'network.protocol="ssh"'         # -s changes text lines only
fi
lacks 1 observer.hostname
lacks 1 source.domain

# Names from reverse DNS (a dnsmasq on loopback, never the machine's own
# server): source.domain and destination.domain, and the router's name as
# observer.hostname; an address without a name has none.
if command -v dnsmasq >/dev/null; then
	DNSPORT=$(free_port)
	dnsmasq --keep-in-foreground --port="$DNSPORT" \
	    --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
	    --pid-file= --user="$(id -un)" \
	    --ptr-record=7.113.0.203.in-addr.arpa,scanner.example.net \
	    --ptr-record=1.0.0.127.in-addr.arpa,router.lan \
	    2>"$WORK/dnsmasq.err" &
	DNSMASQ=$!
	for i in $(seq 1 100); do port_bound "$DNSPORT" && break; sleep 0.05; done
	start_linklog "--dns-server=127.0.0.1:$DNSPORT" --dns-wait=2000 --json
	send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
	wait_received 1
	wait_lines "$OUT" 1
	stop_linklog
	kill "$DNSMASQ"
	fields "$OUT"
	has 1 'source.domain="scanner.example.net"' 'source.ip="203.0.113.7"' \
	    'observer.hostname="router.lan"' 'observer.ip="127.0.0.1"' \
	    'destination.ip="192.168.1.20"'
	lacks 1 destination.domain
fi

# The configuration file: format per output and per rule, json_original.
CONF=$WORK/linklog.conf
cat >"$CONF" <<EOC
dns = { enabled = false; };
show_port_numbers = true;
template = "T %a:%S -> %A:%D";
log_file = "$WORK/json.log";
rules = (
  { filter = { port_dest = "22"; }; format = "json"; json_original = true;
    quiet = true; final = true; },
  { format = "text"; }
);
EOC
start_linklog -c "$CONF"
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
send_v1 '@in TCP from 203.0.113.7:51235 to 192.168.1.20:80'
wait_received 2
stop_linklog
check_line "a text rule writes text" "$OUT" "T 203.0.113.7:51235 -> 192.168.1.20:80"
check "the JSON rule writes nothing on standard output" \
    test "$(wc -l <"$OUT")" -eq 1
grep '^{' "$WORK/json.log" >"$WORK/json-only.log"
fields "$WORK/json-only.log"
has 1 'event.original="@in TCP from 203.0.113.7:51234 to 192.168.1.20:22"' \
    'destination.port=22'
check_line "the text rule's line in the same file" "$WORK/json.log" \
    "T 203.0.113.7:51235 -> 192.168.1.20:80"

# --json overrides every format of the file, a rule's "text" included;
# a reload switches a format (SIGHUP rebuilds the outputs).
start_linklog -c "$CONF" --json
send_v1 '@in TCP from 203.0.113.7:51235 to 192.168.1.20:80'
wait_received 1
stop_linklog
fields "$OUT"
has 1 'destination.port=80'
"$LINKLOG" -c "$CONF" --json --check-config >"$WORK/check.out" 2>/dev/null
check "--check-config with --json prints JSON formats only" \
    test "$(grep -c 'format = "json";' "$WORK/check.out")" -ge 2 -a \
    "$(grep -c 'format = "text";' "$WORK/check.out")" -eq 0
CONF2=$WORK/reload.conf
printf 'dns = { enabled = false; };\nformat = "json";\n' >"$CONF2"
start_linklog -c "$CONF2"
printf 'dns = { enabled = false; };\ntemplate = "T %%a";\n' >"$CONF2"
kill -HUP "$LL_PID"
check "the reload is applied" wait_grep "$ERR" "configuration reloaded"
send_v1 '@in TCP from 203.0.113.7:51236 to 192.168.1.20:80'
wait_received 1
stop_linklog
check_line "after a reload from JSON to a text template, text" "$OUT" \
    "T 203.0.113.7"

# A forwarded string goes once to each place lines go, whatever the
# filters, in the format of the first rule writing there (linklog(8)).
printf 'dns = { enabled = false; };\nunparsed = "forward";\ntemplate = "T %%a";
rules = ( { filter = { port_dest = "22"; }; format = "json"; final = true; },
          { format = "text"; } );\n' >"$CONF2"
start_linklog -c "$CONF2"
send_v2c 'System log: hello'
send_v1 '@in TCP from 203.0.113.7:51237 to 192.168.1.20:80'
wait_received 2
stop_linklog
check "the forwarded string once, in the first rule's JSON" test \
    "$(grep -c '"message":"System log: hello"}$' "$OUT")" -eq 1
check_line "the event in the text rule's template" "$OUT" "T 203.0.113.7"
check "two lines" test "$(wc -l <"$OUT")" -eq 2

# The default stays text: nothing changes without format or --json.
start_linklog --no-dns -s
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
wait_received 1
stop_linklog
check "the default output is the text template" \
    grep -q '^[A-Z][a-z][a-z] [0-9 ][0-9] [0-9:]* \[ in, TCP\] 203.0.113.7:51234 -> 192.168.1.20:22$' "$OUT"

finish
