#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PPP module loads itself once installed: socket(AF_PPPOX, SOCK_DGRAM,
# PX_PROTO_OL2TP) makes the kernel ask for "net-pf-24-proto-1", and a netlink
# SESSION_CREATE with pseudowire type 7 for "net-ol2tp-pw-7" (Linux's
# l2tp_ppp: "net-l2tp-type-7").  For ol2tp, "installed" is simulated: a
# module tree of its own in a temporary directory (our modules plus the ones
# they depend on, depmod'ed) and the kernel's modprobe helper pointed at it
# for the duration of the test.
#
#    ns a (lo)
#    +--------------------------------------------------+
#    | socket(AF_PPPOX, .., 1)   -> request_module ...  |
#    | ol2tp session add .. pw ppp -> request_module .. |
#    +--------------------------------------------------+
. "$(dirname "$0")/lib.sh"
require_root
require_cmd depmod modprobe python3
[ -x "$OL2TP_BIN/ol2tp" ] || skip_all "ol2tp not built (make userspace)"
R=$(uname -r)

if [ "$OL2TP_IMPL" = ol2tp ]; then
	MOD=ol2tp_ppp
	[ -f "$TOP_DIR/build/$R/ol2tp_ppp.ko" ] ||
		skip_all "build/$R/ol2tp_ppp.ko not built"
	root=$(mktemp -d)
	cleanup_push "rm -rf $root"
	mkdir -p "$root/lib/modules/$R/kernel" "$root/lib/modules/$R/extra"
	for m in ppp_generic pppox slhc udp_tunnel ip6_udp_tunnel; do
		f=$(modinfo -n "$m" 2>/dev/null)
		case $f in /*) ln -s "$f" "$root/lib/modules/$R/kernel/" ;; esac
	done
	cp /lib/modules/"$R"/modules.builtin* /lib/modules/"$R"/modules.order \
		"$root/lib/modules/$R/" 2>/dev/null
	cp "$TOP_DIR/build/$R/ol2tp.ko" "$TOP_DIR/build/$R/ol2tp_ppp.ko" \
		"$root/lib/modules/$R/extra/"
	depmod -b "$root" "$R" || skip_all "depmod failed"
	printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$root" >"$root/modprobe"
	chmod +x "$root/modprobe"
	old=$(cat /proc/sys/kernel/modprobe)
	cleanup_push "echo $old >/proc/sys/kernel/modprobe"
	echo "$root/modprobe" >/proc/sys/kernel/modprobe
	# Whatever happens, leave the module loaded as the harness expects.
	cleanup_push "[ -d /sys/module/ol2tp_ppp ] || insmod $TOP_DIR/build/$R/ol2tp_ppp.ko"
else
	MOD=l2tp_ppp
	cleanup_push "modprobe l2tp_ppp"
fi

netns_add a || skip_all "cannot create a network namespace"

unload()
{
	[ -d "/sys/module/$MOD" ] || return 0
	rmmod "$MOD"
}

check "$MOD can be unloaded (nothing uses it)" unload
check "socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP) succeeds" \
	ns_exec a python3 -c 'import socket; socket.socket(24, socket.SOCK_DGRAM, 1).close()'
check "... and loaded $MOD" test -d "/sys/module/$MOD"

check "$MOD can be unloaded again" unload
check "a tunnel for the PPP session" \
	ol2tp -n "$(ns a)" tunnel add tunnel_id 1 peer_tunnel_id 2 version 2 \
	local 127.0.0.1 remote 127.0.0.1 udp_sport 1701 udp_dport 1702
check "SESSION_CREATE with pseudowire type 7 succeeds" \
	ol2tp -n "$(ns a)" session add tunnel_id 1 session_id 1 peer_session_id 2 pw ppp
check "... and loaded $MOD" test -d "/sys/module/$MOD"
ol2tp -n "$(ns a)" tunnel del tunnel_id 1
tap_done
