/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs ol2tp builds against (Debian 6.1 and
 * 6.12).  Nothing else in kernel/ tests a kernel version.
 */
#ifndef _OL2TP_COMPAT_H
#define _OL2TP_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <linux/ipv6.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_gso_segment() moved to <net/gso.h> in 6.5. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

/* Lockless transmit became a netdev bit (dev->lltx) in 6.12. */
static inline void ol2tp_netdev_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * Where an IPv6 socket's struct ipv6_pinfo sits: 6.6+ reads it from the
 * proto (ipv6_pinfo_offset); before, it must be the object's last member.
 */
static inline void ol2tp_compat_proto_set_ipv6_pinfo(struct proto *prot,
						     unsigned int offset)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	prot->ipv6_pinfo_offset = offset;
#endif
}

/*
 * Whether the socket asked for IP_RECVERR (IPV6_RECVERR): a bit of
 * inet_flags from 6.6 (IPv4) and 6.7 (IPv6), bitfields before.
 */
static inline bool ol2tp_sk_recverr(const struct sock *sk)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return inet_test_bit(RECVERR, sk);
#else
	return inet_sk(sk)->recverr;
#endif
}

#if IS_ENABLED(CONFIG_IPV6)
static inline bool ol2tp_sk_recverr6(const struct sock *sk)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return inet6_test_bit(RECVERR6, sk);
#else
	return inet6_sk(sk)->recverr;
#endif
}
#endif

/*
 * GRO for the UDP tunnel socket.  Before 6.9 the complete phase reads the
 * outer IP header (to look the tunnel socket up) and the inner one (for
 * the TCP pseudo-header) both through skb->network_header, which the
 * receive phase leaves at the innermost: the lookup, with inner addresses,
 * misses a socket bound to an address and the merged packet goes up
 * mangled.  6.9 keeps both offsets in the GRO control block.  Before it,
 * the socket's callbacks put the header back at the outer IP after the
 * inner receive and at the inner IP for the inner complete.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
#define OL2TP_GRO_NH_FIXUP 1
#else
#define OL2TP_GRO_NH_FIXUP 0
#endif

#endif /* _OL2TP_COMPAT_H */
