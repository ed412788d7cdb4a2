#!/bin/sh
# The configuration file: every key, every kind of error with its file and
# line, --check-config, and the command line winning over the file.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
need snmptrap

CONF=$WORK/c.conf

# The shipped sample is valid and holds the documented defaults.
"$LINKLOG" -c "$top_srcdir/conf/linklog.conf" --check-config \
    >"$WORK/sample.out" 2>"$WORK/sample.err"
check "the sample configuration is valid" test $? -eq 0
check "--check-config says so" grep -q "the configuration is valid" "$WORK/sample.err"
check "the sample's port is 162" grep -qx "port = 162;" "$WORK/sample.out"

# Every key, set to a value that is not its default.
cat >"$CONF" <<'EOC'
port = 9999;
listen = [ "127.0.0.1", "::1" ];
run_as = "daemon";
receive_buffer = 1048576;
pid_file = "/tmp/x.pid";
show_port_numbers = true;
unparsed = "raw";
template = "%a %A";
format = "json";
json_original = true;
quiet = true;
log_file = "/tmp/x.log";
syslog = { enabled = true; facility = "local4"; priority = "notice";
           ident = "rtr"; template = "%s"; format = "json"; };
filter = { direction = "in"; protocol = [ "tcp" ]; ip = "1.*";
           ip_source = "2.*"; ip_dest = "3.*"; host = "*.a";
           host_source = "*.b"; host_dest = "*.c"; port = "1";
           port_source = "2"; port_dest = [ "3", "!4" ]; };
dns = { enabled = false; source = false; dest = false;
        servers = [ "127.0.0.1:5353" ]; wait = 10; timeout = 5;
        cache_size = 7; ttl = 6; negative_ttl = 4; };
access = { allow_from = [ "192.168.1.1/32", "fd00::/8" ];
           community = "secret"; rate_limit = 50; };
rules = ( { filter = { port_dest = "22"; }; template = "R %a";
            format = "text"; json_original = false;
            quiet = false; log_file = "/tmp/r.log";
            syslog = { enabled = false; facility = "local1";
                       priority = "warning"; template = "S";
                       format = "text"; };
            final = true; } );
EOC
"$LINKLOG" -c "$CONF" --check-config >"$WORK/all.out" 2>"$WORK/all.err"
check "a file with every key is valid" test $? -eq 0
for want in 'port = 9999;' 'listen = [ "127.0.0.1", "::1" ];' \
    'run_as = "daemon";' 'receive_buffer = 1048576;' \
    'pid_file = "/tmp/x.pid";' 'show_port_numbers = true;' \
    'unparsed = "forward";' 'template = "%a %A";' 'quiet = true;' \
    'format = "json";' 'json_original = true;' '  format = "json";' \
    '    format = "text";' '    json_original = false;' '      format = "text";' \
    'log_file = "/tmp/x.log";' '  enabled = true;' '  facility = "local4";' \
    '  priority = "notice";' '  ident = "rtr";' '  template = "%s";' \
    '  direction = [ "in" ];' '  protocol = [ "tcp" ];' '  ip = [ "1.*" ];' \
    '  ip_source = [ "2.*" ];' '  ip_dest = [ "3.*" ];' '  host = [ "*.a" ];' \
    '  host_source = [ "*.b" ];' '  host_dest = [ "*.c" ];' '  port = [ "1" ];' \
    '  port_source = [ "2" ];' '  port_dest = [ "3", "!4" ];' \
    '  enabled = false;' '  source = false;' '  dest = false;' \
    '  servers = [ "127.0.0.1:5353" ];' '  wait = 10;' '  timeout = 5;' \
    '  cache_size = 7;' '  ttl = 6;' '  negative_ttl = 4;' \
    '  allow_from = [ "192.168.1.1/32", "fd00::/8" ];' \
    '  community = [ "secret" ];' '  rate_limit = 50;' \
    '      port_dest = [ "22" ];' '    template = "R %a";' \
    '    quiet = false;' '    log_file = "/tmp/r.log";' \
    '      facility = "local1";' '      priority = "warning";' \
    '      template = "S";' '    final = true;'; do
	check_line "key: $want" "$WORK/all.out" "$want"
done

# Errors: "FILE:LINE: KEY: message", exit 1.
error_case() {
	printf '%s\n' "$1" >"$CONF"
	"$LINKLOG" -c "$CONF" --check-config >/dev/null 2>"$WORK/e.err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -qF -- "$CONF:$2" "$WORK/e.err"; then
		ok "error reported as $2"
	else
		not_ok "expected exit 1 and '$CONF:$2', got $rc:"
		sed 's/^/    /' "$WORK/e.err"
	fi
}
error_case 'port = 162;
colour = "blue";' '2: colour: unknown key'
error_case 'port = "162";' '1: port: expected a whole number'
error_case '
port = 70000;' '2: port: 70000 is out of range (1 to 65535)'
error_case 'quiet = 1;' '1: quiet: expected true or false'
error_case 'template = "%q";' "1: template: unknown template token '%q'"
error_case 'syslog = { facility = "local9"; };' "1: syslog.facility: unknown facility 'local9'"
error_case 'syslog = { priority = "loud"; };' "1: syslog.priority: unknown level 'loud'"
error_case 'syslog = { colour = 1; };' '1: syslog.colour: unknown key'
error_case 'filter = { direction = "sideways"; };' "1: filter.direction: invalid value 'sideways'"
error_case 'filter = { protocol = ( "tcp", 7 ); };' '1: filter.protocol[1]: expected a string'
error_case 'filter = { mac = "x"; };' '1: filter.mac: unknown key'
error_case 'dns = { wait = -1; };' '1: dns.wait: -1 is out of range'
error_case 'dns = { servers = 5; };' '1: dns.servers: expected a string or a list of strings'
error_case 'access = { rate_limit = "x"; };' '1: access.rate_limit: expected a whole number'
error_case 'unparsed = "keep";' '1: unparsed: expected "drop", "forward" or "raw"'
error_case 'format = "xml";' '1: format: expected "text" or "json"'
error_case 'syslog = { format = "cee"; };' '1: syslog.format: expected "text" or "json"'
error_case 'rules = ( { json_original = "yes"; } );' '1: rules[0].json_original: expected true or false'
error_case 'rules = ( { final = true; },
  { filter = { port_dest = "ssh"; }; } );' "2: rules[1].filter.port_dest: invalid value 'ssh'"
error_case 'rules = ( { loud = true; } );' '1: rules[0].loud: unknown key'
error_case 'rules = { };' '1: rules: expected a list of groups'
error_case 'port = ;' '1: syntax error'
# --check-config refuses what the start refuses (each by the table's
# checks), naming file, line and key.
error_case 'listen = [ "not-an-address" ];' "1: listen[0]: invalid listen address 'not-an-address'"
error_case 'listen = [ "::ffff:127.0.0.1" ];' "1: listen[0]: invalid listen address '::ffff:127.0.0.1': an IPv4-mapped address"
error_case 'listen = [ "127.0.0.1",
  "127.0.0.1" ];' "2: listen[1]: '127.0.0.1' is given twice"
error_case 'run_as = "nosuchuser";' "1: run_as: unknown user 'nosuchuser'"
error_case 'dns = { servers = [ "127.0.0.1:84589" ]; };' "1: dns.servers[0]: invalid DNS server '127.0.0.1:84589': the port must be a number from 1 to 65535"
error_case 'dns = { servers = "[::1]:0"; };' "1: dns.servers: invalid DNS server '[::1]:0': the port must be"
error_case 'dns = { servers = "127.0.0.1,127.0.0.2"; };' "1: dns.servers: invalid DNS server"
error_case "access = { community = \"$(printf '%0256d' 0)\"; };" "1: access.community: community of 256 bytes: at most 255"
error_case 'access = { allow_from = "192.168.1.1/-0"; };' "1: access.allow_from: invalid address '192.168.1.1/-0'"
error_case 'access = { allow_from = "192.168.1.1/+8"; };' "1: access.allow_from: invalid address '192.168.1.1/+8'"
error_case 'access = { allow_from = "192.168.1.1/ 8"; };' "1: access.allow_from: invalid address '192.168.1.1/ 8'"
error_case 'syslog = { facility = "kern"; };' "1: syslog.facility: facility 'kern' refused: it is reserved for the kernel"
error_case 'rules = ( { syslog = { facility = "KERN"; }; } );' "1: rules[0].syslog.facility: facility 'KERN' refused"
# rsyslog ends the program name at a space: "my app" would file the line
# under "my" and push JSON's @cee: cookie out of place.
error_case 'syslog = { ident = "my app"; };' "1: syslog.ident: must be one word, without spaces or control characters"
error_case 'syslog = { ident = "a\tb"; };' "1: syslog.ident: must be one word"
error_case "syslog = { ident = \"$(printf 'x%.0s' $(seq 1 129))\"; };" "1: syslog.ident: longer than 128 bytes"
printf 'access = { community = "%0255d"; allow_from = "::ffff:10.0.0.0/104"; };\n' 0 >"$CONF"
"$LINKLOG" -c "$CONF" --check-config >/dev/null 2>&1
check "a community of 255 bytes and an IPv4-mapped allow_from are valid" test $? -eq 0

# A top-level log_file that cannot be opened is the top level's error,
# not the first rule's.
printf 'log_file = "%s/no/such/dir/x.log";\nrules = ( { quiet = true; } );\n' \
    "$WORK" >"$CONF"
"$LINKLOG" -c "$CONF" -p 5000 --listen 127.0.0.1 --no-dns 2>"$WORK/e.err"
check "a bad top-level log_file stops the start" test $? -eq 1
check "... named as the top level's" grep -qF "cannot open log file '$WORK/no/such/dir/x.log'" "$WORK/e.err"
check "... not as rule 1's" test "$(grep -c 'rule 1' "$WORK/e.err")" -eq 0
printf 'rules = ( { quiet = true; },\n  { log_file = "%s/no/such/dir/y.log"; } );\n' \
    "$WORK" >"$CONF"
"$LINKLOG" -c "$CONF" -p 5000 --listen 127.0.0.1 --no-dns 2>"$WORK/e.err"
check "a rule's own log_file error names the rule" grep -qF "rule 2 (line 2): cannot open log file" "$WORK/e.err"

# The output of --check-config loads back, to the same settings: every
# key set, strings holding what libconfig must see escaped.
cat >"$CONF" <<'EOC'
port = 9999;
listen = [ "127.0.0.1", "::1" ];
run_as = "daemon";
receive_buffer = 1048576;
pid_file = "/tmp/a \"quoted\" \\ name.pid";
show_port_numbers = true;
unparsed = "raw";
template = "%a \"%A\" \\ 	tab";
quiet = true;
log_file = "/tmp/x\"y.log";
json_original = true;
syslog = { enabled = true; facility = "local4"; priority = "notice";
           ident = "r\"t\\r"; template = "%s \"q\""; queue_size = 77; };
filter = { direction = "in"; protocol = [ "tcp" ]; ip = "1.*";
           ip_source = "2.*"; ip_dest = "3.*"; host = [ "*.a\"b", "x\\y" ];
           host_source = "*.b"; host_dest = "*.c"; port = "1";
           port_source = "2"; port_dest = [ "3", "!4" ]; };
dns = { enabled = false; source = false; dest = false;
        servers = [ "127.0.0.1:5353", "[::1]:53" ]; wait = 10; timeout = 5;
        cache_size = 7; ttl = 6; negative_ttl = 4; max_pending = 9; };
access = { allow_from = [ "192.168.1.1/32", "fd00::/8" ];
           community = [ "pub\"lic", "back\\slash", "nl\nx" ]; rate_limit = 50; };
rules = ( { filter = { host_dest = "*\"*"; }; template = "R \"%a\"";
            quiet = false; log_file = "/tmp/r\\.log";
            syslog = { enabled = false; facility = "local1";
                       priority = "warning"; template = "S"; };
            final = true; },
          { final = false; format = "json"; json_original = false;
            syslog = { format = "json"; }; } );
EOC
"$LINKLOG" -c "$CONF" --check-config >"$WORK/rt1.conf" 2>"$WORK/rt.err"
check "the round-trip file is valid" test $? -eq 0
"$LINKLOG" -c "$WORK/rt1.conf" --check-config >"$WORK/rt2.conf" 2>"$WORK/rt.err"
check "--check-config output loads back" test $? -eq 0
sed 1d "$WORK/rt1.conf" >"$WORK/rt1.body"
sed 1d "$WORK/rt2.conf" >"$WORK/rt2.body"
check "... to the same settings" cmp -s "$WORK/rt1.body" "$WORK/rt2.body"
check_line "quotes are escaped" "$WORK/rt1.conf" '  community = [ "pub\"lic", "back\\slash", "nl\nx" ];'
check_line "... in patterns too" "$WORK/rt1.conf" '  host = [ "*.a\"b", "x\\y" ];'
check_line "... and a tab in a template" "$WORK/rt1.conf" 'template = "%a \"%A\" \\ \ttab";'
# Every key of linklog.conf(5) is printed, so the round trip covers it.
for key in port listen run_as receive_buffer pid_file show_port_numbers \
    unparsed template quiet log_file enabled facility priority ident \
    queue_size direction protocol ip ip_source ip_dest host host_source \
    host_dest port_source port_dest source dest servers wait timeout \
    cache_size ttl negative_ttl max_pending allow_from community rate_limit \
    final format json_original; do
	grep -q "^ *$key = " "$WORK/rt1.conf" || not_ok "key $key not printed"
done

printf 'port = 9;\nquiet = 1;\ncolour = 2;\n' >"$CONF"
"$LINKLOG" -c "$CONF" --check-config 2>"$WORK/e.err" >/dev/null
check "all errors are reported, each with its line" \
    test "$(grep -c "^linklog: $CONF:[23]: " "$WORK/e.err")" -eq 2
"$LINKLOG" -c "$WORK/missing.conf" --check-config 2>"$WORK/e.err" >/dev/null
check "a missing file is an error" test $? -eq 1
check "... that names it" grep -qF "$WORK/missing.conf: cannot read the file" "$WORK/e.err"
"$LINKLOG" -c "$WORK/missing.conf" -p 5000 --listen 127.0.0.1 2>"$WORK/e.err"
check "linklog does not start with a bad file" test $? -eq 1
printf 'access = { allow_from = "300.1.1.1/8"; };\n' >"$CONF"
"$LINKLOG" -c "$CONF" --check-config >/dev/null 2>"$WORK/e.err"
check "a bad allow_from is found by --check-config, with its line" \
    grep -qF "$CONF:1: access.allow_from: invalid address '300.1.1.1/8'" "$WORK/e.err"

# The command line wins over the file; its lists replace the file's.
cat >"$CONF" <<'EOC'
template = "file %a";
show_port_numbers = true;
dns = { enabled = false; };
filter = { ip_source = "10.*"; protocol = "udp"; };
EOC
start_linklog -c "$CONF" --template 'cli %a' --filter-ip-source='192.*'
send_v1 '@in UDP from 10.0.0.1:1 to 192.168.1.20:22'
send_v1 '@in UDP from 192.168.1.5:1 to 192.168.1.20:22'
send_v1 '@in TCP from 192.168.1.6:1 to 192.168.1.20:22'
wait_received 3
stop_linklog
check "the command line's template wins" test "$(cat "$OUT")" = "cli 192.168.1.5"
finish
