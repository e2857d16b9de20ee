#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test: the L2TP modules are loaded, register the generic-netlink
# family "l2tp" (version 1, multicast group "l2tp"), answer a request, and
# with ol2tp, unload and load again cleanly.
#
#   +-------------------------------+
#   | guest kernel                  |
#   |   ol2tp.ko  <-- genl "l2tp" --+-- genl ctrl / ip l2tp
#   +-------------------------------+
. "$(dirname "$0")/lib.sh"
require_root
require_cmd genl ip

family_registered()
{
	genl ctrl get name l2tp 2>/dev/null | grep -q 'Name: l2tp'
}

# A dump of all families never triggers module autoloading (a lookup by
# name would: the kernel asks modprobe for "net-pf-16-proto-16-family-l2tp").
family_listed()
{
	genl ctrl list 2>/dev/null | grep -q 'Name: l2tp$'
}

family_version_is_1()
{
	genl ctrl get name l2tp | grep -q 'Version: 0x1 '
}

family_has_group_l2tp()
{
	genl ctrl get name l2tp | grep -A3 -i 'multicast groups' | grep -q 'name: l2tp'
}

dump_answers()
{
	ip l2tp show tunnel >/dev/null
}

check "genl family l2tp is registered" family_registered
check "family version is 1" family_version_is_1
check "family has multicast group l2tp" family_has_group_l2tp
check "a tunnel dump is answered" dump_answers

if [ "$OL2TP_IMPL" = ol2tp ]; then
	dir=$TOP_DIR/build/$(uname -r)
	check "ol2tp.ko is the loaded module" test -d /sys/module/ol2tp
	check "unload removes the module" "$TOP_DIR/scripts/ol2tp-modules" unload
	check_fail "family is gone after unload" family_listed
	check "load again" "$TOP_DIR/scripts/ol2tp-modules" load "$dir"
	check "family is back after reload" family_listed
	check_fail "Debian's l2tp_netlink was not autoloaded instead" test -d /sys/module/l2tp_netlink
else
	check "l2tp_netlink is the loaded module" test -d /sys/module/l2tp_netlink
fi
tap_done
