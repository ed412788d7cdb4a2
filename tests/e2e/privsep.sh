#!/bin/sh
# Started as root with a log file, linklog forks a privileged file opener
# (src/privsep.c) and drops every privilege itself; after logrotate moved
# the file out of a root-only directory, SIGHUP still makes a new one.
# The helper holds no socket, opens only what the configuration names,
# and when it dies linklog keeps writing and says so.  Also as root: the
# pid file replaces what another user left at its path, inherited
# descriptors are closed, and linklog runs in "/".
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap
[ "$(id -u)" -eq 0 ] || skip "needs root"
id nobody >/dev/null 2>&1 || skip "no user nobody"

# reloaded N: wait until linklog said "configuration reloaded" N times
# (a trap sent before the reload is done goes by the old configuration).
reloaded() {
	for _ in $(seq 100); do
		[ "$(grep -c 'configuration reloaded' "$ERR")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
VARLOG=$WORK/varlog                      # like /var/log: root's only
mkdir -m 755 "$VARLOG"
LOG=$VARLOG/traffic.log
CONF=$WORK/linklog.conf
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$LOG" >"$CONF"
chmod 644 "$CONF"
mkdir -m 1777 "$WORK/run"
# Another user's file where the pid file goes, and a second name of it.
setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
    sh -c "echo 1 >'$WORK/run/linklog.pid' && ln '$WORK/run/linklog.pid' '$WORK/run/keep'" ||
    skip "cannot act as nobody"
exec 7>"$WORK/inherited"
start_linklog --no-dns -c "$CONF" --run-as=nobody --pid-file="$WORK/run/linklog.pid"
exec 7>&-
send_v1 '@in TCP from 10.8.0.1:1 to 192.168.1.20:22'
check "the first line" wait_lines "$LOG" 1

status=/proc/$LL_PID/status
check "linklog's uid is nobody's" \
    awk '/^Uid:/ { exit !($2 == 65534 && $3 == 65534 && $4 == 65534 && $5 == 65534) }' "$status"
gid=$(id -g nobody)
check "its gid is nobody's group" \
    awk -v g="$gid" '/^Gid:/ { exit !($2 == g && $3 == g && $4 == g && $5 == g) }' "$status"
check "no supplementary group" awk '/^Groups:/ { exit NF != 1 }' "$status"
check "no effective capability" grep -q '^CapEff:[[:space:]]*0*$' "$status"
check "no permitted capability" grep -q '^CapPrm:[[:space:]]*0*$' "$status"
check "no_new_privs" grep -q '^NoNewPrivs:[[:space:]]*1' "$status"

HELPER=$(cat "/proc/$LL_PID/task/$LL_PID/children" 2>/dev/null | tr -d ' ')
check "one child: the file opener ($HELPER)" test -n "$HELPER" -a -d "/proc/$HELPER"
check "it is named linklog-priv" test "$(cat "/proc/$HELPER/comm")" = linklog-priv
check "it keeps root" awk '/^Uid:/ { exit $2 != 0 }' "/proc/$HELPER/status"
check "with one capability only: CAP_DAC_OVERRIDE" \
    grep -q '^CapEff:[[:space:]]*0*2$' "/proc/$HELPER/status"
check "none to regain either" \
    grep -q '^CapBnd:[[:space:]]*0*2$' "/proc/$HELPER/status"
check "and no_new_privs" grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$HELPER/status"
nfd=$(ls "/proc/$HELPER/fd" | wc -l)
check "it holds its socket and 0, 1, 2 only ($nfd)" test "$nfd" -eq 4
check "no UDP socket among them" \
    test "$(find "/proc/$HELPER/fd" -lname 'socket:*' | wc -l)" -eq 1

check "the pid file holds linklog's pid" test "$(cat "$WORK/run/linklog.pid")" = "$LL_PID"
check "it is root's file, not the one nobody left" \
    test "$(stat -c %u "$WORK/run/linklog.pid")" -eq 0
check "nobody's file was not written into" test "$(cat "$WORK/run/keep")" = 1
check "an inherited descriptor is closed" \
    test -z "$(find "/proc/$LL_PID/fd" -lname "$WORK/inherited")"
check "linklog runs in /" test "$(readlink "/proc/$LL_PID/cwd")" = /

# Rotation: mv, SIGHUP, and the next lines land in a new file that the
# helper created in the root-only directory.
mv "$LOG" "$LOG.1"
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 10.8.0.2:1 to 192.168.1.20:22'
check "after mv and SIGHUP, a new file" wait_lines "$LOG" 1
check_line "with the new line" "$LOG" "10.8.0.2"
check "the moved file kept the old line only" test "$(cat "$LOG.1")" = 10.8.0.1
check "the new file is 0640" test "$(stat -c %a "$LOG")" = 640
check "no reload failed" test -z "$(grep 'reload failed' "$ERR")"

# A log file the configuration does not name: the helper re-reads the
# configuration, so a new path in it is opened too.
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$VARLOG/other.log" >"$CONF"
kill -HUP "$LL_PID"
reloaded 2 || echo "# the reload to other.log was not reported"
send_v1 '@in TCP from 10.8.0.3:1 to 192.168.1.20:22'
check "a log file added to the configuration is opened at reload" \
    wait_lines "$VARLOG/other.log" 1
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$LOG" >"$CONF"
kill -HUP "$LL_PID"
reloaded 3 || echo "# the reload back was not reported"
send_v1 '@in TCP from 10.8.0.4:1 to 192.168.1.20:22'
check "and back" wait_lines "$LOG" 2

# The unprivileged side cannot choose what the helper opens.  A directory
# on the way that nobody can change: nobody replaced its subdirectory by
# a link to a root-only one; the helper refuses rather than create the
# file there.
mkdir -m 700 "$WORK/rootonly"
mkdir -m 755 "$VARLOG/nobodys"
chown nobody "$VARLOG/nobodys"
ln -s "$WORK/rootonly" "$VARLOG/nobodys/linklog"
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' \
    "$VARLOG/nobodys/linklog/planted.log" >"$CONF"
kill -HUP "$LL_PID"
check "a log file in a directory another user can change is refused" \
    wait_grep "$ERR" "reload failed.*the directory '$VARLOG/nobodys' can be changed by a user other than root"
check "nothing was created through the link" test -z "$(ls "$WORK/rootonly")"
# A configuration that nobody can rewrite would let nobody name any file.
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' \
    "$WORK/rootonly/victim" >"$CONF"
chown nobody "$CONF"
kill -HUP "$LL_PID"
check "a configuration another user can write is not read by the helper" \
    wait_grep "$ERR" "reload failed.*privileged file opener cannot read the configuration ('$CONF': can be written by a user other than root"
check "and the file it names is not created" test -z "$(ls "$WORK/rootonly")"
chown root "$CONF"
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$LOG" >"$CONF"
kill -HUP "$LL_PID"
check "a root-only configuration loads again" reloaded 4

# The helper dies: linklog says so and keeps writing to its open file; a
# reopen then runs with linklog's own rights and fails in a root-only
# directory: the reload is refused and the file in use is kept.
kill -KILL "$HELPER"
check "linklog reports the helper's death" \
    wait_grep "$ERR" "privileged file opener was killed by signal 9"
send_v1 '@in TCP from 10.8.0.5:1 to 192.168.1.20:22'
check "lines still go to the open file" wait_lines "$LOG" 3
mv "$LOG" "$LOG.2"
kill -HUP "$LL_PID"
check "a reopen without the helper is refused" \
    wait_grep "$ERR" "reload failed.*cannot open log file '$LOG': Permission denied"
send_v1 '@in TCP from 10.8.0.6:1 to 192.168.1.20:22'
check "the file in use keeps the lines" wait_lines "$LOG.2" 4
check "linklog is still running" kill -0 "$LL_PID"
# The file in use removed, and no helper to create it again in a root-only
# directory: the lines are lost and counted so, not counted as written.
wait_received 6 >/dev/null
written=$(counter written_file)
rm "$LOG.2"
send_v1 '@in TCP from 10.8.0.7:1 to 192.168.1.20:22'
check "a removed file that cannot be created again is reported" \
    wait_grep "$ERR" "log file $LOG was removed and cannot be created again"
wait_received 7 >/dev/null
check "its line is not counted as written ($written)" \
    test "$(counter written_file)" -eq "$written"
check "but as an output error" test "$(counter output_errors)" -eq 1
stop_linklog
check "it stopped with 0" test "$LL_STATUS" -eq 0
check "without the helper, nobody cannot remove its pid file, and says so" \
    grep -q "cannot remove the pid file '$WORK/run/linklog.pid': Operation not permitted" "$ERR"

# A pid file in a directory only root can write, and no log file: the
# helper is forked for the pid file alone, and removes it at exit.
mkdir -m 755 "$WORK/rootrun"
start_linklog --no-dns -q --run-as=nobody --pid-file="$WORK/rootrun/linklog.pid"
check "the pid file is written" test "$(cat "$WORK/rootrun/linklog.pid")" = "$LL_PID"
stop_linklog
check "and removed at exit" test ! -e "$WORK/rootrun/linklog.pid"

# A refused reload changes nothing in the helper either: the reload that
# named a directory as log file is refused, and the running file, when
# removed, is still created again through the helper.
A=$VARLOG/a.log
mkdir -m 755 "$VARLOG/adir"
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$A" >"$CONF"
start_linklog --no-dns -c "$CONF" --run-as=nobody
send_v1 '@in TCP from 10.8.2.1:1 to 192.168.1.20:22'
check "a second run writes its file" wait_lines "$A" 1
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$VARLOG/adir" >"$CONF"
kill -HUP "$LL_PID"
check "a reload naming a directory is refused" \
    wait_grep "$ERR" "reload failed.*'$VARLOG/adir': Is a directory"
rm "$A"
send_v1 '@in TCP from 10.8.2.2:1 to 192.168.1.20:22'
check "the running file, removed, is created again by the helper" \
    wait_grep "$A" "^10.8.2.2$"
check "and the helper did not refuse it" test -z "$(grep 'refused by the privileged' "$ERR")"
stop_linklog
printf 'log_file = "%s";\nquiet = true;\ntemplate = "%%a";\n' "$LOG" >"$CONF"

# At start too: a configuration nobody can write stops a root start.
chown nobody "$CONF"
timeout 10 "$LINKLOG" --no-dns -c "$CONF" --run-as=nobody --listen=127.0.0.1 \
    --port=16297 2>"$WORK/start.err"
check "started as root from a configuration another user can write: exit 1" \
    test $? -eq 1
check "saying why" grep -q "'$CONF': can be written by a user other than root" "$WORK/start.err"
chown root "$CONF"
# Without a log file or a pid file there is no helper, and no such rule.
printf 'template = "%%a";\n' >"$WORK/nohelper.conf"
chown nobody "$WORK/nohelper.conf"
start_linklog --no-dns -c "$WORK/nohelper.conf" --run-as=nobody
check "no log file, no pid file: a configuration nobody can write starts" \
    kill -0 "$LL_PID"
# With no helper, a log file added at a reload in a root-only directory
# cannot be opened: the reason says why and what to do.
printf 'template = "%%a";\nlog_file = "%s";\n' "$VARLOG/late.log" >"$WORK/nohelper.conf"
kill -HUP "$LL_PID"
check "a log file added at a reload without the helper: refused, saying why" \
    wait_grep "$ERR" "reload failed.*'$VARLOG/late.log': Permission denied (linklog was started as root with no log file, so it opens files with the --run-as user's rights; restart it"
stop_linklog
# ... and so does a file it takes in with @include.
printf 'quiet = true;\n' >"$WORK/included.conf"
chown nobody "$WORK/included.conf"
printf '@include "%s"\nlog_file = "%s";\n' "$WORK/included.conf" "$LOG" >"$WORK/including.conf"
timeout 10 "$LINKLOG" --no-dns -c "$WORK/including.conf" --run-as=nobody \
    --listen=127.0.0.1 --port=16297 2>"$WORK/start.err"
check "an @include'd file another user can write: exit 1 too" test $? -eq 1
check "naming it" grep -q "'$WORK/included.conf': can be written by a user other than root" "$WORK/start.err"
# A relative configuration path with a relative @include: the helper
# reads it from where linklog started, as linklog did.
chown root "$WORK/included.conf"
printf '@include "included.conf"\nlog_file = "%s";\ntemplate = "%%a";\n' "$A" >"$WORK/including.conf"
here=$(pwd)
cd "$WORK"
start_linklog --no-dns -c including.conf --run-as=nobody
cd "$here"
send_v1 '@in TCP from 10.8.3.1:1 to 192.168.1.20:22'
check "a relative @include does not make the helper refuse the log file" \
    wait_grep "$A" "^10.8.3.1$"
stop_linklog

# Not started as root: no helper, the files are opened by linklog itself.
cat >"$WORK/asnobody.sh" <<EOS
#!/bin/sh
exec setpriv --reuid=nobody --regid=$gid --clear-groups "$LINKLOG" "\$@"
EOS
chmod 755 "$WORK/asnobody.sh"
LINKLOG=$WORK/asnobody.sh start_linklog --no-dns -q --template '%a' \
    --log-file="$WORK/run/nobody.log"
send_v1 '@in TCP from 10.8.1.1:1 to 192.168.1.20:22'
check "started as nobody, it writes its file" wait_lines "$WORK/run/nobody.log" 1
check "and has no child process" \
    test -z "$(cat "/proc/$LL_PID/task/$LL_PID/children")"
stop_linklog
finish
