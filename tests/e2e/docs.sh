#!/bin/sh
# The documentation matches the program: every option of --help is an
# entry of linklog(8) (and no entry names an option that is gone), and
# every option the README names exists; every key --check-config prints
# is an entry of linklog.conf(5) with its default; conf/linklog.conf shows
# the defaults; every counter of the statistics line is one entry of
# linklog(8) STATISTICS (and no entry is a counter that is gone); every
# template token linklog accepts is in --help, linklog(8) and the README;
# the integer bounds and "restart" marks are linklog's; the README's
# quick start, run as written, prints the line it shows; the README stays
# short (at most 250 lines) and the files it sends readers to exist; the
# manual pages fit 80 columns; every source file is in docs/HACKING.md's
# layout.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

MAN8=$top_srcdir/man/linklog.8
MAN5=$top_srcdir/man/linklog.conf.5
README=$top_srcdir/README.md

# "missing WHAT LIST": a check that LIST (one a line) is empty.
missing() {
	if [ -s "$2" ]; then
		not_ok "$1:"
		sed 's/^/    /' "$2"
	else
		ok "$1"
	fi
}

# The tag lines of a page's .TP entries, \- and \(dq as - and ".
tags() {
	awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$1" |
	    sed 's/\\-/-/g; s/\\(dq/"/g'
}

# ---- options ----------------------------------------------------------
"$LINKLOG" --help >"$WORK/help.txt"
grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' "$WORK/help.txt" |
    sed 's/.*--//' | sort -u >"$WORK/options"
check "--help lists options" test "$(wc -l <"$WORK/options")" -gt 40
tags "$MAN8" | grep -oE -- '--[a-z][a-z0-9-]*' | sed 's/^--//' |
    sort -u >"$WORK/man8.options"
comm -23 "$WORK/options" "$WORK/man8.options" >"$WORK/x"
missing "every option of --help is an entry of linklog(8)" "$WORK/x"
# Entries name options of linklog only: not those of other programs in
# EXAMPLES (iptables), which are not tags.
comm -13 "$WORK/options" "$WORK/man8.options" >"$WORK/x"
missing "every option entry of linklog(8) exists" "$WORK/x"
# The README has no table of options (linklog(8) has them), but every
# option it names must be one.
grep -oE -- '--[a-z][a-z0-9-]*' "$README" | sed 's/^--//' | sort -u \
    >"$WORK/readme.options"
comm -13 "$WORK/options" "$WORK/readme.options" >"$WORK/x"
missing "every option the README names exists" "$WORK/x"

# ---- configuration keys -----------------------------------------------
# "section.key = value" from --check-config's output.
flatten() {
	awk '/^[a-z_]+ = \{$/ { sect = $1 "."; next }
	     /^\};$/ { sect = ""; next }
	     /^ *[a-z_]+ = / { sub(/^ */, ""); sub(/;$/, "");
		k = $1; sub(/^[^=]*= /, ""); print sect k "\t" $0 }' "$1"
}
"$LINKLOG" --check-config >"$WORK/defaults.conf" 2>/dev/null
flatten "$WORK/defaults.conf" >"$WORK/defaults"
check "--check-config prints settings" test "$(wc -l <"$WORK/defaults")" -ge 30
# A geoip database (tests/e2e/geodb.pl) for the geoip key and counters.
perl "$top_srcdir/tests/e2e/geodb.pl" "$WORK" ||
    not_ok "geodb.pl (libmaxmind-db-writer-perl) wrote no database"
GEODB=$WORK/country.mmdb
# Every optional key set, so that it is printed too.
"$LINKLOG" --check-config --pid-file=/run/x.pid --log-file=/tmp/x.log \
    --geoip-db="$GEODB" --filter-country=DE --filter-country-source=DE \
    --filter-country-dest=DE --filter-asn=1 --filter-asn-source=1 \
    --filter-asn-dest=1 \
    --listen=127.0.0.1 --dns-server=127.0.0.1 --allow-from=127.0.0.1 \
    --community=public --filter-direction=IN --filter-protocol=TCP \
    --filter-ip=1 --filter-ip-source=1 --filter-ip-dest=1 --filter-host=a \
    --filter-host-source=a --filter-host-dest=a --filter-port=1 \
    --filter-port-source=1 --filter-port-dest=1 \
    >"$WORK/all.conf" 2>"$WORK/all.err"
flatten "$WORK/all.conf" | cut -f1 | sort -u >"$WORK/keys"
check "--check-config prints the optional keys" grep -qx 'filter.port_dest' "$WORK/keys"
tags "$MAN5" | grep -oE '[a-z_]+(\.[a-z_]+)?' | sort -u >"$WORK/man5.words"
comm -23 "$WORK/keys" "$WORK/man5.words" >"$WORK/x"
missing "every key of --check-config is an entry of linklog.conf(5)" "$WORK/x"
# Each entry's parenthesis ends with the default: "(TYPE, DEFAULT)" or
# "(TYPE, DEFAULT; restart)"; a list's default is "empty".
tags "$MAN5" >"$WORK/man5.tags"
: >"$WORK/x"
while IFS="$(printf '\t')" read -r key value; do
	case "$value" in "[]") value=empty ;; esac
	awk -v k="$key" -v v="$value" '
	    { n = split($0, w, /[ ",]+/); named = 0
	      for (i = 1; i <= n; i++) if (w[i] == k || w[i] == ".BR" k) named = 1 }
	    named && (index($0, ", " v ")") || index($0, ", " v ";")) { found = 1 }
	    END { exit !found }' "$WORK/man5.tags" ||
	    echo "$key: no entry with the default $value" >>"$WORK/x"
done <"$WORK/defaults"
missing "linklog.conf(5) gives every key's default as --check-config" "$WORK/x"
# Every integer key's bounds, "(integer MIN to MAX, ...)" in
# linklog.conf(5): linklog takes MIN and MAX and refuses what is beyond
# them, and linklog(8) gives the same "MIN to MAX" for its option.
# conf_value KEY VALUE: does a file setting only KEY to VALUE load?
conf_value() {
	case "$1" in
	*.*) echo "${1%%.*} = { ${1#*.} = $2; };" ;;
	*) echo "$1 = $2;" ;;
	esac >"$WORK/bound.conf"
	"$LINKLOG" -c "$WORK/bound.conf" --check-config >/dev/null 2>&1
}
sed -n 's/^\.BR \([a-z_.]*\) " (integer \([0-9]*\) to \([0-9]*\),.*/\1 \2 \3/p' \
    "$MAN5" >"$WORK/bounds"
check "linklog.conf(5) gives integer bounds" test "$(wc -l <"$WORK/bounds")" -ge 10
: >"$WORK/x"
while read -r key min max; do
	conf_value "$key" "$min" || echo "$key: $min refused" >>"$WORK/x"
	conf_value "$key" "$max" || echo "$key: $max refused" >>"$WORK/x"
	conf_value "$key" "$((max + 1))" && echo "$key: $((max + 1)) taken" >>"$WORK/x"
	[ "$min" -eq 0 ] || ! conf_value "$key" "$((min - 1))" ||
	    echo "$key: $((min - 1)) taken" >>"$WORK/x"
	grep -q "(\($min to $max\|[^(]*[^0-9]$min to $max\)[,;)]" "$MAN8" ||
	    echo "$key: no '$min to $max' in linklog(8)" >>"$WORK/x"
done <"$WORK/bounds"
missing "the bounds of linklog.conf(5) and linklog(8) are linklog's" "$WORK/x"
"$LINKLOG" -c "$top_srcdir/conf/linklog.conf" --check-config \
    >"$WORK/sample.conf" 2>"$WORK/sample.err"
# The first line is a comment that names the file.
sed 1d "$WORK/sample.conf" >"$WORK/sample.settings"
sed 1d "$WORK/defaults.conf" >"$WORK/defaults.settings"
if diff "$WORK/defaults.settings" "$WORK/sample.settings" >"$WORK/x"; then
	ok "conf/linklog.conf shows exactly the defaults"
else
	not_ok "conf/linklog.conf shows exactly the defaults:"
	sed 's/^/    /' "$WORK/x" "$WORK/sample.err"
fi

# "restart" in linklog.conf(5) is what a reload keeps: start with the
# defaults, change every integer key, run_as and pid_file, reload, and
# compare the keys the reload's warning names with those marked restart
# (port and listen are on start_linklog's command line, which wins).
sed 1d "$WORK/defaults.conf" >"$WORK/reload.conf"
printf 'run_as\t"root"\n' >"$WORK/new"
while read -r key min max; do
	case "$key" in port) continue ;; esac
	default=$(awk -F '\t' -v k="$key" '$1 == k { print $2 }' "$WORK/defaults")
	value=$min; [ "$min" != "$default" ] || value=$max
	printf '%s\t%s\n' "$key" "$value" >>"$WORK/new"
done <"$WORK/bounds"
# The defaults with the new values put in place (libconfig refuses a
# setting given twice), and a pid file.
awk -F '\t' 'NR == FNR { v[$1] = $2; next }
    /^[a-z_]+ = \{$/ { sect = $0; sub(/ .*/, ".", sect) }
    /^\};$/ { sect = "" }
    /^ *[a-z_]+ = / { k = $0; sub(/^ */, "", k); sub(/ .*/, "", k)
	if ((sect k) in v) sub(/= .*/, "= " v[sect k] ";") }
    { print }' "$WORK/new" "$WORK/reload.conf" >"$WORK/changed.conf"
echo "pid_file = \"$WORK/reload.pid\";" >>"$WORK/changed.conf"
{ cut -f1 "$WORK/new"; echo pid_file; } | sort -u >"$WORK/changed"
"$LINKLOG" -c "$WORK/changed.conf" --check-config >/dev/null 2>"$WORK/x" && : >"$WORK/x"
missing "the changed configuration is valid" "$WORK/x"
chmod 644 "$WORK/reload.conf"       # read again by the user linklog became
start_linklog --no-dns -c "$WORK/reload.conf"
cp "$WORK/changed.conf" "$WORK/reload.conf"
kill -HUP "$LL_PID"
for i in $(seq 1 100); do grep -q 'next restart' "$ERR" && break; sleep 0.05; done
stop_linklog
sed -n 's/.*reload: \(a \)\{0,1\}\(.*\) changes\{0,1\} take.*/\2/p' "$ERR" |
    tr -d ' ' | tr ',' '\n' | sort -u >"$WORK/kept"
check "a reload names the settings it keeps" test -s "$WORK/kept"
grep ' restart)"$' "$WORK/man5.tags" | grep -oE '^\.BR [a-z_.]+' |
    cut -c5- | sort -u | comm -12 - "$WORK/changed" >"$WORK/marked"
diff "$WORK/marked" "$WORK/kept" >"$WORK/x"
missing "linklog.conf(5) marks restart exactly what a reload keeps" "$WORK/x"

# ---- counters ---------------------------------------------------------
mkdir -m 1777 "$WORK/state"    # the state database's, for its counters
start_linklog --no-dns-source --geoip-db="$GEODB" --state-db="$WORK/state/docs.db"
send_v1 '@in TCP from 10.1.0.1:1 to 192.168.1.20:22'
wait_lines "$OUT" 1
kill -USR1 "$LL_PID"
for i in $(seq 1 100); do grep -q 'statistics:' "$ERR" && break; sleep 0.05; done
stop_linklog
grep 'statistics:' "$ERR" | head -n 1 | sed 's/.*statistics: //' |
    tr ' ' '\n' | sed 's/=.*//' | sort >"$WORK/counters"
check "the statistics line carries the DNS counters too" \
    grep -qx waited_out "$WORK/counters"
sed -n '/^\.SH STATISTICS/,/^\.SH /p' "$MAN8" >"$WORK/stats.man"
tags "$WORK/stats.man" | grep -oE '[a-z_]+' | grep -vx 'B\|BR' |
    sort >"$WORK/man8.counters"
comm -23 "$WORK/counters" "$WORK/man8.counters" >"$WORK/x"
missing "every counter is an entry of linklog(8) STATISTICS" "$WORK/x"
comm -13 "$WORK/counters" "$WORK/man8.counters" >"$WORK/x"
missing "every entry of STATISTICS is a counter" "$WORK/x"
uniq -d "$WORK/man8.counters" >"$WORK/x"
missing "each counter is described once" "$WORK/x"

# ---- template tokens --------------------------------------------------
# The tokens linklog accepts: an unknown one is refused at start.
: >"$WORK/tokens"
for c in a b c d e f g h i j k l m n o p q r s t u v w x y z \
    A B C D E F G H I J K L M N O P Q R S T U V W X Y Z %; do
	"$LINKLOG" --check-config --template="%$c" >/dev/null 2>&1 &&
	    echo "$c" >>"$WORK/tokens"
done
check "linklog accepts tokens" test "$(wc -l <"$WORK/tokens")" -gt 20
: >"$WORK/x"
sed -n '/^\.SH TEMPLATES/,/^\.SH /p' "$MAN8" >"$WORK/templates.man"
while read -r c; do
	grep -qE "(^| )%$c " "$WORK/help.txt" ||
	    echo "%$c: not in --help" >>"$WORK/x"
	grep -q "^%$c	" "$WORK/templates.man" ||
	    echo "%$c: not in linklog(8) TEMPLATES" >>"$WORK/x"
	grep -qF "\`%$c\`" "$README" ||
	    echo "%$c: not in the README" >>"$WORK/x"
done <"$WORK/tokens"
missing "every token is in --help, linklog(8) and the README" "$WORK/x"
grep -E '^%.	' "$WORK/templates.man" | cut -c2 | sort >"$WORK/man.tokens"
sort "$WORK/tokens" | comm -13 - "$WORK/man.tokens" >"$WORK/x"
missing "every token of linklog(8) exists" "$WORK/x"

# ---- the README's quick start -----------------------------------------
# Its blocks, as .ci/newcomer takes them (tests/e2e/readme.awk): linklog
# runs on 9162 and the trap goes there; the trap, sent as written to a
# linklog started so (here a free port, and --no-dns), prints the line the
# README shows, but the time.  (.ci/newcomer runs the whole quick start
# on a fresh Debian 12.)
block() {
	awk -v section="$1" -v pattern="$2" -f "$top_srcdir/tests/e2e/readme.awk" "$README"
}
block '## Quick start' '\./linklog ' >"$WORK/qs.run"
block '## Quick start' '^snmptrap ' >"$WORK/qs.send"
block '## Quick start' '\] 203\.0\.113\.7:' | cut -c16- >"$WORK/qs.expected"
block '## Quick start' '^bash \.ci/test$' >"$WORK/qs.test"
block '## Install the package' 'dpkg-buildpackage' >"$WORK/qs.pkg"
grep -q '^\./linklog --port=9162$' "$WORK/qs.run" &&
    grep -q "^snmptrap .* 127.0.0.1:9162 " "$WORK/qs.send" &&
    grep -q 'apt-get install .*\$(cat \.ci/build-deps).* snmp' "$WORK/qs.run"
check "the quick start installs snmp, runs linklog on 9162 and sends there" test $? -eq 0
check "the quick start has the test command, the package section its commands" \
    test -s "$WORK/qs.test" -a -s "$WORK/qs.pkg"
start_linklog --no-dns
sed "s/127.0.0.1:9162/127.0.0.1:$PORT/" "$WORK/qs.send" | sh
wait_lines "$OUT" 1
stop_linklog
cut -c16- "$OUT" >"$WORK/qs.printed"
if [ -s "$WORK/qs.expected" ] && cmp -s "$WORK/qs.expected" "$WORK/qs.printed"; then
	ok "the quick start's trap prints what the README shows"
else
	not_ok "the quick start's trap: the README shows"
	sed 's/^/    /' "$WORK/qs.expected"
	echo "  linklog printed"
	sed 's/^/    /' "$WORK/qs.printed"
fi

# ---- what the README leaves to other files --------------------------
# At most 250 lines (a user's first page, not the history); the files it
# names exist; what it no longer holds is where it says.
lines=$(wc -l <"$README")
check "the README is at most 250 lines ($lines)" test "$lines" -le 250
: >"$WORK/x"
for f in $(grep -oE '`(docs|bench|conf|debian)/[A-Za-z0-9._/-]+`|`(NEWS|LICENSE)`' "$README" |
    tr -d '`' | sort -u); do
	[ -e "$top_srcdir/$f" ] || echo "$f" >>"$WORK/x"
done
missing "every file the README names exists" "$WORK/x"
HACKING=$top_srcdir/docs/HACKING.md
for h in '## Building' '## Testing' '## Continuous integration' '## Layout'; do
	grep -qx "$h" "$HACKING" || echo "docs/HACKING.md: no $h" >>"$WORK/x"
done
grep -q '^## Performance\|^| receiver |' "$top_srcdir/bench/README.md" ||
    echo "bench/README.md: no performance table" >>"$WORK/x"
grep -q '^| check | command | in CI |' "$top_srcdir/docs/SECURITY.md" ||
    echo "docs/SECURITY.md: no table of checks" >>"$WORK/x"
# Every test the table of checks names exists.
for t in $(grep -oE '`tests/(e2e|unit|package)/[a-z0-9_]+(\.sh)?`' "$top_srcdir/docs/SECURITY.md" |
    tr -d '`' | sort -u); do
	[ -e "$top_srcdir/$t" ] || [ -e "$top_srcdir/$t.c" ] ||
	    echo "docs/SECURITY.md names $t, which does not exist" >>"$WORK/x"
done
missing "HACKING.md, SECURITY.md and bench/README.md hold what the README left" "$WORK/x"

# ---- manual pages ------------------------------------------------------
# Every line, examples included, fits an 80-column terminal.
: >"$WORK/x"
command -v mandoc >/dev/null || echo "mandoc is not installed (.ci/test-deps)" >"$WORK/x"
for m in "$MAN8" "$MAN5" "$top_srcdir/man/linklog-report.1"; do
	mandoc -Tascii -Owidth=80 "$m" | sed 's/.\x08//g' | expand |
	    awk -v m="${m##*/}" 'length > 80 { print m ": " $0 }' >>"$WORK/x"
done
missing "the manual pages fit 80 columns" "$WORK/x"
# linklog-report: every option of its --help is an entry of its page.
REPORT=${LINKLOG_REPORT:-$(dirname "$LINKLOG")/linklog-report}
"$REPORT" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$WORK/r.options"
tags "$top_srcdir/man/linklog-report.1" | grep -oE -- '--[a-z][a-z-]*' |
    sort -u >"$WORK/r.man"
check "linklog-report --help lists options" test "$(wc -l <"$WORK/r.options")" -ge 8
diff "$WORK/r.options" "$WORK/r.man" >"$WORK/x"
missing "linklog-report's options are its page's entries" "$WORK/x"

# ---- layout ------------------------------------------------------------
: >"$WORK/x"
for f in "$top_srcdir"/src/*.c; do
	grep -qF "src/${f##*/}" "$HACKING" || echo "${f##*/}" >>"$WORK/x"
done
missing "every source file is in docs/HACKING.md's layout" "$WORK/x"

# ---- the README's geoip line --------------------------------------------
# Its trap, with the test databases (81.2.69.0/24: GB, AS20712), prints
# what the README shows after the time stamp.
want=$(grep -E '^    [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} 81\.2\.69\.160:' "$README" |
    cut -c21-)
start_linklog --no-dns -t '%t %s:%S (%c, %o) -> %d:%D' \
    --geoip-db="$WORK/country.mmdb" --geoip-db="$WORK/asn.mmdb"
send_v1 '@in TCP from 81.2.69.160:51234 to 192.168.1.20:22'
wait_lines "$OUT" 1
stop_linklog
check "the README's geoip line is what linklog prints (${want:-none found})" \
    test -n "$want" -a "$(cut -c17- "$OUT")" = "$want"

finish
