#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPsec policies set on an L2TP/IP socket itself (IP_XFRM_POLICY,
# IPV6_XFRM_POLICY), IPv4 and IPv6: a socket whose inbound policy requires
# ESP drops control messages sent in clear and takes those sent through
# ESP; a managed tunnel reports USING_IPSEC exactly when its socket has a
# policy.  The checks are in l2tp-ip-sockpolicy.c; this wrapper builds the
# namespaces, installs ESP transport-mode SAs both ways (no policies in the
# namespaces' databases) and turns the program's lines into TAP.
#
#    netns a                                 netns b
#  +------------------------+   veth   +------------------------+
#  | sockets sa sc sd       |----------| socket sb              |
#  | SAs a->b, b->a         |          | SAs a->b, b->a         |
#  +------------------------+          +------------------------+
#   10.9.0.1  fd00:9::1                  10.9.0.2  fd00:9::2
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip
prog=$OL2TP_TESTBIN/l2tp-ip-sockpolicy
[ -x "$prog" ] || skip_all "$prog not built (make -C selftests bin)"

netns_add a b || skip_all "cannot create network namespaces"
veth_add a eth0 b eth0
addr_add a eth0 10.9.0.1/24
addr_add b eth0 10.9.0.2/24
addr_add a eth0 fd00:9::1/64
addr_add b eth0 fd00:9::2/64
wait_for 5 ping_ok a fd00:9::2 1

# sa_add SRC DST SPI KEY: the same ESP transport SA in both namespaces
sa_add()
{
	local n
	for n in a b; do
		ip -n "$(ns $n)" xfrm state add src "$1" dst "$2" proto esp \
			spi "$3" mode transport aead "rfc4106(gcm(aes))" "$4" 128 ||
			return 1
	done
}
check "ESP transport SAs both ways, IPv4 and IPv6" sh -c "
	$(declare -f ns sa_add); SUFFIX=$SUFFIX
	sa_add 10.9.0.1 10.9.0.2 0x101 0x0102030405060708090a0b0c0d0e0f1011121314 &&
	sa_add 10.9.0.2 10.9.0.1 0x102 0x2122232425262728292a2b2c2d2e2f3031323334 &&
	sa_add fd00:9::1 fd00:9::2 0x103 0x4142434445464748494a4b4c4d4e4f5051525354 &&
	sa_add fd00:9::2 fd00:9::1 0x104 0x6162636465666768696a6b6c6d6e6f7071727374" ||
	tap_done

out=$(mktemp)
cleanup_push "rm -f $out"
"$prog" "/var/run/netns/$(ns a)" "/var/run/netns/$(ns b)" \
	10.9.0.1 10.9.0.2 fd00:9::1 fd00:9::2 >"$out" 2>&1
echo "EXIT $?" >>"$out"
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*) rest=${line#FAIL }; not_ok "${rest%% -- *}" "${rest#* -- }" ;;
	"SKIP "*) rest=${line#SKIP }; skip "${rest%% -- *}" "${rest#* -- }" ;;
	"EXIT "*)
		rc=${line#EXIT }
		[ "$rc" = 0 ] || [ "$rc" = 1 ] ||
			not_ok "l2tp-ip-sockpolicy ran to its end" "exit status $rc" ;;
	*) diag "$line" ;;
	esac
done <"$out"
tap_done
