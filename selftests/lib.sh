# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for ol2tp selftests.  Source it first thing:
#
#	. "$(dirname "$0")/lib.sh"
#
# A test prints TAP 13 (one "ok"/"not ok" line per behaviour checked), ends
# with tap_done, and exits 0 (all passed), 1 (something failed) or 4
# (skipped as a whole: wrong implementation, missing tool).  Everything it
# creates is named with $SUFFIX and torn down by the EXIT trap installed here,
# in reverse order of creation, whatever way the test ends.
#
# Environment, set by selftests/run (defaults suit a manual run in the VM):
#	OL2TP_IMPL	"ol2tp" when our modules are loaded, "intree" when
#			Debian's net/l2tp modules are; tests of behaviour that
#			only ol2tp has call require_impl ol2tp.
#	OL2TP_BIN	directory of the ol2tp and ol2tpd binaries
#	OL2TP_TESTBIN	directory of the compiled C test programs
#	OL2TP_VERBOSE	1 = print every command's output
#	OL2TP_TIMES	1 = a diag line with the seconds since the last
#			check before every check that took 2 s or more
#			(where a slow test spends its time)

set -u

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(dirname "$SELFTESTS_DIR")
: "${OL2TP_IMPL:=ol2tp}"
: "${OL2TP_BIN:=$TOP_DIR/build/bin}"
: "${OL2TP_TESTBIN:=$TOP_DIR/build/selftests}"
: "${OL2TP_VERBOSE:=0}"
: "${OL2TP_TIMES:=0}"
export OL2TP_IMPL OL2TP_BIN OL2TP_TESTBIN
PATH=$OL2TP_BIN:$OL2TP_TESTBIN:$PATH

# A short random tag: two copies of a test never share a name.
SUFFIX=$(printf '%04x%04x' $RANDOM $RANDOM)

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_tap_n=0
_tap_failed=0
_tap_t=$SECONDS
_cleanups=()

echo "TAP version 13"

# --- cleanup ---------------------------------------------------------------

# cleanup_push CMD...: run CMD at exit (last pushed runs first).
cleanup_push()
{
	_cleanups+=("$*")
}

_run_cleanups()
{
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	_cleanups=()
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# --- TAP ---------------------------------------------------------------------

# diag MSG...: a comment line in the TAP stream.
diag()
{
	local line
	printf '%s\n' "$*" | while IFS= read -r line; do
		echo "# $line"
	done
}

# _tap_time: with OL2TP_TIMES=1, how long since the last check, if long.
_tap_time()
{
	[ "$OL2TP_TIMES" = 1 ] && [ $((SECONDS - _tap_t)) -ge 2 ] &&
		echo "# +$((SECONDS - _tap_t))s"
	_tap_t=$SECONDS
}

ok()
{
	_tap_time
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

# not_ok DESC [WHY]
not_ok()
{
	_tap_time
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	[ $# -lt 2 ] || diag "$2"
}

# skip DESC WHY: one check that cannot run here.
skip()
{
	_tap_time
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# check DESC CMD...: passes when CMD exits 0.  Output is shown on failure.
check()
{
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ "$OL2TP_VERBOSE" = 1 ] && [ -n "$out" ] && diag "$out"
	if [ $rc -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "'$*' exited $rc${out:+: $out}"
	fi
	return $rc
}

# check_fail DESC CMD...: passes when CMD exits non-zero.
check_fail()
{
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc" "'$*' succeeded but should have failed${out:+: $out}"
	return 1
}

# check_eq DESC EXPECTED ACTUAL
check_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
		return 0
	fi
	not_ok "$1" "expected '$2', got '$3'"
	return 1
}

# check_ge DESC MIN ACTUAL: integer ACTUAL >= MIN
check_ge()
{
	if [ "$3" -ge "$2" ] 2>/dev/null; then
		ok "$1"
		return 0
	fi
	not_ok "$1" "expected at least $2, got '$3'"
	return 1
}

# tap_done: print the plan and exit with the test's status.
tap_done()
{
	echo "1..$_tap_n"
	if [ $_tap_failed -gt 0 ]; then
		diag "$_tap_failed of $_tap_n checks failed"
		exit $KSFT_FAIL
	fi
	exit $KSFT_PASS
}

# skip_all WHY: the whole test does not apply here.
skip_all()
{
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# require_impl IMPL WHY: skip unless the loaded implementation is IMPL.
require_impl()
{
	[ "$OL2TP_IMPL" = "$1" ] || skip_all "$OL2TP_IMPL modules: $2"
}

# require_cmd CMD...: skip unless every CMD is installed.
require_cmd()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
	done
}

require_root()
{
	[ "$(id -u)" -eq 0 ] || skip_all "must run as root"
}

# --- network namespaces ------------------------------------------------------

# netns_add NAME...: create netns NAME-$SUFFIX with lo up; removed at exit.
# Refer to it as "$NAME-$SUFFIX" or through ns_exec NAME.
netns_add()
{
	local n
	for n in "$@"; do
		ip netns add "$n-$SUFFIX" || return 1
		cleanup_push "ip netns del $n-$SUFFIX"
		ip -n "$n-$SUFFIX" link set lo up
	done
}

# ns NAME: the full netns name of NAME.
ns()
{
	echo "$1-$SUFFIX"
}

# ns_exec NAME CMD...: run CMD inside netns NAME.
ns_exec()
{
	local n=$1
	shift
	ip netns exec "$n-$SUFFIX" "$@"
}

# veth_add NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both up.
veth_add()
{
	ip link add "$2" netns "$1-$SUFFIX" type veth \
		peer name "$4" netns "$3-$SUFFIX" || return 1
	ip -n "$1-$SUFFIX" link set "$2" up
	ip -n "$3-$SUFFIX" link set "$4" up
}

# addr_add NS IF ADDR/LEN: add an address; IPv6 addresses skip DAD.
addr_add()
{
	case $3 in
	*:*) ip -n "$1-$SUFFIX" addr add "$3" dev "$2" nodad ;;
	*) ip -n "$1-$SUFFIX" addr add "$3" dev "$2" ;;
	esac
}

# wait_for TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds.  The
# timeout stretches with OL2TP_TIME_SCALE, for slower (debug) kernels.
wait_for()
{
	local deadline=$((SECONDS + $1 * ${OL2TP_TIME_SCALE:-1}))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}

# tcpdump_start NS OUT ARGS...: tcpdump ARGS in NS, in the background, its
# output in OUT (errors in OUT.err); returns once it listens.  Its pid is in
# $tcpdump_pid; tcpdump_stop ends it.
tcpdump_start()
{
	local n=$1 out=$2
	shift 2
	ip netns exec "$n-$SUFFIX" tcpdump "$@" >"$out" 2>"$out.err" &
	tcpdump_pid=$!
	cleanup_push "kill $tcpdump_pid 2>/dev/null"
	wait_for 10 grep -q 'listening on' "$out.err"
}

# tcpdump_stop: end the tcpdump of tcpdump_start (a moment given to the
# last packets) and wait for it.
tcpdump_stop()
{
	sleep 0.5
	kill "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid" 2>/dev/null
	return 0
}

# ping_ok NS ADDR [COUNT]: ping from NS succeeds (IPv4 or IPv6).
ping_ok()
{
	ns_exec "$1" ping -q -c "${3:-3}" -i 0.2 -W 2 "$2" >/dev/null 2>&1
}

# netdev_stat NS IF FIELD: /sys/class/net/IF/statistics/FIELD inside NS.
netdev_stat()
{
	ns_exec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# --- bulk TCP transfers ------------------------------------------------------

# tcp_sink NS ADDR PORT: accept one TCP connection on ADDR:PORT in NS and
# print the sha256 of what it carried once it ends.  Run it in the
# background and wait_for tcp_listening before sending (python's first
# start in a guest under load takes seconds).  Gives up after
# 120 s (times OL2TP_TIME_SCALE) without a connection or without data.
tcp_sink()
{
	ns_exec "$1" python3 -c '
import hashlib, socket, sys
t = 120 * float(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
s.settimeout(t)
c, _ = s.accept()
c.settimeout(t)
h = hashlib.sha256()
while True:
    d = c.recv(1 << 16)
    if not d:
        break
    h.update(d)
print(h.hexdigest())' "$2" "$3" "${OL2TP_TIME_SCALE:-1}"
}

# tcp_listening NS PORT: a socket in NS listens on TCP PORT.
tcp_listening()
{
	ns_exec "$1" ss -ltn | grep -q ":$2 "
}

# tcp_send NS ADDR PORT FILE: FILE over one TCP connection to ADDR:PORT.
tcp_send()
{
	ns_exec "$1" python3 -c '
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])),
                             timeout=120 * float(sys.argv[4]))
c.sendall(open(sys.argv[3], "rb").read())
c.close()' "$2" "$3" "$4" "${OL2TP_TIME_SCALE:-1}"
}

# --- programs that keep a managed tunnel's socket ----------------------------
#
# "l2tp-genl managed" opens a socket, creates a tunnel on it (FD) and then
# obeys lines on its stdin (see selftests/l2tp-genl.c).  prog_init DIR first:
# program NAME reads the fifo DIR/NAME.in and writes DIR/NAME.out.
declare -A PROG_FD
prog_init()
{
	PROG_DIR=$1
}

# prog_start NAME NS ARGS...: run "l2tp-genl managed ARGS" in NS.
prog_start()
{
	local name=$1 n=$2 fd
	shift 2
	mkfifo "$PROG_DIR/$name.in"
	ns_exec "$n" "$OL2TP_TESTBIN/l2tp-genl" managed "$@" \
		<"$PROG_DIR/$name.in" >"$PROG_DIR/$name.out" 2>&1 &
	cleanup_push "kill $! 2>/dev/null"
	exec {fd}>"$PROG_DIR/$name.in"
	PROG_FD[$name]=$fd
}

# prog_say NAME CMD: send CMD to program NAME.
prog_say()
{
	echo "$2" >&"${PROG_FD[$1]}"
}

# prog_saw NAME REGEX: the program's output has a line matching REGEX.
prog_saw()
{
	grep -q "$2" "$PROG_DIR/$1.out"
}

# genl_session_stats NS TID SID NAME...: counters of the session's STATS
# nest, one per line in the order asked, all from one snapshot.
genl_session_stats()
{
	local ns=$1 tid=$2 sid=$3

	shift 3
	ns_exec "$ns" "$OL2TP_TESTBIN/l2tp-genl" stats session "$tid" "$sid" |
		awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
				  { v[$1] = $2 }
				  END { for (i = 1; i <= n; i++) print v[w[i]] }'
}

# genl_session_stat NS TID SID NAME: one counter of the session's STATS nest.
genl_session_stat()
{
	genl_session_stats "$@"
}

# pings_received FILE: the "N received" of ping -q output in FILE.
pings_received()
{
	sed -n 's/.* \([0-9]*\) received.*/\1/p' "$1"
}

# busy_socket WHAT NAME TID SID PEER N: while a child of program NAME (in
# ns a) keeps its socket locked ("busy"), 20 pings from a to PEER all cross
# and a's session TID/SID counts no tx_errors.  ol2tp only: Linux's
# net/l2tp drops frames sent while the socket is owned by the user.
busy_socket()
{
	local what=$1 name=$2 tid=$3 sid=$4 peer=$5 n=$6 err0

	if [ "$OL2TP_IMPL" != ol2tp ]; then
		skip "$what: data flows while userspace holds the socket lock" \
			"$OL2TP_IMPL drops frames sent while the socket is owned by user"
		return
	fi
	err0=$(genl_session_stat a "$tid" "$sid" tx_errors)
	prog_say "$name" busy
	check "$what: a child keeps a's socket locked" \
		wait_for 10 prog_saw "$name" "^busy" || return
	ns_exec a ping -q -c 20 -i 0.1 -W 5 "$peer" >"$PROG_DIR/busy$n" 2>&1
	prog_say "$name" idle
	wait_for 10 prog_saw "$name" "^idle"
	check_eq "$what: no ping lost while userspace holds the socket lock" \
		20 "$(pings_received "$PROG_DIR/busy$n")"
	check_eq "$what: no tx_errors while userspace holds the socket lock" \
		"$err0" "$(genl_session_stat a "$tid" "$sid" tx_errors)"
}

# --- the standard topology ---------------------------------------------------
#
# topo_router: two hosts behind a router, dual stack.
#
#    ns a                    ns r                    ns b
#  +--------+  veth    +-------------+  veth   +--------+
#  |  eth0  |----------| ra      rb  |---------|  eth0  |
#  +--------+          +-------------+         +--------+
#  10.1.1.1/24        10.1.1.254  10.1.2.254    10.1.2.1/24
#  fd00:1::1/64       fd00:1::fe  fd00:2::fe    fd00:2::1/64
#
# Sets A4 B4 A6 B6 to the hosts' addresses.  The underlay MTU is 1500.
topo_router()
{
	netns_add a r b || return 1
	veth_add a eth0 r ra || return 1
	veth_add b eth0 r rb || return 1
	ns_exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	addr_add a eth0 10.1.1.1/24
	addr_add r ra 10.1.1.254/24
	addr_add r rb 10.1.2.254/24
	addr_add b eth0 10.1.2.1/24
	addr_add a eth0 fd00:1::1/64
	addr_add r ra fd00:1::fe/64
	addr_add r rb fd00:2::fe/64
	addr_add b eth0 fd00:2::1/64
	ip -n "$(ns a)" route add default via 10.1.1.254
	ip -n "$(ns b)" route add default via 10.1.2.254
	ip -n "$(ns a)" -6 route add default via fd00:1::fe
	ip -n "$(ns b)" -6 route add default via fd00:2::fe
	A4=10.1.1.1 B4=10.1.2.1 A6=fd00:1::1 B6=fd00:2::1
	wait_for 5 ping_ok a "$B6" 1
}

# --- control daemons ----------------------------------------------------------
#
# ol2tpd and xl2tpd in namespace NS keep their files in the test's $dir:
# NS.conf, NS.log, NS.sock (ol2tpd); xNS.conf, xNS.log, xNS.pid, xNS.ctl
# (xl2tpd).  The start_* helpers set $pid_NS; stop_daemon uses it.

# start_ol2tpd NS: ol2tpd -f $dir/NS.conf, until its control socket exists.
start_ol2tpd()
{
	: >"$dir/$1.log"
	# Not through ns_exec: $! must be ol2tpd itself.
	ip netns exec "$(ns "$1")" "$OL2TP_BIN/ol2tpd" -f "$dir/$1.conf" \
		>"$dir/$1.log" 2>&1 &
	eval "pid_$1=$!"
	cleanup_push "kill $! 2>/dev/null"
	wait_for 5 test -S "$dir/$1.sock"
}

# ol2tpd_conf NS LISTEN PEER [GLOBAL_LINE... --] LINE...: $dir/NS.conf, the
# configuration of ol2tpd in NS.  [global]: host-name lcce-NS, listen =
# LISTEN (an address, optionally followed by ", ip"; an IPv6 address goes in
# brackets), the control socket $dir/NS.sock, log-level debug, then the
# GLOBAL_LINEs.  Unless PEER is empty, [peer other] at address PEER.  Then
# each LINE as a line of the file: settings of the peer, until a line such
# as "[pseudowire pw]" starts another section.
ol2tpd_conf()
{
	local n=$1 listen=$2 peer=$3 addr i
	local global=()
	shift 3
	addr=${listen%%,*}
	case $addr in *:*) listen="[$addr]${listen#"$addr"}" ;; esac
	case $peer in *:*) peer="[$peer]" ;; esac
	for ((i = 1; i <= $#; i++)); do
		if [ "${!i}" = -- ]; then
			global=("${@:1:i-1}")
			shift "$i"
			break
		fi
	done
	{
		echo "[global]"
		echo "host-name = lcce-$n"
		echo "listen = $listen"
		echo "control-socket = $dir/$n.sock"
		echo "log-level = debug"
		[ ${#global[@]} = 0 ] || printf '%s\n' "${global[@]}"
		if [ -n "$peer" ]; then
			echo
			echo "[peer other]"
			echo "address = $peer"
		fi
		[ $# = 0 ] || printf '%s\n' "$@"
	} >"$dir/$n.conf"
}

# start_xl2tpd NS: xl2tpd -c $dir/xNS.conf, in the foreground of a job.
start_xl2tpd()
{
	: >"$dir/x$1.log"
	ip netns exec "$(ns "$1")" xl2tpd -D -c "$dir/x$1.conf" \
		-p "$dir/x$1.pid" -C "$dir/x$1.ctl" >"$dir/x$1.log" 2>&1 &
	eval "pid_$1=$!"
	cleanup_push "kill $! 2>/dev/null"
}

# stop_daemon NS: SIGTERM to $pid_NS, wait for it, its exit status in $rc_NS.
stop_daemon()
{
	local p rc
	eval "p=\$pid_$1"
	kill -TERM "$p"
	wait "$p"
	rc=$?
	eval "rc_$1=$rc"
}

# xl2tpd_lac_conf NS LOCAL LNS PPPOPTFILE: $dir/xNS.conf for an xl2tpd LAC
# on LOCAL that dials the LNS at start (UDP 1701 both ends) and redials
# every 2 s, its pppd's options in PPPOPTFILE.
xl2tpd_lac_conf()
{
	cat >"$dir/x$1.conf" <<EOC
[global]
listen-addr = $2
port = 1701
[lac lns]
lns = $3
pppoptfile = $4
autodial = yes
require authentication = no
redial = yes
redial timeout = 2
EOC
}
