#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Managed L2TPv3 tunnels over UDP, IPv4 and IPv6 underlay: at each end a
# program (l2tp-genl managed udp) opens a UDP socket, binds and connects it,
# and passes it in TUNNEL_CREATE (FD) with an Ethernet session.  Proves that:
#
#  - data flows through the session's netdev while the same socket carries
#    control messages (T bit set) both ways to the programs;
#  - (ol2tp) data flows while userspace holds the socket's lock: a child of
#    the program attaches a big socket filter in a loop, so lock_sock is
#    held (sock_owned_by_user) most of the time; no ping is lost and the
#    session counts no tx_errors.  Linux's net/l2tp, and ol2tp before its
#    lockless transmit path, drop every frame sent meanwhile;
#  - closing the socket deletes that end's tunnel, session and netdev, and
#    only that end's;
#  - an unsuitable FD is refused: a TCP socket, a UDP socket offered as IP
#    encapsulation, a socket that already carries a tunnel.  (An unconnected
#    socket is taken, as in Linux: l2tp-abi.sh.)
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | l2tp-genl   |--------| ra       rb |--------| l2tp-genl   |
#  |  UDP fd     |        |  (router)   |        |  UDP fd     |
#  | mudN netdev |        +-------------+        | mudN netdev |
#  +-------------+                               +-------------+
#   10.1.1.1 fd00:1::1   UDP 4000+N <-> 4100+N   10.1.2.1 fd00:2::1
#   mudN: 192.168.4N.1/24  === session ===    mudN: 192.168.4N.2/24
#
# ol2tp-timeout: 240

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping mkfifo
G=$OL2TP_TESTBIN/l2tp-genl
[ -x "$G" ] || skip_all "l2tp-genl not built (make -C selftests bin)"
topo_router || skip_all "cannot build the topology"

tmp=$(mktemp -d)
cleanup_push "rm -rf $tmp"

prog_init "$tmp"
tunnel_listed() { ip -n "$(ns "$1")" l2tp show tunnel tunnel_id "$2" | grep -q "Tunnel $2,"; }
tunnel_gone() { ! tunnel_listed "$@"; }

# run_family FAM N
run_family()
{
	local fam=$1 n=$2 la lb what="UDPv$1 managed" a=a$1 b=b$1
	local ta=$((30 + n)) tb=$((40 + n)) pa=192.168.4$n.1 pb=192.168.4$n.2

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	prog_start "$a" a udp "$la" "$((4000 + n))" "$lb" "$((4100 + n))" "$ta" "$tb" \
		"$((6000 + ta))" "$((6000 + tb))" "mud$n"
	prog_start "$b" b udp "$lb" "$((4100 + n))" "$la" "$((4000 + n))" "$tb" "$ta" \
		"$((6000 + tb))" "$((6000 + ta))" "mud$n"
	if ! check "$what: both ends create a tunnel on their socket" \
		wait_for 20 sh -c "grep -q ready $tmp/$a.out && grep -q ready $tmp/$b.out"; then
		diag "a: $(cat "$tmp/$a.out")"
		diag "b: $(cat "$tmp/$b.out")"
		return
	fi
	ip -n "$(ns a)" link set "mud$n" up
	ip -n "$(ns b)" link set "mud$n" up
	addr_add a "mud$n" "$pa/24"
	addr_add b "mud$n" "$pb/24"
	check "$what: ping across the session" wait_for 10 ping_ok a "$pb" 1

	busy_socket "$what" "$a" "$ta" "$((6000 + ta))" "$pb" "$n"

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
	check_ge "$what: pings crossed the session meanwhile" 10 \
		"$(pings_received "$tmp/ping$n")"

	check "$what: a's tunnel is listed while its socket is open" \
		tunnel_listed a "$ta"
	prog_say "$a" close
	check "$what: a closes its socket" wait_for 10 prog_saw "$a" "^closed"
	check "$what: a's tunnel is deleted with its socket" \
		wait_for 10 tunnel_gone a "$ta"
	check_fail "$what: a's session netdev is gone with it" \
		ip -n "$(ns a)" link show "mud$n"
	check "$what: b's tunnel is still there" tunnel_listed b "$tb"
	prog_say "$b" close
	check "$what: b's tunnel is deleted with its socket" \
		wait_for 10 tunnel_gone b "$tb"
	prog_say "$a" quit
	prog_say "$b" quit
}

run_family 4 1
run_family 6 2

# Unsuitable sockets.
fdcheck() { ns_exec a "$G" fdcheck "$@"; }
check_fail "a TCP socket is refused as FD" fdcheck tcp 50
check_fail "a UDP socket is refused for IP encapsulation" fdcheck encap-ip 51
out=$(fdcheck twice 52)
check_eq "a socket that already carries a tunnel is refused" 3 "$?"
check "... after it was accepted the first time" grep -q "^first ok" <<<"$out"
check_eq "refused sockets left no tunnel behind" "" \
	"$(ip -n "$(ns a)" l2tp show tunnel)"

tap_done
