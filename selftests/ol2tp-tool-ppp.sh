#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tp with PPP pseudowires: "pw ppp" sessions in an L2TPv2 and an
# L2TPv3 tunnel are added with their sequencing, LNS mode and reorder
# timeout, reported by "show -j" (parsed with Python) without a network
# device, modified, and deleted.  Needs a PPP pseudowire module:
# ol2tp_ppp.ko with ol2tp, l2tp_ppp with Linux's l2tp.
#
#   netns a
#  +-------------------------------------------------------------+
#  | lo 127.0.0.1                                                |
#  |  tunnel 2 (v2, udp4) -- session 22 (pw ppp, lns_mode on)    |
#  |  tunnel 3 (v3, ip4)  -- session 33 (pw ppp)                 |
#  +-------------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ol2tp python3

if [ "$OL2TP_IMPL" = ol2tp ]; then
	[ -d /sys/module/ol2tp_ppp ] || skip_all "ol2tp_ppp.ko is not loaded"
else
	[ -d /sys/module/l2tp_ppp ] || skip_all "l2tp_ppp is not loaded"
fi

netns_add a || skip_all "cannot create a network namespace"
NS=$(ns a)
L2="ol2tp -n $NS"

# get TUNNEL SESSION KEY: one key of the session's JSON object
get()
{
	$L2 -j session show tunnel_id "$1" session_id "$2" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
v = d[0].get(sys.argv[1], "<absent>")
print(v if isinstance(v, str) else json.dumps(v))' "$3"
}

check "add an L2TPv2 tunnel" $L2 tunnel add tunnel_id 2 peer_tunnel_id 20 \
	version 2 local 127.0.0.1 remote 127.0.0.1 udp_sport 1702 udp_dport 1720
check "add a PPP session in it" $L2 session add tunnel_id 2 session_id 22 \
	peer_session_id 220 pw ppp seq both lns_mode on reorder_timeout 200
check_eq "v2 ppp: pw" ppp "$(get 2 22 pw)"
check_eq "v2 ppp: peer_session_id" 220 "$(get 2 22 peer_session_id)"
check_eq "v2 ppp: peer_tunnel_id" 20 "$(get 2 22 peer_tunnel_id)"
check_eq "v2 ppp: seq both" both "$(get 2 22 seq)"
check_eq "v2 ppp: lns_mode on" true "$(get 2 22 lns_mode)"
check_eq "v2 ppp: reorder_timeout" 200 "$(get 2 22 reorder_timeout)"
check_eq "v2 ppp: no network device" "<absent>" "$(get 2 22 name)"

check "modify lns_mode, seq, reorder_timeout" $L2 session modify \
	tunnel_id 2 session_id 22 lns_mode off seq none reorder_timeout 100
check_eq "modified: lns_mode off" false "$(get 2 22 lns_mode)"
check_eq "modified: seq none" none "$(get 2 22 seq)"
check_eq "modified: reorder_timeout" 100 "$(get 2 22 reorder_timeout)"
check_fail "mtu on a PPP session is refused (no netdev)" $L2 session modify \
	tunnel_id 2 session_id 22 mtu 1400

check "add an L2TPv3 IP tunnel" $L2 tunnel add tunnel_id 3 \
	peer_tunnel_id 30 encap ip local 127.0.0.1 remote 127.0.0.1
check "add a PPP session in it" $L2 session add tunnel_id 3 session_id 33 \
	peer_session_id 330 pw ppp cookie 01020304
check_eq "v3 ppp: pw" ppp "$(get 3 33 pw)"
check_eq "v3 ppp: cookie" 01020304 "$(get 3 33 cookie)"

check "del the v2 session" $L2 session del tunnel_id 2 session_id 22
check_fail "it is gone" $L2 session show tunnel_id 2 session_id 22
check "del the v3 tunnel" $L2 tunnel del tunnel_id 3
check_fail "its session is gone" $L2 session show tunnel_id 3 session_id 33
tap_done
