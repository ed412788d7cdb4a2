#!/bin/sh
# Faults: a full disk (a small tmpfs), a log file removed by hand, and a
# SIGTERM in the middle of a burst.  Failures are counted and reported at
# most once a minute; writing resumes when the sink recovers; nothing that
# was received is lost at a stop.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap
# The full-disk case mounts a small tmpfs: run in a private mount
# namespace where allowed (root), the other cases anywhere.
FULL_DISK=
reexec_in_mount_namespace "$@" && FULL_DISK=1
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}

# A log file removed by hand is created again (in a directory where the
# user linklog runs as may create it).
mkdir -m 1777 "$WORK/logs"
LOG=$WORK/logs/removed.log
start_linklog --no-dns -s -q --log-file="$LOG" --template '%a'
send_v1 '@in TCP from 10.3.0.1:1 to 192.168.1.20:22'
wait_lines "$LOG" 1
rm -f "$LOG"
sleep 1.1
send_v1 '@in TCP from 10.3.0.2:1 to 192.168.1.20:22'
check "the removed log file is created again" wait_lines "$LOG" 1
check_line "with the new line" "$LOG" "10.3.0.2"
check "and linklog says so" grep -q "log file $LOG was removed: created it again" "$ERR"
stop_linklog

# Removed right before the next line: noticed before that write, not a
# second later, so no line goes into the deleted file and written_file
# counts only lines someone can read.
start_linklog --no-dns -s -q --log-file="$LOG" --template '%a'
send_v1 '@in TCP from 10.3.1.0:1 to 192.168.1.20:22'
wait_lines "$LOG" 1
lost=0
for n in 1 2 3 4 5; do
	rm -f "$LOG"
	send_v1 "@in TCP from 10.3.1.$n:1 to 192.168.1.20:22"
	wait_lines "$LOG" 1 && grep -qx "10.3.1.$n" "$LOG" || lost=$((lost + 1))
done
check "each line after a removal is in the new file ($lost lost)" test "$lost" -eq 0
wait_received 6
check "written_file counts only readable lines ($(counter written_file))" \
    test "$(counter written_file)" -eq "$(( 1 + 5 - lost ))"
stop_linklog

# A file size limit (ulimit -f, LimitFSIZE=): no SIGXFSZ death; EFBIG is
# counted and reported like a full disk, the partial line is cut back,
# and linklog keeps receiving.
cat >"$WORK/fsize.sh" <<EOS
#!/bin/sh
ulimit -f 8
exec "$LINKLOG" "\$@"
EOS
chmod 755 "$WORK/fsize.sh"
LOG=$WORK/logs/limited.log
PAD=$(printf '%01000d' 0)
LINKLOG=$WORK/fsize.sh start_linklog --no-dns -s -q --log-file="$LOG" --template "%a $PAD"
limit=$(awk '/Max file size/ { print $4 }' "/proc/$LL_PID/limits")
for i in $(seq 1 8); do
	send_v1 "@in TCP from 10.3.2.$i:1 to 192.168.1.20:22"
done
wait_received 8
check "linklog survives the file size limit ($limit bytes)" kill -0 "$LL_PID"
check "the lines over the limit are counted as errors" \
    test "$(counter output_errors)" -ge 1
check "and reported once" \
    test "$(grep -c "cannot write to $LOG: File too large" "$ERR")" -eq 1
check "the file holds whole lines only" \
    test "$(grep -cvx "10.3.2.[0-9] $PAD" "$LOG")" -eq 0
check "written_file + output_errors = lines sent" \
    test "$(( $(counter written_file) + $(counter output_errors) ))" -eq 8
send_v1 '@in TCP from 10.3.3.1:1 to 192.168.1.20:22'
check "it keeps receiving" wait_received 9
stop_linklog
LOG=$WORK/logs/removed.log

# A poll() error stops linklog through the same path as SIGTERM: what
# waits for DNS is written and the final statistics are reported.
if [ "$(id -u)" -eq 0 ] && command -v prlimit >/dev/null &&
    command -v setpriv >/dev/null && command -v python3 >/dev/null; then
	# A DNS server that never answers: the event waits.
	DNSPORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
s.bind(("127.0.0.1",int(sys.argv[1])))
time.sleep(20)' "$DNSPORT" &
	SILENT=$!
	# (LeakSanitizer cannot read /proc with one descriptor allowed.)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    start_linklog --dns-server=127.0.0.1:$DNSPORT --dns-timeout=10000 \
	    --dns-wait=10000 --template '%s'
	send_v1 '@in TCP from 10.3.4.1:1 to 192.168.1.20:22'
	wait_received 1
	# More descriptors to poll than RLIMIT_NOFILE allows: EINVAL.
	# (as linklog's own user: lowering another user's limit needs
	# CAP_SYS_RESOURCE, which a container may not have).
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	    prlimit --pid "$LL_PID" --nofile=1:1
	kill -USR1 "$LL_PID"
	for i in $(seq 1 100); do kill -0 "$LL_PID" 2>/dev/null || break; sleep 0.05; done
	stop_linklog 2>/dev/null
	check "a poll error is reported" grep -q "poll: Invalid argument; stopping" "$ERR"
	check "and exits 1 ($LL_STATUS)" test "$LL_STATUS" -eq 1
	check "the waiting event is written" grep -qx "10.3.4.1" "$OUT"
	check "the final statistics are reported" \
	    test "$(grep 'statistics:' "$ERR" | tail -n 1 | grep -c 'written_stdout=1 ')" -eq 1
	kill "$SILENT" 2>/dev/null
else
	echo "# poll error case skipped: needs root, prlimit, setpriv, python3"
fi

# SIGTERM during a burst: every datagram linklog received is written.
if [ -x "$TRAPSEND" ]; then
	LOG=$WORK/burst.log
	start_linklog --no-dns -s -q --log-file="$LOG"
	"$TRAPSEND" -n 300000 -k 100 -t 20 "127.0.0.1:$PORT" >/dev/null &
	SENDER=$!
	sleep 0.3
	stop_linklog TERM
	wait "$SENDER"
	check "linklog stopped with 0 during the burst" test "$LL_STATUS" -eq 0
	received=$(counter received)
	check "it had received part of the burst ($received)" test "$received" -gt 0
	check "every datagram received was written ($(wc -l <"$LOG") lines)" \
	    test "$(wc -l <"$LOG")" -eq "$received"
	check "the statistics say so" test "$(counter written_file)" -eq "$received"
fi

# A full disk: a 64 KiB tmpfs in the private mount namespace.
if [ -n "$FULL_DISK" ]; then
	mkdir -p "$WORK/small"
	mount -t tmpfs -o size=64k,mode=0755 linklog-small "$WORK/small"
	LOG=$WORK/small/traffic.log
	# Lines of 2 KB, so that the file needs new blocks soon.
	PAD=$(printf '%02000d' 0)
	start_linklog --no-dns -s -q --log-file="$LOG" --template "%a %D $PAD"
	send_v1 '@in TCP from 10.4.0.1:1 to 192.168.1.20:22'
	wait_lines "$LOG" 1
	# Fill the disk.
	dd if=/dev/zero of="$WORK/small/filler" bs=4k 2>/dev/null
	for i in 2 3 4 5 6; do
		send_v1 "@in TCP from 10.4.0.$i:1 to 192.168.1.20:22"
	done
	wait_received 6
	check "write errors are counted" test "$(counter output_errors)" -ge 1
	check "and reported once, not once per line" \
	    test "$(grep -c "cannot write to $LOG: No space left on device" "$ERR")" -eq 1
	check "linklog keeps running" kill -0 "$LL_PID"
	rm -f "$WORK/small/filler"
	send_v1 '@in TCP from 10.4.0.7:1 to 192.168.1.20:22'
	check "writing resumes when there is room again" \
	    wait_grep "$LOG" "^10.4.0.7 22 $PAD\$"
	check "no half line was left by the failed write" \
	    test "$(grep -cvx "10.4.0.[0-9] 22 $PAD" "$LOG")" -eq 0
	stop_linklog
	umount "$WORK/small"
else
	echo "# full-disk case skipped: needs root and a mount namespace"
fi
finish
