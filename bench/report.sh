#!/bin/sh
# bench/report.sh (make bench-report) - linklog-report's cost: a state
# database of REPORT_DAYS days (default 30) at REPORT_EVENTS events a day
# (default 1,000,000), as linklog writes it at its per-hour bound
# (bench/reportdb.sh), then a report of the whole period in each format:
# the wall time and the peak RSS of each, against the budget of issue 24
# (2 s and 100 MiB for 30 days at a million events a day).  Exits 1 when a
# format is over it.  Not run by CI (the database takes a while to write).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
REPORT=${LINKLOG_REPORT:-$(pwd)/linklog-report}
DAYS=${REPORT_DAYS:-30}
EVENTS=${REPORT_EVENTS:-1000000}
MAX_S=${REPORT_MAX_S:-2}
MAX_MIB=${REPORT_MAX_MIB:-100}
command -v sqlite3 >/dev/null || { echo "bench-report needs sqlite3"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-report needs /usr/bin/time (package time)"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/linklog-bench-report.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DB=$WORK/state.db

t0=$(date +%s)
sh "$top_srcdir/bench/reportdb.sh" "$DB" "$DAYS" "$EVENTS"
t1=$(date +%s)
echo "database: $DAYS days at $EVENTS events a day, $(sqlite3 -readonly "$DB" \
    'SELECT count(*) FROM hourly') hourly and $(sqlite3 -readonly "$DB" \
    'SELECT count(*) FROM daily') daily rows, $(($(stat -c %s "$DB") / 1048576)) MiB, written in $((t1 - t0)) s"
echo "| format | period | wall (s) | peak RSS (MiB) |"
echo "| --- | --- | ---: | ---: |"
rc=0
for f in html text json; do
	/usr/bin/time -f '%e %M' -o "$WORK/time" "$REPORT" --db "$DB" \
	    --since "${DAYS}d" --format $f -o "$WORK/report.$f"
	read -r s kib <"$WORK/time"
	echo "| $f | ${DAYS} days | $s | $((kib / 1024)) |"
	awk -v s="$s" -v m="$MAX_S" 'BEGIN { exit !(s > m) }' && rc=1
	[ $((kib / 1024)) -le "$MAX_MIB" ] || rc=1
done
[ "$rc" -eq 0 ] && echo "within ${MAX_S} s and ${MAX_MIB} MiB" ||
    echo "OVER the budget of ${MAX_S} s and ${MAX_MIB} MiB"
exit $rc
