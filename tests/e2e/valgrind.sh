#!/bin/sh
# One end-to-end run under valgrind memcheck: valid traps, the malformed
# set, a DNS lookup, JSON output, a reload, a stop.  No error, no definite
# leak.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need valgrind snmptrap python3
ldd "$LINKLOG" | grep -q 'libasan' && skip "a sanitizer build cannot run under valgrind"

mkdir -m 1777 "$WORK/vg"
CONF=$WORK/vg/linklog.conf
printf 'template = "%%a:%%S -> %%A:%%D";\nunparsed = "raw";\n' >"$CONF"
# Every event also as JSON, with event.original, into a file.
printf 'rules = ( { format = "json"; json_original = true; quiet = true;
  log_file = "%s"; }, { } );\n' "$WORK/vg/json.log" >>"$CONF"
chmod 644 "$CONF"
OUT=$WORK/out.txt ERR=$WORK/err.txt
PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --log-file="$WORK/vg/valgrind.txt" \
    "$LINKLOG" -c "$CONF" -p "$PORT" --listen 127.0.0.1 -s \
    --log-file="$WORK/vg/traffic.log" \
    --dns-server=127.0.0.1:9 --dns-timeout=100 --dns-wait=300 \
    >"$OUT" 2>"$ERR" &
LL_PID=$!
for i in $(seq 1 200); do port_bound "$PORT" && break; sleep 0.05; done
send_v1 '@in TCP from 203.0.113.7:51234 to 192.168.1.20:22'
send_v2c '@out UDP from a.example(192.168.1.20):40000 to 8.8.8.8:53'
python3 "$top_srcdir/tests/e2e/malformed.py" "$PORT" >"$WORK/cases.txt"
ncases=$(wc -l <"$WORK/cases.txt")
for i in $(seq 1 200); do
	[ "$(grep -c '^10\.0\.0\.' "$OUT")" -ge "$ncases" ] && break
	sleep 0.1
done
printf 'template = "reloaded %%a";\n' >"$CONF"
# As root, the reload reopens the moved log file through the privileged
# file opener (a child process, under valgrind too).
mv "$WORK/vg/traffic.log" "$WORK/vg/traffic.log.1"
kill -HUP "$LL_PID"
sleep 1
send_v1 '@in TCP from 203.0.113.8:1 to 192.168.1.20:22'
for i in $(seq 1 100); do grep -q '^reloaded 203.0.113.8$' "$OUT" && break; sleep 0.1; done
stop_linklog
sed -n '/ERROR SUMMARY/p; /definitely lost/p' "$WORK/vg/valgrind.txt" | sed 's/^/    /'
check "every valid trap after a bad one arrived under valgrind" \
    test "$(grep -c '^10\.0\.0\.' "$OUT")" -eq "$ncases"
check "the reload worked under valgrind" grep -qx 'reloaded 203.0.113.8' "$OUT"
check "the log file was reopened at the reload" \
    grep -qx 'reloaded 203.0.113.8' "$WORK/vg/traffic.log"
check "no process reported an error" \
    test -z "$(grep 'ERROR SUMMARY: [1-9]' "$WORK/vg/valgrind.txt")"
check "every event and forwarded string also went to the JSON file" \
    test "$(wc -l <"$WORK/vg/json.log")" -gt "$ncases"
check "as valid JSON" sh -c "python3 '$top_srcdir/tests/e2e/jsonfields.py' \
    '$WORK/vg/json.log' >/dev/null"
check "valgrind found no error (exit $LL_STATUS)" test "$LL_STATUS" -eq 0
check "ERROR SUMMARY: 0 errors" grep -q 'ERROR SUMMARY: 0 errors' "$WORK/vg/valgrind.txt"
if grep -q 'definitely lost:' "$WORK/vg/valgrind.txt"; then
	check "no definite leak" grep -q 'definitely lost: 0 bytes' "$WORK/vg/valgrind.txt"
else
	ok "no definite leak (valgrind reports no leak at all)"
fi
finish
