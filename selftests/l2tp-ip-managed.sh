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

prog_init "$tmp"

# run_family FAM N: the whole scenario over IPv$FAM, tunnels 10+N/20+N
run_family()
{
	local fam=$1 n=$2 la lb what="IPv$1 managed encap ip" a=a$1 b=b$1
	local ta=$((10 + n)) tb=$((20 + n)) pa=192.168.5$n.1 pb=192.168.5$n.2

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	prog_start "$a" a ip "$la" "$ta" "$lb" "$tb" "$ta" "$tb" \
		"$((5000 + ta))" "$((5000 + tb))" "mip$n"
	prog_start "$b" b ip "$lb" "$tb" "$la" "$ta" "$tb" "$ta" \
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
	prog_say "$b" recv
	prog_say "$a" send
	check "$what: a's control message reaches b's socket" \
		wait_for 25 prog_saw "$b" "^got 12 T"
	prog_say "$a" recv
	prog_say "$b" send
	check "$what: b's control message reaches a's socket" \
		wait_for 25 prog_saw "$a" "^got 12 T"
	wait $ping_pid
	check_ge "$what: pings crossed the session meanwhile" 1 \
		"$(pings_received "$tmp/ping$n")"

	check "$what: a's tunnel is listed while its socket is open" \
		sh -c "ip -n $(ns a) l2tp show tunnel tunnel_id $ta | grep -q 'Tunnel $ta'"
	prog_say "$a" close
	check "$what: a closes its socket" wait_for 10 prog_saw "$a" "^closed"
	check "$what: a's tunnel is deleted with its socket" \
		wait_for 10 sh -c "! ip -n $(ns a) l2tp show tunnel tunnel_id $ta | grep -q Tunnel"
	check_fail "$what: a's session netdev is gone with it" \
		ip -n "$(ns a)" link show "mip$n"
	check "$what: b's tunnel is still there" \
		sh -c "ip -n $(ns b) l2tp show tunnel tunnel_id $tb | grep -q Tunnel"
	prog_say "$b" close
	check "$what: b's tunnel is deleted with its socket" \
		wait_for 10 sh -c "! ip -n $(ns b) l2tp show tunnel tunnel_id $tb | grep -q Tunnel"
	prog_say "$a" quit
	prog_say "$b" quit
}

run_family 4 1
run_family 6 2

tap_done
