#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink API of family "l2tp", driven by the l2tp-genl helper
# (selftests/l2tp-genl.c):
#
#  - NOOP answers anyone; every other command needs CAP_NET_ADMIN;
#  - create, modify and delete of tunnels and sessions are multicast to the
#    "l2tp" group, in order, with the object's ids;
#  - GET reports what was configured, plus a STATS nest;
#  - malformed requests (each required attribute missing, wrong attribute
#    sizes, out-of-range values, oversized IFNAME and cookies, bad FD,
#    unknown tunnel) are refused with an errno and change nothing (the
#    requests Linux answers unexpectedly, and their errnos: l2tp-abi.sh);
#  - defaults match Linux: an L2TPv3 session without L2SPEC_TYPE gets the
#    default 4-byte L2-specific sublayer.
#
#    ns a                          ns b
#  +----------------+  veth  +----------------+
#  | eth0 10.9.0.1  |--------| eth0 10.9.0.2  |
#  | tunnel 1 (UDP) |        |                |
#  |  session 10    |        |                |
#  +----------------+        +----------------+
#
# ol2tp-timeout: 120

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip setpriv
G=$OL2TP_TESTBIN/l2tp-genl
[ -x "$G" ] || skip_all "l2tp-genl is not built (make -C selftests bin)"

netns_add a b
veth_add a eth0 b eth0
addr_add a eth0 10.9.0.1/24
addr_add b eth0 10.9.0.2/24

genl() { ns_exec a "$G" "$@"; }

# Commands and attributes (include/uapi/linux/ol2tp.h).
TUNNEL_CREATE=1 TUNNEL_DELETE=2 TUNNEL_MODIFY=3 TUNNEL_GET=4
SESSION_CREATE=5 SESSION_DELETE=6 SESSION_MODIFY=7 SESSION_GET=8
# A valid unmanaged UDP tunnel create, attribute by attribute.
T_ID=u32:9=7 T_PEER=u32:10=8 T_VER=u8:7=3 T_ENCAP=u16:2=0
T_ADDR=(u32:24=0x0100090a u32:25=0x0200090a u16:26=1701 u16:27=1701)
# ... and a valid session create in tunnel 1.
S_TID=u32:9=1 S_ID=u32:11=99 S_PEER=u32:12=98 S_PW=u16:1=5

# --- privileges --------------------------------------------------------------
nobody() { ns_exec a setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$G" "$@"; }
check "NOOP is answered without privileges" nobody raw 0
check_fail "TUNNEL_GET needs CAP_NET_ADMIN" nobody raw --dump $TUNNEL_GET

# --- events ----------------------------------------------------------------
events=$(mktemp)
cleanup_push "rm -f $events"
genl listen 6 30 >"$events" 2>&1 &
listener=$!
cleanup_push "kill $listener"
wait_for 10 grep -q listening "$events"

ip -n "$(ns a)" l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap udp \
	local 10.9.0.1 remote 10.9.0.2 udp_sport 1701 udp_dport 1701
genl raw $TUNNEL_MODIFY u32:9=1 u32:17=5 >/dev/null
ip -n "$(ns a)" l2tp add session name l2tp-g0 tunnel_id 1 session_id 10 \
	peer_session_id 20
genl raw $SESSION_MODIFY u32:9=1 u32:11=10 u8:19=1 >/dev/null
ip -n "$(ns a)" l2tp del session tunnel_id 1 session_id 10
ip -n "$(ns a)" l2tp del tunnel tunnel_id 1
wait "$listener"
check_eq "the listener saw all six events" 0 "$?"
expected="TUNNEL_CREATE conn_id=1
TUNNEL_MODIFY conn_id=1
SESSION_CREATE conn_id=1 session_id=10
SESSION_MODIFY conn_id=1 session_id=10
SESSION_DELETE conn_id=1 session_id=10
TUNNEL_DELETE conn_id=1"
check_eq "events are create/modify/delete, in order, with ids" \
	"$expected" "$(grep -v listening "$events")"

# --- GET -------------------------------------------------------------------
ip -n "$(ns a)" l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap udp \
	local 10.9.0.1 remote 10.9.0.2 udp_sport 1701 udp_dport 1702
ip -n "$(ns a)" l2tp add session name l2tp-g1 tunnel_id 1 session_id 10 \
	peer_session_id 20 cookie 01020304 peer_cookie 0a0b0c0d0e0f0102
tget=$(genl get tunnel 1)
sget=$(genl get session 1 10)
check "tunnel GET reports CONN_ID" grep -qx "CONN_ID 1" <<<"$tget"
check "tunnel GET reports PEER_CONN_ID" grep -qx "PEER_CONN_ID 2" <<<"$tget"
check "tunnel GET reports PROTO_VERSION" grep -qx "PROTO_VERSION 3" <<<"$tget"
check "tunnel GET reports IP_SADDR" grep -qx "IP_SADDR 10.9.0.1" <<<"$tget"
check "tunnel GET reports IP_DADDR" grep -qx "IP_DADDR 10.9.0.2" <<<"$tget"
check "tunnel GET reports UDP_DPORT" grep -qx "UDP_DPORT 1702" <<<"$tget"
check "tunnel GET has STATS" grep -qx "rx_packets 0" <<<"$(genl stats tunnel 1)"
check "session GET reports PEER_SESSION_ID" grep -qx "PEER_SESSION_ID 20" <<<"$sget"
check "session GET reports PW_TYPE" grep -qx "PW_TYPE 5" <<<"$sget"
check "session GET reports IFNAME" grep -qx "IFNAME l2tp-g1" <<<"$sget"
check "session GET reports COOKIE" grep -qx "COOKIE 01020304" <<<"$sget"
check "session GET reports PEER_COOKIE" \
	grep -qx "PEER_COOKIE 0a0b0c0d0e0f0102" <<<"$sget"
check "session GET has STATS" grep -qx "tx_packets 0" <<<"$(genl stats session 1 10)"
check_fail "GET of a missing tunnel is refused" genl get tunnel 4242
check_fail "GET of a missing session is refused" genl get session 1 4242

# --- malformed requests ------------------------------------------------------
before_t=$(genl get tunnel 1)
before_s=$(genl get session 1 10)

refused() { check_fail "refused: $1" genl raw "${@:2}"; }

refused "TUNNEL_CREATE without CONN_ID" $TUNNEL_CREATE $T_PEER $T_VER $T_ENCAP "${T_ADDR[@]}"
refused "TUNNEL_CREATE without PEER_CONN_ID" $TUNNEL_CREATE $T_ID $T_VER $T_ENCAP "${T_ADDR[@]}"
refused "TUNNEL_CREATE without PROTO_VERSION" $TUNNEL_CREATE $T_ID $T_PEER $T_ENCAP "${T_ADDR[@]}"
refused "TUNNEL_CREATE without ENCAP_TYPE" $TUNNEL_CREATE $T_ID $T_PEER $T_VER "${T_ADDR[@]}"
refused "TUNNEL_CREATE without addresses or FD" $TUNNEL_CREATE $T_ID $T_PEER $T_VER $T_ENCAP
refused "TUNNEL_CREATE with ENCAP_TYPE 9" $TUNNEL_CREATE $T_ID $T_PEER $T_VER u16:2=9 "${T_ADDR[@]}"
refused "TUNNEL_CREATE with a 1-byte CONN_ID" $TUNNEL_CREATE u8:9=7 $T_PEER $T_VER $T_ENCAP "${T_ADDR[@]}"
refused "TUNNEL_CREATE with a 4-byte IP6_SADDR" $TUNNEL_CREATE $T_ID $T_PEER $T_VER $T_ENCAP \
	bin:31=fd000001 bin:32=fd000000000000000000000000000002 u16:26=1701 u16:27=1701
refused "TUNNEL_CREATE with an FD that is not open" $TUNNEL_CREATE $T_ID $T_PEER $T_VER $T_ENCAP u32:23=999
refused "TUNNEL_CREATE with an FD that is not a socket" $TUNNEL_CREATE $T_ID $T_PEER $T_VER $T_ENCAP u32:23=0
refused "TUNNEL_CREATE with the CONN_ID of a live tunnel" $TUNNEL_CREATE u32:9=1 $T_PEER $T_VER $T_ENCAP \
	u32:24=0x0100090a u32:25=0x0200090a u16:26=1703 u16:27=1701
refused "TUNNEL_DELETE without CONN_ID" $TUNNEL_DELETE
refused "TUNNEL_DELETE of a missing tunnel" $TUNNEL_DELETE u32:9=4242
refused "TUNNEL_MODIFY of a missing tunnel" $TUNNEL_MODIFY u32:9=4242 u32:17=1
refused "SESSION_CREATE without CONN_ID" $SESSION_CREATE $S_ID $S_PEER $S_PW
refused "SESSION_CREATE without SESSION_ID" $SESSION_CREATE $S_TID $S_PEER $S_PW
refused "SESSION_CREATE without PEER_SESSION_ID" $SESSION_CREATE $S_TID $S_ID $S_PW
refused "SESSION_CREATE without PW_TYPE" $SESSION_CREATE $S_TID $S_ID $S_PEER
refused "SESSION_CREATE in a missing tunnel" $SESSION_CREATE u32:9=4242 $S_ID $S_PEER $S_PW
refused "SESSION_CREATE with PW_TYPE 99" $SESSION_CREATE $S_TID $S_ID $S_PEER u16:1=99
refused "SESSION_CREATE with L2SPEC_TYPE 7" $SESSION_CREATE $S_TID $S_ID $S_PEER $S_PW u8:5=7
refused "SESSION_CREATE with a 9-byte COOKIE" $SESSION_CREATE $S_TID $S_ID $S_PEER $S_PW \
	bin:15=010203040506070809
refused "SESSION_CREATE with a 20-character IFNAME" $SESSION_CREATE $S_TID $S_ID $S_PEER $S_PW \
	str:8=abcdefghijklmnopqrst
refused "SESSION_CREATE with the IFNAME of an existing netdev" $SESSION_CREATE $S_TID $S_ID $S_PEER \
	$S_PW str:8=eth0
refused "SESSION_DELETE without SESSION_ID" $SESSION_DELETE $S_TID
refused "SESSION_DELETE of a missing session" $SESSION_DELETE $S_TID u32:11=4242
refused "SESSION_MODIFY of a missing session" $SESSION_MODIFY $S_TID u32:11=4242 u8:19=1
refused "SESSION_GET without ids" $SESSION_GET

if [ "$OL2TP_IMPL" = ol2tp ]; then
	# Debian's net/l2tp validates leniently: these pass there (6.12's
	# even takes a second session with a live SESSION_ID in one tunnel).
	refused "SESSION_CREATE with the SESSION_ID of a live session" $SESSION_CREATE $S_TID u32:11=10 \
		$S_PEER $S_PW
	refused "TUNNEL_CREATE with an unknown attribute" $TUNNEL_CREATE $T_ID $T_PEER $T_VER $T_ENCAP \
		"${T_ADDR[@]}" u32:200=1
	refused "TUNNEL_CREATE with a 2-byte PROTO_VERSION" $TUNNEL_CREATE $T_ID $T_PEER u16:7=3 $T_ENCAP \
		"${T_ADDR[@]}"
	out=$(genl raw $TUNNEL_CREATE $T_PEER $T_VER $T_ENCAP "${T_ADDR[@]}")
	check_eq "a refusal carries an extack message" \
		"error 22: CONN_ID is required" "$out"
fi

check_eq "refused requests left the tunnel unchanged" "$before_t" "$(genl get tunnel 1)"
check_eq "refused requests left the session unchanged" "$before_s" "$(genl get session 1 10)"
check_eq "refused requests created no tunnel" 1 "$(genl count tunnels)"
check_eq "refused requests created no session" 1 "$(genl count sessions)"

# --- defaults ----------------------------------------------------------------
# An L2TPv3 session created without L2SPEC_TYPE gets the default 4-byte
# L2-specific sublayer, as in Linux: clients that leave the attribute out
# rely on that framing.  Linux's GET does not report the type, so compare
# what the sublayer costs: the pseudowire netdev's MTU.
mtu() { ns_exec a cat "/sys/class/net/$1/mtu"; }
genl raw $SESSION_CREATE $S_TID u32:11=101 u32:12=101 $S_PW str:8=l2tp-dn u8:5=0 >/dev/null
genl raw $SESSION_CREATE $S_TID u32:11=102 u32:12=102 $S_PW str:8=l2tp-dd u8:5=1 >/dev/null
genl raw $SESSION_CREATE $S_TID u32:11=103 u32:12=103 $S_PW str:8=l2tp-dx >/dev/null
mtus="$(mtu l2tp-dn) $(mtu l2tp-dd) $(mtu l2tp-dx)"
read -r mtu_none mtu_default mtu_absent <<<"$mtus"
diag "MTU with sublayer none, default, attribute absent: $mtus"
check_eq "no L2SPEC_TYPE: the default sublayer (same MTU as L2SPEC_TYPE 1)" \
	"$mtu_default" "$mtu_absent"
check_eq "L2SPEC_TYPE 0 leaves the sublayer's 4 bytes to the MTU" \
	"$((mtu_default + 4))" "$mtu_none"

tap_done
