#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2TPv3 over IP encapsulation protected by IPsec: ESP in transport mode
# between the two hosts for IP protocol 115 ("ip xfrm" states and policies,
# AES-GCM), IPv4 and IPv6 underlay, an Ethernet pseudowire on top.  Proves:
#
#  - the pseudowire carries traffic with the policies in place;
#  - that traffic went through ESP: the SAs at both ends count it;
#  - it depends on ESP: with b's inbound SA removed (policy kept) nothing
#    crosses any more.
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | eth0        |--------| ra       rb |--------| eth0        |
#  | xipN (l2tp) |        | sees only   |        | xipN (l2tp) |
#  +-------------+        | ESP         |        +-------------+
#   10.1.1.1 fd00:1::1    +-------------+        10.1.2.1 fd00:2::1
#   xipN: 192.168.6N.1/24 === L2TPv3/ESP ===   xipN: 192.168.6N.2/24
#
# ol2tp-timeout: 240

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
topo_router || skip_all "cannot build the topology"

KEY_AB=0x0102030405060708090a0b0c0d0e0f1011121314
KEY_BA=0x2122232425262728292a2b2c2d2e2f3031323334

# esp_setup NS LOCAL REMOTE SPI_OUT SPI_IN KEY_OUT KEY_IN: transport-mode
# SAs both ways and policies requiring ESP for protocol 115 both ways.
esp_setup()
{
	local n=$1 l=$2 r=$3
	local aead="rfc4106(gcm(aes))"

	ip -n "$(ns "$n")" xfrm state add src "$l" dst "$r" proto esp \
		spi "$4" mode transport aead "$aead" "$6" 128 &&
	ip -n "$(ns "$n")" xfrm state add src "$r" dst "$l" proto esp \
		spi "$5" mode transport aead "$aead" "$7" 128 &&
	ip -n "$(ns "$n")" xfrm policy add src "$l" dst "$r" proto 115 \
		dir out tmpl src "$l" dst "$r" proto esp mode transport &&
	ip -n "$(ns "$n")" xfrm policy add src "$r" dst "$l" proto 115 \
		dir in tmpl src "$r" dst "$l" proto esp mode transport
}

# sa_packets NS SRC DST SPI: packets the SA has processed
sa_packets()
{
	ip -n "$(ns "$1")" -s xfrm state get src "$2" dst "$3" proto esp \
		spi "$4" | awk '/lifetime current:/ { getline;
			sub(/\(packets\).*/, ""); sub(/.*, /, ""); print; exit }'
}

pw_create()
{
	local n=$1 la=$2 lb=$3
	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$((60 + n))" \
		peer_tunnel_id "$((70 + n))" encap ip local "$la" remote "$lb" &&
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$((70 + n))" \
		peer_tunnel_id "$((60 + n))" encap ip local "$lb" remote "$la" &&
	ip -n "$(ns a)" l2tp add session name "xip$n" tunnel_id "$((60 + n))" \
		session_id "$((6000 + n))" peer_session_id "$((7000 + n))" &&
	ip -n "$(ns b)" l2tp add session name "xip$n" tunnel_id "$((70 + n))" \
		session_id "$((7000 + n))" peer_session_id "$((6000 + n))" &&
	ip -n "$(ns a)" link set "xip$n" up &&
	ip -n "$(ns b)" link set "xip$n" up &&
	addr_add a "xip$n" "192.168.6$n.1/24" &&
	addr_add b "xip$n" "192.168.6$n.2/24"
}

# run_family FAM N
run_family()
{
	local fam=$1 n=$2 la lb what="IPv$1 encap ip over ESP" out_a in_b
	local spi_ab=$((0x1000 + n)) spi_ba=$((0x2000 + n))

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	check "$what: ESP states and policies at a" \
		esp_setup a "$la" "$lb" $spi_ab $spi_ba $KEY_AB $KEY_BA || return
	check "$what: ESP states and policies at b" \
		esp_setup b "$lb" "$la" $spi_ba $spi_ab $KEY_BA $KEY_AB || return
	check "$what: create tunnels and sessions" pw_create "$n" "$la" "$lb" ||
		return

	check "$what: ping across the pseudowire" \
		wait_for 15 ping_ok a "192.168.6$n.2" 1
	check "$what: ping from the other end" ping_ok b "192.168.6$n.1" 5
	out_a=$(sa_packets a "$la" "$lb" $spi_ab)
	in_b=$(sa_packets b "$la" "$lb" $spi_ab)
	check_ge "$what: a's outbound SA counted the packets" 6 "$out_a"
	check_ge "$what: b's inbound SA counted the packets" 6 "$in_b"
	check_ge "$what: b's outbound SA counted its packets" 6 \
		"$(sa_packets b "$lb" "$la" $spi_ba)"

	# Without b's inbound SA, a's ESP packets cannot be opened at b and
	# b's policy refuses anything in clear: nothing crosses.
	ip -n "$(ns b)" xfrm state del src "$la" dst "$lb" proto esp spi $spi_ab
	check_fail "$what: with b's inbound SA removed, nothing crosses" \
		ns_exec a ping -q -c 3 -i 0.2 -W 1 "192.168.6$n.2"
}

run_family 4 1
run_family 6 2

tap_done
