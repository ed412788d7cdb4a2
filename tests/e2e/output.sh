#!/bin/sh
# End to end: the log file (append, mode 0640, lines visible at once),
# --quiet, and privilege dropping when started as root.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

LOG=$WORK/traffic.log
echo "an older line" >"$LOG"
start_linklog --no-dns -s -q --log-file="$LOG"
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
# While linklog still runs: the line must already be in the file.
check "the line is in the file at once (no block buffering)" wait_lines "$LOG" 2
check "the file is appended to" grep -qx "an older line" "$LOG"
stop_linklog
check "--quiet writes nothing to standard output" test ! -s "$OUT"
check "the event line is in the file" \
    grep -q '203.0.113.7:51234 -> 192.168.1.20:22$' "$LOG"

NEW=$WORK/new.log
saved_umask=$(umask)
umask 0
start_linklog --no-dns -q --log-file="$NEW"
umask "$saved_umask"
check "a new log file is created with mode 0640" \
    test "$(stat -c %a "$NEW")" = 640
stop_linklog

# Both outputs at once.
start_linklog --no-dns -s --log-file="$NEW"
send_v2c '@out UDP from 192.168.1.20:40000 to 8.8.8.8:53'
wait_received 1
stop_linklog
check "standard output has the line" grep -q '8.8.8.8:53$' "$OUT"
check "the file has the same line" grep -q '8.8.8.8:53$' "$NEW"

# SIGHUP reopens the log file after logrotate moved it away (logrotate's
# "create" makes the new file, owned by the user linklog runs as).
ROT=$WORK/rotated.log
start_linklog --no-dns -s -q --log-file="$ROT" --template '%a'
send_v1 '@in TCP from 10.9.0.1:1 to 192.168.1.20:22'
wait_lines "$ROT" 1
mv "$ROT" "$ROT.1"
install -m 640 -o "$(id -un nobody 2>/dev/null || id -un)" /dev/null "$ROT" 2>/dev/null ||
    install -m 640 /dev/null "$ROT"
kill -HUP "$LL_PID"
sleep 0.2
send_v1 '@in TCP from 10.9.0.2:1 to 192.168.1.20:22'
check "after SIGHUP the new file gets the new line" wait_lines "$ROT" 1
stop_linklog
check_line "the new file has only the new line" "$ROT" "10.9.0.2"
check "the rotated file kept the old line and no more" \
    test "$(cat "$ROT.1")" = "10.9.0.1"

# As root: bind, open the file, then become the --run-as user with no
# supplementary group left (the original kept root's groups: defect 7).
if [ "$(id -u)" -eq 0 ]; then
	start_linklog --no-dns -q --log-file="$WORK/root.log" --run-as=nobody \
	    --pid-file="$WORK/linklog.pid"
	check "the pid file holds the pid" test "$(cat "$WORK/linklog.pid")" = "$LL_PID"
	check "the pid file is not writable by other users" \
	    test "$(( $(stat -c '0%a' "$WORK/linklog.pid") & 022 ))" -eq 0
	check "the log file is not writable (or readable) by other users" \
	    test "$(( $(stat -c '0%a' "$WORK/root.log") & 027 ))" -eq 0
	status=/proc/$LL_PID/status
	check "uid is nobody's" \
	    awk '/^Uid:/ { exit !($2 == 65534 && $3 == 65534 && $4 == 65534) }' "$status"
	gid=$(id -g nobody)
	check "gid is nobody's group" \
	    awk -v g="$gid" '/^Gid:/ { exit !($2 == g && $3 == g && $4 == g) }' "$status"
	check "no supplementary groups" \
	    awk '/^Groups:/ { exit NF != 1 }' "$status"
	check "no effective capabilities" grep -q '^CapEff:[[:space:]]*0*$' "$status"
	check "no_new_privs is set" grep -q '^NoNewPrivs:[[:space:]]*1' "$status"
	send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
	check "it still writes the file opened as root" wait_lines "$WORK/root.log" 1
	stop_linklog
fi
finish
