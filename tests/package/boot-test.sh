#!/bin/sh
# Runs INSIDE a booted container (see .ci/systemd-boot) as a oneshot unit:
# the packaged service under a real systemd.  Writes its findings to
# /root/result.txt, one "key value" per line, then powers off.
exec >/root/result.txt 2>&1
for i in $(seq 1 60); do
	systemctl is-active --quiet linklog.service && break
	sleep 0.5
done
echo "service $(systemctl is-active linklog.service)"
echo "socket $(systemctl is-active linklog.socket)"
export MIBS= SNMPCONFPATH=/nonexistent SNMP_PERSISTENT_DIR=/tmp/snmp
send() { snmptrap "$@" >/dev/null 2>&1; }
send -v 1 -c public 127.0.0.1:162 1.3.6.1.4.1.3955 127.0.0.1 6 1 '' \
    1.3.6.1.4.1.3955.1.1 s '@in TCP from scanner.example.net(203.0.113.7):51234 to nas.lan(192.168.1.20):22'
send -v 2c -c public 'udp6:[::1]:162' '' 1.3.6.1.4.1.3955.1 \
    1.3.6.1.4.1.3955.1.1 s '@out UDP from nas.lan(192.168.1.20):40000 to dns.example(8.8.8.8):53'
sleep 1
pid=$(systemctl show -p MainPID --value linklog.service)
awk '/^Uid:/ { print "uid", $2 } /^CapEff:/ { print "capeff", $2 }
    /^NoNewPrivs:/ { print "nonewprivs", $2 }' "/proc/$pid/status"
# A reload applies a changed template.
sed -i 's/template = "%r: \[%i, %p\] %s:%S -> %d:%D";/template = "RELOADED %s -> %d:%D";/' \
    /etc/linklog/linklog.conf
if systemctl reload linklog.service; then echo "reload ok"; else echo "reload failed"; fi
sleep 1
send -v 1 -c public 127.0.0.1:162 1.3.6.1.4.1.3955 127.0.0.1 6 1 '' \
    1.3.6.1.4.1.3955.1.1 s '@in TCP from after.example(203.0.113.9):1 to nas.lan(192.168.1.20):443'
sleep 1
echo "after_reload $(systemctl is-active linklog.service)"
echo "--- /var/log/linklog.log"
cat /var/log/linklog.log
echo "--- journal"
journalctl -u linklog.service --no-pager | tail -n 15
systemctl poweroff
