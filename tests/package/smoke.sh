#!/bin/sh
# Smoke test of the INSTALLED package: the installed binary, configuration
# and rsyslog snippet turn snmptrap traps into lines in /var/log/linklog.log
# (a private copy: /var/log and /dev are replaced inside a mount
# namespace), and logwatch, with the installed service files, reports on
# them.  Needs root; skips (77) where namespaces are not allowed.
# Used by CI (.ci/package) and by autopkgtest (debian/tests/control).
set -u
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
if [ -z "${LINKLOG_IN_NS:-}" ]; then
	unshare -m --propagation private true 2>/dev/null ||
	    { echo "SKIP: mount namespaces are not allowed"; exit 77; }
	LINKLOG_IN_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

WORK=$(mktemp -d /tmp/linklog-smoke.XXXXXX)
chmod 755 "$WORK"
PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
cleanup() {
	[ -n "${LL:-}" ] && kill "$LL" 2>/dev/null
	[ -n "${RSYSLOGD:-}" ] && kill "$RSYSLOGD" 2>/dev/null
	sleep 0.2
}
trap cleanup EXIT

# A private /dev (with null, zero, random, urandom) and /var/log.
mkdir -p "$WORK/olddev" "$WORK/varlog" "$WORK/spool"
mount --bind /dev "$WORK/olddev"
mount -t tmpfs -o mode=0755 smoke-dev /dev
for n in null zero random urandom; do
	: >"/dev/$n"
	mount --bind "$WORK/olddev/$n" "/dev/$n"
done
umount -l "$WORK/olddev"
mount --bind "$WORK/varlog" /var/log

check "the installed configuration is valid" \
    /usr/sbin/linklog -c /etc/linklog/linklog.conf --check-config >/dev/null 2>&1
check "the package created the user linklog" id linklog >/dev/null

# rsyslogd with the installed snippet, and a catch-all after it that must
# not see linklog's lines (the snippet stops them).
cat >"$WORK/rsyslog.conf" <<EOC
global(workDirectory="$WORK/spool")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
include(file="/etc/rsyslog.d/30-linklog.conf")
*.* action(type="omfile" file="/var/log/other.log")
EOC
rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >"$WORK/rsyslog.out" 2>&1 &
RSYSLOGD=$!
for i in $(seq 1 100); do [ -S /dev/log ] && break; sleep 0.05; done
check "rsyslogd listens on the namespace's /dev/log" test -S /dev/log

PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
# The installed configuration, on a loopback test port, as the package's
# user, with DNS off: names come from the messages.
/usr/sbin/linklog -c /etc/linklog/linklog.conf -p "$PORT" --listen 127.0.0.1 \
    --run-as=linklog --no-dns 2>"$WORK/linklog.err" &
LL=$!
sleep 0.5
export SNMPCONFPATH="$WORK" SNMP_PERSISTENT_DIR="$WORK/snmp" MIBS=""
mkdir -p "$WORK/snmp/cert_indexes"
send() {
	snmptrap -v 1 -c public "127.0.0.1:$PORT" 1.3.6.1.4.1.3955 127.0.0.1 \
	    6 1 '' 1.3.6.1.4.1.3955.1.1 s "$1"
}
for p in 51234 51235 51236; do
	send "@in TCP from scanner.example.net(203.0.113.7):$p to nas.lan(192.168.1.20):22"
done
send '@in TCP from scanner.example.net(203.0.113.7):51237 to nas.lan(192.168.1.20):80'
send '@out UDP from laptop.lan(192.168.1.30):40000 to dns.example(8.8.8.8):53'
LOG=/var/log/linklog.log
for i in $(seq 1 100); do
	[ "$(grep -c ' -> ' "$LOG" 2>/dev/null)" -ge 5 ] && break
	sleep 0.05
done
check "five lines in /var/log/linklog.log" test "$(grep -c ' -> ' "$LOG")" -eq 5
check "with the syslog template and program name" \
    grep -q 'linklog\[[0-9]*\]: 127.0.0.1: \[ in, TCP\] 203.0.113.7:51234 -> 192.168.1.20:ssh$' "$LOG"
check "and nowhere else (the snippet stops them)" \
    sh -c "! grep -q 203.0.113.7 /var/log/other.log 2>/dev/null"
sed 's/^/    /' "$LOG" | head -3

# logwatch with the installed service files.
if command -v logwatch >/dev/null; then
	logwatch --service linklog --logdir /var/log --range All \
	    --detail High --output stdout >"$WORK/logwatch.txt" 2>&1
	sed 's/^/    /' "$WORK/logwatch.txt"
	check "logwatch reports the inbound host" \
	    grep -q '203.0.113.7 .*ssh x3' "$WORK/logwatch.txt"
	check "logwatch reports the outbound host and destination" \
	    grep -q '192.168.1.30 .*8.8.8.8:domain x1' "$WORK/logwatch.txt"
	check "logwatch counts by direction and protocol" \
	    grep -q 'in TCP *4' "$WORK/logwatch.txt"
else
	not_ok "logwatch is not installed"
fi
cleanup
LL=
rm -f "$WORK/rsyslog.pid"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
