#!/bin/sh
# bench/reportsample.sh PNG (make report-sample): the README's picture, a
# screenshot by chromium --headless of the report of the tests' fixture
# (tests/e2e/reportdb.sh), so that it shows what linklog-report draws now.
set -eu
out=$1
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
REPORT=${LINKLOG_REPORT:-$(pwd)/linklog-report}
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
    { echo "make report-sample needs chromium"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/linklog-sample.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
case $REPORT in /*) ;; *) REPORT=$(pwd)/$REPORT ;; esac
sh "$top_srcdir/tests/e2e/reportdb.sh" "$WORK/linklog.db"
# The database by a name of its own, not the temporary directory's.
(cd "$WORK" && TZ=UTC "$REPORT" --db linklog.db --since 2026-12-01 \
    --until 2026-12-02 -o report.html)
# As root chromium runs only without its sandbox (the page is our own,
# loaded offline with every load refused).
sandbox=
[ "$(id -u)" -ne 0 ] || sandbox=--no-sandbox
HOME=$WORK timeout 60 "$CHROMIUM" --headless $sandbox --disable-gpu \
    --user-data-dir="$WORK/profile" --no-first-run --hide-scrollbars \
    --host-resolver-rules='MAP * ~NOTFOUND' --window-size=900,1250 \
    --screenshot="$out" "file://$WORK/report.html" 2>/dev/null
echo "wrote $out"
