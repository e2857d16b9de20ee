#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2TPv3 over UDP protected by IPsec: ESP in transport mode between the two
# hosts for the tunnel's UDP ports ("ip xfrm" states and policies,
# AES-GCM), IPv4 and IPv6 underlay, an Ethernet pseudowire on top.  Proves:
#
#  - the pseudowire carries traffic with the policies in place, and that
#    traffic went through ESP (the SAs at both ends count it); a bulk TCP
#    transfer crosses too (the pseudowire's large packets are segmented
#    before ESP);
#  - it depends on ESP: with b's inbound SA removed (policy kept) nothing
#    crosses any more, and b's session receives nothing.
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | eth0        |--------| ra       rb |--------| eth0        |
#  | xudN (l2tp) |        | sees only   |        | xudN (l2tp) |
#  +-------------+        | ESP         |        +-------------+
#   10.1.1.1 fd00:1::1    +-------------+        10.1.2.1 fd00:2::1
#   UDP 5100+N <======= L2TPv3/UDP/ESP =======> UDP 5200+N
#   xudN: 192.168.8N.1/24                        xudN: 192.168.8N.2/24
#
# ol2tp-timeout: 240

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
topo_router || skip_all "cannot build the topology"

KEY_AB=0x4142434445464748494a4b4c4d4e4f5051525354
KEY_BA=0x6162636465666768696a6b6c6d6e6f7071727374
AEAD="rfc4106(gcm(aes))"

# esp_setup NS LOCAL REMOTE LPORT RPORT SPI_OUT SPI_IN KEY_OUT KEY_IN
esp_setup()
{
	local n=$(ns "$1") l=$2 r=$3 lp=$4 rp=$5

	ip -n "$n" xfrm state add src "$l" dst "$r" proto esp spi "$6" \
		mode transport aead "$AEAD" "$8" 128 &&
	ip -n "$n" xfrm state add src "$r" dst "$l" proto esp spi "$7" \
		mode transport aead "$AEAD" "$9" 128 &&
	ip -n "$n" xfrm policy add src "$l" dst "$r" proto udp sport "$lp" \
		dport "$rp" dir out tmpl src "$l" dst "$r" proto esp mode transport &&
	ip -n "$n" xfrm policy add src "$r" dst "$l" proto udp sport "$rp" \
		dport "$lp" dir in tmpl src "$r" dst "$l" proto esp mode transport
}

# sa_packets NS SRC DST SPI: packets the SA has processed
sa_packets()
{
	ip -n "$(ns "$1")" -s xfrm state get src "$2" dst "$3" proto esp \
		spi "$4" | awk '/lifetime current:/ { getline;
			sub(/\(packets\).*/, ""); sub(/.*, /, ""); print; exit }'
}

# tcp_across ADDR: iperf3 sends 4 MB over TCP from a to ADDR in b.
tcp_across()
{
	ns_exec b iperf3 -s -1 -D -B "$1" -p 5201 >/dev/null 2>&1 || return 1
	wait_for 5 ns_exec b sh -c "ss -ltn | grep -q ':5201 '"
	ns_exec a timeout 60 iperf3 -c "$1" -p 5201 -n 4M >/dev/null
}

# run_family FAM N
run_family()
{
	local fam=$1 n=$2 la lb what="UDPv$1 over ESP" pa=$((5100 + $2))
	local pb=$((5200 + $2)) spi_ab=$((0x3000 + $2)) spi_ba=$((0x4000 + $2))
	local sent rx

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	check "$what: ESP states and policies at a" esp_setup a "$la" "$lb" \
		$pa $pb $spi_ab $spi_ba $KEY_AB $KEY_BA || return
	check "$what: ESP states and policies at b" esp_setup b "$lb" "$la" \
		$pb $pa $spi_ba $spi_ab $KEY_BA $KEY_AB || return

	ip -n "$(ns a)" l2tp add tunnel tunnel_id $((80 + n)) peer_tunnel_id $((90 + n)) \
		encap udp local "$la" remote "$lb" udp_sport $pa udp_dport $pb
	ip -n "$(ns b)" l2tp add tunnel tunnel_id $((90 + n)) peer_tunnel_id $((80 + n)) \
		encap udp local "$lb" remote "$la" udp_sport $pb udp_dport $pa
	ip -n "$(ns a)" l2tp add session name "xud$n" tunnel_id $((80 + n)) \
		session_id $((8000 + n)) peer_session_id $((9000 + n))
	ip -n "$(ns b)" l2tp add session name "xud$n" tunnel_id $((90 + n)) \
		session_id $((9000 + n)) peer_session_id $((8000 + n))
	ip -n "$(ns a)" link set "xud$n" up
	ip -n "$(ns b)" link set "xud$n" up
	addr_add a "xud$n" "192.168.8$n.1/24"
	addr_add b "xud$n" "192.168.8$n.2/24"

	check "$what: ping across the pseudowire" \
		wait_for 15 ping_ok a "192.168.8$n.2" 1
	check "$what: ping from the other end" ping_ok b "192.168.8$n.1" 5
	check_ge "$what: a's outbound SA counted the packets" 6 \
		"$(sa_packets a "$la" "$lb" $spi_ab)"
	check_ge "$what: b's inbound SA counted the packets" 6 \
		"$(sa_packets b "$la" "$lb" $spi_ab)"
	check_ge "$what: b's outbound SA counted its packets" 6 \
		"$(sa_packets b "$lb" "$la" $spi_ba)"

	if command -v iperf3 >/dev/null 2>&1; then
		check "$what: 4 MB of TCP cross (large packets, segmented below ESP)" \
			tcp_across "192.168.8$n.2"
	else
		skip "$what: TCP across" "iperf3 is not installed"
	fi

	ip -n "$(ns b)" xfrm state del src "$la" dst "$lb" proto esp spi $spi_ab
	rx=$(netdev_stat b "xud$n" rx_packets)
	check_fail "$what: with b's inbound SA removed, nothing crosses" \
		ns_exec a ping -q -c 3 -i 0.2 -W 1 "192.168.8$n.2"
	check_eq "$what: ... and b's pseudowire received nothing" "$rx" \
		"$(netdev_stat b "xud$n" rx_packets)"
}

run_family 4 1
run_family 6 2

tap_done
