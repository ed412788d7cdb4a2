#!/bin/sh
# The statistics line (SIGUSR1, the stop) and systemd's STATUS= are built
# from one table of counters (src/stats.c): both carry every counter,
# waited_out included, with the same values.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap python3
ldd "$LINKLOG" 2>/dev/null | grep -q libsystemd || skip "built without libsystemd"

# A notify socket like systemd's: every datagram received, one a line.
NOTIFY=$WORK/notify
python3 - "$NOTIFY" "$WORK/notify.txt" <<'EOP' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)    # linklog may have become nobody
s.settimeout(0.2)
end = time.time() + 15
with open(sys.argv[2], "w") as out:
    while time.time() < end:
        try:
            msg = s.recv(65536).decode()
        except socket.timeout:
            continue
        out.write(msg.replace("\n", " ") + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
EOP
LISTENER=$!
for i in $(seq 1 100); do [ -S "$NOTIFY" ] && break; sleep 0.05; done

# A DNS server that never answers, and a query time-out longer than the
# wait: the event waits its whole --dns-wait, then is written.
python3 - "$WORK/dns.port" <<'EOP' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
time.sleep(15)
EOP
SILENT=$!
for i in $(seq 1 100); do [ -s "$WORK/dns.port" ] && break; sleep 0.05; done
export NOTIFY_SOCKET="$NOTIFY"
start_linklog -s --template '%s' --dns-server="127.0.0.1:$(cat "$WORK/dns.port")" \
    --dns-timeout=5000 --dns-wait=300
unset NOTIFY_SOCKET
send_v1 '@in TCP from 10.11.0.1:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
kill -USR1 "$LL_PID"
check "SIGUSR1 writes the statistics" wait_grep "$ERR" "statistics:"
check "they count the event that waited out its names" \
    test "$(counter waited_out)" -eq 1
check "... and the rest of the table" test "$(counter events)" -eq 1 -a \
    "$(counter written_stdout)" -eq 1 -a -n "$(counter syslog_dropped)"
stop_linklog
kill "$SILENT" 2>/dev/null
wait "$LISTENER"
status=$(grep '^STATUS=' "$WORK/notify.txt" | head -n 1)
check "systemd's STATUS= is sent" test -n "$status"
# The same names, in the same order, as the statistics line.
names_of() { tr ' ' '\n' | sed -n 's/^\(STATUS=\)\{0,1\}\([a-z_]*\)=.*/\2/p' | tr '\n' ' '; }
check "STATUS= carries every counter of the statistics line" test \
    "$(echo "$status" | names_of)" = \
    "$(grep 'statistics:' "$ERR" | tail -n 1 | sed 's/.*statistics: //' | names_of)"
check "... waited_out included" sh -c "echo '$status' | grep -q ' waited_out='"
finish
