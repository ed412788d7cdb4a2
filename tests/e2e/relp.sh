#!/bin/sh
# Beyond one machine: linklog's lines forwarded over RELP with the example
# the package ships (conf/rsyslog-linklog-relp.conf), between two real
# rsyslogd in this test's private mount namespace, both on loopback.  The
# local one receives linklog's lines on this namespace's /dev/log, writes
# them to its file and forwards them; the central one listens with imrelp
# (the example's central part) and writes a file per sender.
# 1. A burst of 20,000 traps sent while the central rsyslogd is stopped
#    for 5 s waits in the example's disk queue and arrives complete and in
#    order (each trap's source port is its sequence number).
# 2. Lines queued while the central host is down survive a restart of the
#    local rsyslogd.
# 3. Control: the same outage with plain UDP forwarding (omfwd) loses the
#    burst, and the same checks say so.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need rsyslogd snmptrap
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
[ -x "$TRAPSEND" ] || skip "tools/trapsend is not built"
enter_syslog_namespace "$@"

printf '%s\n' 'module(load="omrelp")' 'module(load="imrelp")' \
    '*.* action(type="omfile" file="/dev/null")' >"$WORK/relp-check.conf"
rsyslogd -N1 -f "$WORK/relp-check.conf" >"$WORK/relp-check.out" 2>&1 ||
    skip "rsyslog's RELP modules are not installed (package rsyslog-relp)"

EXAMPLE=$top_srcdir/conf/rsyslog-linklog-relp.conf
N=20000
LOCALLOG=$WORK/linklog.log
CENTRAL=$WORK/central
CENTRALLOG=$CENTRAL/$(hostname).log

# A port free for TCP and UDP on 127.0.0.1.
tcp_bound() {
	grep -q "^ *[0-9]*: [0-9A-F]*:$(printf '%04X' "$1") " \
	    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
free_tcp_port() {
	while :; do
		p=$(free_port)
		tcp_bound "$p" || { echo "$p"; return; }
	done
}
RPORT=$(free_tcp_port)

# The example as shipped: its socket this namespace's /dev/log (as
# linklog.service's BindPaths= makes it), its file here, the central host
# this machine's loopback.  The queue's files go to the work directory
# start_rsyslog gives (on Debian /var/spool/rsyslog).
sed -e "s|/run/linklog/dev-log|/dev/log|" -e "s|/var/log/linklog.log|$LOCALLOG|" \
    -e "s|target=\"loghost.example.org\" port=\"2514\"|target=\"127.0.0.1\" port=\"$RPORT\"|" \
    "$EXAMPLE" >"$WORK/local-example.conf"
# The central part: the lines marked "#C ", listening on loopback only.
sed -n 's/^#C //p' "$EXAMPLE" |
    sed -e "s|/var/log/linklog/|$CENTRAL/|" \
    -e "s|port=\"2514\"|address=\"127.0.0.1\" port=\"$RPORT\"|" \
    >"$WORK/central-example.conf"
for want in 'Socket="/dev/log"' "file=\"$LOCALLOG\"" \
    "target=\"127.0.0.1\" port=\"$RPORT\"" 'queue.type="Disk"' \
    'queue.filename="linklog-relp"' 'action.resumeRetryCount="-1"'; do
	check "the example names $want once" \
	    test "$(grep -v '^#' "$WORK/local-example.conf" | grep -cF "$want")" -eq 1
done
for want in 'module(load="imrelp")' "port=\"$RPORT\"" "$CENTRAL/%hostname%.log"; do
	check "its central part names $want once" \
	    test "$(grep -cF "$want" "$WORK/central-example.conf")" -eq 1
done

# rsyslogd's own messages go to a file of its own (not to /dev/log, where
# the local one would forward them).
internal() {
	printf 'global(processInternalMessages="on")\n'
	printf '*.* action(type="omfile" file="%s")\n' "$WORK/$1.internal"
}

# central_up [EXTRA-CONFIG]
central_up() {
	start_rsyslog central "$(internal central)
include(file=\"$WORK/central-example.conf\")
${1:-}"
	for i in $(seq 1 100); do
		tcp_bound "$RPORT" && return 0
		sleep 0.05
	done
	cat "$WORK/central.out"
	return 1
}

# local_up CONFIG-FILE: the local rsyslogd, listening on /dev/log.
local_up() {
	start_rsyslog local "$(internal local)
module(load=\"imuxsock\" SysSock.Use=\"off\")
include(file=\"$1\")"
	wait_for_socket /dev/log || { cat "$WORK/local.out"; skip "rsyslogd did not start"; }
}

local_down() {
	stop_rsyslog local
	rm -f /dev/log
}

# burst COUNT: trap k (k < COUNT) is "@in TCP from 10.0.a.b:(1024 + k)
# to 192.168.a.b:22", so a line's source port is its sequence number
# plus 1024.
burst() {
	"$TRAPSEND" -n "$1" -k "$1" -r 10000 -t 20 "127.0.0.1:$PORT" >/dev/null
}

# ports FILE: the source port of each burst line in FILE, in its order.
ports() {
	sed -n 's/.* 127\.0\.0\.1: \[ in, TCP\] 10\.0\.[0-9.]*:\([0-9]*\) -> 192\.168\..*/\1/p' \
	    "$1" 2>/dev/null
}

# wait_burst FILE COUNT SECONDS: until FILE has COUNT burst lines.
wait_burst() {
	for i in $(seq 1 $(($3 * 10))); do
		[ "$(ports "$1" | wc -l)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_drained N: linklog has written N lines to syslog, none waits.
wait_drained() {
	for i in $(seq 1 100); do
		kill -USR1 "$LL_PID"
		sleep 0.1
		[ "$(counter syslog_queued)" = 0 ] &&
		    [ "$(counter written_syslog)" = "$1" ] && return 0
	done
	return 1
}

# check_burst WHAT FILE COUNT: FILE holds the burst's COUNT lines, each
# once, in the order sent.
check_burst() {
	ports "$2" >"$WORK/got.txt"
	seq 1024 $((1023 + $3)) >"$WORK/want.txt"
	got=$(wc -l <"$WORK/got.txt")
	check "$1: complete ($got of $3 lines)" \
	    test "$(sort -u "$WORK/got.txt" | wc -l)" -eq "$3"
	if cmp -s "$WORK/want.txt" "$WORK/got.txt"; then
		ok "$1: in order, each line once"
	else
		not_ok "$1: not each line once in the order sent:"
		diff "$WORK/want.txt" "$WORK/got.txt" | head -n 6 | sed 's/^/    /'
	fi
}

# queue_files: the files of the example's queue in the work directory.
queue_files() {
	find "$WORK/local.work" -name 'linklog-relp.*' -size +0 | wc -l
}

check "the central rsyslogd listens with imrelp" central_up
local_up "$WORK/local-example.conf"
start_linklog --no-dns -s -q --syslog
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
check "a first line reaches the central host" \
    wait_grep "$CENTRALLOG" '203\.0\.113\.7:51234'
check "with the sender's name and linklog's tag" grep -q \
    " $(hostname) linklog\[[0-9]*\]: 127\.0\.0\.1: \[ in, TCP\] 203\.0\.113\.7:51234 -> 192\.168\.1\.20:22\$" \
    "$CENTRALLOG"

# 1. The outage: the central rsyslogd stopped, the burst sent, 5 s later
#    the central rsyslogd started again (the local one may still be
#    queueing: the lines that come after it is back keep their place).
t0=$(date +%s)
stop_rsyslog central
burst "$N"
check "nothing reaches the central host while it is down" \
    test -z "$(ports "$CENTRALLOG")"
check "the lines wait in the queue's files" test "$(queue_files)" -gt 0
sleep $((t0 + 5 - $(date +%s))) 2>/dev/null
t1=$(date +%s)
check "the central rsyslogd is back after $((t1 - t0)) s" central_up
check "linklog wrote all $N to the local rsyslogd" wait_drained $((N + 1))
check "the local file has them" wait_burst "$LOCALLOG" "$N" 20
check "all $N reach the central host" wait_burst "$CENTRALLOG" "$N" 40
echo "# the burst was on the central host $(($(date +%s) - t1)) s after it came back"
check_burst "central host" "$CENTRALLOG" "$N"
check "the central file holds linklog's lines only" \
    test "$(grep -vc " $(hostname) linklog\[[0-9]*\]: 127\.0\.0\.1: " "$CENTRALLOG")" -eq 0
check_burst "local file" "$LOCALLOG" "$N"
check "the local file is 0640 root:adm, as the package's log" \
    test "$(stat -c '%a %U %G' "$LOCALLOG")" = "640 root adm"
stop_linklog

# 2. The local rsyslogd restarted during an outage: what waits in the
#    queue is on disk and is sent once the central host is back.
stop_rsyslog central
local_down
rm -f "$CENTRALLOG" "$LOCALLOG"
local_up "$WORK/local-example.conf"
start_linklog --no-dns -s -q --syslog
burst 2000
wait_burst "$LOCALLOG" 2000 10 >/dev/null
local_down
check "the local rsyslogd stopped with its queue on disk" test "$(queue_files)" -gt 0
local_up "$WORK/local-example.conf"
central_up
check "after the restart the 2000 queued lines arrive" \
    wait_burst "$CENTRALLOG" 2000 30
# rsyslog puts the lines it was trying to send at the restart (a batch at
# most, 128 by default) back at
# the queue's end: they come last, one may come twice; the rest in order.
ports "$CENTRALLOG" >"$WORK/got.txt"
check "after a restart: complete ($(sort -u "$WORK/got.txt" | wc -l) of 2000)" \
    test "$(sort -u "$WORK/got.txt" | wc -l)" -eq 2000
extra=$(($(wc -l <"$WORK/got.txt") - 2000))
check "after a restart: few twice ($extra)" test "$extra" -le 128
back=$(awk 'NR > 1 && $1 < prev { n++ } { prev = $1 } END { print n + 0 }' "$WORK/got.txt")
late=$(awk '$1 == 3023 { exit } END { print NR }' "$WORK/got.txt")
check "after a restart: in order but for one step back ($back)" test "$back" -le 1
check "... at the end: the lines in hand at the restart ($((2000 + extra - late)))" \
    test $((2000 + extra - late)) -le 128
stop_linklog

# 3. Control: the same outage with plain UDP forwarding loses the lines.
local_down
stop_rsyslog central
rm -f "$CENTRALLOG" "$LOCALLOG"
UPORT=$(free_tcp_port)
cat >"$WORK/local-udp.conf" <<EOC
input(type="imuxsock" Socket="/dev/log" RateLimit.Interval="0" Ruleset="udp")
ruleset(name="udp") {
	action(type="omfile" file="$LOCALLOG")
	action(type="omfwd" target="127.0.0.1" port="$UPORT" protocol="udp")
}
EOC
local_up "$WORK/local-udp.conf"
start_linklog --no-dns -s -q --syslog
burst 2000
wait_burst "$LOCALLOG" 2000 10 >/dev/null
central_up "module(load=\"imudp\")
input(type=\"imudp\" address=\"127.0.0.1\" port=\"$UPORT\" ruleset=\"linklog-central\")"
for i in $(seq 1 100); do port_bound "$UPORT" && break; sleep 0.05; done
send_v1 '@in TCP from 203.0.113.8:1 to 192.168.1.20:22'
check "control: UDP forwarding works once the central host is up" \
    wait_grep "$CENTRALLOG" '203\.0\.113\.8:1 '
lost=$((2000 - $(ports "$CENTRALLOG" | wc -l)))
check "control: UDP loses what is sent while it is down ($lost of 2000)" \
    test "$lost" -gt 0
ports "$CENTRALLOG" >"$WORK/got.txt"
check "control: and the completeness check sees it" \
    test "$(sort -u "$WORK/got.txt" | wc -l)" -ne 2000
stop_linklog
local_down
stop_rsyslog central
echo "# $(($(date +%s) - t0)) s from the first outage to the end"
finish
