#!/bin/sh
# The syslog writer and its queue, end to end with a real rsyslogd in a
# private mount namespace: lines wait in the queue while rsyslog is down
# and arrive when it is back; a full queue drops and counts; SIGTERM
# writes what is queued, and gives up after a few seconds when syslog
# takes nothing; the receiver keeps going while syslog is stuck; a reload
# changes the ident of the lines queued after it only; a line too long
# for /dev/log is counted as dropped; linklog's own messages never go to
# syslog.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap rsyslogd
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
[ -x "$TRAPSEND" ] || skip "tools/trapsend is not built"
enter_syslog_namespace "$@"

SYSLOG=$WORK/syslog.txt
LOCAL_CONF='module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="t" type="string" string="%programname%%msg%\n")
*.* action(type="omfile" file="'"$WORK"'/syslog.txt" template="t")'

rsyslog_up() {
	start_rsyslog local "$LOCAL_CONF"
	wait_for_socket /dev/log || { cat "$WORK/local.out"; skip "rsyslogd did not start"; }
}

rsyslog_down() {
	stop_rsyslog local
	rm -f /dev/log
}

# wait_count FILE PATTERN N: until N lines of FILE match (20 s at most).
wait_count() {
	for i in $(seq 1 400); do
		[ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

# wait_drained: until the statistics say nothing waits for syslog (10 s).
wait_drained() {
	for i in $(seq 1 100); do
		kill -USR1 "$LL_PID"
		sleep 0.1
		[ "$(counter syslog_queued)" = 0 ] && return 0
	done
	return 1
}

# burst N [RATE]: N unique traps (trapsend's pair k for k < N).
burst() {
	"$TRAPSEND" -n "$1" -k "$1" ${2:+-r "$2"} -t 20 "127.0.0.1:$PORT" >/dev/null
}

# The same N lines, each once: "Q <source>:<port>" as trapsend sends them.
distinct_q() {
	grep ' Q ' "$SYSLOG" | sort -u | wc -l
}

rsyslog_up

# 1. rsyslog stopped, a burst sent, rsyslog started again: the burst waits
#    in the queue and arrives whole; no line is lost, none twice.
start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S'
send_v1 '@in TCP from 10.200.0.1:1 to 192.168.1.20:22'
check "a first line arrives" wait_grep "$SYSLOG" 'Q 10.200.0.1:1$'
rsyslog_down
burst 3000 30000
wait_received 3001
check "while rsyslog is down the burst waits: syslog_queued=3000 ($(counter syslog_queued))" \
    test "$(counter syslog_queued)" -eq 3000
check "nothing dropped ($(counter syslog_dropped))" test "$(counter syslog_dropped)" -eq 0
check "the stop is reported" grep -q "no syslog daemon listens on /dev/log: lines wait in the queue" "$ERR"
rsyslog_up
check "once rsyslog is back, all 3000 arrive" wait_count "$SYSLOG" ' Q 10\.' 3000
wait_drained
check "written_syslog=3001 ($(counter written_syslog))" test "$(counter written_syslog)" -eq 3001
check "each line once: $(distinct_q) distinct of $(grep -c ' Q ' "$SYSLOG")" \
    test "$(distinct_q)" -eq 3001 -a "$(grep -c ' Q ' "$SYSLOG")" -eq 3001
check "linklog noticed syslog is back" grep -q "syslog answers again on /dev/log" "$ERR"

# 2. rsyslog stopped in the middle of a stream and started again: at most
#    a handful lost at the instant of the stop (what rsyslog had received
#    but not written), everything else arrives or is counted.
: >"$SYSLOG"
burst 3000 3000 &
SENDER=$!
sleep 0.4
rsyslog_down
sleep 0.3
rsyslog_up
wait "$SENDER"
wait_received 6001
check "the queue drains" wait_drained
written=$(($(counter written_syslog) - 3001))
dropped=$(counter syslog_dropped)
check "stop mid-stream: every line written or counted ($written + $dropped = 3000)" \
    test $((written + dropped)) -eq 3000
wait_count "$SYSLOG" ' Q 10\.' "$((written - 20))" >/dev/null
arrived=$(grep ' Q ' "$SYSLOG" | sort -u | wc -l)
check "at most a handful lost at the stop ($((written - arrived)) of $written)" \
    test $((written - arrived)) -le 20 -a "$arrived" -le "$written"
stop_linklog

# 3. A small queue overflows: the lines beyond it are dropped, counted
#    exactly, and reported once.
: >"$SYSLOG"
rsyslog_down
start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S' --syslog-queue=100
burst 1000 20000
wait_received 1000
check "--syslog-queue=100: 100 lines wait ($(counter syslog_queued))" \
    test "$(counter syslog_queued)" -eq 100
check "900 dropped ($(counter syslog_dropped))" test "$(counter syslog_dropped)" -eq 900
check "the overflow is reported once a minute at most" \
    test "$(grep -c 'syslog queue full (100 lines): lines dropped' "$ERR")" -eq 1
rsyslog_up
check "the 100 queued lines arrive" wait_count "$SYSLOG" ' Q 10\.' 100
stop_linklog
check "written_syslog=100 ($(counter written_syslog))" test "$(counter written_syslog)" -eq 100
check "exactly the 100 that were queued" test "$(distinct_q)" -eq 100

# ... and with rsyslog running, a flood through a 100-line queue: whatever
#     the timing, syslog_dropped = events - written_syslog.
: >"$SYSLOG"
start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S' --syslog-queue=100
burst 20000
sleep 0.5
stop_linklog
events=$(counter events)
written=$(counter written_syslog)
dropped=$(counter syslog_dropped)
check "flood: syslog_dropped = events - written ($dropped = $events - $written)" \
    test "$dropped" -eq $((events - written))
check "flood: the file holds the written lines" wait_count "$SYSLOG" ' Q 10\.' "$written"
check "flood: not more" test "$(grep -c ' Q ' "$SYSLOG")" -eq "$written"

# ... syslog.queue_size in the configuration file does the same.
: >"$SYSLOG"
rsyslog_down
cat >"$WORK/queue.conf" <<EOC
quiet = true;
dns = { enabled = false; };
syslog = { enabled = true; template = "Q %a:%S"; queue_size = 50; };
EOC
start_linklog -c "$WORK/queue.conf"
burst 200 20000
wait_received 200
check "syslog.queue_size = 50: 50 lines wait ($(counter syslog_queued))" \
    test "$(counter syslog_queued)" -eq 50
check "150 dropped ($(counter syslog_dropped))" test "$(counter syslog_dropped)" -eq 150
sed -i 's/queue_size = 50/queue_size = 60/' "$WORK/queue.conf"
kill -HUP "$LL_PID"
check "a reload says the size changes at the next restart" \
    wait_grep "$ERR" "syslog.queue_size change takes effect at the next restart"
rsyslog_up
check "the 50 arrive" wait_count "$SYSLOG" ' Q 10\.' 50
stop_linklog
check "written_syslog=50 ($(counter written_syslog))" test "$(counter written_syslog)" -eq 50

# 4. SIGTERM writes what is queued: rsyslog comes back during the stop.
: >"$SYSLOG"
rsyslog_down
start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S'
burst 500 20000
wait_received 500
kill -TERM "$LL_PID"
sleep 0.5
rsyslog_up
stop_linklog
check "stopped normally" test "$LL_STATUS" -eq 0
check "the 500 queued at SIGTERM are written" test "$(counter written_syslog)" -eq 500
check "and arrive" wait_count "$SYSLOG" ' Q 10\.' 500

# ... rsyslog never comes back: linklog gives up after 5 s, and says so.
rsyslog_down
start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S'
burst 300 20000
wait_received 300
t0=$(date +%s)
kill -TERM "$LL_PID"
wait "$LL_PID"
LL_STATUS=$?
LL_PID=
t1=$(date +%s)
check "stopped normally" test "$LL_STATUS" -eq 0
check "it gave up after a few seconds ($((t1 - t0)) s)" test $((t1 - t0)) -le 8
check "and reported the lines not written" \
    grep -q "syslog did not take 300 queued lines within 5 s: they are not written" "$ERR"
check "they are counted as dropped ($(counter syslog_dropped))" \
    test "$(counter syslog_dropped)" -eq 300

# 5. rsyslog hung (stopped with SIGSTOP): syslog(3) blocks in the writer,
#    the receiver goes on (the log file gets every line), and SIGTERM
#    still ends linklog in bounded time, every line written or counted.
: >"$SYSLOG"
rsyslog_up
RPID=$(cat "$WORK/local.rpid")
start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S' \
    -l "$WORK/file.txt"
kill -STOP "$RPID"
burst 2000 20000
check "with syslog stuck, the file still gets all 2000 lines" \
    wait_lines "$WORK/file.txt" 2000
t0=$(date +%s)
kill -TERM "$LL_PID"
wait "$LL_PID"
LL_STATUS=$?
LL_PID=
t1=$(date +%s)
kill -CONT "$RPID"
written=$(counter written_syslog)
dropped=$(counter syslog_dropped)
check "stopped in bounded time ($((t1 - t0)) s)" test $((t1 - t0)) -le 9
check "every line written or counted ($written + $dropped = 2000)" \
    test $((written + dropped)) -eq 2000
check "what is counted as written arrives" wait_count "$SYSLOG" ' Q 10\.' "$written"
sleep 0.3
check "and nothing more ($(grep -c ' Q ' "$SYSLOG") = $written)" \
    test "$(grep -c ' Q ' "$SYSLOG")" -eq "$written"

# 6. A reload changes the ident of the lines queued after it; those queued
#    before keep theirs.  linklog's own messages never go to syslog,
#    whatever the ident.
: >"$SYSLOG"
rsyslog_down
CONF=$WORK/linklog.conf
cat >"$CONF" <<EOC
quiet = true;
dns = { enabled = false; };
syslog = { enabled = true; ident = "before"; template = "Q %a"; };
EOC
start_linklog -c "$CONF"
send_v1 '@in TCP from 10.201.0.1:1 to 192.168.1.20:22'
send_v1 '@in TCP from 10.201.0.2:1 to 192.168.1.20:22'
wait_received 2
sed -i 's/"before"/"after"/' "$CONF"
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 10.201.0.3:1 to 192.168.1.20:22'
wait_received 3
rsyslog_up
check "the three arrive" wait_count "$SYSLOG" ' Q 10\.' 3
check_line "queued before the reload: the old ident" "$SYSLOG" "before Q 10.201.0.1"
check_line "... both" "$SYSLOG" "before Q 10.201.0.2"
check_line "queued after: the new one" "$SYSLOG" "after Q 10.201.0.3"
sed -i 's/"after"/"linklog"/; s/template = "Q %a"/template = "Q %a %q"/' "$CONF"
kill -HUP "$LL_PID"
wait_grep "$ERR" "reload failed" >/dev/null
kill -USR1 "$LL_PID"
wait_grep "$ERR" "statistics:" >/dev/null
stop_linklog
check "statistics, reload and errors are on standard error" \
    grep -q "^linklog: reload failed" "$ERR"
check_no_line "none of them in syslog: statistics" "$SYSLOG" "statistics"
check_no_line "reloads" "$SYSLOG" "reload"
check_no_line "the stop" "$SYSLOG" "syslog did not"
check "syslog holds traffic only" test "$(grep -v '^rsyslogd ' "$SYSLOG" | grep -vc '^[a-z]* Q 10\.')" -eq 0

# send_big N: a v2c trap whose string is N bytes of 0x01 (escaped by the
# text template as \001: four bytes each).
send_big() {
	python3 - "$PORT" "$1" <<'EOP'
import socket, sys
def tlv(tag, body):
    n = len(body)
    head = bytes([n]) if n < 0x80 else bytes([0x83, n >> 16, (n >> 8) & 255, n & 255])
    return bytes([tag]) + head + body
oid = tlv(0x06, bytes([0x2b, 6, 1, 4, 1, 0x9e, 0x73, 1, 1]))
vb = tlv(0x30, tlv(0x30, oid + tlv(0x04, b"\x01" * int(sys.argv[2]))))
pdu = tlv(0x02, b"\x01") + tlv(0x02, b"\x00") + tlv(0x02, b"\x00") + vb
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
s.sendto(tlv(0x30, tlv(0x02, b"\x01") + tlv(0x04, b"public") + tlv(0xa7, pdu)),
         ("127.0.0.1", int(sys.argv[1])))
EOP
}

# 7. A line longer than one datagram to /dev/log can carry (a forwarded
#    string of 60,000 control bytes is 240,000 bytes escaped; the socket
#    takes about 208 KiB) is lost: it is counted as dropped and said, not
#    counted as written; the lines after it still arrive.
if command -v python3 >/dev/null; then
	: >"$SYSLOG"
	start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S' \
	    --unparsed=forward
	send_big 60000
	send_v1 '@in TCP from 10.202.0.1:1 to 192.168.1.20:22'
	wait_received 2
	check "the line after the long one arrives" wait_grep "$SYSLOG" 'Q 10.202.0.1:1$'
	wait_drained
	check "the long line is counted as dropped ($(counter syslog_dropped))" \
	    test "$(counter syslog_dropped)" -eq 1
	check "not as written ($(counter written_syslog))" \
	    test "$(counter written_syslog)" -eq 1
	check "and said" grep -q "a syslog line of 240[0-9]* bytes is longer than /dev/log takes: dropped (1 so far)" "$ERR"
	stop_linklog

	# A line longer than the whole ring (--syslog-queue=1: 64 KiB) is
	# dropped at once, counted and said; the next one is queued.
	: >"$SYSLOG"
	start_linklog --no-dns -s -q --syslog --syslog-template='Q %a:%S' \
	    --unparsed=forward --syslog-queue=1
	send_big 20000
	wait_received 1
	send_v1 '@in TCP from 10.202.0.2:1 to 192.168.1.20:22'
	wait_received 2
	check "after a line longer than the queue, the next arrives" \
	    wait_grep "$SYSLOG" 'Q 10.202.0.2:1$'
	wait_drained
	check "the long one is dropped ($(counter syslog_dropped))" \
	    test "$(counter syslog_dropped)" -eq 1
	check "the next one written ($(counter written_syslog))" \
	    test "$(counter written_syslog)" -eq 1
	check "and it is said so" grep -q "a syslog line of 80[0-9]* bytes is longer than the whole queue (65536 bytes): dropped" "$ERR"
	stop_linklog
fi

# Under systemd (JOURNAL_STREAM names standard error), each message
# carries its level for the journal instead of the program name.
: >"$WORK/err.txt"
JOURNAL_STREAM=$(stat -c '%d:%i' "$WORK/err.txt")
export JOURNAL_STREAM
start_linklog --no-dns -s -q --syslog
unset JOURNAL_STREAM
kill -USR1 "$LL_PID"
check "journal: the statistics at level info (<6>)" \
    wait_grep "$ERR" '^<6>statistics: received=0 '
stop_linklog
check "journal: no program name in front" \
    test "$(grep -c '^linklog: ' "$ERR")" -eq 0
check_no_line "journal: still nothing in syslog" "$SYSLOG" "statistics"
: >"$WORK/fatal.txt"
JOURNAL_STREAM=$(stat -c '%d:%i' "$WORK/fatal.txt") "$LINKLOG" -p 1 \
    --listen 127.0.0.1 --no-dns -q -l "$WORK/no/such/dir.log" 2>>"$WORK/fatal.txt"
check "journal: an error that stops linklog at level err (<3>)" \
    grep -q '^<3>cannot open log file' "$WORK/fatal.txt"
stop_rsyslog local
finish
