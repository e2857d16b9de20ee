# SPDX-License-Identifier: GPL-2.0
#
# userspace/ol2tp: the ip-style tool, its man page and bash completion.

OL2TP_SRCS := ol2tp/main.c ol2tp/args.c ol2tp/output.c ol2tp/tunnel.c \
	ol2tp/session.c ol2tp/monitor.c ol2tp/ctl.c ol2tp/peer.c \
	ol2tp/pseudowire.c
OL2TP_OBJS := $(OL2TP_SRCS:%.c=$(OBJ)/%.o)

$(BIN)/ol2tp: $(OL2TP_OBJS) $(LIBOL2TP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

PROGS += $(BIN)/ol2tp

# Host-side check: usage errors need no kernel (parsed before any request).
.PHONY: check-ol2tp-usage
check-ol2tp-usage: $(BIN)/ol2tp
	OL2TP=$(BIN)/ol2tp $(TOP)/userspace/ol2tp/usage-test.sh

CHECKS += check-ol2tp-usage

# Host-side check of the ol2tpd client against a stand-in daemon.
.PHONY: check-ol2tp-ctl
check-ol2tp-ctl: $(BIN)/ol2tp
	OL2TP=$(BIN)/ol2tp $(TOP)/userspace/ol2tp/ctl-test.sh

CHECKS += check-ol2tp-ctl

.PHONY: install-ol2tp
install-ol2tp: $(BIN)/ol2tp
	install -d $(DESTDIR)$(PREFIX)/sbin \
		$(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BIN)/ol2tp $(DESTDIR)$(PREFIX)/sbin/ol2tp
	install -m 644 $(TOP)/Documentation/ol2tp.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/ol2tp.8
	install -m 644 $(TOP)/userspace/ol2tp/completion/ol2tp \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ol2tp

INSTALL_RULES += install-ol2tp

.PHONY: uninstall-ol2tp
uninstall-ol2tp:
	rm -f $(DESTDIR)$(PREFIX)/sbin/ol2tp \
		$(DESTDIR)$(PREFIX)/share/man/man8/ol2tp.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ol2tp

UNINSTALL_RULES += uninstall-ol2tp
