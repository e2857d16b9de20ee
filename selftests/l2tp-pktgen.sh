#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktgen on an Ethernet pseudowire netdev: pktgen sends the same skb many
# times (clone_skb) while it holds references of its own, so the transmit
# path gets shared skbs (IFF_TX_SKB_SHARING).  Proves that:
#
#  - the l2tpeth netdev advertises IFF_TX_SKB_SHARING: pktgen accepts
#    clone_skb and burst on it (it refuses both otherwise);
#  - every frame pktgen sends leaves as an L2TP packet (the session counts
#    them, no tx_errors) and arrives on the peer's pseudowire netdev, over
#    UDP/IPv4 and IP/IPv6 encapsulation;
#  - no kernel warning: the transmit path takes its own copy of a shared skb
#    (skb_share_check) before it writes headers in front of it.
#
# Debian's in-tree l2tp_eth is not tested: it hands shared skbs to
# skb_cow_head(), and pskb_expand_head() BUG()s on them
# (BUG_ON(skb_shared(skb))): Debian 6.12 panics under this test.
#
#    ns a                                          ns b
#  +----------------------+       veth       +----------------------+
#  | pktgen -> pwN (l2tp) |------------------| pwN (l2tp)           |
#  | eth0                 |                  | eth0                 |
#  +----------------------+                  +----------------------+
#   10.1.1.1 fd00:1::1     pw1: UDPv4, pw2: IPv6    10.1.1.2 fd00:1::2
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_impl ol2tp "in-tree l2tp_eth BUG()s on shared skbs (pskb_expand_head BUG_ON(skb_shared))"
require_root
require_cmd ip modprobe
G=$OL2TP_TESTBIN/l2tp-genl
[ -x "$G" ] || skip_all "l2tp-genl not built (make -C selftests bin)"
modprobe pktgen 2>/dev/null || skip_all "the pktgen module is not available"

COUNT=1000
PG=/proc/net/pktgen

netns_add a b || skip_all "cannot create network namespaces"
veth_add a eth0 b eth0 || skip_all "cannot create the veth pair"
addr_add a eth0 10.1.1.1/24
addr_add b eth0 10.1.1.2/24
addr_add a eth0 fd00:1::1/64
addr_add b eth0 fd00:1::2/64

# a knows b's MAC for good.  pktgen's first frames would otherwise wait for
# ARP/ND in the neighbour's queue, which holds unres_qlen_bytes (about 166 of
# these frames) and drops the rest without telling the sender.
bmac=$(ns_exec b cat /sys/class/net/eth0/address)
ns_exec a ip neigh replace 10.1.1.2 lladdr "$bmac" dev eth0 nud permanent
ns_exec a ip neigh replace fd00:1::2 lladdr "$bmac" dev eth0 nud permanent

# pktgen sends as fast as it can; let the receiving queues hold a whole run.
backlog=$(cat /proc/sys/net/core/netdev_max_backlog)
cleanup_push "sysctl -qw net.core.netdev_max_backlog=$backlog"
sysctl -qw net.core.netdev_max_backlog=$((COUNT * 4))

# pw_create N ENCAP LOCAL_A LOCAL_B: tunnel N, session 100+N, netdev pwN.
pw_create()
{
	local n=$1 encap=$2 la=$3 lb=$4 ports=()

	[ "$encap" = udp ] &&
		ports=(udp_sport "$((1700 + n))" udp_dport "$((1800 + n))")
	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$la" remote "$lb" "${ports[@]}" || return 1
	[ "$encap" = udp ] &&
		ports=(udp_sport "$((1800 + n))" udp_dport "$((1700 + n))")
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$lb" remote "$la" "${ports[@]}" || return 1
	ip -n "$(ns a)" l2tp add session name "pw$n" tunnel_id "$n" \
		session_id "$((100 + n))" peer_session_id "$((100 + n))" || return 1
	ip -n "$(ns b)" l2tp add session name "pw$n" tunnel_id "$n" \
		session_id "$((100 + n))" peer_session_id "$((100 + n))" || return 1
	# Nothing but pktgen's frames: no IPv6 autoconfiguration traffic.
	ns_exec a sysctl -qw "net.ipv6.conf.pw$n.disable_ipv6=1"
	ns_exec b sysctl -qw "net.ipv6.conf.pw$n.disable_ipv6=1"
	ip -n "$(ns a)" link set "pw$n" up
	ip -n "$(ns b)" link set "pw$n" up
}

# pg FILE CMD: one pktgen command, in netns a.
pg()
{
	ns_exec a sh -c "echo '$2' > $PG/$1"
}

session_stat()
{
	ns_exec a "$G" stats session "$1" "$((100 + $1))" |
		awk -v k="$2" '$1 == k { print $2 }'
}

# rx_reached DEV N: b's DEV has received at least N frames.
rx_reached()
{
	[ "$(netdev_stat b "$1" rx_packets)" -ge "$2" ]
}

kernel_warnings()
{
	dmesg | grep -cE 'WARNING:|BUG:|Oops'
}

# run_case N ENCAP LOCAL_A LOCAL_B
run_case()
{
	local n=$1 what="pw$1 ($2 over IPv$([ "${3#*:}" = "$3" ] && echo 4 || echo 6))"
	local dev=pw$1 mac tx0 rx0 warn0

	if ! check "$what: create tunnels and sessions" pw_create "$@"; then
		return
	fi
	mac=$(ns_exec b cat "/sys/class/net/$dev/address")
	pg kpktgend_0 rem_device_all
	cleanup_push "ip netns exec $(ns a) sh -c 'echo rem_device_all > $PG/kpktgend_0'"
	check "$what: pktgen takes the pseudowire netdev" \
		pg kpktgend_0 "add_device $dev" || return
	check "$what: pktgen accepts clone_skb (IFF_TX_SKB_SHARING)" \
		pg "$dev" "clone_skb 100" || return
	check "$what: pktgen accepts burst (IFF_TX_SKB_SHARING)" \
		pg "$dev" "burst 4" || return
	pg "$dev" "count $COUNT"
	pg "$dev" "pkt_size 300"
	pg "$dev" "delay 0"
	pg "$dev" "dst_mac $mac"
	pg "$dev" "dst 192.168.$n.2"

	tx0=$(session_stat "$n" tx_packets)
	rx0=$(netdev_stat b "$dev" rx_packets)
	warn0=$(kernel_warnings)
	check "$what: pktgen run completes" pg pgctrl start
	check "$what: pktgen sent every packet" \
		grep -q "pkts-sofar: $COUNT " <(ns_exec a cat "$PG/$dev")
	check_eq "$what: the session sent every frame" \
		"$((tx0 + COUNT))" "$(session_stat "$n" tx_packets)"
	check_eq "$what: no tx_errors" 0 "$(session_stat "$n" tx_errors)"
	check "$what: the peer's pseudowire received every frame" \
		wait_for 20 rx_reached "$dev" "$((rx0 + COUNT))"
	diag "$what: peer received $(($(netdev_stat b "$dev" rx_packets) - rx0)) of $COUNT"
	check_eq "$what: no kernel warning" "$warn0" "$(kernel_warnings)"
	pg kpktgend_0 rem_device_all
}

run_case 1 udp 10.1.1.1 10.1.1.2
run_case 2 ip fd00:1::1 fd00:1::2

tap_done
