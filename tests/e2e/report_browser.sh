#!/bin/sh
# A real browser: Debian's chromium --headless loads linklog-report's page
# from file:// (the fixture of tests/e2e/reportdb.sh, every section
# filled, hostile names included).  No console message (a CSP violation,
# a script error), no request made by the page (chromium's own net log,
# tests/e2e/netlog.py; every request, the browser's own updates included,
# goes to a proxy on loopback that answers none, and no name is looked
# up), the DOM's totals and table rows are the
# JSON format's, no element or attribute a hostile name tried to inject,
# and a screenshot that is not blank and shows the charts' colours.  Each
# check is first shown to fail on a control page that does what the
# report must not.  Skips (77) without chromium.
#
# As root chromium runs only with --no-sandbox: the page is linklog-report's
# own output, loaded offline with every load refused, so the sandbox
# guards nothing here that the test does not check.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need python3 sqlite3
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
    skip "chromium is not installed (.ci/test-deps)"

REPORT=${LINKLOG_REPORT:-$(dirname "$LINKLOG")/linklog-report}
DB=$WORK/state.db
sh "$top_srcdir/tests/e2e/reportdb.sh" "$DB" || not_ok "reportdb.sh wrote no database"
"$REPORT" --db "$DB" --since 2026-12-01 --until 2026-12-02 -o "$WORK/report.html"
"$REPORT" --db "$DB" --since 2026-12-01 --until 2026-12-02 --format json \
    -o "$WORK/report.json"
"$REPORT" --db "$DB" --since 2026-11-01 --until 2026-11-02 -o "$WORK/empty.html"
# The control: what a page must not do.
cat >"$WORK/control.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<img src="http://report-test.invalid/x.png"><svg onload="x()"></svg>
<script>console.error("control")</script></body></html>
HTML

# A proxy on loopback that takes every request (and answers none).
PROXY_PORT=$(free_port)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); s.settimeout(120)
while True:
    c, _ = s.accept(); c.settimeout(2)
    try: line = c.recv(4096).split(b"\r\n")[0]
    except OSError: line = b"?"
    open(sys.argv[2], "ab").write(line + b"\n"); c.close()
' "$PROXY_PORT" "$WORK/requests" &
PROXY_PID=$!
: >"$WORK/requests"
SANDBOX=
[ "$(id -u)" -ne 0 ] || SANDBOX=--no-sandbox

# browse NAME ARGS...: chromium on one page, bounded, its log in NAME.log.
browse() {
	name=$1; shift
	HOME=$WORK timeout 60 "$CHROMIUM" --headless $SANDBOX --disable-gpu \
	    --user-data-dir="$WORK/profile-$name" --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-pings --disable-breakpad \
	    --proxy-server="http://127.0.0.1:$PROXY_PORT" \
	    --proxy-bypass-list='<-loopback>' \
	    --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
	    --log-net-log="$WORK/$name.net" \
	    --enable-logging=stderr --v=0 "$@" 2>"$WORK/$name.log"
}
browse control --dump-dom "file://$WORK/control.html" >"$WORK/control.dom"
browse report --dump-dom "file://$WORK/report.html" >"$WORK/report.dom"
check "chromium loaded the report" grep -q 'id="total-events"' "$WORK/report.dom"
python3 "$top_srcdir/tests/e2e/netlog.py" "$WORK/control.net" >"$WORK/control.requests"
python3 "$top_srcdir/tests/e2e/netlog.py" "$WORK/report.net" >"$WORK/report.requests"
check "control: the net log has the page's request" \
    grep -qx 'http://report-test.invalid/x.png' "$WORK/control.requests"
check "control: a script's message is in the log" grep -q ':CONSOLE' "$WORK/control.log"
if [ -s "$WORK/report.requests" ] || [ ! -s "$WORK/report.net" ]; then
	not_ok "the report made no request:"; sed 's/^/    /' "$WORK/report.requests"
else
	ok "the report made no request"
fi
if grep ':CONSOLE' "$WORK/report.log" >"$WORK/console"; then
	not_ok "the report's console is silent:"; sed 's/^/    /' "$WORK/console"
else
	ok "the report's console is silent (no CSP violation, no error)"
fi

# ---- the DOM -------------------------------------------------------------
python3 "$top_srcdir/tests/e2e/reportdom.py" "$WORK/control.dom" >"$WORK/control.sum"
python3 "$top_srcdir/tests/e2e/reportdom.py" "$WORK/report.dom" >"$WORK/report.sum"
# field FILE EXPR: a Python expression over the JSON in FILE (d).
field() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
check "control: injected elements are found" test "$(field "$WORK/control.sum" \
    'sorted(set(d["foreign"])) == ["img", "img[src]", "script", "svg without a chart\x27s id", "svg[onload]"]')" = True
check "the DOM has no element or attribute a hostile name injected" \
    test "$(field "$WORK/report.sum" 'd["foreign"]')" = "[]"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$WORK/report.dom" &&
    grep -qF '"&gt;&lt;svg onload=alert(2)&gt;' "$WORK/report.dom" &&
    grep -qF '&lt;img src=x onerror=alert(3)&gt;' "$WORK/report.dom"
check "the hostile names are the DOM's text" test $? -eq 0
want=$(field "$WORK/report.json" '[d["totals"][k] for k in sorted(d["totals"])]')
got=$(field "$WORK/report.sum" '[d["totals"][k] for k in sorted(d["totals"])]')
check "the DOM's totals are the JSON's ($got)" test "$want" = "$got" -a -n "$got"
check "the DOM's totals are the fixture's" test "$got" = "[63, 54, 2, 1, 9, 5, 1]"
want=$(field "$WORK/report.json" '[len(d[k]) for k in ("inside_hosts", "new_hosts", "outside_hosts", "ports_in", "ports_out", "scans")]')
got=$(field "$WORK/report.sum" '[d["rows"][k] for k in ("inside-hosts", "new-hosts", "outside-hosts", "ports-in", "ports-out", "scans")]')
check "the DOM's table rows are the JSON's ($got)" test "$want" = "$got"
# 5 bars, 24 cells a day, 24 a host (two).
check "the DOM has the charts and their bars and cells" \
    test "$(field "$WORK/report.sum" '[d["charts"], d["rects"]]')" = "[['timeline', 'heatmap', 'heatmap-hosts'], 77]"

# ---- the screenshot --------------------------------------------------------
shot() {
	browse "shot-$1" --hide-scrollbars --window-size=800,1400 \
	    --screenshot="$WORK/$1.png" "file://$WORK/$1.html" >/dev/null
	python3 "$top_srcdir/tests/e2e/pngstat.py" "$WORK/$1.png" 2b6cb0 dd8a1a c53030
}
shot empty >"$WORK/empty.stat"
shot report >"$WORK/report.stat"
# "800x1400 colors=N 2b6cb0=P dd8a1a=P c53030=P"
num() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$1"; }
check "control: the empty period's page has no chart colours ($(cat "$WORK/empty.stat"))" \
    test "$(num "$WORK/empty.stat" 2b6cb0)" -lt 50
check "the screenshot is not blank ($(cat "$WORK/report.stat"))" \
    test "$(num "$WORK/report.stat" colors)" -gt 100
check "the screenshot has the charts' inbound, outbound and scan colours" \
    test "$(num "$WORK/report.stat" 2b6cb0)" -gt 2000 -a \
    "$(num "$WORK/report.stat" dd8a1a)" -gt 300 -a \
    "$(num "$WORK/report.stat" c53030)" -gt 20

kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null
finish
