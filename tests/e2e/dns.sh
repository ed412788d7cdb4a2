#!/bin/sh
# End to end: asynchronous reverse DNS against a real dnsmasq on loopback
# (never the machine's own DNS server), a hostile server, and a dead one.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap dnsmasq python3

TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}

DNSPORT=$(free_port)
dnsmasq --keep-in-foreground --port="$DNSPORT" --listen-address=127.0.0.1 \
    --bind-interfaces --no-resolv --no-hosts --local-ttl=300 \
    --log-queries --log-facility="$WORK/dnsmasq.log" --pid-file= --user="$(id -un)" \
    --ptr-record=7.113.0.203.in-addr.arpa,scanner.example.net \
    --ptr-record=20.1.168.192.in-addr.arpa,nas.lan \
    --ptr-record=1.0.0.127.in-addr.arpa,router.lan \
    2>"$WORK/dnsmasq.err" &
DNSMASQ=$!
for i in $(seq 1 100); do port_bound "$DNSPORT" && break; sleep 0.05; done
port_bound "$DNSPORT" || { cat "$WORK/dnsmasq.err"; skip "dnsmasq did not start"; }
queries() { grep -c "query\[PTR\] $1" "$WORK/dnsmasq.log"; }

DNS="--dns-server=127.0.0.1:$DNSPORT"
start_linklog "$DNS" -s
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
wait_received 1
check "names appear in %s and %d" \
    grep -q '\[ in, TCP\] scanner.example.net:51234 -> nas.lan:22$' "$OUT"
for i in 1 2 3 4 5; do
	send_v2c '@in TCP from 203.0.113.7:5000 to 192.168.1.20:22'
done
wait_received 6
stop_linklog
check "six events from one address, one query (the cache answers)" \
    test "$(queries 7.113.0.203)" -eq 1
check "the cache hits are counted" test "$(counter dns_cache_hits)" -ge 10
check "all six lines have names" test "$(grep -c 'scanner.example.net' "$OUT")" -eq 6

# A name carried in the message is used without a query.
: >"$WORK/dnsmasq.log"
start_linklog "$DNS" -s --template '%s'
send_v1 '@in TCP from carried.example(198.51.100.77):1 to 192.168.1.20:22'
wait_received 1
stop_linklog
check_line "the carried name is shown" "$OUT" "carried.example"
check "no query for a carried name" test "$(queries 77.100.51.198)" -eq 0

# A carried name that poses as an address is not shown as the host: the
# address is (the same rule as for PTR names).
start_linklog "$DNS" -s --template '%s'
send_v1 '@in TCP from 10.0.0.1(198.51.100.7):1 to 192.168.1.20:22'
send_v1 '@in TCP from 0x7f000001(198.51.100.8):1 to 192.168.1.20:22'
send_v1 '@in TCP from dhcp.123(198.51.100.9):1 to 192.168.1.20:22'
wait_received 3
wait_lines "$OUT" 3
stop_linklog
check_line "a carried name '10.0.0.1' is refused: the address is shown" \
    "$OUT" "198.51.100.7"
check_line "a carried name '0x7f000001' is refused" "$OUT" "198.51.100.8"
check_line "a carried name with an all-digit last label is refused" \
    "$OUT" "198.51.100.9"

# --no-dns: no query at all, not even for the router.
: >"$WORK/dnsmasq.log"
start_linklog "$DNS" -s --no-dns --template '%s %d %R'
send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
wait_received 1
stop_linklog
check_line "--no-dns shows addresses" "$OUT" "203.0.113.7 192.168.1.20 127.0.0.1"
check "--no-dns makes no query (the original's defect 1)" \
    test "$(grep -c 'query\[' "$WORK/dnsmasq.log")" -eq 0

# %R: the router's name.
start_linklog "$DNS" -s --template '%r %R'
send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
wait_received 1
stop_linklog
check_line "%R is the router's name" "$OUT" "127.0.0.1 router.lan"

# Host filters match resolved names, even with --no-dns for display.
start_linklog "$DNS" -s --no-dns --template '%a' --filter-host-source='*.example.net'
send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
send_v1 '@in TCP from 198.51.100.1:1 to 192.168.1.20:22'
wait_received 2
sleep 0.5
stop_linklog
check "a host filter matches a resolved name" test "$(cat "$OUT")" = "203.0.113.7"
start_linklog "$DNS" -s --template '%a' --filter-host-source='!scanner.*'
send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
send_v1 '@in TCP from 198.51.100.1:1 to 192.168.1.20:22'
wait_received 2
sleep 0.5
stop_linklog
check "an unknown name is kept by an exclusion" test "$(cat "$OUT")" = "198.51.100.1"

# Seventeen servers, the first sixteen silent: the answer comes on
# c-ares' seventeenth socket, which ares_getsock() (16 at most) never
# showed, so it was never read.  The sockets now come from c-ares' socket
# state callback.
SILENT16=$(free_port)
python3 -c 'import select,signal,socket,sys
signal.alarm(30)
base = int(sys.argv[1]); socks = []
for i in range(16):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", base + i)); socks.append(s)
while True:
    for s in select.select(socks, [], [])[0]: s.recv(4096)' "$SILENT16" &
SILENT16_PID=$!
for i in $(seq 1 100); do port_bound $((SILENT16 + 15)) && break; sleep 0.05; done
SERVERS=
for i in $(seq 0 15); do SERVERS="$SERVERS--dns-server=127.0.0.1:$((SILENT16 + i)) "; done
start_linklog $SERVERS "$DNS" --dns-timeout=50 --dns-wait=5000 -s --template '%s'
send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
stop_linklog
check_line "the answer on c-ares' 17th socket is read" "$OUT" "scanner.example.net"
kill "$SILENT16_PID" 2>/dev/null
kill "$DNSMASQ"

# A hostile server: names with control characters or over 253 bytes are
# never printed; a valid one is.
EVILPORT=$(free_port)
python3 "$top_srcdir/tests/e2e/evildns.py" "$EVILPORT" &
EVIL=$!
for i in $(seq 1 100); do port_bound "$EVILPORT" && break; sleep 0.05; done
start_linklog "--dns-server=127.0.0.1:$EVILPORT" -s --template '%s' --dns-wait=500
send_v1 '@in TCP from 10.0.0.1:1 to 192.168.1.20:22'
send_v1 '@in TCP from 10.0.0.2:1 to 192.168.1.20:22'
send_v1 '@in TCP from 10.0.0.3:1 to 192.168.1.20:22'
for i in 5 6 7 8; do
	send_v1 "@in TCP from 10.0.0.$i:1 to 192.168.1.20:22"
done
wait_received 7
wait_lines "$OUT" 7
stop_linklog
check_line "a name with control characters is not used" "$OUT" "10.0.0.1"
check_line "a 305-byte name is not used" "$OUT" "10.0.0.2"
check_line "a valid name from the same server is" "$OUT" "good.example"
check_line "a PTR name '10.0.0.1' is refused: the address is shown" "$OUT" "10.0.0.5"
check_line "a PTR name '12345' is refused" "$OUT" "10.0.0.6"
check_line "a PTR name '0x7f000001' is refused" "$OUT" "10.0.0.7"
check_line "a PTR name with an all-digit last label is refused" "$OUT" "10.0.0.8"
check "seven lines, nothing raw" test "$(wc -l <"$OUT")" -eq 7
check_no_line "no escape byte reached the output" "$OUT" "$(printf '\033')"

# A server that never answers: 2,000 traps at 1,000/s, each from a new
# address.  Every line arrives, in order, with its address, within
# --dns-wait (1 s) plus one second of its trap.
[ -x "$TRAPSEND" ] || { kill "$EVIL"; finish; }
SILENT=$(free_port)
python3 -c 'import socket,signal,time
signal.alarm(60)
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",'"$SILENT"'))
while True: s.recv(4096)' &
SILENT_PID=$!
for i in $(seq 1 100); do port_bound "$SILENT" && break; sleep 0.05; done
OUT=$WORK/stamped.txt ERR=$WORK/err.txt
PORT=$(free_port)
python3 "$top_srcdir/tests/e2e/stamp.py" "$WORK/ll.pid" "$OUT" \
    "$LINKLOG" -p "$PORT" --listen 127.0.0.1 -s --template '%s' \
    "--dns-server=127.0.0.1:$SILENT" 2>"$ERR" &
STAMPER=$!
for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done
LL_PID=$(cat "$WORK/ll.pid")
"$TRAPSEND" -n 2000 -r 1000 -k 2000 -t 10 -l "$WORK/sent.txt" "127.0.0.1:$PORT"
for i in $(seq 1 80); do
	[ "$(wc -l <"$OUT")" -ge 2000 ] && break
	sleep 0.1
done
stop_linklog
wait "$STAMPER"
check "all 2,000 lines arrived with a dead DNS server" \
    test "$(wc -l <"$OUT")" -eq 2000
check "no query was answered" test "$(counter dns_answered)" -eq 0
python3 - "$WORK/sent.txt" "$OUT" >"$WORK/latency.txt" <<'PY'
import sys
sent = {}
for line in open(sys.argv[1]):
    i, t = line.split()
    sent[int(i)] = float(t)
prev, late, order, worst = -1, 0, 0, 0.0
for line in open(sys.argv[2]):
    t, addr = line.split()
    a, b, c = (int(x) for x in addr.split(".")[1:])
    i = a << 16 | b << 8 | c
    if i <= prev:
        order += 1
    prev = i
    delay = float(t) - sent[i]
    worst = max(worst, delay)
    if delay > 2.0:
        late += 1
print("late=%d out_of_order=%d worst=%.3f" % (late, order, worst))
PY
cat "$WORK/latency.txt"
check "in order, each within 2 s of its trap" \
    grep -q '^late=0 out_of_order=0 ' "$WORK/latency.txt"
kill "$SILENT_PID" "$EVIL" 2>/dev/null
finish
