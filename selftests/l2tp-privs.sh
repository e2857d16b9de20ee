#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The privilege matrix (Documentation/security.rst): what each kind of
# local user may do to L2TP objects that are not theirs.  Every operation
# is run as
#
#   root      root in netns a
#   nobody    uid 65534, no capabilities, in netns a
#   usns      root of a new user namespace and a new netns (unshare -Urn)
#             in its own netns, where it made the same targets itself
#   usns-a    root of a new user namespace (unshare -Ur) that stayed in
#             netns a: no capability over netns a, whose user namespace is
#             the initial one
#
# against these targets, made by root over netlink (by usns in its netns):
#
#    netns a (lo: 127.0.0.1 ::1)
#  +--------------------------------------------------------------------+
#  | tunnel 100 L2TPv2/UDP   PPP session 1001   (victim of PPPoL2TP)      |
#  | tunnel 200 L2TPv3/UDP   PPP sessions 2001, 2002 (2002: SESSION_DELETE)|
#  | tunnel 300 L2TPv3/IP    127.0.0.2 -> 127.0.0.3 (its conn id 300)     |
#  | tunnel 400 L2TPv3/UDP   (victim of TUNNEL_DELETE)                    |
#  +--------------------------------------------------------------------+
#
# A cell is the errno the operation ended with ("ok": it succeeded).  A
# cell "X|Y" is X with ol2tp (strict) and Y with Linux's l2tp and with
# ol2tp loaded with linux_perms=1: those are the places where Linux lets a
# local user in where ol2tp does not.
#
# With ol2tp the matrix runs strict (the default), then with the modules
# reloaded with linux_perms=1, which must reproduce Linux's column: there
# only the rows that linux_perms changes (a cell "X|Y") and the rows that
# create objects run again -- the others expect the same in both modes, and
# each cell costs a second of process starts under emulation.  With the
# in-tree modules the whole matrix runs once and checks Linux's behaviour.
#
# ol2tp-timeout: 1800

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip setpriv unshare ol2tp
P=$OL2TP_TESTBIN/l2tp-privs
G=$OL2TP_TESTBIN/l2tp-genl
[ -x "$P" ] && [ -x "$G" ] || skip_all "l2tp-privs is not built (make -C selftests bin)"

# op                        root      nobody    usns      usns-a
MATRIX='
genl-noop                   ok        ok        ok        ok
genl-tunnel-create          ok        EPERM     ok        EPERM
genl-tunnel-delete          ok        EPERM     ok        EPERM
genl-tunnel-modify          ok        EPERM     ok        EPERM
genl-tunnel-get             ok        EPERM     ok        EPERM
genl-tunnel-dump            ok        EPERM     ok        EPERM
genl-session-create         ok        EPERM     ok        EPERM
genl-session-delete         ok        EPERM     ok        EPERM
genl-session-modify         ok        EPERM     ok        EPERM
genl-session-get            ok        EPERM     ok        EPERM
genl-session-dump           ok        EPERM     ok        EPERM
mcast-join                  ok        EPERM|ok  ok        EPERM|ok
ip-create-4                 ok        ok        ok        ok
ip-bind-4                   ok        ok        ok        ok
ip-bind-4-tunnel-id         ok        EPERM|ok  ok        EPERM|ok
ip-connect-4                ok        ok        ok        ok
ip-send-4                   ok        ok        ok        ok
ip-create-6                 ok        ok        ok        ok
ip-bind-6                   ok        ok        ok        ok
ip-bind-6-tunnel-id         ok        EPERM|ok  ok        EPERM|ok
ip-connect-6                ok        ok        ok        ok
ip-send-6                   ok        ok        ok        ok
ppp-own-tunnel-v2           ok        ok        ok        ok
ppp-own-session-v2          ok        ok        ok        ok
ppp-own-session-again-v2    EEXIST    EPERM|EEXIST EEXIST EPERM|EEXIST
ppp-foreign-tunnel-v2       ok        EPERM|ok  ok        EPERM|ok
ppp-foreign-new-session-v2  ok        EPERM|ok  ok        EPERM|ok
ppp-foreign-session-v2      ok        EPERM|ok  ok        EPERM|ok
ppp-own-tunnel-v3           ok        ok        ok        ok
ppp-own-session-v3          ok        ok        ok        ok
ppp-own-session-again-v3    EEXIST    EPERM|EEXIST EEXIST EPERM|EEXIST
ppp-foreign-tunnel-v3       ok        EPERM|ok  ok        EPERM|ok
ppp-foreign-new-session-v3  ok        EPERM|ok  ok        EPERM|ok
ppp-foreign-session-v3      ok        EPERM|ok  ok        EPERM|ok
managed-fd-other-netns      EINVAL    EINVAL    EINVAL    EINVAL
'
IDENTITIES=(root nobody usns usns-a)

netns_add a

# The targets, as an "ol2tp -batch" (made by root in netns a, by usns in
# its own netns).
TARGETS='
tunnel add tunnel_id 100 peer_tunnel_id 100 version 2 encap udp local 127.0.0.1 remote 127.0.0.1 udp_sport 1100 udp_dport 1101
tunnel add tunnel_id 200 peer_tunnel_id 200 version 3 encap udp local 127.0.0.1 remote 127.0.0.1 udp_sport 1200 udp_dport 1201
tunnel add tunnel_id 300 peer_tunnel_id 300 version 3 encap ip local 127.0.0.2 remote 127.0.0.3
tunnel add tunnel_id 400 peer_tunnel_id 400 version 3 encap udp local 127.0.0.1 remote 127.0.0.1 udp_sport 1400 udp_dport 1401
session add tunnel_id 100 session_id 1001 peer_session_id 1001 pw ppp
session add tunnel_id 200 session_id 2001 peer_session_id 2001 pw ppp
session add tunnel_id 200 session_id 2002 peer_session_id 2002 pw ppp
'

# opcmd NAME: set CMD to the command line of operation NAME.  Its output
# is "ok", an errno name, or l2tp-genl's "error N: ..." (errname).
opcmd()
{
	local v=${1: -1}
	case $1 in
	genl-noop) CMD=("$G" raw 0) ;;
	genl-tunnel-create) CMD=("$G" raw 1 u32:9=700 u32:10=700 u8:7=3 u16:2=1
		u32:24=0x0400007f u32:25=0x0500007f) ;;
	genl-tunnel-delete) CMD=("$G" raw 2 u32:9=400) ;;
	genl-tunnel-modify) CMD=("$G" raw 3 u32:9=200 u32:17=1) ;;
	genl-tunnel-get) CMD=("$G" raw 4 u32:9=200) ;;
	genl-tunnel-dump) CMD=("$G" raw --dump 4) ;;
	genl-session-create) CMD=("$G" raw 5 u32:9=200 u32:11=2500 u32:12=2500
		u16:1=7) ;;
	genl-session-delete) CMD=("$G" raw 6 u32:9=200 u32:11=2002) ;;
	genl-session-modify) CMD=("$G" raw 7 u32:9=200 u32:11=2001 u32:17=1) ;;
	genl-session-get) CMD=("$G" raw 8 u32:9=200 u32:11=2001) ;;
	genl-session-dump) CMD=("$G" raw --dump 8) ;;
	mcast-join) CMD=("$P" mcast-join) ;;
	ip-create-[46]) CMD=("$P" ip-create "$v") ;;
	ip-bind-[46]) CMD=("$P" ip-bind "$v" 701) ;;
	ip-bind-[46]-tunnel-id) CMD=("$P" ip-bind "${1:8:1}" 300) ;;
	ip-connect-[46]) CMD=("$P" ip-connect "$v" 702 703) ;;
	ip-send-[46]) CMD=("$P" ip-send "$v" 704 705) ;;
	ppp-own-tunnel-v[23]) CMD=("$P" ppp-own-tunnel "$v" "${v}50") ;;
	ppp-own-session-v[23]) CMD=("$P" ppp-own-session "$v" "${v}50" 51) ;;
	ppp-own-session-again-v[23])
		CMD=("$P" ppp-own-session-again "$v" "${v}50" 51) ;;
	ppp-foreign-tunnel-v[23]) CMD=("$P" ppp-foreign-tunnel "$v" "${v}00") ;;
	ppp-foreign-new-session-v[23])
		CMD=("$P" ppp-foreign-new-session "$v" "${v}00" "${v}999") ;;
	ppp-foreign-session-v[23])
		CMD=("$P" ppp-foreign-session "$v" "${v}00" "${v}001") ;;
	managed-fd-other-netns) CMD=("$P" managed-fd-other-netns 800) ;;
	*) CMD=(echo "?unknown-op") ;;
	esac
}

# errname: l2tp-genl's "error N: ..." as an errno name; other words as
# they are.
errname()
{
	local line
	read -r line
	case $line in
	"error 1:"*) echo EPERM ;;
	"error 2:"*) echo ENOENT ;;
	"error 17:"*) echo EEXIST ;;
	"error 22:"*) echo EINVAL ;;
	*) echo "$line" ;;
	esac
}

# needs_targets OP: does OP act on the targets (or on their conn ids)?
needs_targets()
{
	case $1 in
	genl-tunnel-create|genl-noop|mcast-join|ip-*-[46]|ppp-own-*|managed-*)
		return 1 ;;
	esac
	return 0
}

# restore OP: root in netns a undoes what OP may have done to the targets
# (deleted one, or left an object behind).  Errors ignored: OP may have
# been refused.
restore()
{
	local fix=
	case $1 in
	genl-tunnel-create) fix="tunnel del tunnel_id 700" ;;
	genl-tunnel-delete) fix=$(grep "tunnel_id 400" <<<"$TARGETS") ;;
	genl-session-create) fix="session del tunnel_id 200 session_id 2500" ;;
	genl-session-delete) fix=$(grep "session_id 2002" <<<"$TARGETS") ;;
	ppp-foreign-session-v2) fix=$(grep "session_id 1001" <<<"$TARGETS") ;;
	ppp-foreign-session-v3) fix=$(grep "session_id 2001" <<<"$TARGETS") ;;
	esac
	[ -z "$fix" ] || ns_exec a ol2tp $fix >/dev/null 2>&1
}

# as ID OP: OP's result for identity ID.
as()
{
	local id=$1 pre=: q
	opcmd "$2"
	case $id in
	root)
		ns_exec a "${CMD[@]}"
		;;
	nobody)
		ns_exec a setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all --bounding-set=-all "${CMD[@]}"
		;;
	usns)
		needs_targets "$2" && pre="ol2tp -batch - <<<'$TARGETS' >/dev/null"
		printf -v q '%q ' "${CMD[@]}"
		ns_exec a unshare -Urn bash -c "ip link set lo up; $pre; exec $q"
		;;
	usns-a)
		ns_exec a unshare -Ur "${CMD[@]}"
		;;
	esac 2>&1 | errname
}

# cell ROWCELL MODE: the expected value of a cell for MODE (strict|linux).
cell()
{
	case $2 in
	strict) echo "${1%|*}" ;;
	linux) echo "${1#*|}" ;;
	esac
}

# run_matrix MODE [differing]: one check per operation, its four results
# against the table's MODE column; with "differing", only the rows that
# differ between the modes and the rows that create.
run_matrix()
{
	local mode=$1 only=${2:-} name cells c want got id i
	while read -r name cells; do
		[ -n "$name" ] || continue
		if [ "$only" = differing ]; then
			case "$name $cells" in
			*"|"*|*-create*) ;;
			*) continue ;;
			esac
		fi
		want= got=
		i=0
		for c in $cells; do
			id=${IDENTITIES[i++]}
			want+="$id=$(cell "$c" "$mode") "
			got+="$id=$(as "$id" "$name") "
			restore "$name"
		done
		check_eq "$name ($mode)" "$want" "$got"
	done <<<"$MATRIX"
}

# linux_differs: diag lines for the cells where Linux (and linux_perms=1)
# lets in what ol2tp refuses, or tells what ol2tp does not.
linux_differs()
{
	local name cells c id i
	while read -r name cells; do
		[ -n "$name" ] || continue
		i=0
		for c in $cells; do
			id=${IDENTITIES[i++]}
			case $c in
			*"|"*) diag "ol2tp ${c%|*}, Linux ${c#*|}: $name as $id" ;;
			esac
		done
	done <<<"$MATRIX"
}

check "root made the targets" ns_exec a ol2tp -batch - <<<"$TARGETS"
check "... which GET finds" ns_exec a "$G" get session 200 2001

linux_differs
if [ "$OL2TP_IMPL" = intree ]; then
	run_matrix linux
	tap_done
fi

R=$(uname -r)
mods=$TOP_DIR/scripts/ol2tp-modules
check_eq "ol2tp is loaded strict (linux_perms=N)" N \
	"$(cat /sys/module/ol2tp/parameters/linux_perms)"
run_matrix strict

# --- linux_perms=1: Linux's privilege model -----------------------------------
# drop_targets: PPP sessions hold ol2tp_ppp, so they go before an unload.
drop_targets()
{
	local t
	for t in 100 200 300 400; do
		ns_exec a ol2tp tunnel del tunnel_id $t
	done
} >/dev/null 2>&1
cleanup_push "drop_targets; $mods unload; $mods load"
reload_linux_perms()
{
	drop_targets
	"$mods" unload &&
		insmod "$TOP_DIR/build/$R/ol2tp.ko" linux_perms=1 &&
		"$mods" load
}
check "reload ol2tp with linux_perms=1" reload_linux_perms
check "root made the targets again" ns_exec a ol2tp -batch - <<<"$TARGETS"
check_eq "the parameter reads Y" Y \
	"$(cat /sys/module/ol2tp/parameters/linux_perms)"
run_matrix linux differing
tap_done
