#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PPP pseudowires set up by ol2tpd, pppd running over the kernel's
# PPPoL2TP sockets:
#
#   v2      ol2tpd (LAC) <-> ol2tpd (LNS), L2TPv2 with Challenge
#   v3      ol2tpd <-> ol2tpd, L2TPv3 PPP pseudowire with MD5 digest
#   v2-udp6 ol2tpd (LAC) <-> ol2tpd (LNS), L2TPv2 over UDP/IPv6
#   v3-udp6 ol2tpd <-> ol2tpd, L2TPv3 PPP pseudowire over UDP/IPv6
#   v3-ip6  ol2tpd <-> ol2tpd, L2TPv3 PPP pseudowire over IP/IPv6 (proto 115)
#   lns     xl2tpd (LAC) <-> ol2tpd (LNS)          interop, L2TPv2
#   lac     ol2tpd (LAC) <-> xl2tpd (LNS)          interop, L2TPv2
#
# For each: the PPP link comes up (ppp interface with the addresses the LNS
# hands out), a ping crosses it, and when ol2tpd stops nothing is left in
# the kernel.
#
#    ns a (LAC)                  ns r                  ns b (LNS)
#  +----------------+  veth  +-----------+  veth  +----------------+
#  | ol2tpd|xl2tpd  |--------| ra     rb |--------| ol2tpd|xl2tpd  |
#  | pppd  10.1.1.1 |        |  router   |        | pppd  10.1.2.1 |
#  |      fd00:1::1 |        |           |        |      fd00:2::1 |
#  | pppN 10.9.N.2  ==== L2TP / UDP 1701 or IP === 10.9.N.1         |
#  +----------------+        +-----------+        +----------------+
#
# ol2tp-timeout: 400

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping pppd python3
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
modprobe -q ppp_generic 2>/dev/null
if [ ! -d /sys/module/l2tp_ppp ] && [ ! -d /sys/module/ol2tp_ppp ]; then
	skip_all "no PPPoL2TP in this kernel (ol2tp_ppp.ko or l2tp_ppp)"
fi
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-ppp.XXXXXX)
cleanup_push "rm -rf $dir"

# conf NS LOCAL PEER VERSION INITIATE LNS PPPD_OPTIONS EXTRA...
# (LISTEN_IP=yes: listen on IP protocol 115 too)
conf()
{
	local n=$1 local=$2 peer=$3 ver=$4 init=$5 lns=$6 opts=$7
	shift 7
	ol2tpd_conf "$n" "$local${LISTEN_IP:+, ip}" "$peer" \
		"version = $ver" "initiate = $init" "reconnect = 2" "$@" "" \
		"[pseudowire ppp]" "peer = other" "type = ppp" \
		"remote-end-id = ppp-1" "initiate = $init" "lns = $lns" \
		"pppd-options = \"$opts\""
}

stop()		# stop NS: stop_daemon, its logs kept in all.log
{
	stop_daemon "$1"
	for f in "$dir/$1.log" "$dir/x$1.log"; do
		[ -f "$f" ] && sed "s/^/$CASE $(basename "$f"): /" "$f" >> "$dir/all.log"
	done
	rm -f "$dir/$1.log" "$dir/x$1.log"
}

ppp_up()	# ppp_up NS LOCAL_ADDR: a ppp interface with that address
{
	ip -n "$(ns "$1")" -4 addr show | grep -q "inet $2 peer"
}

no_kernel_objects()
{
	[ -z "$(ip -n "$(ns "$1")" l2tp show tunnel)" ]
}

tunnel_is()	# tunnel_is NS ENCAP FAMILY: the one kernel tunnel's encap/family
{
	ol2tp -n "$(ns "$1")" -j tunnel show | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert len(t) == 1, t
t = t[0]
assert t["encap"] == sys.argv[1], t
assert (":" in t["remote"]) == (sys.argv[2] == "6"), t' "$2" "$3"
}

LNS_OPTS="noauth nodefaultroute noipdefault lcp-echo-interval 0"
LAC_OPTS="noauth nodefaultroute noipdefault lcp-echo-interval 0"

# ol2tpd on both sides, over IPv4 unless LA/LB name other addresses.
case_ol2tpd()	# case_ol2tpd NAME N VERSION EXTRA...
{
	local n=$2 ver=$3 la=${LA:-$A4} lb=${LB:-$B4}
	CASE=$1
	shift 3
	conf a "$la" "$lb" "$ver" yes no "$LAC_OPTS" "$@"
	conf b "$lb" "$la" "$ver" no yes \
		"$LNS_OPTS 10.9.$n.1:10.9.$n.2" "$@"
	start_ol2tpd b
	start_ol2tpd a
	check "$CASE: PPP up in the LAC (10.9.$n.2)" wait_for 40 ppp_up a "10.9.$n.2"
	check "$CASE: PPP up in the LNS (10.9.$n.1)" wait_for 10 ppp_up b "10.9.$n.1"
	check "$CASE: ping across PPP" ping_ok a "10.9.$n.1"
	check "$CASE: the kernel tunnel is ${ENCAP_WANT:-udp} over IPv${FAMILY_WANT:-4}" \
		tunnel_is a "${ENCAP_WANT:-udp}" "${FAMILY_WANT:-4}"
	stop a
	stop b
	check_eq "$CASE: ol2tpd (LAC) stops cleanly" 0 "$rc_a"
	check_eq "$CASE: ol2tpd (LNS) stops cleanly" 0 "$rc_b"
	check "$CASE: no kernel tunnel left in the LAC" no_kernel_objects a
	check "$CASE: no kernel tunnel left in the LNS" no_kernel_objects b
	check_fail "$CASE: pppd gone with its session" \
		wait_for 10 ppp_up a "10.9.$n.2"
}

case_ol2tpd v2 11 2 'secret = v2secret' 'challenge = yes'
case_ol2tpd v3 12 3 'secret = v3secret' 'digest = md5'
LA=$A6 LB=$B6 FAMILY_WANT=6 case_ol2tpd v2-udp6 15 2 'secret = v2secret'
LA=$A6 LB=$B6 FAMILY_WANT=6 case_ol2tpd v3-udp6 16 3
LA=$A6 LB=$B6 FAMILY_WANT=6 LISTEN_IP=yes ENCAP_WANT=ip \
	case_ol2tpd v3-ip6 17 3 'encap = ip'

if command -v xl2tpd >/dev/null; then
	# xl2tpd LAC -> ol2tpd LNS
	CASE=lns
	conf b "$B4" "$A4" 2 no yes "$LNS_OPTS 10.9.13.1:10.9.13.2"
	printf '%s\n' noauth nodefaultroute noipdefault "lcp-echo-interval 0" \
		> "$dir/xa.ppp"
	xl2tpd_lac_conf a "$A4" "$B4" "$dir/xa.ppp"
	start_ol2tpd b
	start_xl2tpd a
	check "lns: xl2tpd LAC gets PPP up (10.9.13.2)" wait_for 40 ppp_up a 10.9.13.2
	check "lns: ping across PPP" ping_ok a 10.9.13.1
	check "lns: ol2tpd sees the xl2tpd peer" grep -q "established (L2TPv2" "$dir/b.log"
	stop b
	stop a
	check_eq "lns: ol2tpd stops cleanly" 0 "$rc_b"
	check "lns: no kernel tunnel left in ol2tpd's namespace" no_kernel_objects b

	# ol2tpd LAC -> xl2tpd LNS
	CASE=lac
	conf a "$A4" "$B4" 2 yes no "$LAC_OPTS"
	printf '%s\n' noauth nodefaultroute "lcp-echo-interval 0" > "$dir/xb.ppp"
	cat > "$dir/xb.conf" <<EOC
[global]
listen-addr = $B4
port = 1701
[lns default]
ip range = 10.9.14.2-10.9.14.9
local ip = 10.9.14.1
require authentication = no
pppoptfile = $dir/xb.ppp
length bit = yes
EOC
	start_xl2tpd b
	sleep 1
	start_ol2tpd a
	check "lac: ol2tpd LAC gets PPP up from xl2tpd (10.9.14.2)" \
		wait_for 40 ppp_up a 10.9.14.2
	check "lac: ping across PPP" ping_ok a 10.9.14.1
	stop a
	stop b
	check_eq "lac: ol2tpd stops cleanly" 0 "$rc_a"
	check "lac: no kernel tunnel left in ol2tpd's namespace" no_kernel_objects a
else
	skip "interop with xl2tpd" "xl2tpd not installed"
fi

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/all.log"
tap_done
