#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tp installed as its packages install it, in the guest: the modules in
# /lib/modules/R/updates/dkms (where DKMS puts them) and depmod'ed,
# /etc/modprobe.d/ol2tp.conf from modprobe/ol2tp.conf.  (The guest's root is
# the host's, read-only: /lib/modules/R is replaced by a tmpfs tree for the
# test, /etc is an overlay already; both go at the end.)
#
#  1. Module selection: from no L2TP module loaded, each way a client asks
#     for L2TP loads ol2tp's module and never Linux's l2tp_core: iproute2
#     (the "l2tp" generic netlink family), modprobe of each of Linux's
#     module names, a PPPoL2TP socket (net-pf-24-proto-1), an L2TP/IP
#     socket over IPv4 and IPv6 (net-pf-2/10-proto-115-type-2), and xl2tpd
#     probing for the kernel's L2TP support.
#  2. The systemd unit: ol2tpd runs with the unit's command lines,
#     CapabilityBoundingSet= and NoNewPrivileges= (parsed out of
#     userspace/ol2tpd/ol2tpd.service.in, through setpriv) at both ends of
#     an L2TPv2 PPP pseudowire: ExecStartPre's "ol2tpd -t" passes, ol2tpd
#     sends READY=1 to $NOTIFY_SOCKET once listening, pppd comes up and a
#     ping crosses, SIGHUP (ExecReload) is RELOADING=1 then READY=1,
#     SIGTERM is STOPPING=1.  Without those capabilities a tunnel cannot be
#     created (setpriv does restrict).
#  3. Uninstalled (modules gone; the modprobe.d file stays, as a removed but
#     not purged package leaves it): Linux's modules load again.
#
#    ns a (LAC)                  ns r                  ns b (LNS)
#  +----------------+  veth  +-----------+  veth  +----------------+
#  | ol2tpd  pppd   |--------| ra     rb |--------| ol2tpd  pppd   |
#  | (setpriv: the  |        |  router   |        | (the unit's    |
#  |  unit's caps)  |        |           |        |  caps)         |
#  | 10.1.1.1       |        |           |        | 10.1.2.1       |
#  | ppp 10.9.21.2 ====== L2TPv2 / UDP 1701 ======== 10.9.21.1       |
#  +----------------+        +-----------+        +----------------+
#  (ns a also hosts the autoload clients: ip l2tp, sockets, xl2tpd)
#
# ol2tp-timeout: 600

. "$(dirname "$0")/lib.sh"

require_root
require_impl ol2tp "installs ol2tp's modules in place of Linux's"
require_cmd depmod modprobe rmmod ip python3 setpriv pppd ping
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
R=$(uname -r)
BUILT=$TOP_DIR/build/$R
[ -f "$BUILT/ol2tp.ko" ] && [ -f "$BUILT/ol2tp_ppp.ko" ] ||
	skip_all "build/$R/ol2tp.ko and ol2tp_ppp.ko not built"
UNIT=$TOP_DIR/userspace/ol2tpd/ol2tpd.service.in
MODPROBE_CONF=$TOP_DIR/modprobe/ol2tp.conf
INTREE="l2tp_debugfs l2tp_ppp l2tp_eth l2tp_netlink l2tp_ip6 l2tp_ip l2tp_core"

dir=$(mktemp -d /tmp/ol2tp-install.XXXXXX)
cleanup_push "rm -rf $dir"
# Last of all: ours loaded again and Linux's out, as the harness expects.
cleanup_push "$TOP_DIR/scripts/ol2tp-modules load $BUILT"

# --- the install ---------------------------------------------------------------
# depmod over the whole module tree through 9p takes minutes under
# emulation, twice.  So /lib/modules/R becomes a tmpfs tree of what this test
# can load (Linux's l2tp modules, PPP, UDP tunnels, veth, what is loaded now,
# and everything those depend on), as links into the real tree, which stays
# reachable under $dir/orig.
moddir=$(readlink -f "/lib/modules/$R")
orig=$dir/orig
tree=$dir/tree
mkdir -p "$orig" "$tree"
mount --bind "$moddir" "$orig" || skip_all "cannot bind-mount /lib/modules/$R"
cleanup_push "umount $orig"
cp "$moddir"/modules.builtin* "$moddir"/modules.order "$tree/"
wanted="$INTREE pppox ppp_generic udp_tunnel ip6_udp_tunnel veth
	$(cd "$moddir" && find kernel/drivers/net/ppp -name '*.ko*' |
		sed 's|.*/||; s|\.ko.*||')
	$(awk '{ print $1 }' /proc/modules)"
for m in $wanted; do
	modprobe --show-depends "$m" 2>/dev/null
done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
	rel=${f#*/modules/"$R"/}
	mkdir -p "$tree/$(dirname "$rel")"
	ln -sf "$orig/$rel" "$tree/$rel"
done
mount --bind "$tree" "$moddir" || skip_all "cannot mount a module tree on /lib/modules/$R"
cleanup_push "umount $moddir"
cleanup_push "rm -f /etc/modprobe.d/ol2tp.conf"
diag "module tree: $(find "$tree" -name '*.ko*' | wc -l) of Linux's modules"

install_modules()
{
	install -d "$moddir/updates/dkms" &&
		install -m 644 "$BUILT/ol2tp.ko" "$BUILT/ol2tp_ppp.ko" \
			"$moddir/updates/dkms/" &&
		depmod -a "$R"
}

check "install: modules into updates/dkms, depmod" install_modules
check "install: /etc/modprobe.d/ol2tp.conf" \
	install -m 644 "$MODPROBE_CONF" /etc/modprobe.d/ol2tp.conf

topo_router || skip_all "cannot build the topology"

# unload_all: neither ours nor Linux's L2TP modules loaded.
unload_all()
{
	local m
	for m in ol2tp_ppp ol2tp $INTREE; do
		[ -d "/sys/module/$m" ] || continue
		rmmod "$m" || return 1
	done
}

loaded()
{
	[ -d "/sys/module/$1" ]
}

not_loaded()
{
	[ ! -d "/sys/module/$1" ]
}

# autoload WHAT MODULE AVOID CMD...: from nothing loaded, CMD succeeds,
# MODULE is loaded and AVOID is not.
autoload()
{
	local what=$1 want=$2 avoid=$3
	shift 3
	if ! unload_all; then
		not_ok "$what: L2TP modules unloaded first" "$(lsmod | grep l2tp)"
		return
	fi
	check "$what: succeeds" "$@"
	check "$what: loaded $want" loaded "$want"
	check "$what: $avoid not loaded" not_loaded "$avoid"
}

pppox_socket()
{
	ns_exec a python3 -c 'import socket; socket.socket(24, socket.SOCK_DGRAM, 1).close()'
}

l2tp_ip_socket()	# l2tp_ip_socket FAMILY
{
	ns_exec a python3 -c 'import socket, sys
socket.socket(int(sys.argv[1]), socket.SOCK_DGRAM, 115).close()' "$1"
}

# xl2tpd_probe: xl2tpd starts and says it uses the kernel's L2TP support
# (it opens a PPPoL2TP socket to find out).
xl2tpd_probe()
{
	local pid rc
	mkdir -p /var/run/xl2tpd
	printf '[global]\nlisten-addr = 127.0.0.1\nport = 1701\n' >"$dir/x.conf"
	ip netns exec "$(ns a)" xl2tpd -D -c "$dir/x.conf" -p "$dir/x.pid" \
		-C "$dir/x.ctl" >"$dir/x.log" 2>&1 &
	pid=$!
	wait_for 15 grep -q "Using l2tp kernel support" "$dir/x.log"
	rc=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $rc -eq 0 ] || cat "$dir/x.log"
	return $rc
}

# --- 1. module selection --------------------------------------------------------
autoload "ip l2tp show tunnel (genl family l2tp)" ol2tp l2tp_core \
	ns_exec a ip l2tp show tunnel
for m in l2tp_core l2tp_netlink l2tp_eth l2tp_ip l2tp_ip6 l2tp_debugfs; do
	autoload "modprobe $m" ol2tp l2tp_core modprobe "$m"
done
autoload "modprobe l2tp_ppp" ol2tp_ppp l2tp_core modprobe l2tp_ppp
autoload "socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP)" ol2tp_ppp l2tp_core \
	pppox_socket
autoload "socket(AF_INET, SOCK_DGRAM, 115)" ol2tp l2tp_core l2tp_ip_socket 2
autoload "socket(AF_INET6, SOCK_DGRAM, 115)" ol2tp l2tp_core l2tp_ip_socket 10
if command -v xl2tpd >/dev/null; then
	autoload "xl2tpd's kernel support probe" ol2tp_ppp l2tp_core xl2tpd_probe
else
	skip "xl2tpd's kernel support probe" "xl2tpd not installed"
fi

# --- 2. ol2tpd as the unit runs it -------------------------------------------------
# unit_value KEY: the value of KEY= in the unit (the last one).
unit_value()
{
	sed -n "s/^$1=//p" "$UNIT" | tail -n 1
}
CAPS=$(unit_value CapabilityBoundingSet)
NNP=$(unit_value NoNewPrivileges)
EXEC_PRE=$(unit_value ExecStartPre)
EXEC=$(unit_value ExecStart)
check "the unit has CapabilityBoundingSet=, ExecStartPre= and ExecStart=" \
	test -n "$CAPS" -a -n "$EXEC_PRE" -a -n "$EXEC"
# setpriv's form: CAP_NET_ADMIN CAP_X -> -all,+net_admin,+x
BOUNDING=-all$(for c in $CAPS; do
	c=${c#CAP_}
	printf ',+%s' "${c,,}"
done)
SETPRIV=(setpriv --bounding-set "$BOUNDING" --inh-caps -all)
case $NNP in yes|true|on|1) SETPRIV+=(--no-new-privs) ;; esac
diag "the unit's capabilities: $CAPS (setpriv ${SETPRIV[*]:1})"

# unit_cmd NS LINE: in CMD, the unit's command LINE for NS's daemon, its
# configuration in $dir/NS/ol2tpd/ol2tpd.conf, under the unit's
# restrictions, reporting to $dir/NS.notify.
unit_cmd()
{
	local n=$1 line=$2
	line=${line//@SBINDIR@/$OL2TP_BIN}
	line=${line//@SYSCONFDIR@/$dir/$n}
	# shellcheck disable=SC2206
	CMD=(ip netns exec "$(ns "$n")" env NOTIFY_SOCKET="$dir/$n.notify"
		"${SETPRIV[@]}" -- $line)
}

# notify_listen NS: record each datagram to $dir/NS.notify as a line of
# $dir/NS.states (what systemd would be told).
notify_listen()
{
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as f:
    print("listening", file=f)
    while True:
        f.write(s.recv(4096).decode().replace("\n", " ") + "\n")' \
		"$dir/$1.notify" "$dir/$1.states" &
	cleanup_push "kill $!"
	wait_for 5 grep -q listening "$dir/$1.states"
}

# told NS STATE [N]: NS's daemon told systemd STATE at least N times.
told()
{
	[ "$(grep -c "^$2\$" "$dir/$1.states")" -ge "${3:-1}" ]
}

conf()		# conf NS LOCAL PEER INITIATE LNS PPPD_OPTIONS
{
	mkdir -p "$dir/$1/ol2tpd"
	cat >"$dir/$1/ol2tpd/ol2tpd.conf" <<EOC
[global]
host-name = lcce-$1
listen = $2
control-socket = $dir/$1.sock
log-level = debug

[peer other]
address = $3
version = 2
initiate = $4
reconnect = 2

[pseudowire ppp]
peer = other
type = ppp
initiate = $4
lns = $5
pppd-options = "$6"
EOC
}

# start NS: the unit's ExecStartPre, then ExecStart in the background.
start()
{
	local n=$1
	unit_cmd "$n" "$EXEC_PRE"
	check "$n: ExecStartPre (ol2tpd -t) passes with the unit's capabilities" \
		"${CMD[@]}"
	unit_cmd "$n" "$EXEC"
	# ip netns exec, env and setpriv each exec the next: $! is ol2tpd.
	"${CMD[@]}" >"$dir/$n.log" 2>&1 &
	eval "pid_$n=$!"
	cleanup_push "kill $! 2>/dev/null"
}

ppp_up()	# ppp_up NS LOCAL_ADDR: a ppp interface with that address
{
	ip -n "$(ns "$1")" -4 addr show | grep -q "inet $2 peer"
}

effective_caps()	# effective_caps PID: CapEff of /proc/PID/status
{
	sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$1/status"
}

OPTS="noauth nodefaultroute noipdefault lcp-echo-interval 0"
conf a "$A4" "$B4" yes no "$OPTS"
conf b "$B4" "$A4" no yes "$OPTS 10.9.21.1:10.9.21.2"
notify_listen a
notify_listen b

start b
check "b: READY=1 once listening" wait_for 10 told b READY=1
check "b: its control socket is there by then" test -S "$dir/b.sock"
start a
check "a: READY=1" wait_for 10 told a READY=1
check_eq "ol2tpd runs with exactly the unit's capabilities" \
	"$("${SETPRIV[@]}" -- sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)" \
	"$(effective_caps "$pid_a")"
check "... which are fewer than root's" \
	test "$(effective_caps "$pid_a")" != "$(effective_caps $$)"
check "PPP up in the LAC (10.9.21.2): pppd spawned and running" \
	wait_for 40 ppp_up a 10.9.21.2
check "PPP up in the LNS (10.9.21.1)" wait_for 10 ppp_up b 10.9.21.1
check "ping across PPP" ping_ok a 10.9.21.1
pppd_a=$(sed -n 's/.*pppd started (pid \([0-9]*\)).*/\1/p' "$dir/a.log" | tail -n 1)
check_eq "pppd runs with the unit's capabilities too" \
	"$(effective_caps "$pid_a")" "$(effective_caps "${pppd_a:-0}" 2>&1)"
check "ol2tpd and pppd loaded ol2tp_ppp, not l2tp_ppp" not_loaded l2tp_ppp

kill -HUP "$pid_a"	# ExecReload
check "a: SIGHUP (ExecReload) is RELOADING=1" wait_for 10 told a RELOADING=1
check "... then READY=1 again" wait_for 10 told a READY=1 2
check "... and PPP stays up" ppp_up a 10.9.21.2

stop()		# stop NS: SIGTERM (systemctl stop), exit status in rc_NS
{
	local p
	eval "p=\$pid_$1"
	kill -TERM "$p"
	wait "$p"
	eval "rc_$1=$?"
}
stop a
stop b
check "a: SIGTERM is STOPPING=1" told a STOPPING=1
check_eq "a: ol2tpd stops cleanly" 0 "$rc_a"
check_eq "b: ol2tpd stops cleanly" 0 "$rc_b"
if [ $_tap_failed -gt 0 ]; then
	diag "$(sed 's/^/a: /' "$dir/a.log"; sed 's/^/b: /' "$dir/b.log")"
fi

# The capabilities are really enforced: a tunnel (a generic netlink admin
# request) can be created with the unit's set and not without it.
tunnel_add()
{
	ip netns exec "$(ns a)" "$@" "$OL2TP_BIN/ol2tp" tunnel add \
		tunnel_id 7 peer_tunnel_id 7 version 2 local 127.0.0.1 \
		remote 127.0.0.1 udp_sport 1707 udp_dport 1708
}
check "with the unit's capabilities ol2tp tunnel add succeeds" \
	tunnel_add "${SETPRIV[@]}" --
ns_exec a ip l2tp del tunnel tunnel_id 7 2>/dev/null
check_fail "with none of them it fails" \
	tunnel_add setpriv --bounding-set -all --inh-caps -all --
ns_exec a ip l2tp del tunnel tunnel_id 7 2>/dev/null

# --- 3. uninstalled ------------------------------------------------------------------
uninstall_modules()
{
	rm -f "$moddir/updates/dkms/ol2tp.ko" "$moddir/updates/dkms/ol2tp_ppp.ko" &&
		depmod -a "$R"
}

check "uninstall: modules removed, depmod (modprobe.d file kept)" \
	uninstall_modules
autoload "uninstalled: ip l2tp show tunnel" l2tp_netlink ol2tp \
	ns_exec a ip l2tp show tunnel
autoload "uninstalled: modprobe l2tp_eth" l2tp_eth ol2tp modprobe l2tp_eth
autoload "uninstalled: socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP)" l2tp_ppp \
	ol2tp_ppp pppox_socket
autoload "uninstalled: socket(AF_INET6, SOCK_DGRAM, 115)" l2tp_ip6 ol2tp \
	l2tp_ip_socket 10
unload_all
tap_done
