#!/bin/sh
# End to end: the command line. Usage errors print one clear line and the
# hint, and exit 2; --help and --version exit 0.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# usage_error "ARGS" "MESSAGE": exit 2, the message, the hint, no more.
usage_error() {
	# shellcheck disable=SC2086
	# Bounded: a linklog that wrongly accepts the options would run.
	timeout 10 "$LINKLOG" $1 >"$WORK/u.out" 2>"$WORK/u.err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qF -- "$2" "$WORK/u.err" &&
	    grep -qF "Try 'linklog --help'" "$WORK/u.err" &&
	    [ "$(wc -l <"$WORK/u.err")" -le 2 ] && [ ! -s "$WORK/u.out" ]; then
		ok "$1: $2"
	else
		not_ok "$1: exit $rc, expected 2 and '$2'; stderr:"
		sed 's/^/    /' "$WORK/u.err"
	fi
}

usage_error "--bogus" "unknown option '--bogus'"
usage_error "-x" "unknown option '-x'"
usage_error "--dns" "ambiguous option '--dns' (could be --dns-server, --dns-wait"
usage_error "--filter-port-=1" "ambiguous option '--filter-port-' (could be --filter-port-dest, --filter-port-source)"
usage_error "--sys=local0" "ambiguous option '--sys'"
usage_error "--port" "needs a value"
usage_error "--no-dns=foo" "option '--no-dns' takes no value"
usage_error "--quiet=yes" "option '--quiet' takes no value"
usage_error "--port=0" "invalid value '0' for --port"
usage_error "--port=65536" "invalid value '65536' for --port"
usage_error "-p abc" "invalid value 'abc' for --port"
usage_error "--port=-1" "invalid value '-1' for --port"
usage_error "extra" "unexpected argument 'extra'"
usage_error "--unparsed=some" "invalid value 'some' for --unparsed"
usage_error "--json --template=%a" "cannot be used with --template or --syslog-template"
usage_error "-t%a --json" "cannot be used with --template or --syslog-template"
usage_error "--json --syslog-template=%a" "cannot be used with --template or --syslog-template"
usage_error "--dns-wait=x" "invalid value 'x' for --dns-wait"
usage_error "--receive-buffer=1" "invalid value '1' for --receive-buffer"
# Checked by the table for the command line as for the file.
usage_error "--dns-server=127.0.0.1:84589" "invalid DNS server '127.0.0.1:84589': the port must be a number from 1 to 65535"
usage_error "--dns-server=127.0.0.1:0" "invalid DNS server '127.0.0.1:0': the port must be"
usage_error "--dns-server=[::1]:65536" "invalid DNS server '[::1]:65536': the port must be"
usage_error "--syslog=kern" "facility 'kern' refused: it is reserved for the kernel"
usage_error "--allow-from=192.168.1.1/-0" "invalid address '192.168.1.1/-0'"
usage_error "--allow-from=192.168.1.1/+8" "invalid address '192.168.1.1/+8'"
usage_error "--community=$(printf '%0256d' 0)" "community of 256 bytes: at most 255"
usage_error "--listen=::ffff:127.0.0.1" "IPv4-mapped address; write the IPv4 address 127.0.0.1"
usage_error "--listen=127.0.0.1 --listen=127.0.0.1" "'127.0.0.1' is given twice"
usage_error "--run-as=no-such-user-here" "unknown user 'no-such-user-here'"

# Bad values the modules find: exit 2 with the reason.
bad_value() {
	# shellcheck disable=SC2086
	"$LINKLOG" $1 >"$WORK/u.out" 2>"$WORK/u.err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qF -- "$2" "$WORK/u.err"; then
		ok "$1: $2"
	else
		not_ok "$1: exit $rc, expected 2 and '$2'; stderr:"
		sed 's/^/    /' "$WORK/u.err"
	fi
}
bad_value "--filter-direction=sideways" "invalid value 'sideways' (expected IN or OUT)"
bad_value "--filter-protocol=icmp" "invalid value 'icmp' (expected TCP or UDP)"
bad_value "--template=%s%q" "unknown template token '%q'"
bad_value "--template=100%" "lone '%'"

# An unambiguous abbreviation still works.
"$LINKLOG" --check-c --show-port >/dev/null 2>&1
check "an unambiguous abbreviation is accepted" test $? -eq 0

# --check-config's errors carry the prefix of every other error.
"$LINKLOG" -c /nonexistent --check-config >/dev/null 2>"$WORK/u.err"
check "-c /nonexistent --check-config exits 1" test $? -eq 1
check "... with the linklog: prefix" \
    grep -qx "linklog: /nonexistent: cannot read the file: No such file or directory" "$WORK/u.err"

"$LINKLOG" --help >"$WORK/help" 2>&1
check "--help exits 0" test $? -eq 0
for opt in --cache-dns --help --port --run-as --filter-direction --filter-ip \
    --filter-ip-dest --filter-ip-source --filter-host --filter-host-dest \
    --filter-host-source --filter-protocol --log-file --no-dns --no-dns-dest \
    --no-dns-source --quiet --show-port-numbers --template --listen \
    --unparsed --version --json; do
	check "--help lists $opt" grep -q -- "$opt" "$WORK/help"
done
check "--help shows the default template" \
    grep -qF '%t [%i, %p] %s:%S -> %d:%D' "$WORK/help"
"$LINKLOG" -V >"$WORK/version"
check "-V prints the version" grep -q '^linklog [0-9]' "$WORK/version"

# A bind failure names the address, the reason and the remedy.
start_linklog --no-dns
"$LINKLOG" --no-dns -p "$PORT" --listen 127.0.0.1 2>"$WORK/bind.err"
check "second linklog on a bound port fails with 1" test $? -eq 1
check "the message says which address and why" \
    grep -qF "cannot bind UDP 127.0.0.1 port $PORT: Address already in use" \
    "$WORK/bind.err"
stop_linklog
"$LINKLOG" --no-dns -p 5000 --listen 192.0.2.1 2>"$WORK/bind.err"
check "an address not on this machine fails clearly" \
    grep -qF "cannot bind UDP 192.0.2.1 port 5000" "$WORK/bind.err"
"$LINKLOG" --no-dns -p 5000 --listen not-an-address 2>"$WORK/bind.err"
check "an invalid listen address fails clearly" \
    grep -qF "invalid listen address 'not-an-address'" "$WORK/bind.err"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    "$LINKLOG" --no-dns -p 162 --listen 127.0.0.1 2>"$WORK/bind.err"
	check "port 162 without privilege names the remedy" \
	    grep -qF "ports below 1024 need root or CAP_NET_BIND_SERVICE" \
	    "$WORK/bind.err"
	"$LINKLOG" --no-dns -p 5000 --listen 127.0.0.1 \
	    --run-as=no-such-user-here 2>"$WORK/user.err"
	check "an unknown --run-as user exits 2" test $? -eq 2
	check "... and says so" grep -qF "unknown user 'no-such-user-here'" \
	    "$WORK/user.err"
fi
"$LINKLOG" --no-dns -p 5000 --listen 127.0.0.1 \
    --log-file=/nonexistent/dir/x.log 2>"$WORK/file.err"
check "an unwritable log file fails with 1" test $? -eq 1
check "... naming the file and the reason" grep -qF \
    "cannot open log file '/nonexistent/dir/x.log': No such file or directory" \
    "$WORK/file.err"
finish
