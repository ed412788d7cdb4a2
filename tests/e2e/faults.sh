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
	mount -t tmpfs -o size=64k,mode=0777 linklog-small "$WORK/small"
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
