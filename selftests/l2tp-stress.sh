#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress the object lifetimes: in ns a two processes race on the same ids,
# one creating tunnel 100 and session 1000 (its netdev up, sending), the
# other deleting them (session delete, ip link del, tunnel delete), while ns
# b sends 500 packets/s into its end of that tunnel and a steady pseudowire
# (tunnel 1) carries traffic; a third process creates and deletes its own
# tunnels 200-209.  Then (ol2tp) the module is unloaded with the tunnels
# and the traffic still there.  Passes when nothing hangs, the steady pseudowire survives, the
# unload cleans up, and the kernel printed no warning (vm-run checks that).
#
#    ns a                                 ns b
#  +----------------------+    veth    +----------------------+
#  | eth0 10.5.0.1        |------------| eth0 10.5.0.2        |
#  | tunnel 1  / st0      |            | tunnel 1 / st0       |
#  | tunnel 100 / sx0 <-- creator      | tunnel 100 / sx0     |
#  |            ^-- deleter (racing)   |   ping flood --> a   |
#  | tunnels 200-209 (churn)           |                      |
#  +----------------------+            +----------------------+
#   st0 192.168.50.x   sx0 192.168.51.x
#
# ol2tp-timeout: 400

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping

ROUNDS=${L2TP_STRESS_ROUNDS:-20}

netns_add a b
veth_add a eth0 b eth0
addr_add a eth0 10.5.0.1/24
addr_add b eth0 10.5.0.2/24
A=$(ns a) B=$(ns b)

for x in a b; do
	if [ $x = a ]; then l=10.5.0.1 r=10.5.0.2; else l=10.5.0.2 r=10.5.0.1; fi
	n=$(ns $x)
	ip -n "$n" l2tp add tunnel tunnel_id 1 peer_tunnel_id 1 encap udp \
		local $l remote $r udp_sport 1701 udp_dport 1701
	ip -n "$n" l2tp add session name st0 tunnel_id 1 session_id 1 \
		peer_session_id 1
	ip -n "$n" link set st0 up
	ip -n "$n" l2tp add tunnel tunnel_id 100 peer_tunnel_id 100 encap udp \
		local $l remote $r udp_sport 1702 udp_dport 1702
	ip -n "$n" l2tp add session name sx0 tunnel_id 100 session_id 1000 \
		peer_session_id 1000
	[ $x = a ] && ip -n "$n" link set sx0 address 02:00:00:00:51:01
	ip -n "$n" link set sx0 up
done
addr_add a st0 192.168.50.1/24
addr_add b st0 192.168.50.2/24
addr_add a sx0 192.168.51.1/24
addr_add b sx0 192.168.51.2/24
check "steady pseudowire up" wait_for 10 ping_ok a 192.168.50.2 1
check "racing pseudowire up" wait_for 10 ping_ok a 192.168.51.2 1
# b knows a's MAC on sx0 for good: its flood keeps going however often a's
# netdev is recreated.
ns_exec b ip neigh replace 192.168.51.1 lladdr 02:00:00:00:51:01 dev sx0 nud permanent

tmp=$(mktemp -d)
cleanup_push "rm -rf $tmp"

ip netns exec "$B" ping -q -i 0.002 -w 120 192.168.51.1 >/dev/null 2>&1 &
flood=$!
cleanup_push "kill $flood"
ip netns exec "$B" ping -q -i 0.05 -w 120 192.168.50.1 >/dev/null 2>&1 &
steady=$!
cleanup_push "kill $steady"

creator()
{
	local i
	for ((i = 0; i < ROUNDS; i++)); do
		ip -n "$A" l2tp add tunnel tunnel_id 100 peer_tunnel_id 100 \
			encap udp local 10.5.0.1 remote 10.5.0.2 \
			udp_sport 1702 udp_dport 1702
		ip -n "$A" l2tp add session name sx0 tunnel_id 100 \
			session_id 1000 peer_session_id 1000
		ip -n "$A" link set sx0 address 02:00:00:00:51:01 up
		ip -n "$A" addr add 192.168.51.1/24 dev sx0
		ip netns exec "$A" ping -q -c 1 -W 1 192.168.51.2
	done >/dev/null 2>&1
	echo done >"$tmp/creator"
}

deleter()
{
	local i
	for ((i = 0; i < ROUNDS; i++)); do
		case $((i % 3)) in
		0) ip -n "$A" l2tp del session tunnel_id 100 session_id 1000 ;;
		1) ip -n "$A" link del sx0 ;;
		2) ip -n "$A" l2tp del tunnel tunnel_id 100 ;;
		esac
		ip -n "$A" l2tp show session >/dev/null
		ip -n "$A" l2tp del tunnel tunnel_id 100
	done >/dev/null 2>&1
	echo done >"$tmp/deleter"
}

churn()
{
	local i t
	for ((i = 0; i < ROUNDS; i++)); do
		t=$((200 + i % 10))
		ip -n "$A" l2tp add tunnel tunnel_id $t peer_tunnel_id $t \
			encap udp local 10.5.0.1 remote 10.5.0.2 \
			udp_sport $((2000 + t)) udp_dport $((2000 + t))
		ip -n "$A" l2tp add session tunnel_id $t session_id $t \
			peer_session_id $t
		ip -n "$A" l2tp show tunnel >/dev/null
		[ $((i % 2)) = 0 ] && ip -n "$A" l2tp del tunnel tunnel_id $t
	done >/dev/null 2>&1
	echo done >"$tmp/churn"
}

creator &
p1=$!
deleter &
p2=$!
churn &
p3=$!
cleanup_push "kill $p1 $p2 $p3"
wait $p1 $p2 $p3
check "creator finished its rounds" test -s "$tmp/creator"
check "deleter finished its rounds" test -s "$tmp/deleter"
check "churn finished its rounds" test -s "$tmp/churn"
check "steady pseudowire survived the storm" ping_ok a 192.168.50.2 3
check "tunnels can still be listed" ip -n "$A" l2tp show tunnel

if [ "$OL2TP_IMPL" = ol2tp ]; then
	mods=$TOP_DIR/scripts/ol2tp-modules
	cleanup_push "$mods load"
	# No request may race the unload itself: "ip l2tp" would autoload
	# Debian's l2tp_netlink once ours is gone.
	check "unload the modules with live tunnels and traffic" "$mods" unload
	check "the pseudowire netdevs went with them" \
		sh -c "! ip -n $A link show st0 2>/dev/null"
	check "load them again" "$mods" load
fi
kill "$flood" "$steady" 2>/dev/null
wait 2>/dev/null

tap_done
