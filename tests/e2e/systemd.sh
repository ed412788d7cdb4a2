#!/bin/sh
# systemd: readiness, reload and stop notifications on $NOTIFY_SOCKET, the
# STATUS line, and socket activation (systemd-socket-activate passes the
# UDP socket, linklog binds nothing).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap python3
"$LINKLOG" --help >/dev/null
strings "$LINKLOG" 2>/dev/null | grep -q NOTIFY_SOCKET ||
    ldd "$LINKLOG" | grep -q libsystemd || skip "built without systemd"

# A notify socket that records every message, one per line.
python3 -c 'import socket,sys,signal,os
signal.alarm(60)
s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.bind(sys.argv[1])
f=open(sys.argv[2],"a")
while True:
    m=s.recv(4096).decode()
    f.write(m.replace("\n","|")+"\n"); f.flush()' "$WORK/notify.sock" "$WORK/notify.txt" &
NOTIFIER=$!
for i in $(seq 1 100); do [ -S "$WORK/notify.sock" ] && break; sleep 0.05; done
chmod 777 "$WORK/notify.sock"

NOTIFY_SOCKET=$WORK/notify.sock start_linklog --no-dns -s
check "READY=1 when it listens" wait_grep "$WORK/notify.txt" '^READY=1$'
kill -HUP "$LL_PID"
check "RELOADING=1 on SIGHUP" wait_grep "$WORK/notify.txt" '^RELOADING=1$'
# The second READY=1 comes once the reload is done (slow under ASan).
for i in $(seq 1 100); do
	[ "$(grep -c '^READY=1$' "$WORK/notify.txt")" -ge 2 ] && break
	sleep 0.05
done
check "READY=1 again after the reload" \
    test "$(grep -c '^READY=1$' "$WORK/notify.txt")" -ge 2
stop_linklog
check "STOPPING=1 on SIGTERM" grep -q '^STOPPING=1$' "$WORK/notify.txt"
check "a STATUS line with the counters" grep -q '^STATUS=received=0 ' "$WORK/notify.txt"
kill "$NOTIFIER" 2>/dev/null

if command -v systemd-socket-activate >/dev/null; then
	PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	OUT=$WORK/sa.out ERR=$WORK/sa.err
	systemd-socket-activate -d -l "127.0.0.1:$PORT" \
	    "$LINKLOG" --no-dns -s --template '%a' -p 1 >"$OUT" 2>"$ERR" &
	LL_PID=$!
	for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done
	send_v1 '@in TCP from 10.7.7.7:1 to 192.168.1.20:22'
	check "a trap on the passed socket is received" wait_lines "$OUT" 1
	check_line "... and written" "$OUT" "10.7.7.7"
	check "... and it says the sockets are systemd's, with their earlier drops" \
	    grep -q "listening on UDP 127.0.0.1:$PORT (sockets from systemd, which had dropped 0 datagrams before linklog started)" "$ERR"
	stop_linklog
	check "port 1 was never bound: the passed socket was used" \
	    test "$LL_STATUS" -eq 0

	# A reload that changes port or listen: the socket is systemd's, so
	# the warning does not promise "the next restart".
	CONF=$WORK/sa.conf
	printf 'template = "%%a";\n' >"$CONF"
	chmod 644 "$CONF"
	systemd-socket-activate -d -l "127.0.0.1:$PORT" \
	    "$LINKLOG" --no-dns -s -c "$CONF" >"$OUT" 2>"$ERR" &
	LL_PID=$!
	for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done
	# systemd-socket-activate starts linklog at the first datagram.
	send_v1 '@in TCP from 10.7.7.8:1 to 192.168.1.20:22'
	wait_lines "$OUT" 1
	printf 'template = "%%a";\nport = 1163;\nlisten = [ "127.0.0.2" ];\n' >"$CONF"
	kill -HUP "$LL_PID"
	check "the reload warns that port and listen are systemd's" \
	    wait_grep "$ERR" "reload: port and listen are not used: the sockets come from systemd"
	check_no_line "... not that they apply at the next restart" "$ERR" "next restart"
	stop_linklog

	# A stream socket (ListenStream=) is refused with a clear error.
	# (it is started at the first connection).
	timeout 10 systemd-socket-activate -l "127.0.0.1:$PORT" \
	    "$LINKLOG" --no-dns -s >"$OUT" 2>"$ERR" &
	SA=$!
	for i in $(seq 1 100); do
		grep -q ":$(printf '%04X' "$PORT") " /proc/net/tcp && break
		sleep 0.05
	done
	python3 -c 'import socket,sys
socket.create_connection(("127.0.0.1",int(sys.argv[1])),5).close()' "$PORT"
	wait "$SA"
	rc=$?
	check "a TCP socket from systemd: exit 1 (exit $rc)" test "$rc" -eq 1
	check "... saying why" grep -q \
	    "socket 3 passed by systemd is not a UDP socket: the socket unit needs ListenDatagram=" "$ERR"
fi
finish
