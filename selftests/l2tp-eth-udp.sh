#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2TPv3 Ethernet pseudowires over UDP, configured with iproute2's
# "ip l2tp", between two hosts behind a router:
#
#  - IPv4 and IPv6 underlay; cookies of 0, 4 and 8 bytes (also different
#    lengths each way); L2-specific sublayer none and default;
#  - ping across each pseudowire, the l2tpeth netdev counters move on both
#    ends, the netdev MTU is the underlay MTU minus every header;
#  - an 802.1Q VLAN on top of a pseudowire carries traffic both ways;
#  - iperf3 (TCP) runs across one pseudowire;
#  - the user can change a pseudowire's MTU.
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | eth0        |--------| ra       rb |--------| eth0        |
#  | pwN (l2tp)  |        |  (router)   |        | pwN (l2tp)  |
#  | pwN.10 vlan |        +-------------+        | pwN.10 vlan |
#  +-------------+                               +-------------+
#   10.1.1.1 fd00:1::1    UDP 1701+N <-> 1801+N   10.1.2.1 fd00:2::1
#   pwN: 192.168.N.1/24  ====== L2TPv3 ======      pwN: 192.168.N.2/24
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
topo_router || skip_all "cannot build the topology"

# pw_create N FAMILY COOKIE_A COOKIE_B L2SPEC: tunnel N, session N, netdev
# pwN in a and b.  COOKIE_A is what a sends (b expects), "-" for none.
pw_create()
{
	local n=$1 fam=$2 ca=$3 cb=$4 l2=$5 la lb
	local ca_opt=() cb_opt=()

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	[ "$ca" = - ] || { ca_opt=(cookie "$ca"); cb_opt=(peer_cookie "$ca"); }
	[ "$cb" = - ] || { ca_opt+=(peer_cookie "$cb"); cb_opt+=(cookie "$cb"); }

	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$((n + 100))" \
		encap udp local "$la" remote "$lb" \
		udp_sport "$((1700 + n))" udp_dport "$((1800 + n))" || return 1
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$((n + 100))" peer_tunnel_id "$n" \
		encap udp local "$lb" remote "$la" \
		udp_sport "$((1800 + n))" udp_dport "$((1700 + n))" || return 1
	ip -n "$(ns a)" l2tp add session name "pw$n" tunnel_id "$n" \
		session_id "$((n + 1000))" peer_session_id "$((n + 2000))" \
		l2spec_type "$l2" "${ca_opt[@]}" || return 1
	ip -n "$(ns b)" l2tp add session name "pw$n" tunnel_id "$((n + 100))" \
		session_id "$((n + 2000))" peer_session_id "$((n + 1000))" \
		l2spec_type "$l2" "${cb_opt[@]}" || return 1
	ip -n "$(ns a)" link set "pw$n" up
	ip -n "$(ns b)" link set "pw$n" up
	addr_add a "pw$n" "192.168.$n.1/24"
	addr_add b "pw$n" "192.168.$n.2/24"
}

pw_delete()
{
	ip -n "$(ns a)" l2tp del tunnel tunnel_id "$1"
	ip -n "$(ns b)" l2tp del tunnel tunnel_id "$(($1 + 100))"
}

# cookie_len HEX|-: bytes of a cookie
cookie_len()
{
	if [ "$1" = - ]; then echo 0; else echo $((${#1} / 2)); fi
}

# run_case N FAMILY COOKIE_A COOKIE_B L2SPEC
run_case()
{
	local n=$1 fam=$2 ca=$3 cb=$4 l2=$5 what mtu tx rx
	what="UDPv$fam cookies $(cookie_len "$ca")/$(cookie_len "$cb") l2spec $l2"

	if ! check "$what: create tunnels and sessions" pw_create "$@"; then
		return
	fi
	check "$what: ping across the pseudowire" \
		wait_for 10 ping_ok a "192.168.$n.2" 1
	check "$what: ping from the other end" ping_ok b "192.168.$n.1" 3

	tx=$(netdev_stat a "pw$n" tx_packets)
	rx=$(netdev_stat b "pw$n" rx_packets)
	check_ge "$what: a's netdev counted tx packets" 4 "$tx"
	check_ge "$what: b's netdev counted rx packets" 4 "$rx"
	check_ge "$what: a's netdev counted rx bytes" 200 \
		"$(netdev_stat a "pw$n" rx_bytes)"

	# 1500 - IP - UDP 8 - L2TPv3 over UDP 8 - cookie - sublayer - Ethernet 14
	if [ "$fam" = 6 ]; then mtu=$((1500 - 40)); else mtu=$((1500 - 20)); fi
	mtu=$((mtu - 8 - 8 - $(cookie_len "$ca") - 14))
	[ "$l2" = default ] && mtu=$((mtu - 4))
	check_eq "$what: a's pseudowire MTU is the path MTU minus headers" \
		"$mtu" "$(ns_exec a cat "/sys/class/net/pw$n/mtu")"
}

run_case 1 4 - - default
run_case 2 4 a1b2c3d4 0badcafe none
run_case 3 6 0102030405060708 1112131415161718 default
run_case 4 6 a1b2c3d4e5f60718 - none

# The netdevs: random (locally administered, unicast) MAC addresses, carrier
# up while the session lives.
mac1=$(ns_exec a cat /sys/class/net/pw1/address)
mac2=$(ns_exec a cat /sys/class/net/pw2/address)
check "pseudowire MACs are locally administered unicast addresses" \
	sh -c "[ \$(( 0x${mac1%%:*} & 3 )) = 2 ] && [ \$(( 0x${mac2%%:*} & 3 )) = 2 ]"
check "two pseudowires got different MACs" test "$mac1" != "$mac2"
check_eq "the pseudowire netdev has carrier" 1 \
	"$(ns_exec a cat /sys/class/net/pw1/carrier)"

# A VLAN on top of pseudowire 1 (IPv4, default sublayer).
ns_exec a ip link add link pw1 name pw1.10 type vlan id 10
ns_exec b ip link add link pw1 name pw1.10 type vlan id 10
ns_exec a ip link set pw1.10 up
ns_exec b ip link set pw1.10 up
addr_add a pw1.10 192.168.110.1/24
addr_add b pw1.10 192.168.110.2/24
check "VLAN 10 over the pseudowire: ping" wait_for 10 ping_ok a 192.168.110.2 1
check "VLAN 10 over the pseudowire: ping back" ping_ok b 192.168.110.1 3
check_ge "VLAN 10: b's VLAN netdev received packets" 3 \
	"$(netdev_stat b pw1.10 rx_packets)"

# Large frames: IP fragments the L2TP packets on the underlay.
check "ping with 1400-byte payload across pseudowire 3 (IPv6)" \
	ns_exec a ping -q -c 2 -i 0.2 -W 2 -s 1400 192.168.3.2

# The MTU is the user's to change.
check "set pseudowire MTU to 1400" ns_exec a ip link set pw2 mtu 1400
check_eq "pseudowire MTU reads back 1400" 1400 \
	"$(ns_exec a cat /sys/class/net/pw2/mtu)"

if command -v iperf3 >/dev/null 2>&1; then
	ns_exec b iperf3 -s -1 -D -B 192.168.2.2 -p 5201 >/dev/null 2>&1
	wait_for 10 sh -c "ip netns exec $(ns b) ss -ltn | grep -q 192.168.2.2:5201"
	check "iperf3 TCP across pseudowire 2" \
		ns_exec a iperf3 -c 192.168.2.2 -p 5201 -t 2
else
	skip "iperf3 TCP across pseudowire 2" "iperf3 is not installed"
fi

for n in 1 2 3 4; do
	check "delete tunnels $n" pw_delete "$n"
done
check_fail "pseudowire netdevs are gone with their tunnels" \
	ns_exec a ip link show pw1

tap_done
