#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A router on the way whose MTU is smaller than the pseudowire needs: the
# L2TP packets are fragmented, as Linux's l2tp does (it never sets DF on
# data packets), instead of being black-holed.
#
#  - IPv4 underlay, UDP and IP encapsulation: the very first ping as large
#    as the pseudowire takes (inner DF, so only the outer packet can be
#    fragmented) gets its answer, and a TCP transfer arrives intact;
#  - the L2TP packets leave a without DF;
#  - IPv6 underlay: after the router's Packet Too Big, pings pass (a
#    fragments at the source; IPv6 routers never fragment);
#  - ol2tp only: a managed tunnel whose socket sets IP_MTU_DISCOVER "do"
#    keeps DF; frames too large for the path are counted as tx_errors, and
#    their senders learn the path MTU as over VXLAN: a's own route to the
#    far end of pm5 gets the path's MTU less the encapsulation, so TCP
#    still crosses; a host h behind a bridge of pm5 is answered with ICMP
#    "fragmentation needed" from the far end's address.  ol2tpd's
#    path-mtu-discovery = yes does the same for the tunnels it makes; last,
#    with the narrow hop widened to 1400, an IPv6 host h6 behind a bridge
#    of ol2tpd's pseudowire is answered ICMPv6 "packet too big".
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | eth0        |--------| ra       rb |--------| eth0        |
#  | pmN (l2tp)  |  1500  |   (router)  |  1280  | pmN (l2tp)  |
#  +-------------+        +-------------+        +-------------+
#   10.1.1.1 fd00:1::1                           10.1.2.1 fd00:2::1
#   pmN: 192.168.N.1/24   ====== L2TPv3 ======   pmN: 192.168.N.2/24
#
#   for the bridges:  ns h  [eth0 192.168.5.3] --veth-- [vh  br0  pm5] ns a
#                     ns h6 [eth0 fd00:9::3]   --veth-- [vh6 br9  pm9] ns a
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping python3
topo_router || skip_all "cannot build the topology"

# The hop from r to b is narrower than anything a sends.
ip -n "$(ns r)" link set rb mtu 1280
ip -n "$(ns b)" link set eth0 mtu 1280

# pw_make N ENCAP FAMILY: tunnel and session N, netdev pmN in a and b,
# at the default MTU (computed from a's 1500-byte underlay).
pw_make()
{
	local n=$1 encap=$2 la=$A4 lb=$B4 ports=()

	[ "$3" = 6 ] && { la=$A6; lb=$B6; }
	[ "$encap" = udp ] && ports=(udp_sport "$((3000 + n))" udp_dport "$((4000 + n))")
	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$la" remote "$lb" "${ports[@]}" || return 1
	[ "$encap" = udp ] && ports=(udp_sport "$((4000 + n))" udp_dport "$((3000 + n))")
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$lb" remote "$la" "${ports[@]}" || return 1
	ip -n "$(ns a)" l2tp add session name "pm$n" tunnel_id "$n" \
		session_id "$((100 + n))" peer_session_id "$((200 + n))" || return 1
	ip -n "$(ns b)" l2tp add session name "pm$n" tunnel_id "$n" \
		session_id "$((200 + n))" peer_session_id "$((100 + n))" || return 1
	# b's pseudowire is as wide as a's: the frames are, not the packets.
	ip -n "$(ns b)" link set "pm$n" mtu "$(ns_exec a cat "/sys/class/net/pm$n/mtu")"
	ip -n "$(ns a)" link set "pm$n" up
	ip -n "$(ns b)" link set "pm$n" up
	addr_add a "pm$n" "192.168.$n.1/24"
	addr_add b "pm$n" "192.168.$n.2/24"
}

# big N: the ICMP payload of the largest ping pmN carries (its MTU less
# the IPv4 and ICMP headers).
big()
{
	echo $(($(ns_exec a cat "/sys/class/net/pm$1/mtu") - 28))
}

# first_big_ping_ok N: the first ping as large as pmN takes, with DF, is
# answered (ARP resolved first with a small one).
first_big_ping_ok()
{
	ping_ok a "192.168.$1.2" 1 &&
		ns_exec a ping -q -c 1 -W 3 -s "$(big "$1")" -M do "192.168.$1.2" >/dev/null
}

# big_pings_ok N: of five pings as large as pmN takes, at least three pass.
big_pings_ok()
{
	local got

	got=$(ns_exec a ping -q -c 5 -i 0.5 -W 3 -s "$(big "$1")" -M do "192.168.$1.2" |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	diag "pm$1: $got of 5 pings of $(big "$1") bytes answered"
	[ "${got:-0}" -ge 3 ]
}

# transfer_ok N: 1 MiB over TCP from a to b across pmN, sha256 compared.
transfer_ok()
{
	local want srv

	head -c 1048576 /dev/urandom >"$dir/blob"
	want=$(sha256sum <"$dir/blob" | cut -d' ' -f1)
	tcp_sink b "192.168.$1.2" 5000 >"$dir/got" &
	srv=$!
	wait_for 30 tcp_listening b 5000 &&
		tcp_send a "192.168.$1.2" 5000 "$dir/blob" ||
		{ kill "$srv" 2>/dev/null; return 1; }
	wait "$srv"
	[ "$(cat "$dir/got")" = "$want" ]
}

# wire_of_big_pings N FILTER...: r's tcpdump -v (in $dir/tcpdump.txt) of
# the L2TP packets FILTER that arrive from a while a sends three pings as
# large as pmN takes.
wire_of_big_pings()
{
	local n=$1
	shift
	tcpdump_start r "$dir/tcpdump.txt" -i ra -Q in -n -v -l "$@" || return 1
	ns_exec a ping -q -c 3 -i 0.3 -W 2 -s "$(big "$n")" "192.168.$n.2" >/dev/null
	tcpdump_stop
}

# wire_df ALL|NONE: of the packets in $dir/tcpdump.txt (some came), all or
# none carry DF.
wire_df()
{
	local all df

	all=$(grep -c ' proto ' "$dir/tcpdump.txt")
	df=$(grep -c 'flags \[DF\]' "$dir/tcpdump.txt")
	diag "$all L2TP packets seen at r, $df with DF"
	[ "$all" -gt 0 ] || return 1
	case $1 in
	ALL) [ "$df" -eq "$all" ] ;;
	NONE) [ "$df" -eq 0 ] ;;
	esac
}

# route_mtu NS ADDR: the MTU of NS's route to ADDR (a learned path MTU).
route_mtu()
{
	ip -n "$(ns "$1")" route get "$2" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

# learned_mtu N [HOP]: what a frame on pmN may carry once a has learned the
# narrow hop's MTU (default 1280): the path MTU less the encapsulation (1500
# less pmN's MTU, which the kernel sized from a's 1500-byte underlay).
learned_mtu()
{
	echo $((${2:-1280} - (1500 - $(ns_exec a cat "/sys/class/net/pm$1/mtu"))))
}

# bridge_pw5: a's pm5 and a veth to a new host h in bridge br0; a's address
# on pm5 moves to h (192.168.5.3), whose MTU is pm5's.
bridge_pw5()
{
	netns_add h &&
		veth_add h eth0 a vh &&
		ip -n "$(ns a)" link add br0 type bridge &&
		ip -n "$(ns a)" addr flush dev pm5 &&
		ip -n "$(ns a)" link set vh master br0 &&
		ip -n "$(ns a)" link set pm5 master br0 &&
		ip -n "$(ns a)" link set br0 up &&
		ip -n "$(ns h)" link set eth0 mtu "$(ns_exec a cat /sys/class/net/pm5/mtu)" &&
		addr_add h eth0 192.168.5.3/24 &&
		wait_for 10 ping_ok h 192.168.5.2 1
}

# frag_needed_for NS ADDR MTU: NS's ping to ADDR as large as its link takes,
# with DF, is answered "fragmentation needed" (IPv6: "packet too big") with
# MTU.
frag_needed_for()
{
	local out hdrs=28

	case $2 in *:*) hdrs=48 ;; esac
	out=$(ns_exec "$1" ping -c 1 -W 3 -M do \
		-s $(($(ns_exec "$1" cat /sys/class/net/eth0/mtu) - hdrs)) "$2" 2>&1)
	diag "$out"
	grep -Eq "Frag needed and DF set \(mtu = $3\)|[Pp]acket too big: ?mtu[=:] ?$3|message too long, mtu[=:] ?$3" <<<"$out"
}

# wire_unfragmented: of the IPv6 packets in $dir/tcpdump.txt (some came),
# none is a fragment.
wire_unfragmented()
{
	local all frag

	all=$(grep -c '^[0-9:.]* IP6 ' "$dir/tcpdump.txt")
	frag=$(grep -c ' frag (' "$dir/tcpdump.txt")
	diag "$all IPv6 packets from a seen at r, $frag of them fragments"
	[ "$all" -gt 0 ] && [ "$frag" -eq 0 ]
}

# pmtud_conf NS LOCAL PEER INITIATE N ENCAP: ol2tpd in NS with
# path-mtu-discovery on its peer, and an Ethernet pseudowire pmN.
pmtud_conf()
{
	ol2tpd_conf "$1" "$2, ip" "$3" "router-id = 10.0.0.$5" -- \
		"path-mtu-discovery = yes" "initiate = $4" "local-address = $2" \
		"encap = $6" "" \
		"[pseudowire pw]" "peer = other" "type = ethernet" \
		"remote-end-id = pmtu" "initiate = $4" "interface = pm$5"
}

# pw_in_both N: pmN is in a and in b.
pw_in_both()
{
	ns_exec a test -e "/sys/class/net/pm$1" &&
		ns_exec b test -e "/sys/class/net/pm$1"
}

# peer_path_mtu_is MTU: a's ol2tpd reports that path MTU to its peer.
peer_path_mtu_is()
{
	local out

	out=$(ol2tp -S "$dir/a.sock" peer show)
	diag "$out"
	grep -q " path-mtu $1\( \|$\)" <<<"$out"
}

# pmtud_up N LA LB ENCAP WHAT: ol2tpd in a and in b, path-mtu-discovery on,
# from addresses LA and LB of their own (no path MTU learned by the cases
# before), their pseudowire pmN up, b's as wide as a's.  Fails (one
# not_ok) when the pseudowire does not come up.
pmtud_up()
{
	local n=$1 la=$2 lb=$3 encap=$4 what=$5 len=24

	case $la in *:*) len=64 ;; esac
	addr_add a eth0 "$la/$len"
	addr_add b eth0 "$lb/$len"
	pmtud_conf a "$la" "$lb" yes "$n" "$encap"
	pmtud_conf b "$lb" "$la" no "$n" "$encap"
	if ! start_ol2tpd b || ! start_ol2tpd a || ! wait_for 20 pw_in_both "$n"; then
		not_ok "$what: pseudowire up"
		diag "$(cat "$dir/a.log" "$dir/b.log")"
		return 1
	fi
	ip -n "$(ns b)" link set "pm$n" mtu "$(ns_exec a cat "/sys/class/net/pm$n/mtu")"
}

# pmtud_case FAMILY N ENCAP: two ol2tpd with path-mtu-discovery = yes, over
# the IPv4 or IPv6 underlay, L2TPv3 over UDP or IP, their pseudowire pmN
# (192.168.N.0/24): the L2TP
# packets leave a with DF (IPv6: a does not fragment them), ol2tpd reports
# the path MTU, a's route over pmN learns it less the encapsulation, and
# TCP crosses.
pmtud_case()
{
	local fam=$1 n=$2 encap=$3 la lb what learned filter

	la=10.1.1.$((10 + n)) lb=10.1.2.$((10 + n))
	[ "$fam" = 6 ] && { la=fd00:1::$((10 + n)) lb=fd00:2::$((10 + n)); }
	what="ol2tpd, path-mtu-discovery, $(echo "$encap" | tr a-z A-Z) over IPv$fam"
	pmtud_up "$n" "$la" "$lb" "$encap" "$what" || return
	addr_add a "pm$n" "192.168.$n.1/24"
	addr_add b "pm$n" "192.168.$n.2/24"
	check "$what: small pings cross" wait_for 10 ping_ok a "192.168.$n.2" 1
	if [ "$encap" = udp ]; then filter="udp dst port 1701"; else filter="proto 115"; fi
	if [ "$fam" = 4 ]; then
		wire_of_big_pings "$n" src "$la" and "$filter"
		check "$what: its L2TP packets leave a with DF" wire_df ALL
	else
		wire_of_big_pings "$n" ip6 src "$la" and "($filter or ip6[6] == 44)"
		check "$what: a does not fragment its L2TP packets" wire_unfragmented
	fi
	check "$what: ol2tp peer show reports the path MTU, 1280" \
		peer_path_mtu_is 1280
	learned=$(learned_mtu "$n")
	check_eq "$what: a's route over the pseudowire has the path MTU less the encapsulation" \
		"$learned" "$(route_mtu a "192.168.$n.2")"
	check "$what: a 1 MiB TCP transfer arrives intact" transfer_ok "$n"
	stop_daemon a
	stop_daemon b
}

# bridged6_case N: h6, an IPv6 host behind a bridge of a's pmN (ol2tpd,
# path-mtu-discovery = yes, UDP over IPv4), sends a ping as large as its
# link takes: it is answered ICMPv6 "packet too big" with the path MTU less
# the encapsulation, its route learns that, and pings of that size cross.
# Last of all: it widens the narrow hop to 1400, since over 1280 a frame
# may carry less than IPv6's minimum MTU and the kernel then sends no PTB.
bridged6_case()
{
	local n=$1 la=10.1.1.$((10 + $1)) lb=10.1.2.$((10 + $1)) what learned

	what="bridged IPv6 sender, path-mtu-discovery"
	ip -n "$(ns r)" link set rb mtu 1400
	ip -n "$(ns b)" link set eth0 mtu 1400
	pmtud_up "$n" "$la" "$lb" udp "$what" || return
	addr_add b "pm$n" "fd00:$n::2/64"
	if ! netns_add h6 || ! veth_add h6 eth0 a vh6 ||
	   ! ip -n "$(ns a)" link add br9 type bridge ||
	   ! ip -n "$(ns a)" link set vh6 master br9 ||
	   ! ip -n "$(ns a)" link set "pm$n" master br9 ||
	   ! ip -n "$(ns a)" link set br9 up ||
	   ! ip -n "$(ns h6)" link set eth0 mtu "$(ns_exec a cat "/sys/class/net/pm$n/mtu")" ||
	   ! addr_add h6 eth0 "fd00:$n::3/64" ||
	   ! wait_for 10 ping_ok h6 "fd00:$n::2" 1; then
		not_ok "$what: h6 reaches b across the bridge"
		return
	fi
	# The first frame too big for the path goes out with DF and is lost:
	# r's "fragmentation needed" teaches a the path MTU.  The next ones are
	# answered.
	ns_exec h6 ping -q -c 1 -W 1 -M do \
		-s $(($(ns_exec h6 cat /sys/class/net/eth0/mtu) - 48)) "fd00:$n::2" >/dev/null 2>&1
	check "$what: a learns the path MTU, 1400" wait_for 10 peer_path_mtu_is 1400
	learned=$(learned_mtu "$n" 1400)
	check "$what: h6's full-size ping is answered \"packet too big\"" \
		frag_needed_for h6 "fd00:$n::2" "$learned"
	check_eq "$what: h6's route to the far end learns the MTU" \
		"$learned" "$(route_mtu h6 "fd00:$n::2")"
	check "$what: pings of that size cross" \
		ns_exec h6 ping -q -c 3 -i 0.2 -W 2 -M do -s $((learned - 48)) "fd00:$n::2"
	stop_daemon a
	stop_daemon b
}

dir=$(mktemp -d)
cleanup_push "rm -rf $dir"

for c in "1 udp 4" "2 ip 4"; do
	set -- $c
	what="$(echo "$2" | tr a-z A-Z) encapsulation, IPv4 underlay"
	if ! pw_make "$@"; then
		not_ok "$what: pseudowire up"
		continue
	fi
	check "$what: the first full-size ping crosses the narrow hop" \
		first_big_ping_ok "$1"
	if [ "$2" = udp ]; then filter="udp dst port 4001"; else filter="proto 115"; fi
	wire_of_big_pings "$1" $filter
	check "$what: L2TP packets leave a without DF" wire_df NONE
	check "$what: a 1 MiB TCP transfer arrives intact" transfer_ok "$1"
done

for c in "3 udp 6" "4 ip 6"; do
	set -- $c
	what="$(echo "$2" | tr a-z A-Z) encapsulation, IPv6 underlay"
	if ! pw_make "$@"; then
		not_ok "$what: pseudowire up"
		continue
	fi
	wait_for 5 ping_ok a "192.168.$1.2" 1
	check "$what: after Packet Too Big, full-size pings cross" big_pings_ok "$1"
	check "$what: a 1 MiB TCP transfer arrives intact" transfer_ok "$1"
done

# --- beyond Linux: a tunnel whose socket asks for DF -------------------------
#
# ol2tpd or another daemon may set IP_MTU_DISCOVER "do" on its tunnel
# socket: ol2tp then keeps DF, and frames that do not fit the path are
# dropped and counted instead of fragmented.  Linux's l2tp ignores it.
if [ "$OL2TP_IMPL" = ol2tp ]; then
	prog_init "$dir"
	prog_start m5 a udp "$A4" 3005 "$B4" 4005 5 5 105 205 pm5
	if wait_for 10 prog_saw m5 "^ready" &&
	   ip -n "$(ns b)" l2tp add tunnel tunnel_id 5 peer_tunnel_id 5 encap udp \
		local "$B4" remote "$A4" udp_sport 4005 udp_dport 3005 &&
	   ip -n "$(ns b)" l2tp add session name pm5 tunnel_id 5 session_id 205 \
		peer_session_id 105 l2spec_type none; then
		ip -n "$(ns b)" link set pm5 mtu "$(ns_exec a cat /sys/class/net/pm5/mtu)"
		ip -n "$(ns a)" link set pm5 up
		ip -n "$(ns b)" link set pm5 up
		addr_add a pm5 192.168.5.1/24
		addr_add b pm5 192.168.5.2/24
		check "managed socket: a full-size ping crosses by default" \
			first_big_ping_ok 5
		prog_say m5 df
		check "managed socket: IP_MTU_DISCOVER \"do\" taken" \
			wait_for 10 prog_saw m5 "^df"
		err0=$(genl_session_stat a 5 105 tx_errors)
		wire_of_big_pings 5 udp dst port 4005
		check "managed socket, \"do\": its L2TP packets leave a with DF" \
			wire_df ALL
		check_fail "managed socket, \"do\": full-size pings no longer cross" \
			big_pings_ok 5
		check "managed socket, \"do\": a counts the frames it could not send" \
			test "$(genl_session_stat a 5 105 tx_errors)" -gt "$err0"
		check "managed socket, \"do\": small pings still cross" \
			ping_ok a 192.168.5.2 3
		learned=$(learned_mtu 5)
		check_eq "managed socket, \"do\": a's route over pm5 has the path MTU less the encapsulation" \
			"$learned" "$(route_mtu a 192.168.5.2)"
		check "managed socket, \"do\": pings of that size cross" \
			ns_exec a ping -q -c 3 -i 0.2 -W 2 -M do -s $((learned - 28)) 192.168.5.2
		check "managed socket, \"do\": a 1 MiB TCP transfer arrives intact" \
			transfer_ok 5
		bridge_pw5
		check "bridged, \"do\": h's full-size ping is answered \"fragmentation needed\"" \
			frag_needed_for h 192.168.5.2 "$learned"
		check_eq "bridged, \"do\": h's route to the far end learns the MTU" \
			"$learned" "$(route_mtu h 192.168.5.2)"
		check "bridged, \"do\": pings of that size cross" \
			ns_exec h ping -q -c 3 -i 0.2 -W 2 -M do -s $((learned - 28)) 192.168.5.2
	else
		not_ok "managed socket: tunnel up"
	fi

	# The same through ol2tpd, over IPv4 and IPv6, UDP and IP: path-mtu-discovery = yes
	# on the peer sets "do" on the control connection's socket, which the
	# tunnel uses.
	pmtud_case 4 6 udp
	pmtud_case 6 7 udp
	pmtud_case 4 8 ip
	bridged6_case 9
fi

tap_done
