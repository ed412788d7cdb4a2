#!/bin/sh
# SIGHUP: what a reload carries over and what it builds anew.  The
# services table is loaded when a reload first needs it; the counters,
# the DNS and access ones included, survive every reload; a refused
# reload keeps every counter too.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

CONF=$WORK/linklog.conf

# Port numbers at start, service names after a reload that turns them off.
printf 'show_port_numbers = true;\ntemplate = "%%a %%D";\n' >"$CONF"
start_linklog --no-dns -c "$CONF"
send_v1 '@in TCP from 10.6.0.1:1 to 192.168.1.20:22'
check "numbers at start" wait_grep "$OUT" '^10.6.0.1 22$'
printf 'show_port_numbers = false;\ntemplate = "%%a %%D";\n' >"$CONF"
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 10.6.0.2:1 to 192.168.1.20:22'
check "service names after the reload" wait_grep "$OUT" '^10.6.0.2 ssh$'
check "the reload line names the key that changed" \
    grep -q "configuration reloaded from $CONF: show_port_numbers changed$" "$ERR"
# Several keys (a section's and a rule's), then none; a restart-only one
# is named apart and not as applied.
printf 'template = "%%a %%D";\naccess = { rate_limit = 9; };\nrules = ( { quiet = true; } );\nreceive_buffer = 1000000;\n' >"$CONF"
kill -HUP "$LL_PID"
check "several keys are named" wait_grep "$ERR" \
    "configuration reloaded from $CONF: access.rate_limit, rules changed; now writing to nowhere (every output is off); DNS off$"
check "the port is not applied, and said so" \
    grep -q "reload: a receive_buffer change takes effect at the next restart" "$ERR"
kill -HUP "$LL_PID"
check "a reload of the same file says nothing changed" wait_grep "$ERR" \
    "configuration reloaded from $CONF: no other setting changed$"
stop_linklog

# Counters survive reloads that replace the access checks and the
# resolver (a changed DNS setting builds a new one).
dns_conf() {
	cat >"$CONF" <<EOC
template = "%s";
dns = { servers = [ "127.0.0.1:9" ]; timeout = 100; wait = $1; };
access = { community = [ "public" ]; };
EOC
}
dns_conf 300
LL_DNS_IN_FILE=1 start_linklog -c "$CONF"
send_v1 '@in TCP from 10.6.1.1:1 to 192.168.1.20:22'
send_v1 '@in TCP from 10.6.1.2:1 to 192.168.1.20:22' wrong
wait_lines "$OUT" 1
wait_received 2
sent=$(counter dns_sent)
check "a DNS query was counted ($sent)" test "${sent:-0}" -ge 1
check "a rejected community was counted" test "$(counter rejected_community)" -eq 1
dns_conf 301
kill -HUP "$LL_PID"
wait_grep "$ERR" "configuration reloaded" >/dev/null
send_v1 '@in TCP from 10.6.1.3:1 to 192.168.1.20:22'
wait_lines "$OUT" 2
wait_received 3
check "dns_sent survives the reload ($(counter dns_sent) >= $sent + 1)" \
    test "$(counter dns_sent)" -ge $((sent + 1))
check "rejected_community survives the reload" \
    test "$(counter rejected_community)" -eq 1
check "written_stdout counts every line" test "$(counter written_stdout)" -eq 2
echo 'dns = ( ' >"$CONF"
kill -HUP "$LL_PID"
wait_grep "$ERR" "reload failed" >/dev/null
wait_received 3
check "a refused reload keeps them too" \
    test "$(counter rejected_community)" -eq 1 -a "$(counter dns_sent)" -ge $((sent + 1))
stop_linklog
# A reload refused for several errors says so in one line: each line of
# standard error is one journal entry, and a bare second line would
# carry neither linklog's name nor a level.
printf 'template = "%%a";\n' >"$CONF"
start_linklog --no-dns -c "$CONF"
printf 'port = 0;\nquiet = 7;\n' >"$CONF"
kill -HUP "$LL_PID"
check "a refused reload is reported" wait_grep "$ERR" 'reload failed'
check "... with every error in that one line" \
    grep -q 'reload failed.*port.*; .*quiet' "$ERR"
check "... and no line without linklog's name" \
    sh -c "! grep -v '^linklog: ' '$ERR'"
stop_linklog

finish
