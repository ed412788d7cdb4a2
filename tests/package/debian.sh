#!/bin/sh
# The Debian packaging, without building or installing it: the autopkgtest
# control as autopkgtest's own parser reads it, the rsyslog snippet in a
# real rsyslogd (traffic socket -> /var/log/linklog.log root:adm 0640 and
# nowhere else; linklog's diagnostics, which reach rsyslog from the
# journal, stay out of it), the logrotate entry in a real logrotate with
# and without rsyslog's rotate helper, the packaged configuration's safe
# defaults, the manual pages under mandoc -Tlint, and no placeholder left.
# rsyslogd and logrotate run in a private mount namespace (/run, /var/log
# and /usr/lib/rsyslog are the test's own); skips (77) where not allowed.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/e2e/lib.sh"
need rsyslogd logger logrotate mandoc
[ -f /usr/share/autopkgtest/lib/testdesc.py ] || skip "autopkgtest is not installed"
reexec_in_mount_namespace "$@" || skip "needs root and a mount namespace"
D=$top_srcdir/debian

# --- autopkgtest: debian/tests/control through autopkgtest's parser.
/usr/bin/python3 - "$top_srcdir" >"$WORK/tests.txt" 2>&1 <<'EOF'
import sys
sys.path.insert(0, '/usr/share/autopkgtest/lib')
import testdesc
caps = ['isolation-container', 'isolation-machine', 'root-on-testbed']
tests, skipped = testdesc.parse_debian_source(sys.argv[1], caps, 'amd64')
for t in tests:
    print(t.name, ' '.join(sorted(t.restrictions)), ' '.join(t.depends))
print('skipped', skipped)
EOF
sed 's/^/    /' "$WORK/tests.txt"
check "autopkgtest parses debian/tests/control, skipping nothing" \
    grep -qx 'skipped False' "$WORK/tests.txt"
check "the smoke test may exit 77: skippable" \
    grep -q '^smoke .*skippable' "$WORK/tests.txt"
check "the service test needs a booted machine" \
    grep -q '^service .*isolation-machine.*needs-root' "$WORK/tests.txt"
check "both test scripts are executable" \
    test -x "$D/tests/smoke" -a -x "$D/tests/service"

# --- rsyslog: the snippet in a real rsyslogd, its own /run and /var/log.
private_dev
mount -t tmpfs linklog-run /run || skip "cannot mount a tmpfs on /run"
mkdir -p "$WORK/varlog"
mount --bind "$WORK/varlog" /var/log || skip "cannot bind-mount /var/log"
cat >"$WORK/rsyslog-check.conf" <<EOF
module(load="imuxsock" SysSock.Name="$WORK/system.sock")
include(file="$D/etc/30-linklog.conf")
*.* action(type="omfile" file="/var/log/syslog")
EOF
check "rsyslogd -N1 accepts the snippet" \
    sh -c "rsyslogd -N1 -f '$WORK/rsyslog-check.conf' >'$WORK/n1.out' 2>&1"
start_rsyslog pkg "module(load=\"imuxsock\" SysSock.Name=\"$WORK/system.sock\")
include(file=\"$D/etc/30-linklog.conf\")
*.* action(type=\"omfile\" file=\"/var/log/syslog\")"
check "rsyslogd creates linklog's socket, /run/linklog/dev-log" \
    wait_for_socket /run/linklog/dev-log
# What the unit's BindPaths= gives the service: /dev/log is that socket.
ln -s /run/linklog/dev-log /dev/log
logger -t linklog -p daemon.info '127.0.0.1: [ in, TCP] 203.0.113.7:51234 -> 192.168.1.20:ssh'
logger -t custom -p daemon.info '127.0.0.1: [out, UDP] 192.168.1.30:4000 -> 8.8.8.8:domain'
# A scan line, at scan.priority's default, notice.
logger -t linklog -p daemon.notice '127.0.0.1: [port scan start] [ in, TCP] 198.51.100.9 -> 192.168.1.1:*: 15 distinct in 3 s, 0 not shown: 1,2,3'
logger -t linklog -p daemon.warning '127.0.0.1: [ in, TCP] 203.0.113.70:1 -> 192.168.1.20:ssh'

# linklog's own diagnostics come from the journal, on the system socket.
logger -u "$WORK/system.sock" -t linklog 'statistics: received=1 kernel_drops=0'
check "a traffic line lands in /var/log/linklog.log" \
    wait_grep /var/log/linklog.log '203.0.113.7:51234 -> 192.168.1.20:ssh$'
check "whatever its program name" \
    wait_grep /var/log/linklog.log 'custom: 127.0.0.1: \[out, UDP\]'
# The README's sample of /var/log/linklog.log is what rsyslogd writes
# with the snippet and Debian 12's stock rsyslog.conf (which sets no file
# template: RFC 3339 time with microseconds), the host and linklog[PID]:
# before linklog's syslog line.
sample=$(awk -v section='## See the lines' -v pattern=' linklog\[[0-9]+\]: ' \
    -f "$top_srcdir/tests/e2e/readme.awk" "$top_srcdir/README.md")
msg=${sample#* linklog\[*\]: }
logger -t linklog --id=4242 "$msg"
for i in $(seq 1 100); do grep -qF -- "$msg" /var/log/linklog.log && break; sleep 0.05; done
shape() {
	sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2} [^ ]+ linklog\[[0-9]+\]: /STAMP HOST linklog[PID]: /'
}
written=$(grep -F -- "$msg" /var/log/linklog.log | tail -n 1 | shape)
echo "    README: $sample"
echo "    rsyslogd: $(grep -F -- "$msg" /var/log/linklog.log | tail -n 1)"
check "the README's /var/log/linklog.log line is rsyslogd's form" \
    test -n "$msg" -a "$(echo "$sample" | shape)" = "$written" -a "${written%% *}" = STAMP
check "a scan line (notice) lands in /var/log/linklog.log" \
    wait_grep /var/log/linklog.log 'port scan start'
check "and in /var/log/linklog-alerts.log" \
    wait_grep /var/log/linklog-alerts.log 'port scan start'
check "so does a line of a rule's higher priority (warning)" \
    wait_grep /var/log/linklog-alerts.log '203.0.113.70:1 -> '
check "a diagnostic with the program name linklog goes to the system log" \
    wait_grep /var/log/syslog 'linklog: statistics: received=1'
stop_rsyslog pkg
check "traffic is not in the system log (the ruleset stops it)" \
    sh -c "! grep -q '203.0.113.7\|8.8.8.8' /var/log/syslog"
check "diagnostics are not in the traffic log" \
    sh -c "! grep -q statistics /var/log/linklog.log"
check "/var/log/linklog.log is 0640 root:adm" \
    test "$(stat -c '%a %U:%G' /var/log/linklog.log)" = "640 root:adm"
check "the alerts log holds only notice and above (no info line)" \
    sh -c "! grep -q '203.0.113.7:51234\|8.8.8.8' /var/log/linklog-alerts.log"
check "/var/log/linklog-alerts.log is 0640 root:adm" \
    test "$(stat -c '%a %U:%G' /var/log/linklog-alerts.log)" = "640 root:adm"

# --- logrotate: the packaged entry, on this namespace's /var/log.
mkdir -p "$WORK/fake-rsyslog"
[ -d /usr/lib/rsyslog ] || skip "no /usr/lib/rsyslog to stand in for"
mount --bind "$WORK/fake-rsyslog" /usr/lib/rsyslog || skip "cannot bind-mount /usr/lib/rsyslog"
# logrotate ignores a group-writable entry: a copy made with git archive
# (umask 002) would be refused, so test a copy with the package's mode.
install -m 644 "$D/linklog.logrotate" "$WORK/linklog.logrotate"
rotate() {
	logrotate -f -s "$WORK/logrotate.state" "$WORK/linklog.logrotate" \
	    >"$WORK/logrotate.out" 2>&1
}
echo 'line 1' >/var/log/linklog.log
check "without rsyslog's rotate helper, rotation succeeds" rotate
check "  and rotated the file" test -f /var/log/linklog.log.1
check "  and the alerts log with it" test -f /var/log/linklog-alerts.log.1
cat "$WORK/logrotate.out"
printf '#!/bin/sh\necho called >%s/rotate-called\n' "$WORK" \
    >"$WORK/fake-rsyslog/rsyslog-rotate"
chmod 755 "$WORK/fake-rsyslog/rsyslog-rotate"
echo 'line 2' >/var/log/linklog.log
check "with it, rotation succeeds" rotate
check "  and calls it once" test "$(cat "$WORK/rotate-called" 2>/dev/null)" = called
check "the entry has a maxsize" grep -q '^[[:space:]]*maxsize ' "$D/linklog.logrotate"

# --- the packaged configuration: safe defaults.
"$LINKLOG" -c "$D/etc/linklog.conf" --check-config >"$WORK/conf.txt" 2>&1
check "the packaged configuration is valid" test $? -eq 0
check "it accepts loopback, RFC 1918, ULA and link-local senders only" \
    grep -qF 'allow_from = [ "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10" ];' "$WORK/conf.txt"
check "with a rate limit per sender" grep -qx '  rate_limit = 2000;' "$WORK/conf.txt"

# --- manual pages, placeholders, licence.
for m in "$top_srcdir"/man/*.[0-9]; do
	mandoc -Tlint "$m" >"$WORK/mandoc.out" 2>&1
	check "mandoc -Tlint: $(basename "$m") is clean" test ! -s "$WORK/mandoc.out"
	sed 's/^/    /' "$WORK/mandoc.out"
done
# (The Maintainer field keeps its address: the project has no other.)
check "no example.org Homepage or Source placeholder" \
    sh -c "! grep -Eqi '^(Homepage|Source):.*example\.org' '$D/control' '$D/copyright'"
check "Architecture: linux-any (signalfd, recvmmsg, SO_RXQ_OVFL)" \
    grep -qx 'Architecture: linux-any' "$D/control"
# LICENSE is debian/copyright's licence text.
awk '/^License: BSD-2-clause$/ { text = ""; on = 1; next }
    on { sub(/^ /, ""); if ($0 == ".") $0 = ""; text = text $0 "\n" }
    END { printf "%s", text }' "$D/copyright" >"$WORK/copyright-license"
sed -n '/^Redistribution/,$p' "$top_srcdir/LICENSE" >"$WORK/license"
check "LICENSE has debian/copyright's licence (BSD-2-clause)" \
    cmp -s "$WORK/copyright-license" "$WORK/license"
finish
