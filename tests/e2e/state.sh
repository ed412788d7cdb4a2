#!/bin/sh
# The state database (issue 23) with real SQLite files, real traps and
# the sqlite3 tool: what it keeps (hosts, hours, hourly rows, scans,
# counters), the files' modes and their WAL kept for read-only readers;
# --check-config never creates a file and refuses a newer schema, a
# foreign file and a damaged one, as the start does; a directory the user
# cannot write is named; a reader holding BEGIN EXCLUSIVE while traps
# arrive delays nothing and loses nothing; kill -9 during flushes leaves
# a sound file; the per-hour bound under a flood of distinct outside
# hosts; names stored as the message gave them; new-host notices after
# the learning period, bounded a minute, again after forget_days, in JSON
# and selected by --filter-kind.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need sqlite3
TRAPSEND=${TRAPSEND:-$(dirname "$LINKLOG")/tools/trapsend}
[ -x "$TRAPSEND" ] || skip "no tools/trapsend"

# The directory the database lives in: linklog, root or nobody, writes it.
D=$WORK/state
mkdir -m 1777 "$D"
q() { sqlite3 -readonly "$DB" "$1"; }
# equal DESCRIPTION GOT EXPECTED
equal() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: '$2', not '$3'"; fi
}

# ---- what it keeps ------------------------------------------------------
DB=$D/a.db
start_linklog --no-dns --scan --state-db="$DB" -c /dev/null
"$TRAPSEND" -n 300 -k 30 -m "@out TCP from 192.168.1.1%k:40000 to 52.1.2.3:443" "127.0.0.1:$PORT" >/dev/null
"$TRAPSEND" -n 200 -k 200 -m "@in TCP from 198.51.100.9:4000 to 192.168.1.1:%p" "127.0.0.1:$PORT" >/dev/null
send_v1 "@in TCP from scanner.example.net(203.0.113.7):51234 to 192.168.1.20:22"
sync_linklog
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
EVENTS=$(counter events)
stop_linklog
equal "linklog stops cleanly" "$LL_STATUS" 0
equal "hours: every event the router reported" \
    "$(q 'SELECT sum(events_in + events_out) FROM hours')" "$EVENTS"
equal "hourly rows and the scan's suppressed events add up to it" \
    "$(q 'SELECT (SELECT sum(events) FROM hourly) + (SELECT sum(suppressed) FROM scans)')" "$EVENTS"
equal "one outbound row per inside host to 52.1.2.3:443" \
    "$(q "SELECT count(*), sum(events) FROM hourly WHERE outside = '52.1.2.3' AND direction = 'out' AND protocol = 'tcp' AND port = 443")" "30|300"
equal "30 inside hosts with 10 events out each" \
    "$(q "SELECT count(*), min(events_out), max(events_out) FROM inside_hosts WHERE events_out > 0")" "30|10|10"
equal "the scan: 200 ports, 186 suppressed, final" \
    "$(q "SELECT source, target, direction, count, suppressed, final, substr(sample, 1, 9) FROM scans")" \
    "198.51.100.9|192.168.1.1|in|200|186|1|1,2,3,4,5"
equal "the name in the message is the outside host's" \
    "$(q "SELECT name, events_in FROM outside_hosts WHERE ip = '203.0.113.7'")" "scanner.example.net|1"
equal "counters: the growth of events in the hour" \
    "$(q "SELECT sum(value) FROM counters WHERE name = 'events'")" "$EVENTS"
equal "the run is marked stopped" \
    "$(q 'SELECT count(*) FROM runs WHERE stopped IS NOT NULL')" 1
for f in "$DB" "$DB-wal" "$DB-shm"; do
	check "${f##*/} is kept, mode 0640" test "$(stat -c %a "$f" 2>/dev/null)" = 640
done
equal "PRAGMA user_version is the schema's" "$(q 'PRAGMA user_version')" 1
# Read-only, as a reader in the file's group does, with linklog stopped.
equal "a read-only reader opens it with linklog stopped" \
    "$(q 'SELECT count(*) FROM inside_hosts')" 33
# Started again, it loads the hosts it knows: none is new.
start_linklog --no-dns --state-db="$DB" -c /dev/null
send_v1 "@out TCP from 192.168.1.10:40000 to 52.1.2.3:443"
sync_linklog
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
equal "a known host is not new after a restart" "$(counter new_hosts)" 0
stop_linklog
equal "and its events add up over both runs" \
    "$(q "SELECT events_out FROM inside_hosts WHERE ip = '192.168.1.10'")" 11
equal "two runs" "$(q 'SELECT count(*) FROM runs')" 2

# ---- --check-config, refused files --------------------------------------
"$LINKLOG" --check-config --state-db="$D/none.db" -c /dev/null >/dev/null 2>"$WORK/x"
check "--check-config with no file yet passes" test $? = 0
check "and creates nothing" test ! -e "$D/none.db"
for f in "" -wal -shm; do cp "$DB$f" "$D/copy.db$f"; done
# (a reader may write the -shm index, which holds no data)
sum_before=$(cat "$D/copy.db" "$D/copy.db-wal" | md5sum)
"$LINKLOG" --check-config --state-db="$D/copy.db" -c /dev/null >/dev/null 2>&1
check "--check-config passes an existing file" test $? = 0
check "and changes nothing" test "$(cat "$D/copy.db" "$D/copy.db-wal" | md5sum)" = "$sum_before"
# refused NAME DESCRIPTION EXPECTED-TEXT
refused() {
	"$LINKLOG" --check-config --state-db="$D/$1" -c /dev/null >/dev/null 2>"$WORK/x"
	rc=$?
	if [ $rc = 1 ] && grep -q "$3" "$WORK/x"; then ok "--check-config refuses $2"
	else not_ok "--check-config refuses $2 ($rc):"; sed 's/^/    /' "$WORK/x"; fi
	"$LINKLOG" -p 9 --listen 127.0.0.1 --state-db="$D/$1" -c /dev/null >/dev/null 2>"$WORK/x"
	rc=$?
	if [ $rc = 1 ] && grep -q "$3" "$WORK/x"; then ok "the start refuses $2"
	else not_ok "the start refuses $2 ($rc):"; sed 's/^/    /' "$WORK/x"; fi
}
sqlite3 "$D/newer.db" "PRAGMA application_id = $(printf %d 0x4c6b4c67); PRAGMA user_version = 2; CREATE TABLE t (x);"
chmod 666 "$D/newer.db"
refused newer.db "a newer schema" "written by a newer linklog (schema version 2; this linklog knows versions up to 1)"
sqlite3 "$D/foreign.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
chmod 666 "$D/foreign.db"
refused foreign.db "another program's database" "an SQLite database, but not linklog's"
head -c 65536 /dev/urandom >"$D/junk.db"
chmod 666 "$D/junk.db"
refused junk.db "a file that is not a database" "not a database"
# A database whose pages were overwritten past its header.
cp "$DB" "$D/damaged.db"
sqlite3 "$D/damaged.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
dd if=/dev/urandom of="$D/damaged.db" bs=1024 seek=8 count=16 conv=notrunc 2>/dev/null
rm -f "$D/damaged.db-wal" "$D/damaged.db-shm"
chmod 666 "$D/damaged.db"
refused damaged.db "a damaged database" "damaged\|malformed\|not a database"
mkdir -m 755 "$D/ro"
[ "$(id -u)" = 0 ] || chmod 555 "$D/ro"
"$LINKLOG" -p 9 --listen 127.0.0.1 --state-db="$D/ro/x.db" -c /dev/null >/dev/null 2>"$WORK/x"
check "a directory linklog cannot write is named, with the user" \
    grep -q "the directory $D/ro must be writable by the user linklog runs as" "$WORK/x"

# ---- a writer lock held by a reader for 6 s while 50,000 traps arrive --
DB=$D/busy.db
start_linklog --no-dns --state-db="$DB" -c "$(printf 'state = { flush = 1; };\n' >"$WORK/f1.conf"; chmod 644 "$WORK/f1.conf"; echo "$WORK/f1.conf")"
send_v1 "@out TCP from 192.168.1.10:40000 to 52.1.2.3:443"
sync_linklog
sleep 1.2
# A plain reader in a read transaction, and one holding the write lock.
{ echo "BEGIN; SELECT count(*) FROM hours;"; sleep 8; echo "COMMIT;"; } |
    sqlite3 "$DB" >/dev/null 2>&1 &
R1=$!
{ echo "BEGIN EXCLUSIVE; SELECT count(*) FROM hours;"; sleep 6; echo "COMMIT;"; } |
    sqlite3 "$DB" >"$WORK/locked" 2>&1 &
R2=$!
sleep 0.5
t0=$(date +%s)
"$TRAPSEND" -n 50000 -k 500 -r 10000 -t 30 -m "@in TCP from %a:1 to 192.168.1.20:%p" "127.0.0.1:$PORT" >/dev/null
t1=$(date +%s)
check "the 50,000 traps took no longer than their rate ($((t1 - t0)) s)" test $((t1 - t0)) -le 8
sync_linklog
wait $R1 $R2
sleep 2.5
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
EVENTS=$(counter events)
check "the writer met the lock ($(counter state_errors) failed commits)" test "$(counter state_errors)" -gt 0
equal "nothing was dropped" "$(counter state_dropped)" 0
equal "every event is in hours after the lock is gone" \
    "$(q 'SELECT sum(events_in + events_out) FROM hours')" "$EVENTS"
equal "and in hourly" "$(q 'SELECT sum(events) FROM hourly')" "$EVENTS"
stop_linklog

# ---- kill -9 while it flushes every second ------------------------------
DB=$D/killed.db
for round in 1 2 3; do
	start_linklog --no-dns --state-db="$DB" -c "$WORK/f1.conf"
	"$TRAPSEND" -n 20000 -k 500 -r 8000 -t 10 -m "@in TCP from %a:1 to 192.168.1.20:%p" "127.0.0.1:$PORT" >/dev/null &
	S=$!
	sleep 1.6
	kill -9 "$LL_PID"; wait "$LL_PID" 2>/dev/null; LL_PID=
	wait $S
done
equal "after three kill -9, PRAGMA integrity_check" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
check "and the flushes before each are in it" test "$(sqlite3 "$DB" 'SELECT count(*) FROM runs WHERE last_flush IS NOT NULL')" -eq 3

# ---- the per-hour bound under 1,000 distinct outside hosts -------------
DB=$D/bound.db
printf 'state = { max_rows_per_hour = 16; };\n' >"$WORK/bound.conf"; chmod 644 "$WORK/bound.conf"
start_linklog --no-dns --state-db="$DB" -c "$WORK/bound.conf"
"$TRAPSEND" -n 1000 -k 1000 -r 2000 -m "@in TCP from %a:1 to 192.168.1.20:22" "127.0.0.1:$PORT" >/dev/null
sync_linklog
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
OVER=$(counter state_overflow)
EVENTS=$(counter events)
stop_linklog
H=$(q 'SELECT max(hour) FROM hourly')
equal "at most 16 rows in the hour, and its overflow rows" \
    "$(q "SELECT count(*) FROM hourly WHERE hour = $H AND inside != ''")" 16
equal "the overflow row holds what the bound left out" \
    "$(q "SELECT sum(events) FROM hourly WHERE hour = $H AND inside = '' AND direction = 'in'")" "$OVER"
equal "every event beyond the 16 rows' went to it" "$OVER" $((EVENTS - 16))
equal "nothing is lost: hourly adds up to hours" \
    "$(q 'SELECT sum(events) FROM hourly')" "$(q 'SELECT sum(events_in + events_out) FROM hours')"
equal "outside hosts beyond the bound are not kept" \
    "$(q "SELECT count(*) FROM outside_hosts")" 16

# ---- new hosts: learned during inventory.learn, one notice after -------
DB=$D/new.db
printf 'state = { flush = 1; };\ninventory = { learn = 2; notices_per_minute = 3; };\n' >"$WORK/new.conf"
chmod 644 "$WORK/new.conf"
start_linklog --no-dns --state-db="$DB" -c "$WORK/new.conf"
send_v1 "@out TCP from 192.168.1.50:40000 to 142.250.74.14:443"
sync_linklog
wait_grep "$ERR" "learning period is over" || sleep 3
check "the end of learning says how many were learned (the marker's host too)" \
    grep -q "the learning period is over: 2 hosts learned without a notice" "$ERR"
check_no_line "no notice while learning" "$OUT" "new host"
send_v1 "@out UDP from android-7f3a.lan(192.168.1.77):5353 to 142.250.74.14:443"
send_v1 "@out TCP from 192.168.1.50:40001 to 142.250.74.14:443"
send_v1 "@in TCP from 203.0.113.7:1 to 192.168.1.88:22"
sync_linklog
# (--no-dns: %s is the address)
check "a notice for the new host" grep -q \
    "new host on the LAN: 192.168.1.77 (192.168.1.77), first connection out to 142.250.74.14:https$" "$OUT"
awk '/new host on the LAN: 192.168.1.77/ { n = NR } /192.168.1.77:mdns ->/ { print NR - n }' "$OUT" >"$WORK/x"
check "before its first connection" grep -qx 1 "$WORK/x"
equal "one notice: not for a known host, nor one first reached from outside" \
    "$(grep -c 'new host' "$OUT")" 1
"$TRAPSEND" -n 6 -k 6 -m "@out TCP from 192.168.2.1%k:1 to 142.250.74.14:443" "127.0.0.1:$PORT" >/dev/null
sync_linklog
stop_linklog
equal "at most inventory.notices_per_minute (3) a minute" "$(grep -c 'new host' "$OUT")" 3
check "then one line of how many more" grep -q "inventory: 4 more new hosts in the last minute" "$ERR"
equal "every new host is in new_hosts, written or not" \
    "$(q 'SELECT count(*), sum(written) FROM new_hosts')" "10|3"
# Forgotten: not seen for inventory.forget_days, it is new again.
sqlite3 "$DB" "UPDATE inside_hosts SET first_seen = first_seen - 40 * 86400, last_seen = last_seen - 31 * 86400 WHERE ip = '192.168.1.50'"
start_linklog --no-dns --state-db="$DB" -c "$WORK/new.conf"
send_v1 "@out TCP from 192.168.1.50:40002 to 142.250.74.14:443"
send_v1 "@out TCP from 192.168.1.77:40002 to 142.250.74.14:443"
sync_linklog
stop_linklog
check "a host back after forget_days gets a notice" grep -q "new host on the LAN: 192.168.1.50 " "$OUT"
equal "and only it" "$(grep -c 'new host' "$OUT")" 1
equal "its first_seen starts over, its counts too" \
    "$(q "SELECT first_seen > strftime('%s', 'now') - 60, events_out FROM inside_hosts WHERE ip = '192.168.1.50'")" "1|1"

# ---- JSON notices, and --filter-kind=new-host ---------------------------
DB=$D/json.db
printf 'inventory = { learn = 0; };\n' >"$WORK/learn0.conf"; chmod 644 "$WORK/learn0.conf"
start_linklog --no-dns --json --filter-kind=new-host --state-db="$DB" -c "$WORK/learn0.conf"
send_v1 "@out UDP from android-7f3a.lan(192.168.1.77):5353 to 142.250.74.14:443"
send_v1 "@out UDP from android-7f3a.lan(192.168.1.77):5353 to 142.250.74.15:443"
wait_lines "$OUT" 1; sleep 0.3
stop_linklog
equal "--filter-kind=new-host writes the notice alone" "$(wc -l <"$OUT")" 1
python3 -c 'import json, sys
d = json.loads(open(sys.argv[1]).readline())
e = d["event"]
print(e["kind"], e["category"], e["action"], d["host"]["ip"], d["host"]["name"],
      d["destination"]["ip"], d["destination"]["port"])' "$OUT" >"$WORK/x" 2>&1
equal "its ECS fields" "$(cat "$WORK/x")" \
    "alert ['host', 'network'] new-host ['192.168.1.77'] android-7f3a.lan 142.250.74.14 443"
equal "the filtered connections are kept all the same" \
    "$(q "SELECT events_out FROM inside_hosts WHERE ip = '192.168.1.77'")" 2

# ---- inventory.max_hosts: a spoofed sweep of the LAN cannot grow it -----
DB=$D/hosts.db
printf 'inventory = { max_hosts = 16; };\n' >"$WORK/hosts.conf"; chmod 644 "$WORK/hosts.conf"
start_linklog --no-dns --state-db="$DB" -c "$WORK/hosts.conf"
"$TRAPSEND" -n 200 -k 200 -r 2000 -m "@out TCP from 10.0.%k.1:1 to 52.1.2.3:443" "127.0.0.1:$PORT" >/dev/null
sync_linklog
kill -USR1 "$LL_PID"; wait_grep "$ERR" statistics:
DROPPED=$(counter inventory_dropped)
stop_linklog
equal "at most 16 inside hosts" "$(q 'SELECT count(*) FROM inside_hosts')" 16
check "the others are counted ($DROPPED)" test "$DROPPED" -ge 184
check "and reported" grep -q "inventory: $DROPPED events of new inside hosts not kept (inventory_dropped): it holds inventory.max_hosts (16) hosts" "$ERR"

# ---- names as given ------------------------------------------------------
DB=$D/names.db
start_linklog --no-dns --state-db="$DB" -c /dev/null
send_v1 "@in TCP from x--script-.example(203.0.113.8):1 to 192.168.1.20:22"
sync_linklog
stop_linklog
equal "a name is stored as the message gave it" \
    "$(q "SELECT name FROM outside_hosts WHERE ip = '203.0.113.8'")" "x--script-.example"

finish
