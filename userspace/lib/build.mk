# SPDX-License-Identifier: GPL-2.0
#
# userspace/lib: the netlink layer shared by ol2tp and ol2tpd, a static
# archive.  Link it with:
#
#	$(BIN)/prog: $(PROG_OBJS) $(LIBOL2TP)
#		$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)
#
# and include "ol2tp-nl.h" (netlink) or "ol2tp-ctl.h" (ol2tpd control
# socket client); userspace/lib is on the include path.

LIBOL2TP_SRCS := lib/nl.c lib/tunnel.c lib/session.c lib/monitor.c \
	lib/ctl.c
LIBOL2TP_OBJS := $(LIBOL2TP_SRCS:%.c=$(OBJ)/%.o)
LIBOL2TP := $(OBJ)/lib/libol2tp-nl.a

$(LIBOL2TP): $(LIBOL2TP_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# Unit test of the control socket's word syntax (ol2tp-ctl.h).
LIBOL2TP_CTL_TEST := $(OBJ)/lib/ctl-test

$(LIBOL2TP_CTL_TEST): $(OBJ)/lib/ctl-test.o $(LIBOL2TP)
	$(CC) $(LDFLAGS) -o $@ $^

# Unit test: attribute encoding round trips and extended-ACK decoding,
# no kernel needed.
LIBOL2TP_TEST := $(OBJ)/lib/nl-test

$(LIBOL2TP_TEST): $(OBJ)/lib/nl-test.o $(LIBOL2TP)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

.PHONY: check-lib
check-lib: $(LIBOL2TP_TEST) $(LIBOL2TP_CTL_TEST)
	$(LIBOL2TP_TEST)
	$(LIBOL2TP_CTL_TEST)

CHECKS += check-lib
