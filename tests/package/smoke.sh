#!/bin/sh
# Smoke test of the INSTALLED package: the installed binary, configuration
# and rsyslog snippet turn snmptrap traps into lines in /var/log/linklog.log
# (private copies: /var/log, /run and /dev are replaced inside a mount
# namespace; /dev/log is the snippet's socket, as the unit makes it), and
# logwatch, with the installed service files, reports on them.  Needs
# root; skips (77) where namespaces are not allowed.
# Used by CI (.ci/package) and by autopkgtest (debian/tests/control).
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
LINKLOG=/usr/sbin/linklog
. "$top_srcdir/tests/e2e/lib.sh"
need snmptrap rsyslogd logwatch
reexec_in_mount_namespace "$@" || skip "needs root and a mount namespace"
private_dev
mount -t tmpfs linklog-run /run || skip "cannot mount a tmpfs on /run"
mkdir -p "$WORK/varlog"
mount --bind "$WORK/varlog" /var/log

quietly() { "$@" >/dev/null 2>&1; }
check "the installed configuration is valid" \
    quietly "$LINKLOG" -c /etc/linklog/linklog.conf --check-config
check "the package created the user linklog" quietly id linklog
check "the configuration is root:linklog 0640 (it may hold communities)" \
    test "$(stat -c '%U:%G %a' /etc/linklog/linklog.conf)" = "root:linklog 640"

# rsyslogd with the installed snippet and a catch-all on the system socket
# that must not see linklog's traffic (the snippet's ruleset keeps it).
start_rsyslog smoke "module(load=\"imuxsock\" SysSock.Name=\"$WORK/system.sock\")
include(file=\"/etc/rsyslog.d/30-linklog.conf\")
*.* action(type=\"omfile\" file=\"/var/log/other.log\")"
check "rsyslogd opens the snippet's socket" wait_for_socket /run/linklog/dev-log
ln -s /run/linklog/dev-log /dev/log

# The installed configuration on a loopback test port, as the package's
# user, with DNS off (no query leaves the machine).
start_linklog -c /etc/linklog/linklog.conf --run-as=linklog --no-dns
for p in 51234 51235 51236; do
	send_v1 "@in TCP from scanner.example.net(203.0.113.7):$p to nas.lan(192.168.1.20):22"
done
send_v1 '@in TCP from scanner.example.net(203.0.113.7):51237 to nas.lan(192.168.1.20):80'
send_v2c '@out UDP from laptop.lan(192.168.1.30):40000 to dns.example(8.8.8.8):53'
LOG=/var/log/linklog.log
for i in $(seq 1 100); do
	[ "$(grep -c ' -> ' "$LOG" 2>/dev/null)" -ge 5 ] && break
	sleep 0.05
done
stop_linklog
check "five lines in /var/log/linklog.log" test "$(grep -c ' -> ' "$LOG")" -eq 5
check "with the syslog template and program name" \
    grep -q 'linklog\[[0-9]*\]: 127.0.0.1: \[ in, TCP\] 203.0.113.7:51234 -> 192.168.1.20:ssh$' "$LOG"
check "/var/log/linklog.log is root:adm 0640" \
    test "$(stat -c '%U:%G %a' "$LOG")" = "root:adm 640"
check "and nowhere else (the snippet stops them)" \
    sh -c "! grep -q 203.0.113.7 /var/log/other.log 2>/dev/null"
sed 's/^/    /' "$LOG" | head -3

# logwatch with the installed service files.
logwatch --service linklog --logdir /var/log --range All --detail High \
    --output stdout >"$WORK/logwatch.txt" 2>&1
sed 's/^/    /' "$WORK/logwatch.txt"
check "logwatch reports the inbound host and the ports it tried" \
    grep -q '203.0.113.7 .*ssh x3, http x1' "$WORK/logwatch.txt"
check "logwatch reports the outbound host and its destination" \
    grep -q '192.168.1.30 .*8.8.8.8:domain x1' "$WORK/logwatch.txt"
check "logwatch counts by direction and protocol" \
    grep -q 'in TCP *4' "$WORK/logwatch.txt"
stop_rsyslog smoke
finish
