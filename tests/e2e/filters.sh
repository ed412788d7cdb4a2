#!/bin/sh
# End to end: every --filter-* option, as the article defines them, plus
# repetition (OR), exclusion (!) and combination (AND).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

# Five events that the filters below tell apart; host names are carried in
# the messages, so no DNS query is needed.
send_all() {
	send_v1 '@in TCP from scanner.example.net(203.0.113.7):51234 to 192.168.1.20:22'
	send_v2c '@out UDP from 192.168.1.20:40000 to 8.8.8.8:53'
	send_v1 '@out TCP from 192.168.1.30:40001 to www.Example.COM(93.184.216.34):443'
	send_v2c '@in UDP from 198.51.100.9:5000 to nas.lan(192.168.1.40):161'
	send_v1 '@in TCP from 10.0.0.1:1 to 10.0.0.2:2'
}

# expect "OPTIONS" "PORTS": with the options, exactly the events whose
# destination ports are listed are shown, in order.
expect() {
	opts=$1 want=$2
	# shellcheck disable=SC2086
	start_linklog --no-dns -s --template '%D' $opts
	send_all
	wait_received 5
	stop_linklog
	got=$(tr '\n' ' ' <"$OUT" | sed 's/ $//')
	if [ "$got" = "$want" ]; then
		ok "$opts -> $want"
	else
		not_ok "$opts: expected '$want', got '$got'"
	fi
}

expect "" "22 53 443 161 2"
expect "--filter-direction=IN" "22 161 2"
expect "--filter-direction=out" "53 443"
expect "--filter-protocol=UDP" "53 161"
expect "--filter-protocol=tcp" "22 443 2"
expect "--filter-ip=192.168.1.20" "22 53"
expect "--filter-ip=192.168.*" "22 53 443 161"
expect "--filter-ip=10.*.1" "2"
expect "--filter-ip-source=192.168.*" "53 443"
expect "--filter-ip-dest=192.168.*" "22 161"
expect "--filter-ip-dest=8.8.8.8 --filter-ip-dest=10.*" "53 2"
expect "--filter-ip=!192.168.*" "2"
expect "--filter-ip-source=!10.*" "22 53 443 161"
expect "--filter-host=*.example.com" "443"
expect "--filter-host=*.EXAMPLE.net" "22"
expect "--filter-host-source=scanner*" "22"
expect "--filter-host-dest=scanner*" ""
expect "--filter-host-dest=nas.lan --filter-host-dest=www.*" "443 161"
expect "--filter-host-dest=!nas.lan" "22 53 443 2"
expect "--filter-direction=in --filter-protocol=tcp --filter-ip-dest=192.*" "22"
finish
