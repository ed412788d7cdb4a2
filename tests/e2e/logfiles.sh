#!/bin/sh
# Log files are opened safely: a symbolic link planted at the path is
# refused (not followed), a FIFO cannot make linklog hang, and only a
# regular file is written.  At start that is exit 1; at a reload the
# reload is refused and the running file is kept.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap timeout

mkdir -m 1777 "$WORK/logs"
cd "$WORK/logs"

# A symbolic link at the path: exit 1, the target is not touched.
echo "secret" >"$WORK/target"
ln -s "$WORK/target" "$WORK/logs/link.log"
timeout 10 "$LINKLOG" --no-dns -p 9 --listen 127.0.0.1 -q \
    --log-file="$WORK/logs/link.log" >/dev/null 2>"$WORK/e.err"
check "a symbolic link as log file: exit 1" test $? -eq 1
check "... with a clear message" grep -qF \
    "linklog: cannot open log file '$WORK/logs/link.log': is a symbolic link" "$WORK/e.err"
check "... and the link's target is untouched" test "$(cat "$WORK/target")" = secret

# A FIFO without a reader: no hang, exit 1.
mkfifo "$WORK/logs/fifo.log"
timeout 10 "$LINKLOG" --no-dns -p 9 --listen 127.0.0.1 -q \
    --log-file="$WORK/logs/fifo.log" >/dev/null 2>"$WORK/e.err"
rc=$?
check "a FIFO as log file: exit 1, no hang (exit $rc)" test "$rc" -eq 1
check "... saying it is not a regular file" grep -qF \
    "cannot open log file '$WORK/logs/fifo.log': is not a regular file" "$WORK/e.err"
# With a reader the open itself succeeds: fstat() refuses it.
exec 3<>"$WORK/logs/fifo.log"
timeout 10 "$LINKLOG" --no-dns -p 9 --listen 127.0.0.1 -q \
    --log-file="$WORK/logs/fifo.log" >/dev/null 2>"$WORK/e.err"
rc=$?
exec 3>&-
check "a FIFO with a reader: exit 1 too (exit $rc)" test "$rc" -eq 1
check "... not a regular file" grep -qF "is not a regular file" "$WORK/e.err"
# A device neither.
timeout 10 "$LINKLOG" --no-dns -p 9 --listen 127.0.0.1 -q \
    --log-file=/dev/null >/dev/null 2>"$WORK/e.err"
check "a device as log file: exit 1" test $? -eq 1

# At a reload: a link planted where the file was rotated away is
# refused; the running file keeps the lines.
LOG=$WORK/logs/traffic.log
CONF=$WORK/linklog.conf
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$LOG" >"$CONF"
chmod 644 "$CONF"
start_linklog --no-dns -c "$CONF"
send_v1 '@in TCP from 10.7.0.1:1 to 192.168.1.20:22'
check "the first line" wait_lines "$LOG" 1
mv "$LOG" "$LOG.1"
ln -s "$WORK/target" "$LOG"
kill -HUP "$LL_PID"
check "a reload onto a symbolic link is refused" \
    wait_grep "$ERR" "reload failed.*'$LOG': is a symbolic link"
send_v1 '@in TCP from 10.7.0.2:1 to 192.168.1.20:22'
check "the running file keeps the lines" wait_lines "$LOG.1" 2
check "the link's target is untouched" test "$(cat "$WORK/target")" = secret
rm -f "$LOG"
mkfifo "$LOG"
kill -HUP "$LL_PID"
check "a reload onto a FIFO is refused, without a hang" \
    wait_grep "$ERR" "reload failed.*'$LOG': is not a regular file"
send_v1 '@in TCP from 10.7.0.3:1 to 192.168.1.20:22'
check "and the running file still gets the lines" wait_lines "$LOG.1" 3
rm -f "$LOG"
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 10.7.0.4:1 to 192.168.1.20:22'
check "a reload with the path free again creates a new file" wait_lines "$LOG" 1
check_line "with the new line" "$LOG" "10.7.0.4"
stop_linklog

# A relative path is taken from the directory linklog started in, at
# start and at every reload (linklog itself changes to /).
printf 'log_file = "relative.log";\nquiet = true;\ntemplate = "%%a";\n' >"$CONF"
start_linklog --no-dns -c ../linklog.conf
send_v1 '@in TCP from 10.7.1.1:1 to 192.168.1.20:22'
check "a relative log file is opened where linklog started" \
    wait_lines "$WORK/logs/relative.log" 1
mv relative.log relative.log.1
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 10.7.1.2:1 to 192.168.1.20:22'
check "the relative configuration path and log file at a reload" \
    wait_lines "$WORK/logs/relative.log" 1
stop_linklog
finish
