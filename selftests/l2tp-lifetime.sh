#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetimes of tunnels, sessions and pseudowire netdevs, torn down from every
# side while traffic flows:
#
#  - deleting a session removes its netdev; deleting a tunnel removes the
#    netdevs of all its sessions;
#  - (ol2tp) "ip link del" of a pseudowire netdev deletes its session, and
#    deleting the netns a pseudowire netdev was moved to deletes the session;
#  - deleting the netns of a tunnel (with traffic on its pseudowire, and its
#    netdev living in a third netns) removes everything, and the peer's
#    tunnel stays usable;
#  - (ol2tp) unloading the module with live tunnels (UDP and unmanaged IP
#    encapsulation, whose kernel socket must not pin the module) and traffic
#    cleans up.
#
#    ns a                            ns b
#  +----------------+   veth   +----------------+       ns c
#  | eth0 10.8.0.1  |----------| eth0 10.8.0.2  |   +-----------+
#  | tunnels 1..4   |          | tunnels 1..4   |   | pw4 (from |
#  | pw1 pw2 pw3    |          | pw1..pw4       |   |  ns a)    |
#  +----------------+          +----------------+   +-----------+
#        192.168.N.1/24 == pwN == 192.168.N.2/24
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping

netns_add a b c
veth_add a eth0 b eth0
addr_add a eth0 10.8.0.1/24
addr_add b eth0 10.8.0.2/24

# tunnel N: UDP ports 3000+N, same ids both sides
tunnel_add()
{
	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$1" peer_tunnel_id "$1" \
		encap udp local 10.8.0.1 remote 10.8.0.2 \
		udp_sport "$((3000 + $1))" udp_dport "$((3000 + $1))" &&
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$1" peer_tunnel_id "$1" \
		encap udp local 10.8.0.2 remote 10.8.0.1 \
		udp_sport "$((3000 + $1))" udp_dport "$((3000 + $1))"
}

# session_add T S NAME [SUBNET]: session S in tunnel T on both ends
session_add()
{
	local t=$1 s=$2 name=$3 net=${4:-}

	ip -n "$(ns a)" l2tp add session name "$name" tunnel_id "$t" \
		session_id "$s" peer_session_id "$s" &&
	ip -n "$(ns b)" l2tp add session name "$name" tunnel_id "$t" \
		session_id "$s" peer_session_id "$s" || return 1
	ip -n "$(ns a)" link set "$name" up
	ip -n "$(ns b)" link set "$name" up
	if [ -n "$net" ]; then
		addr_add a "$name" "192.168.$net.1/24"
		addr_add b "$name" "192.168.$net.2/24"
	fi
}

link_exists() { ip -n "$(ns "$1")" link show "$2" >/dev/null 2>&1; }
link_gone() { ! link_exists "$@"; }
session_listed()
{
	ip -n "$(ns "$1")" l2tp show session tunnel_id "$2" session_id "$3" |
		grep -q "^Session $3 in tunnel $2\$"
}

check "create tunnel 1" tunnel_add 1
check "create tunnel 2" tunnel_add 2
check "create tunnel 3" tunnel_add 3
check "create sessions" session_add 1 11 pw1 1
session_add 1 12 pw1b
session_add 2 21 pw2 2
session_add 3 31 pw3 3
check "traffic on pw1" wait_for 10 ping_ok a 192.168.1.2 1

# --- deleting from netlink ---------------------------------------------------
ip -n "$(ns a)" l2tp del session tunnel_id 1 session_id 12
check "deleting a session removes its netdev" wait_for 10 link_gone a pw1b
check "the tunnel's other session keeps working" ping_ok a 192.168.1.2 2

ip netns exec "$(ns b)" ping -q -i 0.01 -w 20 192.168.1.1 >/dev/null 2>&1 &
pinger=$!
cleanup_push "kill $pinger"
ip -n "$(ns a)" l2tp del tunnel tunnel_id 1
check "deleting a tunnel (under traffic) removes its netdevs" \
	wait_for 10 link_gone a pw1
check_fail "... and its sessions" session_listed a 1 11
kill "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null

# --- deleting the netdev (ol2tp: Debian's l2tpeth has no rtnl link ops) -----
if [ "$OL2TP_IMPL" = ol2tp ]; then
	check "ip link del of a pseudowire netdev" ip -n "$(ns a)" link del pw2
	check_fail "... deletes its session" session_listed a 2 21
	check "... and leaves its tunnel" \
		sh -c "ip -n $(ns a) l2tp show tunnel tunnel_id 2 | grep -q 'Tunnel 2,'"

	ip -n "$(ns a)" link set pw3 netns "$(ns c)"
	check "a pseudowire netdev can move to another netns" link_exists c pw3
	ip -n "$(ns c)" link set pw3 up
	addr_add c pw3 192.168.3.1/24
	check "... and carries traffic there" wait_for 10 ping_ok c 192.168.3.2 1
	ip netns del "$(ns c)"
	check "deleting that netns deletes the session" \
		wait_for 10 sh -c "! ip -n $(ns a) l2tp show session | grep -q 'Session 31 '"
	netns_add c
fi

# --- deleting the tunnel's netns with live traffic ---------------------------
tunnel_add 4
session_add 4 41 pw4 4
session_add 4 42 pw5 5
check "traffic on pw4" wait_for 10 ping_ok a 192.168.4.2 1
ip -n "$(ns a)" link set pw5 netns "$(ns c)"
ip netns exec "$(ns b)" ping -q -i 0.01 -w 20 192.168.4.1 >/dev/null 2>&1 &
pinger=$!
cleanup_push "kill $pinger"
ip netns exec "$(ns a)" ping -q -i 0.01 -w 20 192.168.4.2 >/dev/null 2>&1 &
pinger2=$!
cleanup_push "kill $pinger2"
sleep 1
check "delete the netns of live tunnels under traffic" ip netns del "$(ns a)"
# The netns dies once its last process (a's pinger) is gone; b keeps sending.
kill "$pinger2" 2>/dev/null
check "the netdev in a third netns went with its tunnel's netns" \
	wait_for 10 link_gone c pw5
kill "$pinger" 2>/dev/null
wait 2>/dev/null
check "the peer's tunnel is still there" \
	sh -c "ip -n $(ns b) l2tp show tunnel tunnel_id 4 | grep -q 'Tunnel 4,'"
check "the peer can delete it" ip -n "$(ns b)" l2tp del tunnel tunnel_id 4
netns_add a
ip link add eth0 netns "$(ns a)" type veth peer name eth1 netns "$(ns b)"
ip -n "$(ns a)" link set eth0 up
ip -n "$(ns b)" link set eth1 up
addr_add a eth0 10.8.1.1/24
addr_add b eth1 10.8.1.2/24

# --- unloading the module with live tunnels (ol2tp) ---------------------------
if [ "$OL2TP_IMPL" = ol2tp ]; then
	mods=$TOP_DIR/scripts/ol2tp-modules
	cleanup_push "$mods load"
	ip -n "$(ns a)" l2tp add tunnel tunnel_id 7 peer_tunnel_id 7 encap udp \
		local 10.8.1.1 remote 10.8.1.2 udp_sport 3007 udp_dport 3007
	ip -n "$(ns b)" l2tp add tunnel tunnel_id 7 peer_tunnel_id 7 encap udp \
		local 10.8.1.2 remote 10.8.1.1 udp_sport 3007 udp_dport 3007
	session_add 7 71 pw7 7
	check "traffic on pw7" wait_for 10 ping_ok a 192.168.7.2 1
	# An unmanaged IP tunnel: its kernel L2TP/IP socket is of ol2tp's
	# own protocol and must not pin the module.
	ip -n "$(ns a)" l2tp add tunnel tunnel_id 8 peer_tunnel_id 8 encap ip \
		local 10.8.1.1 remote 10.8.1.2
	ip -n "$(ns b)" l2tp add tunnel tunnel_id 8 peer_tunnel_id 8 encap ip \
		local 10.8.1.2 remote 10.8.1.1
	session_add 8 81 pw8 8
	check "traffic on pw8 (IP encapsulation)" wait_for 10 ping_ok a 192.168.8.2 1
	ip netns exec "$(ns b)" ping -q -i 0.01 -w 20 192.168.7.1 >/dev/null 2>&1 &
	pinger=$!
	cleanup_push "kill $pinger"
	sleep 1
	check "unload the modules with live UDP and IP tunnels under traffic" \
		"$mods" unload
	check "the pseudowire netdevs are gone" link_gone b pw7
	check "... the IP tunnel's too" link_gone b pw8
	kill "$pinger" 2>/dev/null
	wait 2>/dev/null
	check "load the modules again" "$mods" load
	check_eq "no tunnel survived the unload" "" \
		"$(ip -n "$(ns b)" l2tp show tunnel)"
fi

tap_done
