#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnel and session ids:
#
#  - a tunnel id is unique in its netns (EEXIST), and free in another netns;
#  - a session id is unique in its tunnel (EEXIST);
#  - two UDP tunnels may both have session id 5 (Linux >= 5.6), and both
#    pseudowires carry their own traffic;
#  - an L2TPv3 session id of an IP-encapsulated tunnel is unique in the
#    netns: it cannot be reused by a UDP or another IP tunnel, and an IP
#    tunnel cannot take a session id a UDP tunnel uses.
#
#    ns a                              ns b
#  +------------------+    veth    +------------------+
#  | eth0 10.6.0.1    |------------| eth0 10.6.0.2    |
#  | tunnel 1 UDP 1701|            | tunnel 1 UDP 1701|    ns c: tunnel 1
#  | tunnel 2 UDP 1702|            | tunnel 2 UDP 1702|    (same id, other
#  | tunnel 3, 4 IP   |            |                  |     netns)
#  | session 5 in 1,2 |            | session 5 in 1,2 |
#  +------------------+            +------------------+
#   ida: 192.168.61.x, idb: 192.168.62.x
#
# ol2tp-timeout: 180

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping

netns_add a b c
veth_add a eth0 b eth0
addr_add a eth0 10.6.0.1/24
addr_add b eth0 10.6.0.2/24
ip -n "$(ns a)" addr add 10.6.0.11/24 dev eth0

# udp_tunnel NS TID LOCAL REMOTE PORT
udp_tunnel()
{
	ip -n "$(ns "$1")" l2tp add tunnel tunnel_id "$2" peer_tunnel_id "$2" \
		encap udp local "$3" remote "$4" udp_sport "$5" udp_dport "$5"
}

# session NS TID SID [NAME]
session()
{
	ip -n "$(ns "$1")" l2tp add session ${4:+name "$4"} tunnel_id "$2" \
		session_id "$3" peer_session_id "$3"
}

check "create UDP tunnel 1" udp_tunnel a 1 10.6.0.1 10.6.0.2 1701
check_fail "a second tunnel 1 in the same netns is refused" \
	udp_tunnel a 1 10.6.0.1 10.6.0.2 1709
out=$(udp_tunnel a 1 10.6.0.1 10.6.0.2 1709 2>&1)
check "... with EEXIST" grep -qi "exists" <<<"$out"
check "tunnel 1 in another netns is fine" ip -n "$(ns c)" l2tp add tunnel \
	tunnel_id 1 peer_tunnel_id 1 encap udp local 127.0.0.1 remote 127.0.0.2 \
	udp_sport 1701 udp_dport 1701

check "create UDP tunnel 2" udp_tunnel a 2 10.6.0.1 10.6.0.2 1702
udp_tunnel b 1 10.6.0.2 10.6.0.1 1701
udp_tunnel b 2 10.6.0.2 10.6.0.1 1702

check "session 5 in tunnel 1" session a 1 5 ida
check "session 5 in tunnel 2 too (another UDP tunnel)" session a 2 5 idb
if [ "$OL2TP_IMPL" = ol2tp ]; then
	# Debian's 6.12 net/l2tp takes the duplicate (and the first session
	# stops receiving); its 6.1 refuses it.
	check_fail "a second session 5 in tunnel 1 is refused" session a 1 5
fi
session b 1 5 ida
session b 2 5 idb
for x in a b; do
	# No IPv6 autoconfiguration chatter: count only the pings.
	ns_exec $x sysctl -qw net.ipv6.conf.ida.disable_ipv6=1 \
		net.ipv6.conf.idb.disable_ipv6=1
	ip -n "$(ns $x)" link set ida up
	ip -n "$(ns $x)" link set idb up
done
addr_add a ida 192.168.61.1/24
addr_add b ida 192.168.61.2/24
addr_add a idb 192.168.62.1/24
addr_add b idb 192.168.62.2/24
check "traffic on session 5 of tunnel 1" wait_for 10 ping_ok a 192.168.61.2 1
check "traffic on session 5 of tunnel 2" wait_for 10 ping_ok a 192.168.62.2 1
# No ARP on ida while counting either (a neighbour probe once made it
# count one packet more): permanent neighbours both ways.
ip -n "$(ns a)" neigh replace 192.168.61.2 dev ida nud permanent \
	lladdr "$(ns_exec b cat /sys/class/net/ida/address)"
ip -n "$(ns b)" neigh replace 192.168.61.1 dev ida nud permanent \
	lladdr "$(ns_exec a cat /sys/class/net/ida/address)"
rx_a=$(netdev_stat b ida rx_packets)
ping_ok a 192.168.62.2 5
check_eq "tunnel 2's traffic did not land on tunnel 1's session" "$rx_a" \
	"$(netdev_stat b ida rx_packets)"

# IP encapsulation: session ids are looked up without a tunnel.
if ip -n "$(ns a)" l2tp add tunnel tunnel_id 3 peer_tunnel_id 3 encap ip \
	local 10.6.0.1 remote 10.6.0.2 2>/dev/null; then
	ok "create IP tunnel 3"
	check_fail "IP tunnel 3 cannot take session id 5 (used by UDP tunnels)" \
		session a 3 5
	check "IP tunnel 3 takes session id 6" session a 3 6
	check_fail "UDP tunnel 1 cannot take session id 6 (used by an IP tunnel)" \
		session a 1 6
	check "create IP tunnel 4" ip -n "$(ns a)" l2tp add tunnel tunnel_id 4 \
		peer_tunnel_id 4 encap ip local 10.6.0.11 remote 10.6.0.2
	check_fail "IP tunnel 4 cannot take session id 6 (used by IP tunnel 3)" \
		session a 4 6
	check "deleting IP tunnel 3 frees session id 6" \
		ip -n "$(ns a)" l2tp del tunnel tunnel_id 3
	check "IP tunnel 4 takes session id 6 now" session a 4 6
else
	skip "IP encapsulation session ids" "no L2TP/IP support"
fi

tap_done
