#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cookies and counters: a data packet whose cookie is not the session's
# PEER_COOKIE is dropped and counted in RX_COOKIE_DISCARDS (session and
# tunnel), for 4- and 8-byte cookies (one differing bit is enough); with
# matching cookies traffic flows and the STATS nest (read with l2tp-genl)
# and the netdev counters move; the tunnel's counters aggregate its
# sessions'.
#
#    ns a                               ns b
#  +-------------------+   veth   +-------------------+
#  | eth0 10.7.0.1     |----------| eth0 10.7.0.2     |
#  | tunnel 1 (UDP)    |          | tunnel 1 (UDP)    |
#  |  session 1: pc1   |          |  session 1: pc1   |
#  |  session 2: pc2   |          |  session 2: pc2   |
#  +-------------------+          +-------------------+
#  pc1: a sends cookie 11111111, b expects 22222222 (then 11111111)
#  pc2: a sends 0102030405060708, b expects 0102030405060709 (then ...08)
#
# ol2tp-timeout: 180

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
G=$OL2TP_TESTBIN/l2tp-genl
[ -x "$G" ] || skip_all "l2tp-genl is not built (make -C selftests bin)"

netns_add a b
veth_add a eth0 b eth0
addr_add a eth0 10.7.0.1/24
addr_add b eth0 10.7.0.2/24

for x in a b; do
	if [ $x = a ]; then l=10.7.0.1 r=10.7.0.2; else l=10.7.0.2 r=10.7.0.1; fi
	ip -n "$(ns $x)" l2tp add tunnel tunnel_id 1 peer_tunnel_id 1 \
		encap udp local $l remote $r udp_sport 1701 udp_dport 1701
done

# stat NS TID [SID] NAME: one counter from the STATS nest
stat()
{
	local x=$1
	if [ $# = 3 ]; then
		ns_exec "$x" "$G" stats tunnel "$2" | sed -n "s/^$3 //p"
	else
		ns_exec "$x" "$G" stats session "$2" "$3" | sed -n "s/^$4 //p"
	fi
}

# session N A_COOKIE B_PEER_COOKIE: session N, netdev pcN, 192.168.(70+N).x
session()
{
	local n=$1
	ip -n "$(ns a)" l2tp add session name "pc$n" tunnel_id 1 session_id "$n" \
		peer_session_id "$n" cookie "$2" l2spec_type none &&
	ip -n "$(ns b)" l2tp add session name "pc$n" tunnel_id 1 session_id "$n" \
		peer_session_id "$n" peer_cookie "$3" l2spec_type none || return 1
	ip -n "$(ns a)" link set "pc$n" up
	ip -n "$(ns b)" link set "pc$n" up
	addr_add a "pc$n" "192.168.$((70 + n)).1/24"
	addr_add b "pc$n" "192.168.$((70 + n)).2/24"
}

check "4-byte cookies that differ" session 1 11111111 22222222
check "8-byte cookies that differ in one bit" session 2 0102030405060708 0102030405060709

check_fail "no traffic with a 4-byte cookie mismatch" \
	ns_exec a ping -q -c 3 -i 0.2 -W 1 192.168.71.2
check_fail "no traffic with an 8-byte cookie mismatch" \
	ns_exec a ping -q -c 3 -i 0.2 -W 1 192.168.72.2

check_ge "sender counted its packets (session 1 tx_packets)" 3 "$(stat a 1 1 tx_packets)"
check_ge "receiver counted cookie discards (session 1)" 3 "$(stat b 1 1 rx_cookie_discards)"
check_ge "receiver counted cookie discards (session 2)" 3 "$(stat b 1 2 rx_cookie_discards)"
check_eq "receiver accepted nothing (session 1 rx_packets)" 0 "$(stat b 1 1 rx_packets)"
check_eq "the netdev received nothing" 0 "$(netdev_stat b pc1 rx_packets)"
if [ "$OL2TP_IMPL" = ol2tp ]; then
	# Debian's net/l2tp counts cookie discards on the session only.
	discards=$(( $(stat b 1 1 rx_cookie_discards) + $(stat b 1 2 rx_cookie_discards) ))
	check_ge "the tunnel's cookie discards include both sessions'" "$discards" \
		"$(stat b 1 rx_cookie_discards)"
fi

# Now give b the right cookies.
ip -n "$(ns b)" l2tp del session tunnel_id 1 session_id 1
ip -n "$(ns b)" l2tp del session tunnel_id 1 session_id 2
ip -n "$(ns b)" l2tp add session name pc1 tunnel_id 1 session_id 1 \
	peer_session_id 1 peer_cookie 11111111 cookie 33333333 l2spec_type none
ip -n "$(ns b)" l2tp add session name pc2 tunnel_id 1 session_id 2 \
	peer_session_id 2 peer_cookie 0102030405060708 l2spec_type none
ip -n "$(ns a)" l2tp del session tunnel_id 1 session_id 1
ip -n "$(ns a)" l2tp add session name pc1 tunnel_id 1 session_id 1 \
	peer_session_id 1 cookie 11111111 peer_cookie 33333333 l2spec_type none
for x in a b; do
	ip -n "$(ns $x)" link set pc1 up
	ip -n "$(ns $x)" link set pc2 up
done
addr_add a pc1 192.168.71.1/24
addr_add b pc1 192.168.71.2/24
addr_add b pc2 192.168.72.2/24

check "traffic with matching 4-byte cookies both ways" \
	wait_for 10 ping_ok a 192.168.71.2 1
check "traffic with matching 8-byte cookies" wait_for 10 ping_ok a 192.168.72.2 1
ping_ok a 192.168.71.2 5

rx1=$(stat b 1 1 rx_packets)
rx2=$(stat b 1 2 rx_packets)
check_ge "session rx_packets moved" 5 "$rx1"
check_ge "session rx_bytes moved" $((5 * 60)) "$(stat b 1 1 rx_bytes)"
check_ge "session tx_packets moved" 5 "$(stat b 1 1 tx_packets)"
check_eq "no cookie discards once cookies match" 0 "$(stat b 1 1 rx_cookie_discards)"
check_ge "the tunnel's rx_packets aggregate its sessions'" $((rx1 + rx2)) \
	"$(stat b 1 rx_packets)"
check_ge "the netdev's rx_packets moved" 5 "$(netdev_stat b pc1 rx_packets)"
check_ge "the netdev's tx_packets moved" 5 "$(netdev_stat b pc1 tx_packets)"

tap_done
