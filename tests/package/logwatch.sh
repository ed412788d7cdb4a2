#!/bin/sh
# The package's logwatch service (debian/logwatch/), run by logwatch itself
# on a sample of several days: the traffic file with a numbered and a
# dateext rotation, both syslog time stamp formats, and linklog's own
# messages among other programs' lines in the system log.  Checks the
# report at Debian's default detail (Low) against counts made by hand.
# logwatch reads its files from fixed places: the test runs in a private
# mount namespace with a copy of /usr/share/logwatch holding the
# package's files and an empty /etc/logwatch (skips, 77, where it cannot).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/e2e/lib.sh"
need logwatch perl gzip
[ -d /usr/share/logwatch/default.conf ] || skip "logwatch's files are not in /usr/share/logwatch"
reexec_in_mount_namespace "$@" || skip "needs root and a mount namespace"

D=$top_srcdir/debian/logwatch
LW=$WORK/share-logwatch
cp -a /usr/share/logwatch "$LW"
install -m 644 "$D/services/linklog.conf" "$LW/default.conf/services/linklog.conf"
install -m 644 "$D/logfiles/linklog.conf" "$LW/default.conf/logfiles/linklog.conf"
install -m 755 "$D/scripts/linklog" "$LW/scripts/services/linklog"
# logwatch lowercases its TmpDir (and $WORK has capitals): a private /run.
mkdir -p "$WORK/etc/conf"
echo "TmpDir = /run/logwatch" >"$WORK/etc/conf/logwatch.conf"
mount --bind "$LW" /usr/share/logwatch || skip "cannot bind-mount /usr/share/logwatch"
mkdir -p /etc/logwatch 2>/dev/null
mount --bind "$WORK/etc" /etc/logwatch || skip "cannot bind-mount /etc/logwatch"
mount -t tmpfs linklog-run /run || skip "cannot mount a tmpfs on /run"
mkdir /run/logwatch

L=$WORK/log
mkdir -p "$L"
# Today's file: traditional stamps; a router on IPv6 too; a host name with
# a space; the program name need not be linklog.
cat >"$L/linklog.log" <<'EOF'
Nov 30 10:00:01 gw linklog[100]: 192.168.1.1: [ in, TCP] 203.0.113.7:51234 -> nas.lan:ssh
Nov 30 10:00:02 gw linklog[100]: 192.168.1.1: [ in, TCP] 203.0.113.7:51235 -> nas.lan:ssh
Nov 30 10:00:03 gw linklog[100]: 192.168.1.1: [ in, TCP] 203.0.113.7:51236 -> nas.lan:ssh
Nov 30 10:00:04 gw linklog[100]: 192.168.1.1: [ in, TCP] 203.0.113.7:51237 -> nas.lan:http
Nov 30 10:00:05 gw linklog[100]: 192.168.1.1: [out, UDP] laptop.lan:40000 -> dns.example:domain
Nov 30 10:00:06 gw traffic[100]: ::1: [out, TCP] John PC:50000 -> www.example.com:https
Nov 30 10:01:00 gw linklog[100]: 192.168.1.1: [port scan start] [ in, TCP] 198.51.100.9 -> 192.168.1.20:*: 15 distinct in 3 s, 0 not shown: 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
Nov 30 10:02:00 gw linklog[100]: 192.168.1.1: [port scan end] [ in, TCP] 198.51.100.9 -> 192.168.1.20:*: 1000 distinct in 62 s, 986 not shown: 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,...
Nov 30 10:03:00 gw linklog[100]: 192.168.1.1: [sweep start] [out, TCP] 192.168.1.50 -> *:telnet: 100 distinct in 20 s, 0 not shown: 45.0.0.1,...
Nov 30 10:03:01 gw linklog[100]: 192.168.1.1: [out, TCP] camera.lan:40000 -> 45.0.0.2:telnet [scan]
Nov 30 10:05:00 gw linklog[100]: 192.168.1.1: [repeat] [out, TCP] laptop.lan -> dns.example:https: 5 times in 50 s
Nov 30 10:06:00 gw linklog[100]: 192.168.1.1: new host on the LAN: 192.168.1.77 (android-7f3a.lan), first connection out to 142.250.74.14:https
Nov 30 10:06:30 gw linklog[100]: 192.168.1.1: new host on the LAN: 192.168.1.78 (192.168.1.78), first connection out to 142.250.74.15:https
EOF
# Yesterday's, numbered: rsyslog's RFC 3339 stamps.
cat >"$L/linklog.log.1" <<'EOF'
2026-11-29T08:00:00.123456+00:00 gw linklog[100]: 192.168.1.1: [ in, UDP] 198.51.100.9:5353 -> nas.lan:161
2026-11-29T08:00:01.000000+00:00 gw linklog[100]: 192.168.1.1: [out, UDP] laptop.lan:40001 -> dns.example:domain
EOF
# The day before, dateext and compressed: the older firmware forms, with
# no protocol ("-") and, for the arrow form, no source port.
cat >"$L/linklog.log-20261128" <<'EOF'
Nov 28 23:00:00 gw linklog[90]: 192.168.1.1: [ in, -] 198.51.100.5:- -> nas.lan:8080
Nov 28 23:00:01 gw linklog[90]: 192.168.1.1: [ in, -] 198.51.100.5:- -> nas.lan:8080
Nov 28 23:00:02 gw linklog[90]: 192.168.1.1: [out, -] laptop.lan:8080 -> 24.254.60.13:pop3
EOF
gzip "$L/linklog.log-20261128"
# The system log: linklog's own messages (from the journal: program name
# linklog, with or without the "linklog: " prefix) among other lines.
cat >"$L/syslog" <<'EOF'
Nov 28 22:00:00 gw systemd[1]: Started linklog.service - linklog: Linksys router connection log to syslog.
Nov 28 22:00:01 gw linklog[90]: receive buffer is 212992 bytes, not the 8388608 asked for (raise net.core.rmem_max, or start as root)
Nov 28 23:59:00 gw linklog[90]: statistics: received=30 kernel_drops=1 truncated=0 output_errors=4 events=25
Nov 29 06:00:00 gw sshd[5]: Accepted publickey for root from 192.168.1.30 port 50000 ssh2
Nov 29 06:00:01 gw linklog[100]: statistics: received=10 kernel_drops=5 truncated=0 output_errors=0 syslog_dropped=2 events=10
Nov 29 07:00:00 gw linklog[100]: reload failed, keeping the running configuration: /etc/linklog/linklog.conf:12: syntax error
Nov 29 07:00:05 gw linklog[100]: linklog: reload failed, keeping the running configuration: /etc/linklog/linklog.conf:12: syntax error
Nov 29 07:10:00 gw linklog[100]: configuration reloaded from /etc/linklog/linklog.conf
Nov 29 07:20:00 gw linklog[100]: rejected 3 datagrams from 203.0.113.66 (sender not allowed)
Nov 29 07:21:00 gw linklog[100]: rejected 1 datagram from 203.0.113.66 (sender not allowed)
Nov 29 07:30:00 gw linklog[100]: rate limit: suppressed 500 events from 192.168.1.1 (over 2000 per second)
Nov 29 07:40:00 gw linklog[100]: 4096 events are waiting for DNS answers: writing the oldest with addresses
Nov 29 07:50:00 gw linklog[100]: log file /var/log/linklog/extra.log was removed: created it again
Nov 29 07:55:00 gw linklog[100]: syslog answers again on /dev/log
Nov 29 08:00:00 gw linklog[100]: cannot write to /var/log/linklog/extra.log: No space left on device (7 lines lost so far)
Nov 29 09:00:00 gw linklog[100]: something linklog never said before
Nov 29 09:10:00 gw linklog[100]: SNMPv3 datagram from 192.168.1.2: SNMPv3 is not supported: configure the sender to send SNMPv2c (or SNMPv1) traps or informs with a community
Nov 29 09:11:00 gw linklog[100]: SNMPv3 datagram from 192.168.1.2: SNMPv3 is not supported: configure the sender to send SNMPv2c (or SNMPv1) traps or informs with a community (and 4 more since the last report)
Nov 29 09:12:00 gw linklog[100]: unparsed log message from 192.168.1.1: @in TCP from 1.2.3.4:99999 to 5.6.7.8:1
Nov 29 09:13:00 gw linklog[100]: syslog queue full (131072 lines): lines dropped (17 so far)
Nov 29 09:14:00 gw linklog[100]: rate limit: suppressed 900 events from 3 senders (over 2000 per second; most from 10.0.0.9: 600)
Nov 29 09:15:00 gw linklog[100]: rejected 12 datagrams from 3 senders (most from 198.51.100.77: 10, wrong community)
Nov 29 09:16:00 gw linklog[100]: held back 5 reports of unusable datagrams (one a minute per sender, 20 a minute in all): malformed datagram 3, SNMPv3 datagram 2
Nov 29 09:17:00 gw linklog[100]: no syslog daemon listens on /dev/log: lines wait in the queue (131072 at most)
Nov 29 09:18:00 gw linklog[100]: syslog did not take 42 queued lines within 5 s: they are not written
Nov 29 09:19:00 gw linklog[100]: cannot reopen log file /var/log/linklog/extra.log: Permission denied
Nov 29 09:20:00 gw linklog[100]: log file /var/log/linklog/extra.log was removed and cannot be created again: Read-only file system
Nov 29 09:21:00 gw linklog[100]: reload: port, listen and receive_buffer changes take effect at the next restart
Nov 29 09:22:00 gw linklog[100]: no IPv6 on this machine: listening on IPv4 only
Nov 29 09:23:00 gw linklog[100]: listening on UDP [::]:162 (sockets from systemd, which had dropped 12 datagrams before linklog started); writing to syslog; DNS on
Nov 29 09:24:00 gw linklog[101]: listening on UDP 0.0.0.0:9162, [::]:9162; writing to standard output; DNS off
Nov 29 09:25:00 gw linklog[100]: inventory: the learning period is over: 12 hosts learned without a notice; new hosts are reported from now on
Nov 29 09:26:00 gw linklog[100]: inventory: 5 more new hosts in the last minute than inventory.notices_per_minute (20) were not written: they are in the state database's new_hosts
Nov 29 09:27:00 gw linklog[100]: state database /var/lib/linklog/linklog.db: database is locked (30 failed commits); summing in memory and retrying
Nov 29 09:28:00 gw linklog[100]: state database /var/lib/linklog/linklog.db: 40 events not kept (state_dropped): the tables in memory are full while the database is not written
Nov 30 11:00:00 gw linklog[100]: statistics: received=900 kernel_drops=7 truncated=0 output_errors=0 syslog_dropped=3 events=890
Nov 30 11:00:01 gw CRON[7]: (root) CMD (true)
EOF

report() {
	logwatch --service linklog --logdir "$L" --range All --archives \
	    --detail "$1" --output stdout --hostname gw >"$WORK/report.$1" 2>&1
}
report Low
R=$WORK/report.Low
sed 's/^/    /' "$R"
has() { grep -qE -- "$1" "$R"; }

check "logwatch runs the package's service" has 'linklog: router connections'
check "every traffic line of the three files is counted (12)" has '^ *Connection events: 12$'
check "a port scan: source, target, ports, when, not written" \
    has '^ +in 198\.51\.100\.9 -> 192\.168\.1\.20:\* \(port scan, TCP\): 1000 ports, Nov 30 10:01:00 to Nov 30 10:02:00 \(62 s\), 986 not written$'
check "a sweep outward still going on" \
    has '^ +out 192\.168\.1\.50 -> \*:telnet \(sweep, TCP\): 100 targets, .* \(going on\), 0 not written$'
check "the connections a scan summary counted" \
    has '^ +and 986 more counted into port scan summaries'
check "a new host with its name and first connection" \
    has '^ +192\.168\.1\.77 \(android-7f3a\.lan\) -> 142\.250\.74\.14:https, Nov 30 10:06:00$'
check "one without a name" has '^ +192\.168\.1\.78 -> 142\.250\.74\.15:https, Nov 30 10:06:30$'
check "the new hosts over the bound" has '^ +and 5 more not written \(inventory\.notices_per_minute\)'
check "a state database not written for a while is a warning" \
    has 'state database /var/lib/linklog/linklog\.db not written for a while: database is locked \(commits retried\): 30 time'
check "and events it could not keep an error" \
    has 'state database /var/lib/linklog/linklog\.db: events not kept while it could not be written: 40 time'
check "the connections a repeat line counted" \
    has '^ +and 4 more counted into 1 repeat line'
check "an annotated connection is counted as written, marked" \
    has '^ +\(1 of them marked as a scanner'"'"'s\)$'
check "events with no protocol are counted as \"-\"" has '^ +in -  +2$'
check "and outbound ones too" has '^ +out -  +1$'
check "by direction and protocol" has '^ +in TCP +4$'
check "the inbound host with the ports it tried" has '203\.0\.113\.7 +4 +ssh x3, http x1'
check "a host name with a space" has 'John PC +1 +www\.example\.com:https x1'
check "inbound destination ports, apart" has '^ *Top destination ports, inbound:$'
check "  ssh/tcp 3 inbound" has '^ +ssh/tcp +3$'
check "  8080/- 2 inbound (protocol unknown)" has '^ +8080/- +2$'
check "outbound destination ports, apart" has '^ *Top destination ports, outbound:$'
check "  domain/udp 2 outbound" has '^ +domain/udp +2$'
check "two routers are listed" has '^ +::1 +1$'
check "the reload error with its text, at Low" \
    has 'reload failed: /etc/linklog/linklog\.conf:12: syntax error: 2 time'
check "a write error with its text" \
    has 'cannot write to /var/log/linklog/extra\.log: No space left on device: 1 time'
check "kernel drops: the latest line of each process, summed (7 + 1)" \
    has '^ +kernel_drops +8$'
check "output errors summed (0 + 4)" has '^ +output_errors +4$'
check "the syslog queue's drops (3)" has '^ +syslog_dropped +3$'
check "rejected datagrams summed per sender" \
    has '203\.0\.113\.66 \(sender not allowed\) +4$'
check "rate-limited events per sender" has '^ +192\.168\.1\.1 +500$'
check "the DNS backlog warning" has 'DNS backlog: 4096 events waiting'
check "a removed log file" has 'log file /var/log/linklog/extra\.log was removed'
check "SNMPv3 senders, with the held-back reports" has '^ +SNMPv3 datagram from 192\.168\.1\.2 +6$'
check "an unparsed log message's sender" has '^ +unparsed log message from 192\.168\.1\.1 +1$'
check "a full syslog queue is an error" has 'syslog queue full \(131072 lines\): lines dropped: 1 time'
check "rate limit over several senders" has '3 senders, most from 10\.0\.0\.9 +900$'
check "rejected datagrams of several senders" has '3 senders, most from 198\.51\.100\.77 \(wrong community\) +12$'
check "reports held back (summary line)" has 'reports of unusable datagrams held back \(not reported one by one\): 5 time'
check "the system logger down" has 'no syslog daemon listened on /dev/log'
check "lines syslog did not take at stop" has 'at stop, syslog did not take queued lines within 5 s'
check "a log file that cannot be reopened" has 'cannot reopen log file /var/log/linklog/extra\.log: Permission denied'
check "a removed log file that cannot be created" has 'removed, cannot be created again: Read-only file system'
check "a reload warning" has 'reload: port, listen and receive_buffer changes take effect'
check "only the one unknown line is unmatched" \
    test "$(sed -n '/Unmatched Entries/,/-----/p' "$R" | grep -c 'time(s)')" -eq 1
check "an unknown linklog line is shown as an unmatched entry" \
    has '^ *\*\*Unmatched Entries\*\*$'
check "  with its text" has 'something linklog never said before: 1 time'
check "other programs' lines are not linklog's business" \
    sh -c "! grep -q 'Accepted publickey\|CMD (true)\|Started linklog' '$R'"
check "notices and the statistics wait for a higher detail" \
    sh -c "! grep -q 'receive buffer\|^ *Statistics' '$R'"

report Med
R=$WORK/report.Med
check "at Med: the receive buffer notice" has 'receive buffer 212992 bytes, not the 8388608 asked for'
check "at Med: syslog recovered" has 'syslog answered again on /dev/log'
check "at Med: no IPv6" has 'no IPv6: listening on IPv4 only'
check "at Med: the start line, from systemd's socket" \
    has 'started: listening on UDP \[::\]:162; writing to syslog; DNS on'
check "at Med: the start line, sockets of its own" \
    has 'started: listening on UDP 0.0.0.0:9162, \[::\]:9162; writing to standard output; DNS off'
check "at Med: what the socket dropped before the start" \
    has 'datagrams the socket dropped before linklog started.* 12'
check "at Med: the reloads" has '^ *Configuration reloads: 1$'
check "at Med: the summed statistics of two processes" has '^ +received +930$'
check "at Med: the text of an unparsed message" has 'last: @in TCP from 1\.2\.3\.4:99999 to 5\.6\.7\.8:1$'
finish
