#!/bin/sh
# The package's daily report (debian/linklog-report-daily, what
# linklog-report.service runs), at a fixed time with faketime over the
# report's fixture (tests/e2e/reportdb.sh): yesterday's page under its
# date and as latest.html, the same bytes; pages older than the days kept
# removed, newer ones and other files kept; a second run the same day
# replaces, never appends.  The units: the timer's calendar, the service's
# sandbox (read-only database, writable reports, no network) and its
# condition on the database, checked as text.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need sqlite3 faketime
# faketime preloads its library ahead of everything: a sanitizer build's
# runtime must then not insist on coming first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
REPORT=${LINKLOG_REPORT:-$(dirname "$LINKLOG")/linklog-report}
DAILY=$top_srcdir/debian/linklog-report-daily
R=$WORK/reports
mkdir "$R"
sh "$top_srcdir/tests/e2e/reportdb.sh" "$WORK/state.db" || not_ok "reportdb.sh"
for d in 2026-10-31 2026-11-01 2026-11-02 2026-11-30; do
	echo old >"$R/linklog-$d.html"
done
echo mine >"$R/notes.txt"

daily() {
	LINKLOG_DB=$WORK/state.db LINKLOG_REPORTS=$R LINKLOG_REPORT=$REPORT \
	    faketime '2026-12-02 00:10:00' sh "$DAILY"
}
daily
check "the daily run succeeds" test $? -eq 0
check "yesterday's page is there" test -s "$R/linklog-2026-12-01.html"
check "it is yesterday's report" grep -q '<b id="total-events">63</b>' "$R/linklog-2026-12-01.html"
check "latest.html is the same page" cmp -s "$R/latest.html" "$R/linklog-2026-12-01.html"
# 31 days kept: 2026-11-01 .. 2026-12-01.
check "a page of 32 days ago is removed" test ! -e "$R/linklog-2026-10-31.html"
check "the pages of 31 days are kept" test -e "$R/linklog-2026-11-01.html" -a -e "$R/linklog-2026-11-30.html"
check "other files are left alone" test -e "$R/notes.txt"
daily
check "a second run the same day replaces the page" \
    test "$(ls "$R" | grep -c '^linklog-2026-12-01')" -eq 1 -a "$(grep -c '</html>' "$R/latest.html")" -eq 1
check "no temporary file is left" test "$(ls -a "$R" | grep -c 'tmp\|XXXX\|\.html\.')" -eq 0
LINKLOG_REPORTS_KEEP=1 LINKLOG_DB=$WORK/state.db LINKLOG_REPORTS=$R \
    LINKLOG_REPORT=$REPORT faketime '2026-12-02 00:10:00' sh "$DAILY"
check "LINKLOG_REPORTS_KEEP=1 keeps yesterday's alone" \
    test "$(ls "$R" | grep -c '^linklog-')" -eq 1
LINKLOG_DB=$WORK/none.db LINKLOG_REPORTS=$R LINKLOG_REPORT=$REPORT \
    faketime '2026-12-02 00:10:00' sh "$DAILY" 2>"$WORK/err"
check "no database: the run fails, saying why" grep -q 'none.db: No such file' "$WORK/err"

S=$top_srcdir/debian/linklog.linklog-report.service
T=$top_srcdir/debian/linklog.linklog-report.timer
for l in 'ConditionPathExists=/var/lib/linklog/linklog.db' \
    'ExecStart=/usr/libexec/linklog/linklog-report-daily' \
    'ReadOnlyPaths=/var/lib/linklog' 'ReadWritePaths=/var/lib/linklog/reports' \
    'StateDirectory=linklog/reports' 'PrivateNetwork=yes' 'ProtectSystem=strict' \
    'CapabilityBoundingSet=' 'Group=adm' 'UMask=0027'; do
	check_line "the service: $l" "$S" "$l"
done
check_line "the timer: shortly after midnight" "$T" "OnCalendar=*-*-* 00:10:00"
check_line "the timer: a missed run runs later" "$T" "Persistent=true"
check "debian/install installs the script" grep -qx 'debian/linklog-report-daily usr/libexec/linklog' "$top_srcdir/debian/install"
check "debian/rules installs the units, starting the timer alone" grep -q 'dh_installsystemd --name=linklog-report linklog-report.timer$' "$top_srcdir/debian/rules"
if command -v systemd-analyze >/dev/null; then
	# Only what a machine without the package lacks may be reported.
	systemd-analyze verify "$T" 2>&1 | grep -v 'linklog-report-daily\|man linklog-report\|linklog-report.service' >"$WORK/verify"
	check "systemd-analyze verify: the timer" test ! -s "$WORK/verify"
fi
finish
