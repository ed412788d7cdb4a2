#!/bin/sh
# The state database on a full disk (issue 23): a small tmpfs in a
# private mount namespace, filled up while traps arrive.  The commits
# fail and are counted (state_errors), the traffic lines are all written,
# nothing is dropped while the tables hold it, and once there is room the
# writer catches up: every event is in the file, which is sound.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need sqlite3
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
[ -x "$TRAPSEND" ] || skip "no tools/trapsend"
reexec_in_mount_namespace "$@" || skip "needs root and a mount namespace"

D=$WORK/full
mkdir -p "$D"
mount -t tmpfs -o size=2m,mode=1777 linklog-state "$D" || skip "cannot mount a tmpfs"
# Unmounted before the work directory is removed, whatever happens.
cleanup_full() { umount -l "$D" 2>/dev/null; }
trap 'cleanup_full; cleanup' EXIT
DB=$D/full.db
printf 'state = { flush = 1; };\n' >"$WORK/f.conf"; chmod 644 "$WORK/f.conf"
start_linklog --no-dns --state-db="$DB" -c "$WORK/f.conf"
send_v1 "@out TCP from 192.168.1.10:40000 to 52.1.2.3:443"
sync_linklog
sleep 1.5
# Fill what is left, then traffic whose rows need new pages.
dd if=/dev/zero of="$D/filler" bs=4096 2>/dev/null
"$TRAPSEND" -n 3000 -k 3000 -r 3000 -m "@in TCP from %a:1 to 192.168.1.20:%p" "127.0.0.1:$PORT" >/dev/null
sync_linklog
sleep 2.5
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
check "the full disk fails the commits ($(counter state_errors))" test "$(counter state_errors)" -gt 0
equal() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: '$2', not '$3'"; fi; }
equal "every traffic line is written all the same" "$(grep -c '192.168.1.20:' "$OUT")" 3000
rm -f "$D/filler"
sleep 3
kill -USR1 "$LL_PID"; sleep 0.3
EVENTS=$(counter events)
equal "nothing was dropped" "$(counter state_dropped)" 0
stop_linklog
equal "once there is room every event is in the file" \
    "$(sqlite3 -readonly "$DB" 'SELECT sum(events_in + events_out) FROM hours')" "$EVENTS"
equal "which is sound" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
finish
