#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2TP/IPsec the way the VPN clients of common operating systems (Windows,
# macOS, iOS, Android) use it, with ol2tpd as the LNS: an ESP transport-mode
# SA pair protecting UDP 1701 <-> 1701 between client and server (set up
# with "ip xfrm", as an IKE daemon would), L2TPv2, PPP authenticated by the
# server.  The "OS client" is xl2tpd + pppd (LAC).  Two cases:
#
#   esp   plain ESP (IP protocol 50), PPP with MS-CHAPv2 and MPPE-128, as
#         Windows, macOS and Android negotiate it; system policies at both
#         ends, as IKE daemons install them: the kernel tunnel does not
#         report USING_IPSEC (it reports a policy on the socket)
#   natt  the client behind a NAT (router r masquerades its network; what
#         comes back in is only what answers a connection from inside), so
#         ESP in UDP 4500, PPP with CHAP-MD5.  The LNS sees the client at the
#         NAT's public address 10.1.2.254 and its port 4500 translated to
#         34500: its SAs are written for those, as an IKE daemon would after
#         detecting the NAT (RFC 3947).  The L2TP inside keeps port 1701:
#         its UDP header is encrypted, so the NAT cannot rewrite it (nor its
#         checksum, which Linux does not check after NAT-T transport-mode
#         ESP, RFC 3948 section 3.1.2).  The LNS has no system policy, and
#         "ipsec = yes" in ol2tpd.conf: its tunnel socket's own policy
#         protects control and data, and the kernel session (and, with
#         ol2tp, the tunnel) reports USING_IPSEC.  As for a road warrior,
#         ol2tpd does not know the client's address: its peer is "address
#         = any" and the client's PPP address comes from a pool
#
# For each: the PPP link comes up with the address the LNS hands out and a
# ping crosses it; the SAs at both ends counted the traffic; captures on
# both sides of the router show ESP (or ESP in UDP 4500, from the NAT's
# address and port on the LNS's side, and never the client's private
# address) and not one L2TP packet in clear (UDP 1701); ol2tpd lists the
# peer at the address it sees; ol2tpd stops cleanly and leaves no kernel
# tunnel.  With MPPE, both
# pppds say it is on, and the capture, decrypted with the test's ESP keys,
# shows the ping crossing as MPPE-encrypted PPP (protocol 0x00fd) and not as
# plain IP (0x0021): the check that fails if MPPE is negotiated but unused.
#
#    ns a ("OS client")          ns r                   ns b (LNS)
#  +------------------+  veth  +------------+  veth  +------------------+
#  | xl2tpd + pppd    |--------| ra      rb |--------| ol2tpd + pppd    |
#  | eth0 10.1.1.1    |        | tcpdump x2 |        | eth0 10.1.2.1    |
#  |                  |        | natt: NAT  |        |                  |
#  |                  |        | to .2.254  |        |                  |
#  | pppN 10.9.N.2    ==== L2TPv2/UDP 1701/ESP ======== pppN 10.9.N.1     |
#  +------------------+        +------------+        +------------------+
#
# pppd reads the server's secrets from /etc/ppp/chap-secrets only: the LNS
# runs in its own mount namespace with a test file bound over it.
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping pppd xl2tpd tcpdump unshare python3 nft
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
modprobe -q ppp_generic 2>/dev/null
# MPPE is Debian's ppp_mppe; pppd refuses require-mppe-128 without it.
modprobe -q ppp_mppe 2>/dev/null
if [ ! -d /sys/module/l2tp_ppp ] && [ ! -d /sys/module/ol2tp_ppp ]; then
	skip_all "no PPPoL2TP in this kernel (ol2tp_ppp.ko or l2tp_ppp)"
fi
[ -e /etc/ppp/chap-secrets ] || skip_all "no /etc/ppp/chap-secrets to bind over"
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-ipsec.XXXXXX)
cleanup_push "rm -rf $dir"

KEY_AB=0x0a0b0c0d0e0f101112131415161718191a1b1c1d
KEY_BA=0x2a2b2c2d2e2f303132333435363738393a3b3c3d
AEAD="rfc4106(gcm(aes))"
SPI_AB=0x5001
SPI_BA=0x5002
NAT4=10.1.2.254		# the NAT's public address (r's rb)
NAT_PORT=34500		# where it maps the client's UDP 4500

# esp_setup NS LOCAL REMOTE SPI_OUT SPI_IN KEY_OUT KEY_IN [LPORT RPORT]:
# transport-mode SAs and policies for UDP 1701 <-> 1701, as IKE sets them
# (SAs only with NO_POLICY=1); with ports, ESP in UDP from LPORT to RPORT.
esp_setup()
{
	local n=$(ns "$1") l=$2 r=$3 so=$4 si=$5 ko=$6 ki=$7 eo= ei=
	[ $# -gt 7 ] && eo="encap espinudp $8 $9 0.0.0.0" &&
		ei="encap espinudp $9 $8 0.0.0.0"
	ip -n "$n" xfrm state add src "$l" dst "$r" proto esp spi "$so" \
		mode transport aead "$AEAD" "$ko" 128 $eo &&
	ip -n "$n" xfrm state add src "$r" dst "$l" proto esp spi "$si" \
		mode transport aead "$AEAD" "$ki" 128 $ei || return
	[ "${NO_POLICY:-0}" = 1 ] && return
	ip -n "$n" xfrm policy add src "$l" dst "$r" proto udp sport 1701 \
		dport 1701 dir out tmpl src "$l" dst "$r" proto esp mode transport &&
	ip -n "$n" xfrm policy add src "$r" dst "$l" proto udp sport 1701 \
		dport 1701 dir in tmpl src "$r" dst "$l" proto esp mode transport
}

esp_clear()
{
	ip -n "$(ns "$1")" xfrm policy flush
	ip -n "$(ns "$1")" xfrm state flush
}

# sa_packets NS SRC DST SPI: packets the SA has processed
sa_packets()
{
	ip -n "$(ns "$1")" -s xfrm state get src "$2" dst "$3" proto esp \
		spi "$4" | awk '/lifetime current:/ { getline;
			sub(/\(packets\).*/, ""); sub(/.*, /, ""); print; exit }'
}

# NAT-T: a UDP socket on port 4500 with UDP_ENCAP_ESPINUDP, as IKE daemons
# keep one, so that the kernel decapsulates ESP arriving in UDP 4500.
natt_socket()	# natt_socket NS ADDR
{
	ip netns exec "$(ns "$1")" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)	# UDP_ENCAP, UDP_ENCAP_ESPINUDP
open(sys.argv[2], "w").close()
time.sleep(100000)' "$2" "$dir/natt-$1" &
	cleanup_push "kill $! 2>/dev/null"
	wait_for 10 test -e "$dir/natt-$1"
}

# nat_setup: r becomes the client's NAT, as a home router is: what leaves
# by rb gets the source address NAT4, UDP 4500 also the port NAT_PORT; in
# by rb comes only what answers a connection from inside.
nat_setup()
{
	ip netns exec "$(ns r)" nft -f - <<EON
table ip natbox {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "rb" udp sport 4500 snat to $NAT4:$NAT_PORT
		oifname "rb" snat to $NAT4
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		iifname "rb" drop
	}
}
EON
}

# capture on both sides of the router (ra: a's, rb: b's) until capture_stop
capture_start()
{
	local i
	cap_pids=
	for i in ra rb; do
		tcpdump_start r "$dir/tcpdump-$i.log" -i $i -n -U \
			-w "$dir/cap-$i.pcap"
		cap_pids="$cap_pids $tcpdump_pid"
	done
}

capture_stop()
{
	kill -INT $cap_pids
	wait $cap_pids
}

captured()	# captured IF FILTER: how many packets of that capture match
{
	tcpdump -n -r "$dir/cap-$1.pcap" "$2" 2>/dev/null | wc -l
}

# peer_at NS ADDR: ol2tpd's one peer, at ADDR, is established
peer_at()
{
	ol2tp -S "$dir/$1.sock" -j peer show | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert len(p) == 1 and p[0]["state"] == "established", p
assert p[0]["remote"].rsplit(":", 1)[0] == sys.argv[1], p' "$2"
}

# kernel_peer_is NS ADDR PORT: the one kernel tunnel sends to ADDR:PORT
kernel_peer_is()
{
	ol2tp -n "$(ns "$1")" -j tunnel show | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert len(t) == 1, t
assert t[0]["remote"] == sys.argv[1], t
assert t[0]["udp_dport"] == int(sys.argv[2]), t' "$2" "$3"
}

# ppp_protocols SPI:KEY...: decrypt the client side's capture's ESP (plain or in UDP
# 4500) of those SAs (rfc4106(gcm(aes)): 16-byte key, 4-byte salt) and
# print the PPP protocol of each L2TPv2 data message inside, in hex, one
# per line; "undecrypted" for a packet of those SAs that does not decrypt.
ppp_protocols()
{
	python3 - "$dir/cap-ra.pcap" "$@" <<'EOP'
import struct, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sas = {}
for a in sys.argv[2:]:
    spi, key = a.split(":")
    key = bytes.fromhex(key[2:])
    sas[int(spi, 16)] = (AESGCM(key[:16]), key[16:])

def l2tp_ppp_protocol(m):
    flags, = struct.unpack_from("!H", m)
    if flags & 0x8000 or flags & 0xf != 2:
        return None                       # control message, or not L2TPv2
    o = 2 + (2 if flags & 0x4000 else 0) + 4 + (4 if flags & 0x0800 else 0)
    if flags & 0x0200:
        o += 2 + struct.unpack_from("!H", m, o)[0]
    if m[o:o + 2] == b"\xff\x03":
        o += 2
    return m[o] if m[o] & 1 else struct.unpack_from("!H", m, o)[0]

f = open(sys.argv[1], "rb").read()
o = 24
while o + 16 <= len(f):
    n, = struct.unpack_from("<I", f, o + 8)
    p = f[o + 16:o + 16 + n]
    o += 16 + n
    if len(p) < 34 or p[12:14] != b"\x08\x00":
        continue
    ip = p[14:]
    ihl = (ip[0] & 15) * 4
    tot, = struct.unpack_from("!H", ip, 2)
    esp = ip[ihl:tot]
    if ip[9] == 17 and struct.unpack_from("!H", esp, 2)[0] == 4500:
        esp = esp[8:]
    elif ip[9] != 50:
        continue
    if len(esp) < 8 + 8 + 16:
        continue
    spi, = struct.unpack_from("!I", esp)
    if spi not in sas:
        continue
    gcm, salt = sas[spi]
    try:
        clear = gcm.decrypt(salt + esp[8:16], esp[16:], esp[:8])
    except Exception:
        print("undecrypted")
        continue
    if clear[-1] != 17:
        continue
    udp = clear[:len(clear) - 2 - clear[-2]]
    proto = l2tp_ppp_protocol(udp[8:])
    if proto is not None:
        print("%04x" % proto)
EOP
}

start_lns()	# ol2tpd in b, with chap-secrets bound in its mount namespace
{
	: >"$dir/b.log"
	unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/ppp/chap-secrets || exit 1
		exec ip netns exec "$2" "$3" -f "$4"' sh \
		"$dir/chap-secrets" "$(ns b)" "$OL2TP_BIN/ol2tpd" "$dir/b.conf" \
		>"$dir/b.log" 2>&1 &
	pid_b=$!
	cleanup_push "kill $pid_b 2>/dev/null"
	wait_for 10 test -S "$dir/b.sock"
}

ppp_up()	# ppp_up NS LOCAL_ADDR
{
	ip -n "$(ns "$1")" -4 addr show | grep -q "inet $2 peer"
}

using_ipsec()	# using_ipsec NS { tunnel | session }: the one object has it
{
	ol2tp -n "$(ns "$1")" -j "$2" show | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert len(t) == 1 and t[0]["using_ipsec"] is True, t'
}

no_kernel_tunnel()
{
	[ -z "$(ol2tp -n "$(ns "$1")" tunnel show)" ]
}

# run_case NAME N AUTH LCP [ENCAP...]: AUTH is the LNS's pppd option, LCP
# the authentication protocol the client's pppd must see it ask for.
# IPSEC=yes: ipsec = yes at the LNS; MPPE=yes: both pppds require MPPE-128;
# NATT=yes: ESP in UDP 4500, through the NAT (nat_setup done).
run_case()
{
	local n=$2 auth=$3 lcp=$4 mppe= peer=$A4 a_udp= b_udp=
	local address=$A4 addrs="10.9.$n.1:10.9.$n.2" pool=
	CASE=$1
	[ "${MPPE:-no}" = yes ] && mppe=require-mppe-128
	if [ "${NATT:-no}" = yes ]; then
		peer=$NAT4 a_udp="4500 4500" b_udp="4500 $NAT_PORT"
		# A road warrior: the LNS cannot know its address in advance,
		# so a dial-in peer, with the client's address from a pool.
		address=any addrs=
		pool="ppp-local-address = 10.9.$n.1
ppp-address-pool = 10.9.$n.2-10.9.$n.9"
	fi

	printf 'alice lns "open sesame %s" *\n' "$CASE" >"$dir/chap-secrets"
	cat >"$dir/b.conf" <<EOC
[global]
host-name = lns
listen = $B4
control-socket = $dir/b.sock
log-level = debug

[peer client]
address = $address
version = 2
initiate = no
ipsec = $IPSEC

[pseudowire ppp]
peer = client
type = ppp
initiate = no
lns = yes
$pool
pppd-options = "$auth $mppe name lns $addrs nodefaultroute lcp-echo-interval 0 debug logfile $dir/b-ppp-$CASE.log"
EOC
	cat >"$dir/xa.ppp" <<EOC
user alice
password "open sesame $CASE"
noauth
refuse-pap
refuse-eap
nodefaultroute
noipdefault
lcp-echo-interval 0
$mppe
debug
logfile $dir/a-ppp-$CASE.log
EOC
	xl2tpd_lac_conf a "$A4" "$B4" "$dir/xa.ppp"
	check "$CASE: ESP SAs and policies at the client" \
		esp_setup a "$A4" "$B4" $SPI_AB $SPI_BA $KEY_AB $KEY_BA $a_udp
	if [ "$IPSEC" = yes ]; then
		NO_POLICY=1 check "$CASE: ESP SAs at the LNS, no system policy" \
			esp_setup b "$B4" "$peer" $SPI_BA $SPI_AB \
			$KEY_BA $KEY_AB $b_udp
	else
		check "$CASE: ESP SAs and policies at the LNS" \
			esp_setup b "$B4" "$peer" $SPI_BA $SPI_AB \
			$KEY_BA $KEY_AB $b_udp
	fi
	capture_start
	start_lns
	start_xl2tpd a
	check "$CASE: the client's PPP comes up (10.9.$n.2 from the LNS)" \
		wait_for 60 ppp_up a "10.9.$n.2"
	check "$CASE: the LNS's PPP is up (10.9.$n.1)" wait_for 10 ppp_up b "10.9.$n.1"
	check "$CASE: ping across PPP" ping_ok a "10.9.$n.1"
	check "$CASE: ol2tpd lists the peer at $peer, established" \
		peer_at b "$peer"
	check "$CASE: the LNS's kernel tunnel sends to $peer port 1701" \
		kernel_peer_is b "$peer" 1701
	if [ "$IPSEC" = yes ]; then
		check "$CASE: ipsec = yes: the kernel session reports using_ipsec" \
			using_ipsec b session
		if [ "$OL2TP_IMPL" = ol2tp ]; then
			check "$CASE: ipsec = yes: the kernel tunnel reports using_ipsec" \
				using_ipsec b tunnel
		else
			skip "$CASE: the kernel tunnel reports using_ipsec" \
				"Linux reports USING_IPSEC on sessions only"
		fi
	else
		check_fail "$CASE: ipsec = no: the kernel session does not report using_ipsec" \
			using_ipsec b session
		check_fail "$CASE: ipsec = no: nor the tunnel" using_ipsec b tunnel
	fi
	check "$CASE: the LNS asked the client for $lcp" \
		grep -q "rcvd \[LCP ConfReq .*<auth chap $lcp>" "$dir/a-ppp-$CASE.log"
	check "$CASE: and the client authenticated" \
		grep -q "rcvd \[CHAP Success" "$dir/a-ppp-$CASE.log"
	capture_stop
	if [ "${MPPE:-no}" = yes ]; then
		check "$CASE: the client's pppd has MPPE-128 on" grep -q \
			"MPPE 128-bit stateless compression enabled" \
			"$dir/a-ppp-$CASE.log"
		check "$CASE: the LNS's pppd has MPPE-128 on" grep -q \
			"MPPE 128-bit stateless compression enabled" \
			"$dir/b-ppp-$CASE.log"
		ppp_protocols $SPI_AB:$KEY_AB $SPI_BA:$KEY_BA \
			>"$dir/ppp-$CASE.txt"
		diag "$CASE: PPP protocols inside ESP (protocol x packets):" \
			"$(sort "$dir/ppp-$CASE.txt" | uniq -c |
			awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }')"
		check_eq "$CASE: every ESP packet of the capture decrypts" 0 \
			"$(grep -c undecrypted "$dir/ppp-$CASE.txt")"
		check_ge "$CASE: inside ESP, PPP carries MPPE (protocol 0x00fd)" \
			5 "$(grep -c '^00fd$' "$dir/ppp-$CASE.txt")"
		check_eq "$CASE: and never plain IP (protocol 0x0021)" 0 \
			"$(grep -c '^0021$' "$dir/ppp-$CASE.txt")"
	fi
	check_ge "$CASE: the client's outbound SA counted packets" 5 \
		"$(sa_packets a "$A4" "$B4" $SPI_AB)"
	check_ge "$CASE: the LNS's inbound SA counted them" 5 \
		"$(sa_packets b "$peer" "$B4" $SPI_AB)"
	check_ge "$CASE: the LNS's outbound SA counted its packets" 5 \
		"$(sa_packets b "$B4" "$peer" $SPI_BA)"
	if [ "${NATT:-no}" = yes ]; then
		check_ge "$CASE: client side: ESP in UDP 4500 from the client" 5 \
			"$(captured ra "src $A4 and udp src port 4500 and dst port 4500")"
		check_ge "$CASE: LNS side: ESP in UDP from the NAT ($NAT4:$NAT_PORT)" 5 \
			"$(captured rb "src $NAT4 and udp src port $NAT_PORT and dst port 4500")"
		check_ge "$CASE: LNS side: its answers go to the NAT" 5 \
			"$(captured rb "dst $NAT4 and udp dst port $NAT_PORT and src port 4500")"
		check_eq "$CASE: LNS side: never the client's private address" 0 \
			"$(captured rb "host $A4")"
		check_eq "$CASE: no ESP outside UDP on either side" 0 \
			"$(($(captured ra esp) + $(captured rb esp)))"
	else
		check_ge "$CASE: the router saw ESP" 5 "$(captured ra esp)"
	fi
	check_eq "$CASE: no L2TP in clear (UDP 1701) on either side" 0 \
		"$(($(captured ra 'udp port 1701') + $(captured rb 'udp port 1701')))"
	stop_daemon b
	check_eq "$CASE: ol2tpd stops cleanly" 0 "$rc_b"
	check "$CASE: no kernel tunnel left at the LNS" no_kernel_tunnel b
	stop_daemon a
	sed "s/^/$CASE b: /" "$dir/b.log" >>"$dir/all.log"
	sed "s/^/$CASE a: /" "$dir/xa.log" >>"$dir/all.log"
	esp_clear a
	esp_clear b
	wait_for 10 sh -c "! pgrep -f 'pppd.*$dir' >/dev/null"
}

if [ -d /sys/module/ppp_mppe ]; then
	IPSEC=no MPPE=yes run_case esp 21 require-mschap-v2 MS-v2
else
	skip "esp: MS-CHAPv2 with MPPE-128" \
		"no ppp_mppe module in this kernel (CONFIG_PPP_MPPE)"
fi
natt_socket a "$A4"
natt_socket b "$B4"
check "natt: router r is the client's NAT" nat_setup
check_fail "natt: the LNS cannot reach the client's private address" \
	ping_ok b "$A4" 1
IPSEC=yes MPPE=no NATT=yes run_case natt 22 require-chap MD5

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/all.log"
tap_done
