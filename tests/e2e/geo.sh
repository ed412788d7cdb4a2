#!/bin/sh
# End to end: country, city and AS from MaxMind DB files written at test
# time (tests/e2e/geodb.pl, libmaxmind-db-writer-perl): tokens %c %C %o %O
# with hostile AS names, JSON fields, filters and rule keys, the cache,
# private addresses, a corrupt record, files refused at start, by
# --check-config and at a reload, a file truncated in place while loaded,
# one renamed over at SIGHUP; with DNS on and with --no-dns; and after a
# root start that switched user; a scan summary with its source's geo.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap python3 perl
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    skip "MaxMind::DB::Writer is not installed (libmaxmind-db-writer-perl)"

DB=$WORK/db
mkdir -p "$DB"
perl "$top_srcdir/tests/e2e/geodb.pl" "$DB" || { echo "geodb.pl failed"; exit 1; }
chmod 644 "$DB"/*.mmdb
TPL='%a %c %o | %A %C %O'

send_all() {
	send_v1 '@in TCP from 81.2.69.1:1000 to 192.168.1.20:22'
	send_v1 '@in TCP from 89.160.20.9:1000 to 192.168.1.20:22'
	send_v1 '@out TCP from 192.168.1.20:5000 to 8.8.8.8:443'
	send_v1 '@in TCP from 1.2.3.4:1000 to 192.168.1.20:22'
	send_v1 '@in TCP from 10.1.1.1:1000 to 192.168.1.20:22'
	send_v1 '@in TCP from 81.2.69.1:1001 to 192.168.1.20:22'
}

for dns in --no-dns ""; do
	m=${dns:-dns on}
	start_linklog $dns --geoip-db="$DB/city.mmdb" --geoip-db="$DB/asn.mmdb" -t "$TPL"
	send_all
	wait_lines "$OUT" 6
	check_line "$m: country and AS of a source" "$OUT" \
	    '81.2.69.1 GB AS20712 Andrews & Arnold Ltd | 192.168.1.20 - -'
	check_line "$m: a hostile AS name is escaped" "$OUT" \
	    '89.160.20.9 SE AS29518 Evil "Org" \134 <b>x</b>\012\001\033[31mred | 192.168.1.20 - -'
	check_line "$m: a destination's, bytes that are not UTF-8 escaped" "$OUT" \
	    '192.168.1.20 - - | 8.8.8.8 US AS15169 Google LLC BADUTF8:\377\376\300\200'
	check_line "$m: a corrupt record gives no geo" "$OUT" \
	    '1.2.3.4 - - | 192.168.1.20 - -'
	check_line "$m: a private address gets nothing (the file has it)" "$OUT" \
	    '10.1.1.1 - - | 192.168.1.20 - -'
	check "$m: every line has one end with geo or none" \
	    test "$(grep -c ' GB \| SE \| US ' "$OUT")" -eq 4
	wait_received 6
	check "$m: the corrupt record is counted" test "$(counter geoip_errors)" -eq 1
	check "$m: four lookups, an address seen again is cached" \
	    test "$(counter geoip_lookups)" -eq 4 -a "$(counter geoip_cache_hits)" -eq 1
	stop_linklog
done

# JSON: every field, valid JSON and UTF-8 whatever the names hold.
start_linklog --no-dns --json --geoip-db="$DB/city.mmdb" --geoip-db="$DB/asn.mmdb"
send_all
wait_lines "$OUT" 6
stop_linklog
if python3 "$top_srcdir/tests/e2e/jsonfields.py" "$OUT" >"$WORK/fields" 2>"$WORK/fields.err"; then
	ok "JSON: every line is one valid object"
else
	not_ok "JSON: invalid:"; sed 's/^/    /' "$WORK/fields.err" "$OUT"
fi
for f in '1 source.geo.country_iso_code="GB"' \
    '1 source.geo.country_name="United Kingdom"' \
    '1 source.geo.city_name="London"' '1 source.as.number=20712' \
    '1 source.as.organization.name="Andrews & Arnold Ltd"' \
    '2 source.geo.city_name="Linköping"' \
    '2 source.as.organization.name="Evil \"Org\" \\ <b>x</b>\n\u0001\u001b[31mred"' \
    '3 destination.geo.country_iso_code="US"' \
    '3 destination.as.organization.name="Google LLC BADUTF8:����"' \
    '3 destination.as.number=15169'; do
	check_line "JSON: $f" "$WORK/fields" "$f"
done
check "JSON: no city without one, no geo for private ends or a broken record" \
    sh -c "! grep -E '^3 destination\.geo\.city_name=|^[45] source\.(geo|as)\.|^[12456] destination\.(geo|as)\.' '$WORK/fields'"

# A scan summary carries the country and AS of its source.
start_linklog --no-dns --scan --json --geoip-db="$DB/city.mmdb" --geoip-db="$DB/asn.mmdb"
for port in $(seq 20 39); do
	send_v1 "@in TCP from 81.2.69.1:1234 to 192.168.1.20:$port"
done
wait_received 20
stop_linklog
python3 "$top_srcdir/tests/e2e/jsonfields.py" "$OUT" >"$WORK/scan.fields" 2>&1
n=$(sed -n 's/^\([0-9]*\) event.kind="alert"$/\1/p' "$WORK/scan.fields" | head -n 1)
check "a scan summary is written (line ${n:-none})" test -n "$n"
check_line "the scan summary has the source's country" "$WORK/scan.fields" \
    "${n:-0} source.geo.country_iso_code=\"GB\""
check_line "and its AS" "$WORK/scan.fields" "${n:-0} source.as.number=20712"

# Filters: country and AS, source and destination, negation, rule keys.
filtered() {
	start_linklog --no-dns --geoip-db="$DB/country.mmdb" --geoip-db="$DB/asn.mmdb" -t '%a>%A' "$@"
	send_all
	wait_received 6 >/dev/null
	stop_linklog
	tr '\n' ' ' <"$OUT"
}
check "--filter-country-source=GB" test "$(filtered --filter-country-source=gb)" = \
    "81.2.69.1>192.168.1.20 81.2.69.1>192.168.1.20 "
check "--filter-country=US (either end)" test "$(filtered --filter-country=US)" = \
    "192.168.1.20>8.8.8.8 "
check "--filter-country-dest='!US': no country is not excluded" \
    test "$(filtered --filter-country-dest='!US')" = "81.2.69.1>192.168.1.20 89.160.20.9>192.168.1.20 1.2.3.4>192.168.1.20 10.1.1.1>192.168.1.20 81.2.69.1>192.168.1.20 "
check "--filter-asn=AS29518 --filter-asn=15*" test "$(filtered --filter-asn=AS29518 \
    --filter-asn='15*')" = "89.160.20.9>192.168.1.20 192.168.1.20>8.8.8.8 "
check "--filter-asn-source=20712, no AS matches no pattern" \
    test "$(filtered --filter-asn-source=20712 --filter-asn-dest='*')" = ""
cat >"$WORK/rules.conf" <<EOC
geoip = { databases = [ "$DB/country.mmdb", "$DB/asn.mmdb" ]; };
rules = (
  { filter = { country_source = [ "SE" ]; }; template = "SE %a %o"; final = true; },
  { filter = { asn_dest = [ "15169" ]; }; template = "AS %A %C"; }
);
EOC
start_linklog --no-dns -c "$WORK/rules.conf"
send_all
wait_lines "$OUT" 2
wait_received 6
stop_linklog
check_line "rule key filter.country_source" "$OUT" \
    'SE 89.160.20.9 AS29518 Evil "Org" \134 <b>x</b>\012\001\033[31mred'
check_line "rule key filter.asn_dest" "$OUT" 'AS 8.8.8.8 US'
check "the rules write nothing else" test "$(wc -l <"$OUT")" -eq 2
check "country filters without a database are refused" sh -c \
    "! '$LINKLOG' --check-config --filter-country=DE >/dev/null 2>'$WORK/e' &&
     grep -q 'need a geoip database' '$WORK/e'"

# Broken files: refused at start and by --check-config with the reason.
printf 'This is not a MaxMind DB file.\n' >"$DB/text.mmdb"
head -c 1200 "$DB/asn.mmdb" >"$DB/short.mmdb"
for f in text short; do
	"$LINKLOG" --check-config --geoip-db="$DB/$f.mmdb" >/dev/null 2>"$WORK/e"
	rc=$?
	check "--check-config refuses the $f file (exit $rc)" test "$rc" -eq 1
	check_line "--check-config says why ($f)" "$WORK/e" \
	    "linklog: geoip database $DB/$f.mmdb: not a usable MaxMind DB file: The MaxMind DB file contains invalid metadata"
	"$LINKLOG" -p 9 --listen 127.0.0.1 --geoip-db="$DB/$f.mmdb" >/dev/null 2>"$WORK/e"
	rc=$?
	check "the start refuses the $f file (exit $rc)" test "$rc" -eq 1
	check "and names it" grep -q "geoip database $DB/$f.mmdb: not a usable MaxMind DB" "$WORK/e"
done
"$LINKLOG" --check-config --geoip-db="$DB/none.mmdb" >/dev/null 2>"$WORK/e"
check_line "a missing file is refused" "$WORK/e" \
    "linklog: geoip database $DB/none.mmdb: No such file or directory"
check "without a database nothing changes: no geoip counters" sh -c \
    "'$LINKLOG' --check-config >/dev/null 2>&1"

# Loaded files: truncated in place (no SIGBUS: a private copy is used),
# a broken one refused at a reload (the running ones kept), a renamed
# one taken at SIGHUP, and the cache emptied by it.
cp "$DB/country.mmdb" "$WORK/live.mmdb"
printf 'geoip = { databases = [ "%s" ]; };\ntemplate = "%%a %%c";\n' \
    "$WORK/live.mmdb" >"$WORK/live.conf"
start_linklog --no-dns -c "$WORK/live.conf"
send_v1 '@in TCP from 81.2.69.1:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
truncate -s 0 "$WORK/live.mmdb"
send_v1 '@in TCP from 81.2.69.2:1 to 192.168.1.20:22'
wait_lines "$OUT" 2
check_line "a file truncated in place while loaded: no crash, same data" \
    "$OUT" '81.2.69.2 GB'
check "linklog still runs" kill -0 "$LL_PID"
kill -HUP "$LL_PID"
wait_grep "$ERR" "reload failed" >/dev/null
check "the reload refuses the truncated file" grep -q \
    "reload failed, keeping the running configuration: geoip database $WORK/live.mmdb: empty" "$ERR"
printf 'junk' >"$WORK/live.mmdb"
kill -HUP "$LL_PID"
for i in $(seq 1 100); do
	[ "$(grep -c 'reload failed' "$ERR")" -ge 2 ] && break
	sleep 0.05
done
check "and a text file" grep -q "live.mmdb: not a usable MaxMind DB file" "$ERR"
send_v1 '@in TCP from 81.2.69.1:1 to 192.168.1.20:22'
wait_lines "$OUT" 3
check "the running databases are kept" test "$(sed -n 3p "$OUT")" = "81.2.69.1 GB"
mkdir -p "$DB/new"
perl "$top_srcdir/tests/e2e/geodb.pl" "$DB/new" replaced
mv "$DB/new/country.mmdb" "$WORK/live.mmdb.tmp"
mv "$WORK/live.mmdb.tmp" "$WORK/live.mmdb"
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 81.2.69.1:1 to 192.168.1.20:22'
wait_lines "$OUT" 4
check "a file renamed over is taken at SIGHUP, the cache emptied" \
    test "$(sed -n 4p "$OUT")" = "81.2.69.1 FR"
wait_received 4
check "counters survive the reload" test "$(counter geoip_lookups)" -eq 3
stop_linklog

# A root start that switches user reads the databases again at a reload.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp "$DB/country.mmdb" "$WORK/live.mmdb"
	start_linklog --no-dns --run-as=nobody -c "$WORK/live.conf"
	kill -HUP "$LL_PID"
	wait_grep "$ERR" "configuration reloaded\|reload failed" >/dev/null
	check "after --run-as, a reload opens the databases" \
	    grep -q "configuration reloaded" "$ERR"
	send_v1 '@in TCP from 81.2.69.1:1 to 192.168.1.20:22'
	wait_lines "$OUT" 1
	check_line "and looks up with them" "$OUT" '81.2.69.1 GB'
	stop_linklog
else
	echo "# the reload after --run-as skipped: not root, or no user nobody"
fi

# No database: the statistics line is as before.
start_linklog --no-dns -t '%a %c %o'
send_v1 '@in TCP from 81.2.69.1:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
wait_received 1
check_line "without a database %c and %o are -" "$OUT" '81.2.69.1 - -'
check "and no geoip counter is shown" sh -c "! grep -q geoip '$ERR'"
stop_linklog
finish
