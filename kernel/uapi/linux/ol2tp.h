/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ol2tp user API: the generic-netlink family "l2tp" and the L2TP/IP socket
 * addresses.
 *
 * Every number in this file is part of the Linux L2TP ABI: ol2tp.ko answers
 * the same requests as Linux's own net/l2tp, so iproute2's "ip l2tp",
 * pppd's pppol2tp plugin, xl2tpd and our own ol2tp/ol2tpd all work against
 * either.  The identifiers carry an OL2TP_ prefix so that this header can be
 * included next to the system's <linux/l2tp.h> without clashing.
 *
 * Written for ol2tp from the published ABI facts; see
 * Documentation/netlink.rst for the semantics of every command and
 * attribute.
 */
#ifndef _UAPI_LINUX_OL2TP_H
#define _UAPI_LINUX_OL2TP_H

#include <linux/types.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/in6.h>

/* IP protocol number of L2TPv3 over IP (RFC 3931 section 4.1.1.1). */
#define OL2TP_IPPROTO_L2TP		115

/* UDP encapsulation type of an L2TP tunnel socket (UDP_ENCAP). */
#define OL2TP_UDP_ENCAP_L2TPINUDP	3

/* Well-known L2TP UDP port (RFC 2661, RFC 3931). */
#define OL2TP_UDP_PORT			1701

/* Bytes of a cookie, COOKIE and PEER_COOKIE (RFC 3931 section 4.1). */
#define OL2TP_COOKIE_MAX		8

/**
 * struct ol2tp_sockaddr_ip - address of an L2TP/IP socket (IPv4)
 * @l2tp_family: AF_INET
 * @l2tp_unused: must be zero; sits where sockaddr_in has its port
 * @l2tp_addr: IPv4 address
 * @l2tp_conn_id: control connection id the socket is bound or connected to;
 *	control messages (session id 0) for this id are queued to the socket
 *
 * Padded to the size of struct sockaddr (16 bytes), like sockaddr_in.
 */
struct ol2tp_sockaddr_ip {
	__kernel_sa_family_t l2tp_family;
	__be16 l2tp_unused;
	struct in_addr l2tp_addr;
	__u32 l2tp_conn_id;
	unsigned char __pad[16 - sizeof(__kernel_sa_family_t) -
			    sizeof(__be16) - sizeof(struct in_addr) -
			    sizeof(__u32)];
};

/**
 * struct ol2tp_sockaddr_ip6 - address of an L2TP/IP socket (IPv6)
 * @l2tp_family: AF_INET6
 * @l2tp_unused: must be zero; sits where sockaddr_in6 has its port
 * @l2tp_flowinfo: IPv6 flow information
 * @l2tp_addr: IPv6 address
 * @l2tp_scope_id: scope (interface) id for link-local addresses
 * @l2tp_conn_id: control connection id
 */
struct ol2tp_sockaddr_ip6 {
	__kernel_sa_family_t l2tp_family;
	__be16 l2tp_unused;
	__be32 l2tp_flowinfo;
	struct in6_addr l2tp_addr;
	__u32 l2tp_scope_id;
	__u32 l2tp_conn_id;
};

/* Generic netlink family. */
#define OL2TP_GENL_NAME		"l2tp"
#define OL2TP_GENL_VERSION	0x1
#define OL2TP_GENL_MCGROUP	"l2tp"

/**
 * enum ol2tp_cmd - generic netlink commands of family "l2tp"
 * @OL2TP_CMD_NOOP: does nothing; the only command without CAP_NET_ADMIN
 * @OL2TP_CMD_TUNNEL_CREATE: create a tunnel (managed with FD, else unmanaged)
 * @OL2TP_CMD_TUNNEL_DELETE: delete a tunnel and all its sessions
 * @OL2TP_CMD_TUNNEL_MODIFY: change a tunnel's DEBUG flags
 * @OL2TP_CMD_TUNNEL_GET: get one tunnel (CONN_ID), or dump all
 * @OL2TP_CMD_SESSION_CREATE: create a session in a tunnel
 * @OL2TP_CMD_SESSION_DELETE: delete a session
 * @OL2TP_CMD_SESSION_MODIFY: change sequencing, LNS mode, reorder timeout
 * @OL2TP_CMD_SESSION_GET: get one session, or dump all
 */
enum ol2tp_cmd {
	OL2TP_CMD_NOOP,
	OL2TP_CMD_TUNNEL_CREATE,
	OL2TP_CMD_TUNNEL_DELETE,
	OL2TP_CMD_TUNNEL_MODIFY,
	OL2TP_CMD_TUNNEL_GET,
	OL2TP_CMD_SESSION_CREATE,
	OL2TP_CMD_SESSION_DELETE,
	OL2TP_CMD_SESSION_MODIFY,
	OL2TP_CMD_SESSION_GET,
	__OL2TP_CMD_MAX,
};

#define OL2TP_CMD_MAX			(__OL2TP_CMD_MAX - 1)

/**
 * enum ol2tp_attr - attributes of family "l2tp"
 * @OL2TP_ATTR_NONE: unused
 * @OL2TP_ATTR_PW_TYPE: u16, enum ol2tp_pwtype (session)
 * @OL2TP_ATTR_ENCAP_TYPE: u16, enum ol2tp_encap_type (tunnel)
 * @OL2TP_ATTR_OFFSET: u16, obsolete; accepted and ignored
 * @OL2TP_ATTR_DATA_SEQ: u16, obsolete; accepted and ignored
 * @OL2TP_ATTR_L2SPEC_TYPE: u8, enum ol2tp_l2spec_type (session)
 * @OL2TP_ATTR_L2SPEC_LEN: u8, obsolete; accepted and ignored
 * @OL2TP_ATTR_PROTO_VERSION: u8, 2 or 3 (tunnel)
 * @OL2TP_ATTR_IFNAME: string, name of the session's network device
 * @OL2TP_ATTR_CONN_ID: u32, local tunnel (control connection) id
 * @OL2TP_ATTR_PEER_CONN_ID: u32, peer's tunnel id
 * @OL2TP_ATTR_SESSION_ID: u32, local session id
 * @OL2TP_ATTR_PEER_SESSION_ID: u32, peer's session id
 * @OL2TP_ATTR_UDP_CSUM: u8, compute UDP checksums over IPv4 (tunnel)
 * @OL2TP_ATTR_VLAN_ID: u16, obsolete; accepted and ignored
 * @OL2TP_ATTR_COOKIE: binary, 0, 4 or 8 bytes: the cookie this end puts in
 *	every data packet it sends
 * @OL2TP_ATTR_PEER_COOKIE: binary, 0, 4 or 8 bytes: the cookie the peer
 *	sends; a received data packet without it is dropped
 * @OL2TP_ATTR_DEBUG: u32, debug flags (reported, no effect on data)
 * @OL2TP_ATTR_RECV_SEQ: u8, require sequence numbers on receive
 * @OL2TP_ATTR_SEND_SEQ: u8, send sequence numbers
 * @OL2TP_ATTR_LNS_MODE: u8, our SEND_SEQ setting is authoritative
 * @OL2TP_ATTR_USING_IPSEC: flag, output only: the tunnel socket has a policy
 * @OL2TP_ATTR_RECV_TIMEOUT: u64, reorder timeout in milliseconds
 * @OL2TP_ATTR_FD: u32, file descriptor of a managed tunnel's socket
 * @OL2TP_ATTR_IP_SADDR: be32, local IPv4 address (unmanaged tunnel)
 * @OL2TP_ATTR_IP_DADDR: be32, peer IPv4 address (unmanaged tunnel)
 * @OL2TP_ATTR_UDP_SPORT: u16, local UDP port (unmanaged tunnel)
 * @OL2TP_ATTR_UDP_DPORT: u16, peer UDP port (unmanaged tunnel)
 * @OL2TP_ATTR_MTU: u16, obsolete; accepted and ignored
 * @OL2TP_ATTR_MRU: u16, obsolete; accepted and ignored
 * @OL2TP_ATTR_STATS: nested, enum ol2tp_attr_stats
 * @OL2TP_ATTR_IP6_SADDR: struct in6_addr, local IPv6 address
 * @OL2TP_ATTR_IP6_DADDR: struct in6_addr, peer IPv6 address
 * @OL2TP_ATTR_UDP_ZERO_CSUM6_TX: flag, send zero UDP checksums over IPv6
 * @OL2TP_ATTR_UDP_ZERO_CSUM6_RX: flag, accept zero UDP checksums over IPv6
 * @OL2TP_ATTR_PAD: padding for 64-bit attributes
 */
enum ol2tp_attr {
	OL2TP_ATTR_NONE,
	OL2TP_ATTR_PW_TYPE,
	OL2TP_ATTR_ENCAP_TYPE,
	OL2TP_ATTR_OFFSET,
	OL2TP_ATTR_DATA_SEQ,
	OL2TP_ATTR_L2SPEC_TYPE,
	OL2TP_ATTR_L2SPEC_LEN,
	OL2TP_ATTR_PROTO_VERSION,
	OL2TP_ATTR_IFNAME,
	OL2TP_ATTR_CONN_ID,
	OL2TP_ATTR_PEER_CONN_ID,
	OL2TP_ATTR_SESSION_ID,
	OL2TP_ATTR_PEER_SESSION_ID,
	OL2TP_ATTR_UDP_CSUM,
	OL2TP_ATTR_VLAN_ID,
	OL2TP_ATTR_COOKIE,
	OL2TP_ATTR_PEER_COOKIE,
	OL2TP_ATTR_DEBUG,
	OL2TP_ATTR_RECV_SEQ,
	OL2TP_ATTR_SEND_SEQ,
	OL2TP_ATTR_LNS_MODE,
	OL2TP_ATTR_USING_IPSEC,
	OL2TP_ATTR_RECV_TIMEOUT,
	OL2TP_ATTR_FD,
	OL2TP_ATTR_IP_SADDR,
	OL2TP_ATTR_IP_DADDR,
	OL2TP_ATTR_UDP_SPORT,
	OL2TP_ATTR_UDP_DPORT,
	OL2TP_ATTR_MTU,
	OL2TP_ATTR_MRU,
	OL2TP_ATTR_STATS,
	OL2TP_ATTR_IP6_SADDR,
	OL2TP_ATTR_IP6_DADDR,
	OL2TP_ATTR_UDP_ZERO_CSUM6_TX,
	OL2TP_ATTR_UDP_ZERO_CSUM6_RX,
	OL2TP_ATTR_PAD,
	__OL2TP_ATTR_MAX,
};

#define OL2TP_ATTR_MAX			(__OL2TP_ATTR_MAX - 1)

/**
 * enum ol2tp_attr_stats - counters nested in OL2TP_ATTR_STATS (all u64)
 *
 * A tunnel's counters are the sum of its sessions' plus what the tunnel
 * itself dropped before a session was found.
 */
enum ol2tp_attr_stats {
	OL2TP_ATTR_STATS_NONE,
	OL2TP_ATTR_TX_PACKETS,
	OL2TP_ATTR_TX_BYTES,
	OL2TP_ATTR_TX_ERRORS,
	OL2TP_ATTR_RX_PACKETS,
	OL2TP_ATTR_RX_BYTES,
	OL2TP_ATTR_RX_SEQ_DISCARDS,
	OL2TP_ATTR_RX_OOS_PACKETS,
	OL2TP_ATTR_RX_ERRORS,
	OL2TP_ATTR_STATS_PAD,
	OL2TP_ATTR_RX_COOKIE_DISCARDS,
	OL2TP_ATTR_RX_INVALID,
	__OL2TP_ATTR_STATS_MAX,
};

#define OL2TP_ATTR_STATS_MAX		(__OL2TP_ATTR_STATS_MAX - 1)

/* Pseudowire types (IANA L2TPv3 pseudowire types, RFC 3931 section 10.6). */
enum ol2tp_pwtype {
	OL2TP_PWTYPE_NONE = 0x0000,
	OL2TP_PWTYPE_ETH_VLAN = 0x0004,
	OL2TP_PWTYPE_ETH = 0x0005,
	OL2TP_PWTYPE_PPP = 0x0007,
	OL2TP_PWTYPE_PPP_AC = 0x0008,
	OL2TP_PWTYPE_IP = 0x000b,
	__OL2TP_PWTYPE_MAX,
};

/* Tunnel encapsulations. */
enum ol2tp_encap_type {
	OL2TP_ENCAPTYPE_UDP,
	OL2TP_ENCAPTYPE_IP,
};

/* L2-specific sublayers (RFC 3931 section 4.6). */
enum ol2tp_l2spec_type {
	OL2TP_L2SPECTYPE_NONE,
	/* 4 bytes: bit 0x40000000 is S, the low 24 bits the sequence number */
	OL2TP_L2SPECTYPE_DEFAULT,
};

/* Sequencing values as reported by older interfaces. */
enum ol2tp_seqmode {
	OL2TP_SEQ_NONE = 0,
	OL2TP_SEQ_IP = 1,
	OL2TP_SEQ_ALL = 2,
};

#endif /* _UAPI_LINUX_OL2TP_H */
