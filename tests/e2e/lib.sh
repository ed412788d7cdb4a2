# lib.sh - shared helpers of the end-to-end tests.  Source it, then call
# start_linklog, send_v1/send_v2c, wait_lines, stop_linklog; check and
# check_grep record results, finish prints them and sets the exit status.
#
# Only loopback is used: linklog listens on 127.0.0.1 (and ::1), and
# snmptrap sends there.  Every wait is bounded.

set -u

LINKLOG=${LINKLOG:-$(pwd)/linklog}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/linklog-test.XXXXXX")
# linklog started as root becomes nobody: it must still read its files.
chmod 755 "$WORK"
PASSED=0
FAILED=0
LL_PID=

# snmptrap: no system configuration, no MIBs, no persistent files.
export SNMPCONFPATH="$WORK/snmp-conf" SNMP_PERSISTENT_DIR="$WORK/snmp-persist"
export MIBS="" MIBDIRS="$WORK/no-mibs"
mkdir -p "$WORK/snmp-conf" "$WORK/no-mibs" "$WORK/snmp-persist/cert_indexes"
# Render times in UTC so tests can compute what they expect.
export TZ=UTC

cleanup() {
	if [ -n "$LL_PID" ]; then kill -KILL "$LL_PID" 2>/dev/null; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

skip() {
	echo "SKIP: $*"
	exit 77
}

need() {
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || skip "$cmd is not installed"
	done
}

ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_line DESCRIPTION FILE EXPECTED: FILE holds the exact line.
check_line() {
	if grep -qxF -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1: no line '$3' in:"
		sed 's/^/    /' "$2"
	fi
}

# check_no_line DESCRIPTION FILE PATTERN (fixed string)
check_no_line() {
	if grep -qF -- "$3" "$2"; then
		not_ok "$1: unexpected '$3' in:"
		sed 's/^/    /' "$2"
	else
		ok "$1"
	fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# Is UDP port $1 bound (on any address)?
port_bound() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/udp /proc/net/udp6 2>/dev/null |
	    awk -v p=":$hex" '$2 ~ p"$" { found = 1 } END { exit !found }'
}

# free_port: a UDP port nothing on this machine has bound (for a test's
# own servers: dnsmasq, a silent DNS server).
free_port() {
	while :; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		port_bound "$p" || { echo "$p"; return; }
	done
}

# start_linklog [ARGS...]: start linklog on a free loopback port; its
# standard output goes to $OUT, standard error to $ERR.  Sets PORT, LL_PID.
# Unless the test names its own, the DNS server is a loopback port where
# nothing listens: a test never queries the machine's configured server.
# A test whose configuration file names the servers sets LL_DNS_IN_FILE=1.
start_linklog() {
	case " $* " in
	*" --dns-server"*) ;;
	*) [ -n "${LL_DNS_IN_FILE:-}" ] ||
	    set -- --dns-server=127.0.0.1:9 --dns-timeout=100 --dns-wait=300 "$@" ;;
	esac
	OUT=$WORK/out.txt
	ERR=$WORK/err.txt
	for try in 1 2 3 4 5 6 7 8 9 10; do
		PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		port_bound "$PORT" && continue
		"$LINKLOG" -p "$PORT" --listen 127.0.0.1 "$@" >"$OUT" 2>"$ERR" &
		LL_PID=$!
		for i in $(seq 1 100); do
			if port_bound "$PORT"; then return 0; fi
			kill -0 "$LL_PID" 2>/dev/null || break
			sleep 0.05
		done
		wait "$LL_PID" 2>/dev/null
		LL_PID=
		grep -q "Address already in use" "$ERR" || break
	done
	echo "linklog did not start:"; cat "$ERR"
	exit 1
}

# stop_linklog [SIGNAL]: stop it and wait; sets LL_STATUS.
stop_linklog() {
	kill -"${1:-TERM}" "$LL_PID"
	for i in $(seq 1 100); do
		kill -0 "$LL_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$LL_PID"
	LL_STATUS=$?
	LL_PID=
	# Under --enable-sanitizers, a report fails the test that caused it.
	if grep -q 'Sanitizer\|runtime error:' "$ERR" 2>/dev/null; then
		not_ok "sanitizer report from linklog:"
		sed 's/^/    /' "$ERR"
	fi
}

TRAP_OID=1.3.6.1.4.1.3955.1.1

# send_v1 MESSAGE [COMMUNITY [TARGET]]
send_v1() {
	snmptrap -v 1 -c "${2:-public}" "${3:-127.0.0.1:$PORT}" \
	    1.3.6.1.4.1.3955 127.0.0.1 6 1 '' "$TRAP_OID" s "$1"
}

# send_v2c MESSAGE [COMMUNITY [TARGET]]
send_v2c() {
	snmptrap -v 2c -c "${2:-public}" "${3:-127.0.0.1:$PORT}" '' \
	    1.3.6.1.4.1.3955.1 "$TRAP_OID" s "$1"
}

# send_raw HEXBYTES: one UDP datagram of arbitrary bytes.
send_raw() {
	printf '%s' "$1" | xxd -r -p >"$WORK/raw.bin"
	python3 -c 'import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
s.sendto(open(sys.argv[1],"rb").read(),("127.0.0.1",int(sys.argv[2])))' \
	    "$WORK/raw.bin" "$PORT"
}

# wait_lines FILE N: until FILE has at least N lines (5 s at most).
wait_lines() {
	for i in $(seq 1 100); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# Send a marker trap and wait for its line: everything sent before it
# has then been handled (one socket, one ordered loop).
MARK=0
sync_linklog() {
	MARK=$((MARK + 1))
	send_v1 "@in UDP from 10.255.255.$MARK:1 to 10.255.255.255:$((60000 + MARK))"
	for i in $(seq 1 100); do
		grep -qF "$((60000 + MARK))" "$OUT" && return 0
		sleep 0.05
	done
	echo "linklog did not answer the marker $MARK"
	return 1
}

# wait_received N: until linklog has handled N datagrams (it reports its
# counters on SIGUSR1, after everything read before the signal).
wait_received() {
	for i in $(seq 1 100); do
		kill -USR1 "$LL_PID"
		sleep 0.05
		last=$(grep 'statistics:' "$ERR" | tail -n 1)
		case "$last" in *" received=$1 "*) return 0 ;; esac
	done
	echo "linklog did not report received=$1; last: $last"
	return 1
}

# counter NAME: a counter from the last statistics line.
counter() {
	grep 'statistics:' "$ERR" | tail -n 1 | tr ' ' '\n' |
	    sed -n "s/^$1=//p"
}

# --- syslog: a real rsyslogd in a private mount namespace --------------
#
# enter_syslog_namespace "$@" at the top of a test re-runs it inside
# `unshare -m`, with a tmpfs over /dev (null, zero, random, urandom bound
# back in), so rsyslogd's socket becomes that namespace's /dev/log and the
# machine's own /dev/log is never touched.  Skips (77) where namespaces
# are not allowed.
enter_syslog_namespace() {
	need unshare rsyslogd
	reexec_in_mount_namespace "$@" ||
	    skip "mount namespaces are not allowed here"
	private_dev
}

# reexec_in_mount_namespace "$@": run this script again, from the top, in
# a private mount namespace (LINKLOG_IN_NS=1 there); returns 0 once inside,
# 1 where that is not allowed (not root, no unshare).
reexec_in_mount_namespace() {
	[ -n "${LINKLOG_IN_NS:-}" ] && return 0
	[ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
	    unshare -m --propagation private true 2>/dev/null || return 1
	rm -rf "$WORK"
	trap - EXIT
	LINKLOG_IN_NS=1 exec unshare -m --propagation private sh "$0" "$@"
}

# private_dev: a tmpfs over /dev with null, zero, random and urandom
# bound back in, so that /dev/log is this namespace's own.
private_dev() {
	mkdir -p "$WORK/olddev"
	mount --bind /dev "$WORK/olddev" || skip "cannot bind-mount /dev"
	mount -t tmpfs -o mode=0755 linklog-dev /dev || skip "cannot mount a tmpfs on /dev"
	for n in null zero random urandom; do
		: >"/dev/$n"
		mount --bind "$WORK/olddev/$n" "/dev/$n"
	done
	umount -l "$WORK/olddev"
}

# start_rsyslog NAME CONFIG-BODY: rsyslogd -n with its own work directory;
# sets RSYSLOG_PID_<NAME> via a file $WORK/NAME.pid.
start_rsyslog() {
	name=$1
	mkdir -p "$WORK/$name.work"
	printf 'global(workDirectory="%s")\n%s\n' "$WORK/$name.work" "$2" \
	    >"$WORK/$name.conf"
	rsyslogd -n -f "$WORK/$name.conf" -i "$WORK/$name.pid" \
	    >"$WORK/$name.out" 2>&1 &
	echo $! >"$WORK/$name.rpid"
}

stop_rsyslog() {
	kill "$(cat "$WORK/$1.rpid")" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$(cat "$WORK/$1.rpid")" 2>/dev/null || return 0
		sleep 0.05
	done
}

# wait_for_socket PATH
wait_for_socket() {
	for i in $(seq 1 100); do
		[ -S "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# wait_grep FILE PATTERN: until FILE has a line matching (5 s at most).
wait_grep() {
	for i in $(seq 1 100); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
