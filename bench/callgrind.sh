#!/bin/sh
# bench/callgrind.sh - user-space instructions per trap, counted by
# callgrind (stable where CPU time is noisy), for one or more linklog
# binaries in one run:
#
#   bench/callgrind.sh [EXTRA-OPTIONS --] BINARY [BINARY...]
#
# Each binary runs under valgrind --tool=callgrind as an unprivileged user
# (nobody, when started as root), with the default template, a log file
# and --no-dns, and receives 5,000 traps of 1,024 distinct messages at
# 1,000/s from tools/trapsend on loopback; a second run with no trap is
# subtracted, so start-up and exit are not counted.  Prints one line per
# binary: "BINARY: N instructions per trap".  EXTRA-OPTIONS (e.g. --scan,
# --geoip-db=FILE) are given to every binary; CG_SEND, to trapsend (-o:
# outside sources, which the geo stage looks up).  Loopback only.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/e2e/lib.sh"
need valgrind
N=${CG_TRAPS:-5000}
RATE=${CG_RATE:-1000}
PAIRS=${CG_PAIRS:-1024}
SEND=${CG_SEND:-}
TRAPSEND=${TRAPSEND:-$(pwd)/tools/trapsend}
EXTRA=
for a in "$@"; do
	[ "$a" = -- ] && { EXTRA=1; break; }
done
opts=
if [ -n "$EXTRA" ]; then
	while [ "$1" != -- ]; do opts="$opts $1"; shift; done
	shift
fi
[ $# -gt 0 ] || { echo "usage: $0 [OPTIONS --] BINARY..." >&2; exit 2; }

AS=
if [ "$(id -u)" = 0 ]; then
	chmod 0777 "$WORK"
	AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi

# Total instructions of one run of $1 receiving $2 traps.
ir_of() {
	bin=$1 count=$2
	port=$(free_port)
	out=$WORK/cg.$$.$count
	rm -f "$out" "$WORK/log.txt"
	# shellcheck disable=SC2086
	$AS valgrind --tool=callgrind --callgrind-out-file="$out" \
	    "$bin" -q --no-dns -l "$WORK/log.txt" -p "$port" \
	    --listen=127.0.0.1 $opts >/dev/null 2>"$WORK/cg.err" &
	pid=$!
	# Valgrind is slow to start: wait for the socket.
	i=0
	while ! ss -uln 2>/dev/null | grep -q "127.0.0.1:$port "; do
		i=$((i + 1))
		[ $i -lt 300 ] || { cat "$WORK/cg.err" >&2; kill $pid; return 1; }
		sleep 0.1
	done
	if [ "$count" -gt 0 ]; then
		# shellcheck disable=SC2086
		"$TRAPSEND" $SEND -n "$count" -r "$RATE" -k "$PAIRS" -t 120 \
		    "127.0.0.1:$port" >/dev/null
		i=0
		while [ "$(wc -l <"$WORK/log.txt" 2>/dev/null || echo 0)" -lt "$count" ]; do
			i=$((i + 1))
			[ $i -lt 600 ] || break
			sleep 0.1
		done
	fi
	# The valgrind process: its child is the linklog under it.
	pkill -TERM -P $pid 2>/dev/null || true
	kill -TERM $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	lines=$(wc -l <"$WORK/log.txt" 2>/dev/null || echo 0)
	[ "$lines" -ge "$count" ] || echo "warning: $bin wrote $lines of $count lines" >&2
	sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$out" | head -n 1
}

for bin in "$@"; do
	with=$(ir_of "$bin" "$N")
	without=$(ir_of "$bin" 0)
	echo "$bin: $(( (with - without) / N )) instructions per trap ($with - $without over $N traps)"
done
