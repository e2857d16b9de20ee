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
#  - the user can change a pseudowire's MTU;
#  - a pseudowire set down, or never up since it was made, carries nothing
#    and counts each frame it drops once (rx_dropped); set up (again), it
#    carries traffic;
#  - ol2tp only: a pseudowire gets its GRO cells (a NAPI context per CPU)
#    when it is first brought up, so one that is never up costs none.
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

# drops_match_arrivals NS DEV TID SID DROPPED0 PACKETS0: since the two
# readings given, DEV's rx_dropped grew by what session SID of tunnel TID
# received (five frames at least): each frame dropped is counted once.  A
# frame that arrives between the reading of one counter and the other's
# makes them differ by one, so one is allowed (counted twice, they would
# differ by five or more).  Frames still on their way get 5 s to settle.
drops_match_arrivals()
{
	local d s i

	for ((i = 0; i < 25; i++)); do
		d=$(($(netdev_stat "$1" "$2" rx_dropped) - $5))
		s=$(($(genl_session_stat "$1" "$3" "$4" rx_packets) - $6))
		[ "$s" -ge 5 ] && [ "$d" -ge $((s - 1)) ] && [ "$d" -le $((s + 1)) ] &&
			return 0
		sleep 0.2
	done
	diag "$2: $s frames received by the session, $d dropped by the netdev"
	return 1
}

# check_down_then_up N TID SID DOWN UP: with b's pseudowire N (session SID
# of tunnel TID) down, a's pings do not cross and each frame b drops is
# counted once; set up, pings cross.  DOWN and UP name the checks.
check_down_then_up()
{
	local drop0 rx0

	drop0=$(netdev_stat b "pw$1" rx_dropped)
	rx0=$(genl_session_stat b "$2" "$3" rx_packets)
	check_fail "$4: pings do not cross" ping_ok a "192.168.$1.2" 5
	check "$4: each frame dropped is counted once" \
		drops_match_arrivals b "pw$1" "$2" "$3" "$drop0" "$rx0"
	ns_exec b ip link set "pw$1" up
	check "$5: pings cross" wait_for 10 ping_ok a "192.168.$1.2" 1
}

# Down and up again: b's pseudowire 4 set down drops what arrives, each
# frame counted once in rx_dropped; set up again (its GRO cells kept from
# the first up), pings cross as before.
ns_exec b ip link set pw4 down
check_down_then_up 4 104 2004 "pseudowire 4 down at b" \
	"pseudowire 4 up again at b"

# Never up: b's pseudowire 6 has not been opened since it was made (ol2tp
# has not made its GRO cells yet); what arrives is dropped and counted
# the same way, and its first up carries traffic.  a knows b's address
# statically and has no IPv6 on pw6, so that the pings are what crosses:
# the router solicitations and MLD reports of a fresh interface would
# arrive between the reads of b's two counters.
ip -n "$(ns a)" l2tp add session name pw6 tunnel_id 1 session_id 1006 \
	peer_session_id 2006
ip -n "$(ns b)" l2tp add session name pw6 tunnel_id 101 session_id 2006 \
	peer_session_id 1006
ns_exec a sysctl -qw net.ipv6.conf.pw6.disable_ipv6=1
ns_exec a ip link set pw6 up
addr_add a pw6 192.168.6.1/24
addr_add b pw6 192.168.6.2/24
ip -n "$(ns a)" neigh replace 192.168.6.2 dev pw6 nud permanent \
	lladdr "$(ns_exec b cat /sys/class/net/pw6/address)"
check_down_then_up 6 101 2006 "pseudowire 6 never up at b" \
	"pseudowire 6 up for the first time at b"
ip -n "$(ns a)" l2tp del session tunnel_id 1 session_id 1006
ip -n "$(ns b)" l2tp del session tunnel_id 101 session_id 2006

# napi_threadable NS DEV: DEV has NAPI contexts: its "threaded" attribute
# takes a write (the kernel refuses it, EOPNOTSUPP, when there are none).
napi_threadable()
{
	ns_exec "$1" sh -c "echo 1 >/sys/class/net/$2/threaded &&
		echo 0 >/sys/class/net/$2/threaded" 2>/dev/null
}

if [ "$OL2TP_IMPL" = ol2tp ]; then
	ip -n "$(ns a)" l2tp add session name pw5 tunnel_id 1 session_id 1005 \
		peer_session_id 2005
	check_fail "a pseudowire never up has no GRO cells (no NAPI context)" \
		napi_threadable a pw5
	ns_exec a ip link set pw5 up
	check "brought up, it has them" napi_threadable a pw5
	ns_exec a ip link set pw5 down
	check "set down, it keeps them" napi_threadable a pw5
	ip -n "$(ns a)" l2tp del session tunnel_id 1 session_id 1005
fi

for n in 1 2 3 4; do
	check "delete tunnels $n" pw_delete "$n"
done
check_fail "pseudowire netdevs are gone with their tunnels" \
	ns_exec a ip link show pw1

tap_done
