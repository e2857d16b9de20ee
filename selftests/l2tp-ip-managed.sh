#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Managed L2TPv3 tunnels over IP encapsulation, IPv4 and IPv6 underlay: at
# each end a program (l2tp-genl managed ip) opens an L2TP/IP socket, binds
# it to its conn id, connects it to the peer's, and passes it in
# TUNNEL_CREATE (FD) with an Ethernet session.  Proves that:
#
#  - data flows through the session's netdev while the same socket carries
#    control messages (session id 0, T bit) both ways to the programs;
#  - (ol2tp) data flows while userspace holds the socket's lock (a child of
#    the program attaches a big socket filter in a loop, so lock_sock is held
#    most of the time): no ping is lost, the session counts no tx_errors.
#    Linux's net/l2tp drops every frame sent meanwhile;
#  - closing the socket at one end deletes that end's tunnel, session and
#    netdev, and only that end's.
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | l2tp-genl   |--------| ra       rb |--------| l2tp-genl   |
#  |  L2TP/IP fd |        |  (router)   |        |  L2TP/IP fd |
#  | mipN netdev |        +-------------+        | mipN netdev |
#  +-------------+                               +-------------+
#   10.1.1.1 fd00:1::1   conn 10+N <-> 20+N      10.1.2.1 fd00:2::1
#   mipN: 192.168.5N.1/24  === session ===    mipN: 192.168.5N.2/24
#
# ol2tp-timeout: 240

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping mkfifo
[ -x "$OL2TP_TESTBIN/l2tp-genl" ] ||
	skip_all "l2tp-genl not built (make -C selftests bin)"
topo_router || skip_all "cannot build the topology"

tmp=$(mktemp -d)
cleanup_push "rm -rf $tmp"

# start NAME NS ARGS...: run "l2tp-genl managed ip ARGS" in NS; its stdin
# is the fifo $tmp/NAME.in (held open on fd FD_NAME), its output goes to
# $tmp/NAME.out.
declare -A FD
start()
{
	local name=$1 n=$2 fd
	shift 2
	mkfifo "$tmp/$name.in"
	ns_exec "$n" l2tp-genl managed ip "$@" <"$tmp/$name.in" \
		>"$tmp/$name.out" 2>&1 &
	cleanup_push "kill $! 2>/dev/null"
	exec {fd}>"$tmp/$name.in"
	FD[$name]=$fd
}

# say NAME CMD: send CMD to program NAME
say()
{
	echo "$2" >&"${FD[$1]}"
}

# saw NAME REGEX: the program's output has a line matching REGEX
saw()
{
	grep -q "$2" "$tmp/$1.out"
}

# busy_socket WHAT NAME TID SID PEER N: while a child of program NAME keeps
# its socket locked, 20 pings from a to PEER all cross and the session
# counts no tx_errors.
busy_socket()
{
	local what=$1 name=$2 tid=$3 sid=$4 peer=$5 n=$6 err0

	if [ "$OL2TP_IMPL" != ol2tp ]; then
		skip "$what: data flows while userspace holds the socket lock" \
			"$OL2TP_IMPL drops frames sent while the socket is owned by user"
		return
	fi
	err0=$(session_stat "$tid" "$sid" tx_errors)
	say "$name" busy
	check "$what: a child keeps a's socket locked" \
		wait_for 10 saw "$name" "^busy" || return
	ns_exec a ping -q -c 20 -i 0.1 -W 5 "$peer" >"$tmp/busy$n" 2>&1
	say "$name" idle
	wait_for 10 saw "$name" "^idle"
	check_eq "$what: no ping lost while userspace holds the socket lock" \
		20 "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$tmp/busy$n")"
	check_eq "$what: no tx_errors while userspace holds the socket lock" \
		"$err0" "$(session_stat "$tid" "$sid" tx_errors)"
}

# session_stat TID SID NAME: one counter of a's session (STATS nest)
session_stat()
{
	ns_exec a l2tp-genl stats session "$1" "$2" |
		awk -v k="$3" '$1 == k { print $2 }'
}

# run_family FAM N: the whole scenario over IPv$FAM, tunnels 10+N/20+N
run_family()
{
	local fam=$1 n=$2 la lb what="IPv$1 managed encap ip" a=a$1 b=b$1
	local ta=$((10 + n)) tb=$((20 + n)) pa=192.168.5$n.1 pb=192.168.5$n.2

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	start "$a" a "$la" "$ta" "$lb" "$tb" "$ta" "$tb" \
		"$((5000 + ta))" "$((5000 + tb))" "mip$n"
	start "$b" b "$lb" "$tb" "$la" "$ta" "$tb" "$ta" \
		"$((5000 + tb))" "$((5000 + ta))" "mip$n"
	if ! check "$what: both ends create a tunnel on their socket" \
		wait_for 20 sh -c "grep -q ready $tmp/$a.out && grep -q ready $tmp/$b.out"; then
		diag "a: $(cat "$tmp/$a.out")"
		diag "b: $(cat "$tmp/$b.out")"
		return
	fi
	ip -n "$(ns a)" link set "mip$n" up
	ip -n "$(ns b)" link set "mip$n" up
	addr_add a "mip$n" "$pa/24"
	addr_add b "mip$n" "$pb/24"
	check "$what: ping across the session" wait_for 10 ping_ok a "$pb" 1
	busy_socket "$what" "$a" "$ta" "$((5000 + ta))" "$pb" "$n"

	# Control messages both ways while a ping runs through the session.
	ns_exec a ping -q -c 15 -i 0.2 -W 2 "$pb" >"$tmp/ping$n" 2>&1 &
	local ping_pid=$!
	say "$b" recv
	say "$a" send
	check "$what: a's control message reaches b's socket" \
		wait_for 25 saw "$b" "^got 12 T"
	say "$a" recv
	say "$b" send
	check "$what: b's control message reaches a's socket" \
		wait_for 25 saw "$a" "^got 12 T"
	wait $ping_pid
	check_ge "$what: pings crossed the session meanwhile" 1 \
		"$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$tmp/ping$n")"

	check "$what: a's tunnel is listed while its socket is open" \
		sh -c "ip -n $(ns a) l2tp show tunnel tunnel_id $ta | grep -q 'Tunnel $ta'"
	say "$a" close
	check "$what: a closes its socket" wait_for 10 saw "$a" "^closed"
	check "$what: a's tunnel is deleted with its socket" \
		wait_for 10 sh -c "! ip -n $(ns a) l2tp show tunnel tunnel_id $ta | grep -q Tunnel"
	check_fail "$what: a's session netdev is gone with it" \
		ip -n "$(ns a)" link show "mip$n"
	check "$what: b's tunnel is still there" \
		sh -c "ip -n $(ns b) l2tp show tunnel tunnel_id $tb | grep -q Tunnel"
	say "$b" close
	check "$what: b's tunnel is deleted with its socket" \
		wait_for 10 sh -c "! ip -n $(ns b) l2tp show tunnel tunnel_id $tb | grep -q Tunnel"
	say "$a" quit
	say "$b" quit
}

run_family 4 1
run_family 6 2

tap_done
