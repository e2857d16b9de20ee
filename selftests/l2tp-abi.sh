#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ABI fidelity with Linux's "l2tp" generic netlink family (issue #18): each
# request below gets the answer Linux gives (errno, and what exists
# afterwards), or the answer Documentation/netlink.rst lists as a deliberate
# difference.  A difference is checked both ways: ol2tp's answer with our
# modules, Linux's with Debian's (make check-intree), so the list stays true.
#
#  - FD of a bound, unconnected UDP socket (IPv4, IPv6): a tunnel; data is
#    received from the peer at once, sent (tx_errors until then) once the
#    socket is connected; FD of an ESP-in-UDP socket (deviation: EBUSY);
#  - FD 0xffffffff: no FD (deviation: addresses used, required);
#  - tunnel id 0, L2TPv2 tunnel id 70000, session id 0 (deviation: EINVAL);
#  - 3-byte cookies, STATS in a MODIFY: taken;
#  - PROTO_VERSION 4 (deviation: EINVAL), ENCAP_TYPE 7: EINVAL; a 6-byte
#    IP6_SADDR: EADDRNOTAVAIL (IP6_DADDR too: deviation, not checked
#    in-tree, where the answer depends on the bytes after the attribute);
#  - CONN_ID as u8: ERANGE; PW_TYPE 99: EINVAL, 4 (no module): EPROTONOSUPPORT;
#  - a data packet for an unknown session, over UDP and IP, IPv4 and IPv6,
#    L2TPv3 and L2TPv2: counted in its tunnel's rx_errors (deviation: Linux
#    counts it nowhere); over IP also when the tunnel's socket was connected
#    to another peer address after the tunnel was made (ol2tp finds the
#    tunnel by its socket's addresses, and connect() changes them).
#
#    ns a (implementation under test)        ns b (peer)
#  +-----------------------------------+  veth  +---------------------+
#  | eth0 10.9.0.1 fd00::1             |--------| eth0 10.9.0.2       |
#  | tunnels 1..6: UDP/IP, v4/v6, v3/v2 |        |      fd00::2        |
#  | tunnel 30 on an unconnected socket |        | tunnel 40 (udp 4100)|
#  |   (l2tp-genl managed), ab0        |        |   ab0               |
#  |   192.168.40.1                    |        |   192.168.40.2      |
#  +-----------------------------------+        +---------------------+
#
# ol2tp-timeout: 180

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping python3 mkfifo
G=$OL2TP_TESTBIN/l2tp-genl
[ -x "$G" ] || skip_all "l2tp-genl is not built (make -C selftests bin)"

netns_add a b
veth_add a eth0 b eth0
addr_add a eth0 10.9.0.1/24
addr_add b eth0 10.9.0.2/24
ns_exec a ip addr add fd00::1/64 dev eth0 nodad
ns_exec b ip addr add fd00::2/64 dev eth0 nodad

tmp=$(mktemp -d)
cleanup_push "rm -rf $tmp"

genl() { ns_exec a "$G" "$@"; }

# answer CMD ATTR...: "ok" or "errno N" for a raw request in ns a.
answer() { genl raw "$@" | sed -n 's/^error \([0-9]*\):.*/errno \1/p; s/^ok$/ok/p'; }
# fd_answer KIND TID: the same for TUNNEL_CREATE on a socket of KIND.
fd_answer() { genl fdcheck "$@" | sed -n 's/^error \([0-9]*\):.*/errno \1/p; s/^ok$/ok/p'; }
# linux_or_ours OURS LINUX: the answer the loaded implementation must give
# where ol2tp deliberately differs (Documentation/netlink.rst).
linux_or_ours() { if [ "$OL2TP_IMPL" = ol2tp ]; then echo "$1"; else echo "$2"; fi; }
dev() { [ "$OL2TP_IMPL" = ol2tp ] && echo "(ol2tp's documented answer)" ||
	echo "(Linux's answer, which ol2tp documents as different)"; }
tunnel_exists() { genl get tunnel "$1" >/dev/null 2>&1; }
tunnel_gone() { ! tunnel_exists "$1"; }
tunnel_count() { genl count tunnels; }

EINVAL="errno 22" ERANGE="errno 34" EBUSY="errno 16"
EADDRNOTAVAIL="errno 99" EPROTONOSUPPORT="errno 93"
TUNNEL_CREATE=1 TUNNEL_MODIFY=3 SESSION_CREATE=5 SESSION_MODIFY=7
# A tunnel create, attribute by attribute; each request uses its own port.
PEER=u32:10=1 V3=u8:7=3 V2=u8:7=2 UDP=u16:2=0
v4addr() { echo u32:24=0x0100090a u32:25=0x0200090a u16:26="$1" u16:27=1701; }
A6=fd000000000000000000000000000001 B6=fd000000000000000000000000000002

# --- FD ----------------------------------------------------------------------
check_eq "FD of an unconnected UDP socket makes a tunnel" ok "$(fd_answer unconnected 50)"
check_eq "FD of an unconnected UDP/IPv6 socket makes a tunnel" ok "$(fd_answer unconnected6 51)"
check_eq "FD of an ESP-in-UDP socket $(dev)" "$(linux_or_ours "$EBUSY" ok)" \
	"$(fd_answer esp 52)"

check_eq "FD 0xffffffff with addresses makes a tunnel" ok \
	"$(answer $TUNNEL_CREATE u32:9=60 $PEER $V3 $UDP u32:23=0xffffffff $(v4addr 1801))"
check_eq "... an unmanaged one, on the given addresses $(dev)" \
	"$(linux_or_ours "IP_SADDR 10.9.0.1" "IP_SADDR 0.0.0.0")" \
	"$(genl get tunnel 60 | grep IP_SADDR)"
check_eq "FD 0xffffffff without addresses $(dev)" "$(linux_or_ours "$EINVAL" ok)" \
	"$(answer $TUNNEL_CREATE u32:9=61 $PEER $V3 $UDP u32:23=0xffffffff)"

# --- ids, cookies, STATS ---------------------------------------------------------
# The FD tunnels above went with their sockets; Linux deletes them from a
# work queue.
for t in 50 51 52; do
	wait_for 10 tunnel_gone $t
done
n=$(tunnel_count)
check_eq "tunnel id 0 $(dev)" "$(linux_or_ours "$EINVAL" ok)" \
	"$(answer $TUNNEL_CREATE u32:9=0 $PEER $V3 $UDP $(v4addr 1802))"
check_eq "L2TPv2 tunnel id 70000 $(dev)" "$(linux_or_ours "$EINVAL" ok)" \
	"$(answer $TUNNEL_CREATE u32:9=70000 $PEER $V2 $UDP $(v4addr 1803))"
check_eq "... and what exists afterwards" \
	"$(linux_or_ours "$n" "$((n + 2))")" "$(tunnel_count)"

answer $TUNNEL_CREATE u32:9=63 $PEER $V3 $UDP $(v4addr 1804) >/dev/null
check_eq "session id 0 $(dev)" "$(linux_or_ours "$EINVAL" ok)" \
	"$(answer $SESSION_CREATE u32:9=63 u32:11=0 u32:12=5 u16:1=5)"
check_eq "a 3-byte COOKIE is taken" ok \
	"$(answer $SESSION_CREATE u32:9=63 u32:11=7 u32:12=5 u16:1=5 bin:15=010203)"
check "... and reported" grep -qx "COOKIE 010203" <<<"$(genl get session 63 7)"
check_eq "a 3-byte PEER_COOKIE is taken" ok \
	"$(answer $SESSION_CREATE u32:9=63 u32:11=8 u32:12=5 u16:1=5 bin:16=a1b2c3)"
check "... and reported" grep -qx "PEER_COOKIE a1b2c3" <<<"$(genl get session 63 8)"
check_eq "a 9-byte COOKIE is refused" "$ERANGE" \
	"$(answer $SESSION_CREATE u32:9=63 u32:11=9 u32:12=5 u16:1=5 bin:15=010203040506070809)"
check_eq "STATS in a SESSION_MODIFY is taken" ok \
	"$(answer $SESSION_MODIFY u32:9=63 u32:11=7 nest:30)"
check_eq "STATS in a TUNNEL_MODIFY is taken" ok "$(answer $TUNNEL_MODIFY u32:9=63 nest:30)"

# --- values out of range ---------------------------------------------------------
n=$(tunnel_count)
check_eq "PROTO_VERSION 4 $(dev)" "$(linux_or_ours "$EINVAL" ok)" \
	"$(answer $TUNNEL_CREATE u32:9=64 $PEER u8:7=4 $UDP $(v4addr 1805))"
check_eq "ENCAP_TYPE 7 is EINVAL" "$EINVAL" \
	"$(answer $TUNNEL_CREATE u32:9=65 $PEER $V3 u16:2=7 $(v4addr 1806))"
check_eq "a 6-byte IP6_SADDR is EADDRNOTAVAIL" "$EADDRNOTAVAIL" \
	"$(answer $TUNNEL_CREATE u32:9=66 $PEER $V3 $UDP bin:31=fd0000000001 bin:32=$B6 \
		u16:26=1807 u16:27=1701)"
if [ "$OL2TP_IMPL" = ol2tp ]; then
	check_eq "a 6-byte IP6_DADDR is EADDRNOTAVAIL (documented: Linux differs)" \
		"$EADDRNOTAVAIL" \
		"$(answer $TUNNEL_CREATE u32:9=67 $PEER $V3 $UDP bin:31=$A6 \
			bin:32=fd0000000002 u16:26=1808 u16:27=1701)"
else
	skip "a 6-byte IP6_DADDR" \
		"Linux reads the address past the attribute: its answer depends on what follows"
fi
check_eq "a 17-byte IP6_SADDR is ERANGE" "$ERANGE" \
	"$(answer $TUNNEL_CREATE u32:9=68 $PEER $V3 $UDP bin:31=${A6}01 bin:32=$B6 \
		u16:26=1809 u16:27=1701)"
check_eq "CONN_ID as u8 is ERANGE" "$ERANGE" \
	"$(answer $TUNNEL_CREATE u8:9=69 $PEER $V3 $UDP $(v4addr 1810))"
check_eq "... and what exists afterwards" \
	"$(linux_or_ours "$n" "$((n + 1))")" "$(tunnel_count)"
check_eq "PW_TYPE 99 is EINVAL" "$EINVAL" \
	"$(answer $SESSION_CREATE u32:9=63 u32:11=10 u32:12=5 u16:1=99)"
check_eq "PW_TYPE 4, defined but without a pseudowire, is EPROTONOSUPPORT" \
	"$EPROTONOSUPPORT" "$(answer $SESSION_CREATE u32:9=63 u32:11=11 u32:12=5 u16:1=4)"
check_eq "L2SPEC_TYPE 2 is EINVAL" "$EINVAL" \
	"$(answer $SESSION_CREATE u32:9=63 u32:11=12 u32:12=5 u16:1=5 u8:5=2)"
check_eq "refused sessions were not created" "" \
	"$(for s in 9 10 11 12; do genl get session 63 $s 2>/dev/null; done)"

# --- data on a tunnel whose socket is not connected ---------------------------------
prog_init "$tmp"
prog_start m a udp-unconnected 10.9.0.1 4000 10.9.0.2 4100 30 40 6030 6040 ab0
if ! check "a tunnel and session on an unconnected UDP socket" wait_for 10 prog_saw m ready; then
	diag "$(cat "$tmp/m.out")"
	tap_done
fi
ns_exec b ip l2tp add tunnel tunnel_id 40 peer_tunnel_id 30 encap udp \
	local 10.9.0.2 remote 10.9.0.1 udp_sport 4100 udp_dport 4000
ns_exec b ip l2tp add session name ab0 tunnel_id 40 session_id 6040 \
	peer_session_id 6030 l2spec_type none
for n in a b; do
	ns_exec $n ip link set ab0 up
done
addr_add a ab0 192.168.40.1/24
addr_add b ab0 192.168.40.2/24
stat_a() { genl_session_stat a 30 6030 "$1"; }
ns_exec b ping -q -c 3 -i 0.2 -W 1 192.168.40.1 >/dev/null 2>&1
check_ge "unconnected: the peer's data is received" 3 "$(stat_a rx_packets)"
check_eq "unconnected: nothing is sent" 0 "$(stat_a tx_packets)"
check_ge "unconnected: what would be sent counts as tx_errors" 3 "$(stat_a tx_errors)"
prog_say m connect
check "the program connects its socket" wait_for 10 prog_saw m connected
# b's ARP for a went unanswered above: give its neighbour entry a few
# seconds to resolve again.
check "connected later: data flows both ways" wait_for 10 ping_ok a 192.168.40.2 1
check_ge "connected later: data is sent" 1 "$(stat_a tx_packets)"
prog_say m quit

# --- unknown sessions --------------------------------------------------------------
# Tunnels 1-6 in ns a, one per encapsulation; b sends each three data
# packets for session 0xbeef, which none has.
ns_exec a ip l2tp add tunnel tunnel_id 1 peer_tunnel_id 1 encap udp \
	local 10.9.0.1 remote 10.9.0.2 udp_sport 1701 udp_dport 1701
ns_exec a ip l2tp add tunnel tunnel_id 2 peer_tunnel_id 2 encap udp \
	local fd00::1 remote fd00::2 udp_sport 1702 udp_dport 1702
ns_exec a ip l2tp add tunnel tunnel_id 3 peer_tunnel_id 3 encap ip \
	local 10.9.0.1 remote 10.9.0.2
ns_exec a ip l2tp add tunnel tunnel_id 4 peer_tunnel_id 4 encap ip \
	local fd00::1 remote fd00::2
answer $TUNNEL_CREATE u32:9=5 u32:10=5 $V2 $UDP u32:24=0x0100090a u32:25=0x0200090a \
	u16:26=1705 u16:27=1705 >/dev/null
answer $TUNNEL_CREATE u32:9=6 u32:10=6 $V2 $UDP bin:31=$A6 bin:32=$B6 \
	u16:26=1706 u16:27=1706 >/dev/null
for t in 1 2 3 4; do
	ns_exec a ip l2tp add session tunnel_id $t session_id $((t * 10)) \
		peer_session_id $((t * 10))
done
ns_exec b python3 - <<'EOF'
import socket, struct

PAYLOAD = bytes(60)
V3_UDP = struct.pack('!HHI', 3, 0, 0xbeef)
V3_IP = struct.pack('!I', 0xbeef)

def udp(fam, src, dst, port, hdr):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, port))
    s.sendto(hdr + PAYLOAD, (dst, port))
    s.close()

def ip(fam, dst, hdr):
    s = socket.socket(fam, socket.SOCK_RAW, 115)
    s.sendto(hdr + PAYLOAD, (dst, 0))
    s.close()

for i in range(3):
    udp(socket.AF_INET, '10.9.0.2', '10.9.0.1', 1701, V3_UDP)
    udp(socket.AF_INET6, 'fd00::2', 'fd00::1', 1702, V3_UDP)
    ip(socket.AF_INET, '10.9.0.1', V3_IP)
    ip(socket.AF_INET6, 'fd00::1', V3_IP)
    udp(socket.AF_INET, '10.9.0.2', '10.9.0.1', 1705, struct.pack('!HHH', 2, 5, 0xbeef))
    udp(socket.AF_INET6, 'fd00::2', 'fd00::1', 1706, struct.pack('!HHH', 2, 6, 0xbeef))
EOF
rx_errors() { genl stats tunnel "$1" | awk '$1 == "rx_errors" { print $2 }'; }
want=$(linux_or_ours 3 0)
sleep 0.5
check_eq "unknown session, L2TPv3 over UDP/IPv4: tunnel rx_errors $(dev)" "$want" "$(rx_errors 1)"
check_eq "unknown session, L2TPv3 over UDP/IPv6: tunnel rx_errors $(dev)" "$want" "$(rx_errors 2)"
check_eq "unknown session, L2TPv3 over IPv4: tunnel rx_errors $(dev)" "$want" "$(rx_errors 3)"
check_eq "unknown session, L2TPv3 over IPv6: tunnel rx_errors $(dev)" "$want" "$(rx_errors 4)"
check_eq "unknown session, L2TPv2 over UDP/IPv4: tunnel rx_errors $(dev)" "$want" "$(rx_errors 5)"
check_eq "unknown session, L2TPv2 over UDP/IPv6: tunnel rx_errors $(dev)" "$want" "$(rx_errors 6)"

# Tunnel 7 (managed, IP) on a socket connected to b's 10.9.0.2, then to b's
# 10.9.0.3: three data packets for no session from 10.9.0.3 count in it.
ns_exec b ip addr add 10.9.0.3/24 dev eth0
prog_start r a ip 10.9.0.1 7 10.9.0.2 8 7 8 70 80 abr0
check "a managed IP tunnel" wait_for 10 prog_saw r ready
prog_say r "connect 10.9.0.3"
check "its socket connected to another address of the peer" \
	wait_for 10 prog_saw r connected
ns_exec b python3 - <<'EOF'
import socket, struct

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 115)
s.bind(('10.9.0.3', 0))
for i in range(3):
    s.sendto(struct.pack('!I', 0xbeef) + bytes(60), ('10.9.0.1', 0))
s.close()
EOF
sleep 0.5
check_eq "unknown session, over IPv4 to a socket connected anew: tunnel rx_errors $(dev)" \
	"$want" "$(rx_errors 7)"
check_eq "... and not in the tunnel to the old address" "$want" "$(rx_errors 3)"
prog_say r quit

tap_done
