#!/bin/sh
# SIGHUP re-reads /etc/resolv.conf when no DNS server is configured
# (issue 15 item 3).  Run in private mount and network namespaces: the
# test's own resolv.conf is bind-mounted over /etc/resolv.conf, and the
# two dnsmasq it names listen on that namespace's loopback, so neither
# the machine's resolver nor its resolv.conf is ever touched.  Skips (77)
# where namespaces are not allowed.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap dnsmasq unshare ip

if [ -z "${LINKLOG_IN_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] && unshare -m -n --propagation private true \
	    2>/dev/null || skip "mount and network namespaces are not allowed here"
	rm -rf "$WORK"
	trap - EXIT
	LINKLOG_IN_NS=1 exec unshare -m -n --propagation private sh "$0" "$@"
fi
ip link set lo up || skip "cannot bring up the namespace's loopback"

echo "nameserver 127.0.0.61" >"$WORK/resolv.conf"
mount --bind "$WORK/resolv.conf" /etc/resolv.conf ||
    skip "cannot bind-mount over /etc/resolv.conf"

# Two servers that name 203.0.113.7 differently.
for n in 61 62; do
	dnsmasq --keep-in-foreground --port=53 --listen-address=127.0.0.$n \
	    --bind-interfaces --no-resolv --no-hosts --pid-file= \
	    --user="$(id -un)" \
	    --ptr-record=7.113.0.203.in-addr.arpa,server$n.example \
	    2>"$WORK/dnsmasq$n.err" &
	echo $! >"$WORK/dnsmasq$n.pid"
done
for i in $(seq 1 100); do
	grep -q ':0035 ' /proc/net/udp && [ "$(grep -c ':0035 ' /proc/net/udp)" -ge 2 ] && break
	sleep 0.05
done

# Not start_linklog: that names a DNS server, and here none must be.
OUT=$WORK/out.txt ERR=$WORK/err.txt PORT=16162
"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --dns-wait=3000 -s --template '%s' \
    >"$OUT" 2>"$ERR" &
LL_PID=$!
for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done

send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
check_line "the server of resolv.conf answers" "$OUT" "server61.example"

echo "nameserver 127.0.0.62" >"$WORK/resolv.conf"
kill -HUP "$LL_PID"
for i in $(seq 1 100); do
	grep -q "configuration reloaded" "$ERR" && break
	sleep 0.05
done
send_v1 '@in TCP from 203.0.113.7:1 to 192.168.1.20:22'
wait_lines "$OUT" 2
stop_linklog
check "after SIGHUP, the server resolv.conf names now answers" \
    test "$(sed -n 2p "$OUT")" = "server62.example"
kill "$(cat "$WORK/dnsmasq61.pid")" "$(cat "$WORK/dnsmasq62.pid")" 2>/dev/null
finish
