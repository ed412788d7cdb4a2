#!/bin/sh
# Settings read at start only (port, listen, run_as, pid_file,
# receive_buffer, syslog.queue_size): a reload that changes them keeps
# the running values and says so in one line; at exit the pid file that
# was written is removed, not the one the reloaded file names.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

CONF=$WORK/linklog.conf
RUN=$WORK/run
# Writable by the user linklog becomes as root, so it can remove the file.
mkdir -m 777 "$RUN"
printf 'template = "A %%a";\npid_file = "%s/a.pid";\nreceive_buffer = 65536;\n' \
    "$RUN" >"$CONF"
chmod 644 "$CONF"
start_linklog --no-dns -c "$CONF"
check "the pid file of the start is written" wait_grep "$RUN/a.pid" "^$LL_PID\$"

# The new file changes three restart-only settings and the template.
printf 'template = "B %%a";\npid_file = "%s/b.pid";\nreceive_buffer = 131072;\nrun_as = "%s";\n' \
    "$RUN" "$(id -un)" >"$CONF"
# Someone else's file at the new path: it must survive linklog's exit.
echo decoy >"$RUN/b.pid"
kill -HUP "$LL_PID"
check "the reload is applied" wait_grep "$ERR" "configuration reloaded"
check "it says, in one line, what waits for a restart" grep -qF \
    "reload: run_as, pid_file, receive_buffer changes take effect at the next restart" "$ERR"
check "... once" test "$(grep -c 'next restart' "$ERR")" -eq 1
send_v1 '@in TCP from 10.9.0.1:1 to 192.168.1.20:22'
check "what a reload applies is applied" wait_grep "$OUT" "^B 10.9.0.1\$"

# A second reload with the same file: it still runs with the start's
# values, so it says so again (once).
kill -HUP "$LL_PID"
for i in $(seq 1 100); do
	[ "$(grep -c 'configuration reloaded' "$ERR")" -ge 2 ] && break
	sleep 0.05
done
check "a second reload says it again, once" \
    test "$(grep -c 'next restart' "$ERR")" -eq 2
stop_linklog
check "linklog stopped normally" test "$LL_STATUS" -eq 0
check "the pid file it wrote is removed" test ! -e "$RUN/a.pid"
check "the file at the reloaded path is left alone" grep -qx decoy "$RUN/b.pid"

# A reload refuses what the start and --check-config refuse, with the
# file, the line and the key; the running settings are kept.
printf 'template = "K %%a";\n' >"$CONF"
start_linklog --no-dns -c "$CONF"
printf 'template = "L %%a";\nrun_as = "nosuchuser";\nlisten = [ "::ffff:127.0.0.1" ];\n' >"$CONF"
kill -HUP "$LL_PID"
check "a reload with an unknown run_as is refused" wait_grep "$ERR" \
    "reload failed.*$CONF:2: run_as: unknown user 'nosuchuser'"
check "... and an IPv4-mapped listen" grep -q \
    "$CONF:3: listen\[0\]: invalid listen address '::ffff:127.0.0.1'" "$ERR"
send_v1 '@in TCP from 10.9.0.2:1 to 192.168.1.20:22'
check "the running template is kept" wait_grep "$OUT" "^K 10.9.0.2\$"
stop_linklog

# One restart-only setting: "a ... change".
printf 'template = "%%a";\n' >"$CONF"
start_linklog --no-dns -c "$CONF"
printf 'template = "%%a";\nsyslog = { queue_size = 1000; };\n' >"$CONF"
kill -HUP "$LL_PID"
check "one change is named alone" wait_grep "$ERR" \
    "reload: a syslog.queue_size change takes effect at the next restart"
stop_linklog
finish
