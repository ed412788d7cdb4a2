#!/bin/sh
# bench/run.sh (make bench) - linklog against snmptrapd and a bare
# recvmmsg loop (the floor), on the same traffic, loopback only:
#   * CPU per trap at a steady rate (on-CPU time from /proc, divided by
#     the lines written; the median of three rounds),
#   * lines delivered from a 100,000-trap burst at full speed,
#   * peak RSS;
# then linklog alone: 100,000 traps/s for 10 s, RSS after 10,000 and after
# 1,000,000 traps; extra rows for JSON output, the state database, syslog output, DNS on (a
# loopback dnsmasq), --scan (and a 65,536-port scan at full speed, every
# trap accounted for) and geoip (a country and an ASN database written by
# tests/e2e/geodb.pl, against the same outside sources without one).  Syslog, in a private mount namespace (its own /dev
# and /run): rsyslogd with the package's snippet (debian/etc/30-linklog.conf:
# a dedicated imuxsock socket, rate limiting off, a ruleset writing a file)
# as linklog's /dev/log, the path the package sets up; and, for comparison,
# systemd-journald as /dev/log forwarding to rsyslogd (the path without the
# snippet), where journald can run.  Writes bench/results/results.md and
# bench/results/chart.png (gnuplot).  Sizes can be changed with the
# environment: STEADY_N, STEADY_RATE, BURST_N, SUSTAIN_RATE, SUSTAIN_S.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/e2e/lib.sh"
need snmptrapd python3
BUILD=$(pwd)
RESULTS=$BUILD/bench/results
TRAPSEND=$BUILD/tools/trapsend
FLOOR=$BUILD/bench/floor
STEADY_N=${STEADY_N:-10000}
STEADY_RATE=${STEADY_RATE:-5000}
BURST_N=${BURST_N:-100000}
SUSTAIN_RATE=${SUSTAIN_RATE:-100000}
SUSTAIN_S=${SUSTAIN_S:-10}
PAIRS=100
# The traffic of a row: distinct pairs; the geo rows' sources are outside.
TRAFFIC="-k $PAIRS"
mkdir -p "$RESULTS"

# syslog's rows need a private /dev/log: run everything in a namespace
# when we may; without one those rows are left out.
BENCH_NS=
JOURNALD=
NOTES=
if command -v rsyslogd >/dev/null && reexec_in_mount_namespace "$@"; then
	BENCH_NS=1
	private_dev
	mount -t tmpfs -o mode=0755 linklog-run /run || BENCH_NS=
fi
if [ -n "$BENCH_NS" ]; then
	# The package's snippet, writing to our file; and journald's
	# forwarding socket, linklog's lines only.
	sed -e "s|/var/log/linklog.log|$WORK/syslog.txt|" \
	    -e 's|fileGroup="adm"|fileGroup="root"|' \
	    "$top_srcdir/debian/etc/30-linklog.conf" >"$WORK/snippet.conf"
	start_rsyslog bench 'module(load="imuxsock" SysSock.Use="off")
$IncludeConfig '"$WORK"'/snippet.conf
input(type="imuxsock" Socket="/run/systemd/journal/syslog" CreatePath="on"
      RateLimit.Interval="0" Ruleset="journal")
ruleset(name="journal") {
	if $programname == "linklog" then action(type="omfile" file="'"$WORK"'/journal.txt")
	stop
}'
	wait_for_socket /run/linklog/dev-log || BENCH_NS=
fi
JOURNALD_BIN=/lib/systemd/systemd-journald
if [ -n "$BENCH_NS" ] && [ -x "$JOURNALD_BIN" ]; then
	# As shipped but in RAM, forwarding to rsyslogd, and without the
	# per-service rate limit (10,000 lines per 30 s), which would
	# otherwise cut every round of the benchmark short.
	mkdir -p "$WORK/journald"
	printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=64M\nForwardToSyslog=yes\nRateLimitIntervalSec=0\n' \
	    >"$WORK/journald/journald.conf"
	if mount --bind "$WORK/journald/journald.conf" /etc/systemd/journald.conf; then
		"$JOURNALD_BIN" >"$WORK/journald.out" 2>&1 &
		JOURNALD=$!
		wait_for_socket /run/systemd/journal/dev-log || {
			NOTES="$NOTES journald row skipped: systemd-journald did not start ($(head -c 200 "$WORK/journald.out"))."
			kill "$JOURNALD" 2>/dev/null
			JOURNALD=
		}
	else
		NOTES="$NOTES journald row skipped: cannot bind its configuration."
	fi
elif [ -n "$BENCH_NS" ]; then
	NOTES="$NOTES journald row skipped: systemd-journald is not installed."
else
	NOTES="$NOTES syslog rows skipped: no private mount namespace (needs root and rsyslogd)."
fi

# On-CPU nanoseconds of a process, all its threads.
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {print s + 0}'
}
rss_kib() { awk '/^VmHWM:/ {print $2}' /proc/"$1"/status; }
count() { wc -l <"$1" 2>/dev/null || echo 0; }

# wait_quiet FILE: until FILE stops growing for 1 s (60 s at most).
wait_quiet() {
	last=-1
	for i in $(seq 1 120); do
		n=$(count "$1")
		[ "$n" = "$last" ] && return 0
		last=$n
		sleep 0.5
	done
}

free_port() {
	while :; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		port_bound "$p" || { echo "$p"; return; }
	done
}

# start NAME: starts the receiver NAME on $PORT writing lines to $FILE;
# sets RPID.  The kinds: floor, snmptrapd, linklog, linklog-syslog,
# linklog-dns.
start_receiver() {
	PORT=$(free_port)
	FILE=$WORK/$1.lines
	: >"$FILE"
	case $1 in
	floor)
		"$FLOOR" "$PORT" "$FILE" &
		RPID=$! ;;
	snmptrapd)
		printf 'disableAuthorization yes\n' >"$WORK/snmptrapd.conf"
		MIBS= snmptrapd -f -n -C -c "$WORK/snmptrapd.conf" -Lf "$FILE" \
		    -F '%a %v\n' "udp:127.0.0.1:$PORT" >/dev/null 2>&1 &
		RPID=$! ;;
	linklog)
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q \
		    --log-file="$FILE" 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-state)
		# The state database on, in a directory the user linklog
		# becomes may write; a new file each time.
		mkdir -p -m 1777 "$WORK/statedb"
		rm -f "$WORK/statedb/bench.db"*
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q \
		    --state-db="$WORK/statedb/bench.db" \
		    --log-file="$FILE" 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-json)
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q --json \
		    --log-file="$FILE" 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-syslog|linklog-journald)
		# /dev/log: rsyslogd's dedicated socket, as the unit's
		# BindPaths= makes it, or journald's.
		if [ "$1" = linklog-syslog ]; then
			FILE=$WORK/syslog.txt
			ln -sf /run/linklog/dev-log /dev/log
		else
			FILE=$WORK/journal.txt
			ln -sf /run/systemd/journal/dev-log /dev/log
		fi
		: >"$FILE"
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q \
		    --syslog 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-dns)
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 -s -q --log-file="$FILE" \
		    "--dns-server=127.0.0.1:$DNSPORT" 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-outside)
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q \
		    -t '%t [%i, %p] %s:%S -> %d:%D %c %o' \
		    --log-file="$FILE" 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-plain|linklog-scan)
		# --scan on the same outside traffic (which it tracks), and
		# the row without it; a short quiet for the full-speed scan.
		printf 'scan = { quiet = 1; };\n' >"$WORK/scan.conf"
		# shellcheck disable=SC2046
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q \
		    -c "$WORK/scan.conf" $([ "$1" = linklog-scan ] && echo --scan) \
		    --log-file="$FILE" 2>"$WORK/$1.err" &
		RPID=$! ;;
	linklog-geo)
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 --no-dns -s -q \
		    -t '%t [%i, %p] %s:%S -> %d:%D %c %o' \
		    --geoip-db="$GEODIR/country.mmdb" \
		    --geoip-db="$GEODIR/bigasn.mmdb" \
		    --log-file="$FILE" 2>"$WORK/$1.err" &
		RPID=$! ;;
	esac
	for i in $(seq 1 100); do port_bound "$PORT" && break; sleep 0.05; done
	sleep 0.2
}

stop_receiver() {
	kill -TERM "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
}

# steady_us: CPU us per line over STEADY_N traps at STEADY_RATE, the
# median of three rounds (one round is at the mercy of the other core).
steady_us() {
	for round in 1 2 3; do
		base=$(count "$FILE")
		c0=$(cpu_ns "$RPID")
		# shellcheck disable=SC2086
		"$TRAPSEND" -n "$STEADY_N" -r "$STEADY_RATE" $TRAFFIC -t 120 \
		    "127.0.0.1:$PORT" >/dev/null
		wait_quiet "$FILE"
		c1=$(cpu_ns "$RPID")
		n=$(( $(count "$FILE") - base ))
		steady=$((steady + n))
		awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.3f\n", n ? c / n / 1000 : 0 }'
	done | sort -n | sed -n 2p
}

# measure NAME LABEL: steady CPU, burst delivery, peak RSS -> a row.
measure() {
	start_receiver "$1"
	steady=0
	us=$(steady_us)
	steady=$(count "$FILE")
	base=$steady
	# shellcheck disable=SC2086
	"$TRAPSEND" -n "$BURST_N" $TRAFFIC -t 60 "127.0.0.1:$PORT" \
	    >"$WORK/burst.txt"
	wait_quiet "$FILE"
	burst=$(( $(count "$FILE") - base ))
	rss=$(rss_kib "$RPID")
	stop_receiver
	us=$(awk -v u="$us" 'BEGIN { printf "%.2f", u }')
	echo "$2|$us|$steady|$burst|$rss" >>"$WORK/rows"
	# linklog's own count of what it lost, from its last statistics.
	lost=$(grep statistics: "$WORK/$1.err" 2>/dev/null | tail -n 1 |
	    tr ' ' '\n' | grep -E '^(kernel_drops|syslog_dropped)=' | tr '\n' ' ')
	echo "  $2: $us us/trap (median of 3 x $STEADY_N), burst $burst/$BURST_N, peak RSS $rss KiB${lost:+; linklog counted $lost}"
}

echo "linklog benchmark: 3 x $STEADY_N traps at $STEADY_RATE/s, bursts of $BURST_N, loopback"
: >"$WORK/rows"
measure floor "floor (bare recvmmsg loop)"
measure linklog "linklog (DNS off, file)"
measure linklog-json "linklog (DNS off, file, --json)"
measure linklog-state "linklog (DNS off, file, --state-db)"
measure snmptrapd "snmptrapd -n (file)"
if [ -n "${BENCH_NS:-}" ]; then
	measure linklog-syslog "linklog (syslog, rsyslogd's dedicated socket)"
fi
if [ -n "${JOURNALD:-}" ]; then
	measure linklog-journald "linklog (syslog via journald to rsyslogd)"
fi
if command -v dnsmasq >/dev/null; then
	DNSPORT=$(free_port)
	ptrs=""
	for k in $(seq 0 $((PAIRS - 1))); do
		ptrs="$ptrs --ptr-record=$k.0.0.10.in-addr.arpa,host$k.bench"
	done
	# shellcheck disable=SC2086
	dnsmasq --keep-in-foreground --port="$DNSPORT" --listen-address=127.0.0.1 \
	    --bind-interfaces --no-resolv --no-hosts --local-ttl=3600 \
	    --pid-file= --user="$(id -un)" $ptrs 2>/dev/null &
	DNSMASQ=$!
	for i in $(seq 1 100); do port_bound "$DNSPORT" && break; sleep 0.05; done
	measure linklog-dns "linklog (DNS on, dnsmasq)"
fi

# geoip: a country and an ASN database (65,536 networks) against the
# same 1,024 distinct outside sources without one.
GEODIR=$WORK/geo
mkdir -p "$GEODIR"
if GEODB_NETS=65536 perl "$top_srcdir/tests/e2e/geodb.pl" "$GEODIR" 2>/dev/null; then
	TRAFFIC="-o -k 1024"
	measure linklog-outside "linklog (DNS off, file, %c %o, 1,024 outside sources)"
	measure linklog-geo "linklog (same, geoip country + ASN)"
	TRAFFIC="-k $PAIRS"
	# A million distinct outside sources: the cache's bound holds memory.
	start_receiver linklog-geo
	"$TRAPSEND" -o -n 100000 -k 1000000 -r 100000 -t 60 "127.0.0.1:$PORT" >/dev/null
	wait_quiet "$FILE"
	geo100k=$(rss_kib "$RPID")
	"$TRAPSEND" -o -n 900000 -k 1000000 -r 100000 -t 60 "127.0.0.1:$PORT" >/dev/null
	wait_quiet "$FILE"
	geo1m=$(rss_kib "$RPID")
	stop_receiver
	geolines=$(count "$FILE")
	echo "  geoip, 1,000,000 distinct outside sources: $geolines lines; RSS $geo100k KiB after 100,000, $geo1m KiB after 1,000,000"
else
	NOTES="$NOTES geoip rows skipped: tests/e2e/geodb.pl needs libmaxmind-db-writer-perl."
fi

# Scan detection: its cost on 1,024 distinct outside sources (tracked,
# none a scanner), then a 65,536-port scan at full speed, every trap of
# which is accounted for: written, counted into the summary, or dropped
# by the kernel and counted.
TRAFFIC="-o -k 1024"
measure linklog-plain "linklog (DNS off, file, 1,024 outside sources)"
measure linklog-scan "linklog (same, --scan)"
TRAFFIC="-k $PAIRS"
start_receiver linklog-scan
"$TRAPSEND" -n 65536 -k 65536 -t 60 \
    -m '@in TCP from 198.51.100.9:4000 to 192.168.1.1:%p' "127.0.0.1:$PORT" >/dev/null
for i in $(seq 1 100); do grep -q 'port scan end' "$FILE" && break; sleep 0.1; done
kill -USR1 "$RPID"
sleep 0.3
sc() { grep statistics: "$WORK/linklog-scan.err" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
scan_events=$(sc events) scan_drops=$(sc kernel_drops) scan_folded=$(sc scan_suppressed)
scan_written=$(grep -c '198\.51\.100\.9:4000 ->' "$FILE")
scan_summary=$(grep 'port scan end' "$FILE" | tail -n 1)
scan_sum_x=$(echo "$scan_summary" | sed -n 's/.*, \([0-9]*\) not shown.*/\1/p')
stop_receiver
scan_ok=no
[ "$((scan_written + scan_folded + scan_drops))" -eq 65536 ] &&
    [ "$scan_events" -eq "$((scan_written + scan_folded))" ] &&
    [ "${scan_sum_x:-x}" = "$scan_folded" ] && scan_ok=yes
echo "  65,536-port scan at full speed: $scan_written lines, $scan_folded in the summary (it says ${scan_sum_x:-?}), $scan_drops dropped by the kernel and counted; all accounted for: $scan_ok"

# linklog alone: sustained rate, and RSS after 10,000 and 1,000,000 traps.
start_receiver linklog
"$TRAPSEND" -n 10000 -k 1000 -t 60 -r 50000 "127.0.0.1:$PORT" >/dev/null
wait_quiet "$FILE"
rss10k=$(rss_kib "$RPID")
total=$((SUSTAIN_RATE * SUSTAIN_S))
"$TRAPSEND" -n "$total" -r "$SUSTAIN_RATE" -k 1000 -t $((SUSTAIN_S * 3)) \
    "127.0.0.1:$PORT" >"$WORK/sustain.txt"
wait_quiet "$FILE"
sustained=$(( $(count "$FILE") - 10000 ))
rss1m=$(rss_kib "$RPID")
kill -USR1 "$RPID"
sleep 0.3
drops=$(grep statistics: "$WORK/linklog.err" | tail -n 1 | tr ' ' '\n' | sed -n 's/^kernel_drops=//p')
stop_receiver
echo "  sustained: $sustained/$total at $SUSTAIN_RATE/s (kernel drops ${drops:-?}); RSS $rss10k KiB after 10,000, $rss1m KiB after $((total + 10000))"

# DNS on with a million distinct sources: memory stays flat.
if [ -n "${DNSMASQ:-}" ]; then
	start_receiver linklog-dns
	"$TRAPSEND" -n 100000 -k 1000000 -r 100000 -t 60 "127.0.0.1:$PORT" >/dev/null
	wait_quiet "$FILE"
	dns100k=$(rss_kib "$RPID")
	"$TRAPSEND" -n 900000 -k 1000000 -r 100000 -t 60 "127.0.0.1:$PORT" >/dev/null
	wait_quiet "$FILE"
	dns1m=$(rss_kib "$RPID")
	kill -USR1 "$RPID"
	sleep 0.3
	dnsdrops=$(grep statistics: "$WORK/linklog-dns.err" | tail -n 1 | tr ' ' '\n' | sed -n 's/^kernel_drops=//p')
	stop_receiver
	dnslines=$(count "$FILE")
	kill "$DNSMASQ" 2>/dev/null
	echo "  DNS on, 1,000,000 distinct sources: $dnslines lines, kernel drops ${dnsdrops:-?}; RSS $dns100k KiB after 100,000, $dns1m KiB after 1,000,000"
fi

# The table, with ratios to the floor.
floor_us=$(head -n 1 "$WORK/rows" | cut -d'|' -f2)
{
	echo "| receiver | CPU per trap (us) | x floor | burst delivered | peak RSS (MiB) |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	while IFS='|' read -r label us steady burst rss; do
		awk -v l="$label" -v u="$us" -v f="$floor_us" -v b="$burst" \
		    -v n="$BURST_N" -v r="$rss" 'BEGIN {
			ratio = f > 0 ? u / f : 0
			printf "| %s | %.2f | %.2f | %d of %d (%.1f %%) | %.1f |\n",
			    l, u, ratio, b, n, 100 * b / n, r / 1024 }'
	done <"$WORK/rows"
	awk -F'|' '$1 == "linklog (DNS off, file)" { t = $2 }
	    $1 == "linklog (DNS off, file, --json)" { j = $2 }
	    END { if (t > 0) printf "\nJSON costs %.2fx the CPU per trap of the default text template (target: at most 1.15x).\n", j / t }' "$WORK/rows"
	awk -F'|' '$1 == "linklog (DNS off, file)" { t = $2 }
	    $1 == "linklog (DNS off, file, --state-db)" { s = $2 }
	    END { if (t > 0 && s > 0) printf "--state-db costs %.2fx the CPU per trap of the same traffic without it (target: at most 1.15x).\n", s / t }' "$WORK/rows"
	awk -F'|' '$1 == "linklog (DNS off, file, 1,024 outside sources)" { o = $2 }
	    $1 == "linklog (same, --scan)" { g = $2 }
	    END { if (o > 0 && g > 0) printf "--scan costs %.2fx the CPU per trap of the same outside traffic without it (target: at most 1.1x).\n", g / o }' "$WORK/rows"
	echo "A 65,536-port scan at full speed: $scan_written lines written, $scan_folded connections counted into its summary (which says ${scan_sum_x:-?}), $scan_drops dropped by the kernel and counted: every trap accounted for: $scan_ok."
	awk -F'|' '$1 ~ /%c %o, 1,024 outside sources/ { o = $2 }
	    $1 == "linklog (same, geoip country + ASN)" { g = $2 }
	    END { if (o > 0 && g > 0) printf "geoip costs %.2fx the CPU per trap of the same outside traffic without a database (target: at most 1.1x).\n", g / o }' "$WORK/rows"
	echo
	echo "linklog alone: $sustained of $total traps at $SUSTAIN_RATE/s for $SUSTAIN_S s delivered (kernel drops: ${drops:-?}); peak RSS $(awk -v a="$rss10k" 'BEGIN{printf "%.1f", a/1024}') MiB after 10,000 traps, $(awk -v a="$rss1m" 'BEGIN{printf "%.1f", a/1024}') MiB after $((total + 10000))."
	if [ -n "${geo1m:-}" ]; then
		echo "geoip, 1,000,000 distinct outside sources: peak RSS $(awk -v a="$geo100k" 'BEGIN{printf "%.1f", a/1024}') MiB after 100,000 traps, $(awk -v a="$geo1m" 'BEGIN{printf "%.1f", a/1024}') MiB after 1,000,000 ($geolines lines written; the cache holds 8,192 addresses)."
	fi
	if [ -n "${dns1m:-}" ]; then
		echo "DNS on, 1,000,000 distinct sources: peak RSS $(awk -v a="$dns100k" 'BEGIN{printf "%.1f", a/1024}') MiB after 100,000 traps, $(awk -v a="$dns1m" 'BEGIN{printf "%.1f", a/1024}') MiB after 1,000,000 ($dnslines lines written, ${dnsdrops:-?} dropped by the kernel and counted: one new PTR query per trap at 100,000/s is beyond this machine)."
	fi
	[ -n "$NOTES" ] && { echo; echo "Note:$NOTES"; }
	echo
	echo "Machine: $(nproc) cores, $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC')."
} >"$RESULTS/results.md"
echo
cat "$RESULTS/results.md"

# The chart.
awk -F'|' -v n="$BURST_N" '{ printf "\"%s\" %s %.1f\n", $1, $2, 100 * $4 / n }' \
    "$WORK/rows" >"$WORK/chart.dat"
if command -v gnuplot >/dev/null; then
	gnuplot -e "datafile='$WORK/chart.dat'; outfile='$RESULTS/chart.png'" \
	    "$top_srcdir/bench/chart.gp" && echo "chart: $RESULTS/chart.png"
else
	echo "gnuplot is not installed (Debian: gnuplot-nox): no chart"
fi
[ -n "${JOURNALD:-}" ] && kill "$JOURNALD" 2>/dev/null
[ -n "${BENCH_NS:-}" ] && stop_rsyslog bench
exit 0
