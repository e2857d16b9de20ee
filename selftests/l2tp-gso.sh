#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Large packets across Ethernet pseudowires: a bulk TCP transfer arrives
# intact (sha256 at the far end) over every kind of pseudowire, and the
# packets on the wire are what the peer expects.
#
#  - UDP and IP encapsulation, IPv4 and IPv6 underlay, cookies and the
#    sublayer, an 802.1Q VLAN on top, data sequencing on;
#  - ol2tp only: the pseudowire netdev offers segmentation offload and the
#    stack hands it packets larger than its MTU; over UDP without
#    sequencing they go down whole, with sequencing each segment gets its
#    own number: the capture at the router sees them consecutive, and the
#    session counters equal what the wire carried, packet for packet and
#    byte for byte;
#  - every checksum on the wire is right (outer UDP, inner IP and TCP), with
#    a's underlay segmenting and checksumming in software as a plain NIC
#    does;
#  - ol2tp only: b's underlay doing GRO, b merges consecutive packets of a
#    session before decapsulating them, but never sequenced ones.
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | eth0 tcpdump|--------| ra       rb |--------| eth0        |
#  | gsoN (l2tp) |        |  (router)   |        | gsoN (l2tp) |
#  +-------------+        +-------------+        +-------------+
#   10.1.1.1 fd00:1::1                           10.1.2.1 fd00:2::1
#   gsoN: 192.168.N.1/24  ====== L2TPv3 ======   gsoN: 192.168.N.2/24
#
# ol2tp-timeout: 420

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d)
cleanup_push "rm -rf $dir"
# 2 MiB of random bytes (some 1450 full segments): every transfer sends
# them and compares sha256.
head -c 2097152 /dev/urandom >"$dir/blob"
BLOB_SHA=$(sha256sum <"$dir/blob" | cut -d' ' -f1)

# pw_make N ENCAP FAMILY [SESSION_OPTION...]: tunnel N and session N between
# a and b, netdev gsoN up with 192.168.N.1 (a) and .2 (b).  Cookie options
# are given as "cookie X" and mirrored to b as its peer_cookie.
pw_make()
{
	local n=$1 encap=$2 fam=$3 la=$A4 lb=$B4 ports=() oa=() ob=() topt=()
	shift 3

	[ "$fam" = 6 ] && { la=$A6; lb=$B6; }
	[ "$encap" = udp ] && ports=(udp_sport "$((3000 + n))" udp_dport "$((4000 + n))")
	while [ $# -gt 0 ]; do
		case $1 in
		cookie) oa+=(cookie "$2"); ob+=(peer_cookie "$2"); shift 2 ;;
		peer_cookie) oa+=(peer_cookie "$2"); ob+=(cookie "$2"); shift 2 ;;
		udp_csum) topt=(udp_csum "$2"); shift 2 ;;
		*) oa+=("$1" "$2"); ob+=("$1" "$2"); shift 2 ;;
		esac
	done
	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$la" remote "$lb" "${ports[@]}" "${topt[@]}" || return 1
	[ "$encap" = udp ] && ports=(udp_sport "$((4000 + n))" udp_dport "$((3000 + n))")
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$lb" remote "$la" "${ports[@]}" "${topt[@]}" || return 1
	ip -n "$(ns a)" l2tp add session name "gso$n" tunnel_id "$n" \
		session_id "$((100 + n))" peer_session_id "$((200 + n))" "${oa[@]}" || return 1
	ip -n "$(ns b)" l2tp add session name "gso$n" tunnel_id "$n" \
		session_id "$((200 + n))" peer_session_id "$((100 + n))" "${ob[@]}" || return 1
	# No IPv6 chatter on the pseudowire: the counters see only the test's.
	ns_exec a sysctl -qw "net.ipv6.conf.gso$n.disable_ipv6=1"
	ns_exec b sysctl -qw "net.ipv6.conf.gso$n.disable_ipv6=1"
	ip -n "$(ns a)" link set "gso$n" up
	ip -n "$(ns b)" link set "gso$n" up
	addr_add a "gso$n" "192.168.$n.1/24"
	addr_add b "gso$n" "192.168.$n.2/24"
	# Nor ARP: what crosses is what the test sends.
	ip -n "$(ns a)" neigh replace "192.168.$n.2" dev "gso$n" nud permanent \
		lladdr "$(ns_exec b cat "/sys/class/net/gso$n/address")"
	ip -n "$(ns b)" neigh replace "192.168.$n.1" dev "gso$n" nud permanent \
		lladdr "$(ns_exec a cat "/sys/class/net/gso$n/address")"
	wait_for 5 ping_ok a "192.168.$n.2" 1
}

# transfer_ok ADDR: the blob, sent by TCP from a to ADDR:5000 in b, arrives
# whole (the receiver's sha256 is the blob's).
transfer_ok()
{
	local srv

	tcp_sink b "$1" 5000 >"$dir/got" &
	srv=$!
	wait_for 30 tcp_listening b 5000 &&
		tcp_send a "$1" 5000 "$dir/blob" || { kill "$srv" 2>/dev/null; return 1; }
	wait "$srv"
	[ "$(cat "$dir/got")" = "$BLOB_SHA" ]
}

# session_stat NS TID SID FIELD: a counter of the session (STATS nest).
session_stat()
{
	genl_session_stat "$@"
}

# offloads_on NS IF: the netdev offers TSO (ethtool -k).
offloads_on()
{
	ns_exec "$1" ethtool -k "$2" | grep -q '^tcp-segmentation-offload: on'
}

# fewer_skbs_than_packets N: pseudowire N's netdev in a sent fewer packets
# than its session put on the wire: the stack handed it GSO packets.
fewer_skbs_than_packets()
{
	local n=$1 dev sess

	dev=$(netdev_stat a "gso$n" tx_packets)
	sess=$(session_stat a "$n" "$((100 + n))" tx_packets)
	diag "gso$n: netdev tx_packets $dev, session tx_packets $sess"
	[ -n "$sess" ] && [ "$dev" -lt "$sess" ]
}

# One pseudowire per case: N ENCAP FAMILY OPTIONS... : name.
cases=(
	"1 udp 4 udp_csum on l2spec_type none :UDP, IPv4"
	"2 udp 6 :UDP, IPv6"
	"3 ip 4 :IP, IPv4"
	"4 ip 6 :IP, IPv6"
	"5 udp 4 cookie 0102030405060708 peer_cookie 0a0b0c0d l2spec_type default :UDP, cookies and sublayer"
	"6 ip 4 cookie 01020304 l2spec_type default :IP, cookie and sublayer"
	"7 udp 4 l2spec_type default seq both :UDP, sequencing"
	"8 ip 6 l2spec_type default seq both :IP, IPv6, sequencing"
)
for c in "${cases[@]}"; do
	name=${c#*:}
	set -- ${c%%:*}
	n=$1
	if ! pw_make "$@"; then
		not_ok "$name: pseudowire up"
		continue
	fi
	check "$name: a 2 MiB TCP transfer arrives intact" transfer_ok "192.168.$n.2"
	if [ "$OL2TP_IMPL" = ol2tp ]; then
		check "$name: the pseudowire offers TCP segmentation" offloads_on a "gso$n"
		check "$name: the stack hands it packets larger than its MTU" \
			fewer_skbs_than_packets "$n"
	fi
done

# VLAN on top of a UDP pseudowire: tagged frames are segmented too.
# No IPv6 on it either: its router solicitations would cross pseudowire 1
# while the counters of the last part are read.
ip -n "$(ns a)" link add link gso1 name gso1.10 type vlan id 10 &&
	ip -n "$(ns b)" link add link gso1 name gso1.10 type vlan id 10 &&
	ns_exec a sysctl -qw net.ipv6.conf.gso1/10.disable_ipv6=1 &&
	ns_exec b sysctl -qw net.ipv6.conf.gso1/10.disable_ipv6=1 &&
	ip -n "$(ns a)" link set gso1.10 up && ip -n "$(ns b)" link set gso1.10 up &&
	addr_add a gso1.10 192.168.101.1/24 && addr_add b gso1.10 192.168.101.2/24
wait_for 5 ping_ok a 192.168.101.2 1
check "VLAN on a UDP pseudowire: a 2 MiB TCP transfer arrives intact" \
	transfer_ok 192.168.101.2

# --- the wire: a's underlay segments and checksums in software ---------------

# capture_start FILTER: tcpdump of what a sends on its underlay (the wire
# as a's counters see it), after a ping has refreshed every neighbour on
# the way; tcpdump_stop ends it.
capture_start()
{
	ping_ok a 10.1.2.1 1
	rm -f "$dir/cap.pcap"
	tcpdump_start a "$dir/cap.out" -i eth0 -Q out -s 2000 -U \
		-w "$dir/cap.pcap" "$@"
	sleep 1
}

# pcap_l2tp FILE PROTO: per L2TP data packet (UDP 4007 or IP proto 115) in
# FILE, "LENGTH SUBLAYER SECONDS INNER" -- L2TP bytes, the sublayer word as a
# number, the time since the first packet and, for the record, the inner
# TCP segment ("tcp FLAGS LEN") or "-".  The capture is of IPv4 over
# Ethernet; sessions of case 7 have no cookie.
pcap_l2tp()
{
	python3 - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
proto = sys.argv[2]
off = 24
t0 = None
def inner(pkt, at):
    for eth in (at + 4, at):
        if pkt[eth + 12:eth + 14] == b"\x08\x00" and len(pkt) >= eth + 34:
            ip = eth + 14
            if pkt[ip + 9] != 6:
                return "-"
            tcp = ip + (pkt[ip] & 15) * 4
            iplen = struct.unpack_from(">H", pkt, ip + 2)[0]
            doff = (pkt[tcp + 12] >> 4) * 4
            return "tcp 0x%02x %d" % (pkt[tcp + 13], iplen - (tcp - ip) - doff)
    return "-"
while off + 16 <= len(data):
    sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
    t = sec + usec / 1e6
    t0 = t if t0 is None else t0
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if len(pkt) < 34 or pkt[12:14] != b"\x08\x00":
        continue
    ihl = (pkt[14] & 15) * 4
    totlen = struct.unpack_from(">H", pkt, 16)[0]
    frag = struct.unpack_from(">H", pkt, 20)[0]
    p = pkt[23]
    l4 = 14 + ihl
    if frag & 0x3fff:
        continue
    if proto == "udp" and p == 17:
        l2tp = l4 + 8
        sub = l2tp + 4 + 4
    elif proto == "ip" and p == 115:
        l2tp = l4
        sub = l2tp + 4
    else:
        continue
    print(totlen - (l2tp - 14), struct.unpack_from(">I", pkt, sub)[0],
          "%.3f" % (t - t0), inner(pkt, sub))
PY
}

# seq_consecutive FILE: every sublayer has S set and Ns goes up by one.
seq_consecutive()
{
	awk '{ s = int($2 / 1073741824) % 2; ns = $2 % 16777216
	       if (!s) bad++
	       if (NR > 1 && ns != (prev + 1) % 16777216) bad++
	       prev = ns }
	     END { print NR " packets, " bad + 0 " out of order"; exit !(NR > 100 && !bad) }' "$1"
}

sum_lengths()
{
	awk '{ s += $1 } END { print s + 0 }' "$1"
}

ns_exec a ethtool -K eth0 tx off sg off tso off gso off >/dev/null 2>&1 ||
	diag "cannot turn a's eth0 offloads off"
# The veths must not reorder what a sends: a packet is queued to the
# backlog of the CPU that sent it, so r and b take them all on CPU 0 (RPS).
ns_exec r sh -c 'echo 1 >/sys/class/net/ra/queues/rx-0/rps_cpus'
ns_exec b sh -c 'echo 1 >/sys/class/net/eth0/queues/rx-0/rps_cpus'
# ... and that backlog holds a whole TCP burst (nothing lost on the way).
backlog=$(sysctl -n net.core.netdev_max_backlog)
cleanup_push "sysctl -qw net.core.netdev_max_backlog=$backlog"
sysctl -qw net.core.netdev_max_backlog=100000
# b's underlay merges what it receives: veth does GRO once it is turned on
# (off, then on) and the sending end (r's rb) does not segment TCP itself.
ns_exec r ethtool -K rb tso off >/dev/null 2>&1 &&
	ns_exec b ethtool -K eth0 gro off >/dev/null 2>&1 &&
	ns_exec b ethtool -K eth0 gro on >/dev/null 2>&1 ||
	diag "cannot turn GRO on in b"

# merged N RXP0 RXS0: since the counts RXP0 (b's gsoN netdev) and RXS0 (b's
# session), the netdev received fewer packets than the session counted
# segments: GRO merged them before decapsulation.
merged()
{
	local dev sess

	dev=$(($(netdev_stat b "gso$1" rx_packets) - $2))
	sess=$(($(session_stat b "$1" "$((200 + $1))" rx_packets) - $3))
	diag "gso$1 in b: netdev rx_packets +$dev, session rx_packets +$sess"
	[ "$dev" -lt "$sess" ]
}

# counters N: "TX_PACKETS TX_BYTES RX_PACKETS RX_BYTES" of a's session N
# (sending) and b's (receiving); each side's pair read at one instant.
counters()
{
	{
		genl_session_stats a "$1" "$((100 + $1))" tx_packets tx_bytes
		genl_session_stats b "$1" "$((200 + $1))" rx_packets rx_bytes
	} | paste -sd ' '
}

# transfer_closed: no connection of the transfers (port 5000) is left in a
# or b but in TIME-WAIT, where TCP sends nothing more of its own.
transfer_closed()
{
	local n

	for n in a b; do
		! ns_exec "$n" ss -Htn state all '( sport = :5000 or dport = :5000 )' |
			grep -v -e '^TIME-WAIT' -e '^LISTEN' | grep -q . || return 1
	done
}

# quiet N: the transfer's connection is closed and pseudowire N's counters
# stay the same for a second: its last packets (FIN, ACKs, a retransmission
# by a slow guest) are counted before the capture stops.
quiet()
{
	local before now i

	wait_for 10 transfer_closed ||
		diag "a connection of the transfer is still open"
	now=$(counters "$1")
	for ((i = 0; i < 10 * ${OL2TP_TIME_SCALE:-1}; i++)); do
		before=$now
		sleep 1
		now=$(counters "$1")
		[ "$now" != "$before" ] || return 0
	done
	return 1
}

# wire_tail FILE: the last packets of a pcap_l2tp listing, for the record
# when a count is off.
wire_tail()
{
	diag "the wire's last packets (L2TP bytes, sublayer, seconds, inner):"
	tail -n 3 "$1" | while read -r line; do diag "  $line"; done
}

# Sequencing over UDP (case 7): one number per segment, counters exact.
ping_ok a 192.168.7.2 1
sleep 1 # the previous transfer's last packets are in
read -r tx0 txb0 rx0 rxb0 < <(counters 7)
capture_start udp dst port 4007
check "UDP, sequencing, plain underlay: a 2 MiB TCP transfer arrives intact" \
	transfer_ok 192.168.7.2
quiet 7 || diag "pseudowire 7 is still busy"
read -r tx1 txb1 rx1 rxb1 < <(counters 7)
tcpdump_stop
pcap_l2tp "$dir/cap.pcap" udp >"$dir/seq.txt"
diag "b's session 7: $(ns_exec b l2tp-genl stats session 7 207 | tr '\n' ' ')"
check "UDP, sequencing: every packet on the wire numbered, consecutively" \
	seq_consecutive "$dir/seq.txt"
wire_pkts=$(wc -l <"$dir/seq.txt") wire_bytes=$(sum_lengths "$dir/seq.txt")
# ICMP or pings do not cross pseudowire 7 meanwhile; TCP is all there is.
check_eq "UDP, sequencing: a's tx_packets count the packets on the wire" \
	"$wire_pkts" "$((tx1 - tx0))" || wire_tail "$dir/seq.txt"
check_eq "UDP, sequencing: a's tx_bytes count the L2TP bytes on the wire" \
	"$wire_bytes" "$((txb1 - txb0))"
check_eq "UDP, sequencing: b's rx_packets count the same" \
	"$wire_pkts" "$((rx1 - rx0))"
check_eq "UDP, sequencing: b's rx_bytes count the same" \
	"$wire_bytes" "$((rxb1 - rxb0))"
check_eq "UDP, sequencing: b dropped nothing out of sequence" \
	0 "$(session_stat b 7 207 rx_oos_packets)"

# csum_check FILE PORT: "GOOD BAD" over the UDP packets to PORT in FILE
# (IPv4, L2TPv3 without cookie or sublayer, Ethernet, IPv4, TCP): the
# outer UDP, inner IP header and inner TCP checksums of each.  Frames that
# are not IPv4 are left out.
csum_check()
{
	python3 - "$1" "$2" <<'PY'
import struct, sys
def fold(b, s=0):
    if len(b) % 2:
        b += b"\0"
    s += sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s
def l4ok(src, dst, proto, seg):
    pseudo = src + dst + struct.pack(">BBH", 0, proto, len(seg))
    return fold(seg, fold(pseudo)) == 0xffff
data = open(sys.argv[1], "rb").read()
port = int(sys.argv[2])
good = bad = 0
off = 24
while off + 16 <= len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if len(pkt) < 80 or pkt[12:14] != b"\x08\x00" or pkt[23] != 17:
        continue
    ihl = (pkt[14] & 15) * 4
    ip = pkt[14:14 + struct.unpack_from(">H", pkt, 16)[0]]
    udp = ip[ihl:]
    if struct.unpack_from(">H", udp, 2)[0] != port:
        continue
    ok = struct.unpack_from(">H", udp, 6)[0] != 0 and l4ok(ip[12:16], ip[16:20], 17, udp)
    if udp[8 + 8 + 12:8 + 8 + 14] != b"\x08\x00":
        continue
    inner = udp[8 + 8 + 14:]
    iihl = (inner[0] & 15) * 4
    ok = ok and inner[9] == 6 and fold(inner[:iihl]) == 0xffff
    inner = inner[:struct.unpack_from(">H", inner, 2)[0]]
    ok = ok and l4ok(inner[12:16], inner[16:20], 6, inner[iihl:])
    good, bad = good + ok, bad + (not ok)
print(good, bad)
PY
}

# No sequencing over UDP with checksums (case 1): each segment carries a
# copy of the header, and every checksum is right.
ping_ok a 192.168.1.2 1
sleep 1 # the previous transfer's last packets are in
rxp0=$(netdev_stat b gso1 rx_packets)
read -r tx0 txb0 rxs0 rxb0 < <(counters 1)
capture_start udp dst port 4001
check "UDP, plain underlay: a 2 MiB TCP transfer arrives intact" \
	transfer_ok 192.168.1.2
quiet 1 || diag "pseudowire 1 is still busy"
read -r tx1 txb1 rxs1 rxb1 < <(counters 1)
tcpdump_stop
if [ "$OL2TP_IMPL" = ol2tp ]; then
	check "UDP: b merged the segments it received (GRO) before decapsulating" \
		merged 1 "$rxp0" "$rxs0"
fi
pcap_l2tp "$dir/cap.pcap" udp >"$dir/plain.txt"
check_eq "UDP: a's tx_packets count the packets on the wire" \
	"$(wc -l <"$dir/plain.txt")" "$((tx1 - tx0))" || wire_tail "$dir/plain.txt"
check_eq "UDP: a's tx_bytes count the L2TP bytes on the wire" \
	"$(sum_lengths "$dir/plain.txt")" "$((txb1 - txb0))"
check_eq "UDP: b's rx_packets count them too, merged or not" \
	"$(wc -l <"$dir/plain.txt")" "$((rxs1 - rxs0))"
check_eq "UDP: b's rx_bytes count the same bytes" \
	"$(sum_lengths "$dir/plain.txt")" "$((rxb1 - rxb0))"
read -r good bad < <(csum_check "$dir/cap.pcap" 4001)
diag "checksums: $good packets right, $bad wrong"
check "UDP: the capture holds the transfer's packets (2 MiB: over 1400)" test "$good" -gt 1400
check_eq "UDP: no wrong checksum on the wire (outer UDP, inner IP, inner TCP)" \
	0 "$bad"

tap_done
