#!/bin/sh
# End to end with real rsyslog: facility, priority and ident; rules by
# priority; SIGHUP reloads and reopens; a bad file at SIGHUP changes
# nothing; rsyslog restarted mid-stream; forwarding to a central rsyslogd.
# (The queue in front of syslog: syslogq.sh.)
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap snmpinform rsyslogd
enter_syslog_namespace "$@"

LOCAL_CONF='module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="t" type="string" string="%syslogfacility-text%.%syslogseverity-text% %programname%%msg%\n")
*.* action(type="omfile" file="'"$WORK"'/syslog.txt" template="t")'
start_rsyslog local "$LOCAL_CONF"
wait_for_socket /dev/log || { cat "$WORK/local.out"; skip "rsyslogd did not start"; }
SYSLOG=$WORK/syslog.txt

# Facility, level and ident as configured; syslog's own template.
start_linklog --no-dns -s -q --syslog=local3 --syslog-priority=notice \
    --syslog-ident=routerlog
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
check "the line arrives in rsyslog" wait_grep "$SYSLOG" '203.0.113.7'
check_line "facility, priority, ident and the syslog template" "$SYSLOG" \
    "local3.notice routerlog 127.0.0.1: [ in, TCP] 203.0.113.7:51234 -> 192.168.1.20:22"
stop_linklog
check "linklog's statistics go to standard error" \
    grep -q "^linklog: statistics: received=1 " "$ERR"
check_no_line "... not to syslog" "$SYSLOG" "statistics"

# The older firmware forms and an inform (issue 13) in syslog too.
: >"$SYSLOG"
start_linklog --no-dns -s -q --syslog=local3
send_v1 '@out 192.168.0.2 8080 24.159.204.248 10325'
send_v2c '@out 192.168.1.200 ==> 24.254.60.13[110].'
check "an inform to a syslog-only linklog is acknowledged" snmpinform -v 2c \
    -c public -t 1 -r 1 "127.0.0.1:$PORT" '' 1.3.6.1.4.1.3955.1 "$TRAP_OID" \
    s '@in 203.0.113.7 51234 192.168.0.2 80'
check "the older forms reach syslog" wait_grep "$SYSLOG" '203.0.113.7'
stop_linklog
check_line "spaces form in syslog" "$SYSLOG" \
    "local3.info linklog 127.0.0.1: [out, -] 192.168.0.2:8080 -> 24.159.204.248:10325"
check_line "arrow form in syslog" "$SYSLOG" \
    "local3.info linklog 127.0.0.1: [out, -] 192.168.1.200:- -> 24.254.60.13:110"
check_line "the inform's line in syslog" "$SYSLOG" \
    "local3.info linklog 127.0.0.1: [ in, -] 203.0.113.7:51234 -> 192.168.0.2:80"

# Rules: inbound TCP to port 22 at warning, everything else at info.
CONF=$WORK/linklog.conf
cat >"$CONF" <<EOC
quiet = true;
dns = { enabled = false; };
show_port_numbers = true;
syslog = { enabled = true; facility = "local5"; template = "A %s -> %d:%D"; };
rules = (
  { filter = { direction = "in"; protocol = "tcp"; port_dest = "22"; };
    syslog = { priority = "warning"; }; final = true; },
  { syslog = { priority = "info"; }; }
);
EOC
: >"$SYSLOG"
start_linklog -c "$CONF"
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
send_v1 '@in TCP from 203.0.113.7:51235 to 192.168.1.20:80'
send_v2c '@out UDP from 192.168.1.20:40000 to 8.8.8.8:22'
wait_received 3
check "three lines" wait_lines "$SYSLOG" 3
check_line "ssh in at warning" "$SYSLOG" "local5.warning linklog A 203.0.113.7 -> 192.168.1.20:22"
check_line "http in at info" "$SYSLOG" "local5.info linklog A 203.0.113.7 -> 192.168.1.20:80"
check_line "udp out to 22 at info" "$SYSLOG" "local5.info linklog A 192.168.1.20 -> 8.8.8.8:22"
check "final: the ssh line is not also at info" \
    test "$(grep -c '192.168.1.20:22$' "$SYSLOG")" -eq 1

# SIGHUP: a changed template is applied.
sed -i 's/template = "A /template = "B /' "$CONF"
kill -HUP "$LL_PID"
check "reload is logged" wait_grep "$ERR" "configuration reloaded"
send_v1 '@in TCP from 203.0.113.9:1 to 192.168.1.20:22'
wait_grep "$SYSLOG" "B 203.0.113.9" >/dev/null
check_line "the new template after SIGHUP" "$SYSLOG" \
    "$(printf 'local5.warning linklog B 203.0.113.9 -> 192.168.1.20:22')"

# SIGHUP with a broken file: nothing changes, and linklog says why.
sed -i 's/template = "B /template = "C %q /' "$CONF"
kill -HUP "$LL_PID"
check "the failed reload is reported with the line" \
    wait_grep "$ERR" "reload failed.*linklog.conf:4: syslog.template: unknown template token '%q'"
send_v1 '@in TCP from 203.0.113.10:1 to 192.168.1.20:22'
check "the old template is still used" wait_grep "$SYSLOG" "B 203.0.113.10 "
echo 'rules = ( ' >"$CONF"
kill -HUP "$LL_PID"
check "a syntax error is reported with its line" \
    wait_grep "$ERR" "reload failed.*linklog.conf:2: syntax error"
send_v1 '@in TCP from 203.0.113.11:1 to 192.168.1.20:22'
check "still running the old configuration" wait_grep "$SYSLOG" "B 203.0.113.11 "
stop_linklog

# A reload builds the whole new state before it switches: one that is
# refused (a bad DNS server, a log file that cannot be opened) changes
# neither ident nor facility, and syslog never keeps a pointer into a
# freed configuration (run under valgrind where it can: no invalid read).
# A reload that turns syslog off takes linklog's own messages off it too.
ident_conf() {
	cat >"$CONF" <<EOC
quiet = $4;
show_port_numbers = true;
dns = { servers = [ "$3" ]; timeout = 100; wait = 300; };
syslog = { enabled = $5; facility = "$2"; ident = "$1"; template = "I %s"; };
${6:-}
EOC
}
RUN=$LINKLOG
# (Not on a sanitizer build: valgrind cannot run ASan or TSan binaries.)
if command -v valgrind >/dev/null && ! ldd "$LINKLOG" | grep -q 'libasan\|libtsan'; then
	cat >"$WORK/vg.sh" <<EOS
#!/bin/sh
exec valgrind --tool=memcheck --error-exitcode=99 --log-file="$WORK/vg.txt" "$LINKLOG" "\$@"
EOS
	chmod 755 "$WORK/vg.sh"
	RUN=$WORK/vg.sh
fi
: >"$SYSLOG"
ident_conf customid local4 127.0.0.1:9 true true
LINKLOG=$RUN LL_DNS_IN_FILE=1 start_linklog -c "$CONF"
send_v1 '@in TCP from 10.5.0.1:1 to 192.168.1.20:22'
check_ident_line() {
	if wait_grep "$SYSLOG" "I $2\$"; then
		check_line "$1" "$SYSLOG" "local4.info customid I $2"
	else
		not_ok "$1: no line for $2"
	fi
}
check_ident_line "the custom ident and facility" 10.5.0.1
ident_conf otherid local6 127.0.0.1:bad true true
kill -HUP "$LL_PID"
check "a bad DNS server refuses the reload" wait_grep "$ERR" "reload failed.*127.0.0.1:bad"
check_no_line "the refusal is not in syslog, whatever the ident" "$SYSLOG" \
    "reload failed"
send_v1 '@in TCP from 10.5.0.2:1 to 192.168.1.20:22'
check_ident_line "after it, lines keep the ident and facility" 10.5.0.2
ident_conf otherid local6 127.0.0.1:9 true true "log_file = \"$WORK/no/such/dir.log\";"
kill -HUP "$LL_PID"
check "a log file that cannot be opened refuses the reload" \
    wait_grep "$ERR" "reload failed.*cannot open log file"
send_v1 '@in TCP from 10.5.0.3:1 to 192.168.1.20:22'
check_ident_line "after that too" 10.5.0.3
ident_conf otherid local6 127.0.0.1:9 false false
kill -HUP "$LL_PID"
check "a reload turning syslog off succeeds" wait_grep "$ERR" "configuration reloaded"
send_v1 '@in TCP from 10.5.0.4:1 to 192.168.1.20:22'
check "its lines go to standard output" wait_grep "$OUT" "10.5.0.4"
kill -USR1 "$LL_PID"
wait_grep "$ERR" "statistics:" >/dev/null
sleep 0.2
check_no_line "nothing more goes to syslog, linklog's messages neither" \
    "$SYSLOG" "configuration reloaded"
check_no_line "(statistics)" "$SYSLOG" "statistics:"
check_no_line "(lines)" "$SYSLOG" "10.5.0.4"
stop_linklog
check "linklog stopped cleanly (exit $LL_STATUS)" test "$LL_STATUS" -eq 0
if [ "$RUN" != "$LINKLOG" ]; then
	sed -n '/Invalid read/,+6p; /ERROR SUMMARY/p' "$WORK/vg.txt" | sed 's/^/    /'
	check "valgrind: no invalid read across the reloads" \
	    grep -q 'ERROR SUMMARY: 0 errors' "$WORK/vg.txt"
fi

# rsyslog stopped and restarted mid-stream: what is sent while it is down
# waits in the queue, and arrives with what is sent after it is back.
start_linklog --no-dns -s -q --syslog --syslog-template='R %a:%S'
send_v1 '@in TCP from 10.1.0.1:1 to 192.168.1.20:22'
check "before the restart" wait_grep "$SYSLOG" "R 10.1.0.1:1"
stop_rsyslog local
rm -f /dev/log
send_v1 '@in TCP from 10.1.0.2:2 to 192.168.1.20:22'
wait_received 2
check "a line sent while syslog is down waits in the queue" \
    test "$(counter syslog_queued)" -eq 1
check "and is not lost" test "$(counter syslog_dropped)" -eq 0
check "syslog's absence is reported" \
    wait_grep "$ERR" "no syslog daemon listens on /dev/log: lines wait in the queue"
start_rsyslog local "$LOCAL_CONF"
wait_for_socket /dev/log
for i in 3 4 5 6 7; do
	send_v1 "@in TCP from 10.1.0.$i:$i to 192.168.1.20:22"
done
wait_received 7
check "every line sent after the restart arrives" wait_grep "$SYSLOG" "R 10.1.0.7:7"
missing=0
for i in 2 3 4 5 6 7; do
	grep -q "R 10.1.0.$i:$i\$" "$SYSLOG" || missing=$((missing + 1))
done
check "none of the six is missing ($missing)" test "$missing" -eq 0
check "linklog noticed syslog is back" wait_grep "$ERR" "syslog answers again on /dev/log"
kill -USR1 "$LL_PID"
check "the six are counted as written" wait_grep "$ERR" " written_syslog=7 "
stop_linklog

# Central collection: a second rsyslogd on 127.0.0.1 receives from the
# first by TCP; linklog's lines arrive there with host and program name.
stop_rsyslog local
rm -f /dev/log
TCPPORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
start_rsyslog central 'module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="'"$TCPPORT"'")
template(name="c" type="string" string="%hostname% %programname%%msg%\n")
*.* action(type="omfile" file="'"$WORK"'/central.txt" template="c")'
for i in $(seq 1 100); do
	grep -q ":$(printf '%04X' "$TCPPORT") " /proc/net/tcp && break
	sleep 0.05
done
start_rsyslog local "$LOCAL_CONF
*.* action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$TCPPORT\" protocol=\"tcp\")"
wait_for_socket /dev/log
start_linklog --no-dns -s -q --syslog
send_v1 '@in TCP from 203.0.113.50:1234 to 192.168.1.20:443'
check "the line reaches the central rsyslogd" \
    wait_grep "$WORK/central.txt" "203.0.113.50"
check_line "intact, with host and program name" "$WORK/central.txt" \
    "$(hostname) linklog 127.0.0.1: [ in, TCP] 203.0.113.50:1234 -> 192.168.1.20:443"
stop_linklog
stop_rsyslog local
stop_rsyslog central
finish
