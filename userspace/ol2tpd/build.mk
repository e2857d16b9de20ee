# SPDX-License-Identifier: GPL-2.0
#
# userspace/ol2tpd: the L2TPv3/L2TPv2 control daemon.
#
# The protocol engine (codec, reliable delivery, state machines) is a static
# archive with no I/O of its own, so the unit tests and the libFuzzer target
# link exactly the code the daemon runs.
#
#   make check-ol2tpd        unit tests (TAP) + a bounded fuzzing run
#   make fuzz-ol2tpd FUZZ_TIME=600   fuzz the parser for longer

OL2TPD_CORE_SRCS := ol2tpd/proto.c ol2tpd/avp.c ol2tpd/auth.c ol2tpd/msg.c \
	ol2tpd/msg-build.c \
	ol2tpd/rd.c ol2tpd/engine.c ol2tpd/engine-cc.c ol2tpd/engine-auth.c \
	ol2tpd/engine-info.c ol2tpd/session.c ol2tpd/config.c \
	ol2tpd/config-keys.c ol2tpd/config-values.c
OL2TPD_CORE_OBJS := $(OL2TPD_CORE_SRCS:%.c=$(OBJ)/%.o)
OL2TPD_CORE := $(OBJ)/ol2tpd/libol2tpd-core.a
CRYPTO_LIBS := $(shell pkg-config --libs libcrypto)

$(OL2TPD_CORE): $(OL2TPD_CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# Unit tests: one program per layer, each prints TAP 13.
OL2TPD_TESTS := test_codec test_rd test_engine test_config
OL2TPD_TEST_BINS := $(OL2TPD_TESTS:%=$(OBJ)/ol2tpd/tests/%)

$(OBJ)/ol2tpd/tests/%: $(OBJ)/ol2tpd/tests/%.o $(OL2TPD_CORE)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(OL2TPD_CORE) $(CRYPTO_LIBS)

# The programs of several files: the main file, then its parts by concern.
OL2TPD_TEST_PARTS := $(addprefix $(OBJ)/ol2tpd/tests/, \
	test_engine_sess.o test_engine_cc.o \
	test_codec_auth.o test_codec_malformed.o)
$(OBJ)/ol2tpd/tests/test_engine: $(addprefix $(OBJ)/ol2tpd/tests/, \
	test_engine_sess.o test_engine_cc.o)
$(OBJ)/ol2tpd/tests/test_codec: $(addprefix $(OBJ)/ol2tpd/tests/, \
	test_codec_auth.o test_codec_malformed.o)

.PHONY: check-ol2tpd check-ol2tpd-unit check-ol2tpd-fuzz fuzz-ol2tpd
.SECONDARY: $(OL2TPD_TEST_BINS:%=%.o) $(OL2TPD_TEST_PARTS)

check-ol2tpd-unit: $(OL2TPD_TEST_BINS)
	@rc=0; \
	$(OBJ)/ol2tpd/tests/test_codec ol2tpd/tests/vectors || rc=1; \
	$(OBJ)/ol2tpd/tests/test_rd || rc=1; \
	$(OBJ)/ol2tpd/tests/test_engine || rc=1; \
	$(OBJ)/ol2tpd/tests/test_config $(TOP)/Documentation/ol2tpd.conf.5 || rc=1; \
	exit $$rc

# Wireshark's dissector as a second opinion on every message we build.
.PHONY: check-ol2tpd-tshark
check-ol2tpd-tshark: $(OBJ)/ol2tpd/tests/test_engine
	@ol2tpd/tests/tshark-check $(OBJ)/ol2tpd/tests/test_engine \
		$(BUILD)/ol2tpd-tshark

# libFuzzer target for the message parser: built with clang, run for
# FUZZ_TIME seconds from a seed corpus of the captured vectors.
FUZZ_CC ?= clang
FUZZ_TIME ?= 20
FUZZ_DIR := $(BUILD)/fuzz/ol2tpd
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_MSG := $(FUZZ_DIR)/fuzz_msg
FUZZ_ENGINE := $(FUZZ_DIR)/fuzz_engine
FUZZ_ENGINE_TIME ?= 15
FUZZ_CONFIG := $(FUZZ_DIR)/fuzz_config
FUZZ_CONFIG_TIME ?= 10

$(FUZZ_MSG): ol2tpd/tests/fuzz_msg.c $(OL2TPD_CORE_SRCS) $(wildcard ol2tpd/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ \
		ol2tpd/tests/fuzz_msg.c $(OL2TPD_CORE_SRCS) $(CRYPTO_LIBS)

HAVE_FUZZ_CC := $(shell command -v $(FUZZ_CC) >/dev/null 2>&1 && echo y)

ifeq ($(HAVE_FUZZ_CC),y)
$(FUZZ_ENGINE): ol2tpd/tests/fuzz_engine.c $(OL2TPD_CORE_SRCS) \
		$(wildcard ol2tpd/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ \
		ol2tpd/tests/fuzz_engine.c $(OL2TPD_CORE_SRCS) $(CRYPTO_LIBS)

$(FUZZ_CONFIG): ol2tpd/tests/fuzz_config.c $(OL2TPD_CORE_SRCS) \
		$(wildcard ol2tpd/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ \
		ol2tpd/tests/fuzz_config.c $(OL2TPD_CORE_SRCS) $(CRYPTO_LIBS)

# The engine fuzzer starts from real exchanges: the test_engine dumps.
check-ol2tpd-fuzz: $(FUZZ_MSG) $(FUZZ_ENGINE) $(FUZZ_CONFIG) \
		$(OBJ)/ol2tpd/tests/test_engine
	@ol2tpd/tests/run-fuzz $(FUZZ_MSG) $(FUZZ_TIME) $(FUZZ_DIR)/msg \
		ol2tpd/tests/vectors ol2tpd/tests/fuzz-regressions
	@mkdir -p $(FUZZ_DIR)/engine-dumps
	@$(OBJ)/ol2tpd/tests/test_engine $(FUZZ_DIR)/engine-dumps >/dev/null
	@ol2tpd/tests/engine-seeds $(FUZZ_DIR)/engine-dumps \
		$(FUZZ_DIR)/engine/seeds
	@ol2tpd/tests/run-fuzz $(FUZZ_ENGINE) $(FUZZ_ENGINE_TIME) \
		$(FUZZ_DIR)/engine -
	@mkdir -p $(FUZZ_DIR)/config/seeds
	@cp ol2tpd/tests/config-seeds/*.conf $(FUZZ_DIR)/config/seeds/
	@ol2tpd/tests/run-fuzz $(FUZZ_CONFIG) $(FUZZ_CONFIG_TIME) \
		$(FUZZ_DIR)/config -
else
check-ol2tpd-fuzz:
	@printf 'TAP version 13\nok 1 - fuzz ol2tpd parser # SKIP %s not found\n1..1\n' \
		"$(FUZZ_CC)"
endif

fuzz-ol2tpd: check-ol2tpd-fuzz

check-ol2tpd: check-ol2tpd-unit check-ol2tpd-tshark check-ol2tpd-fuzz

CHECKS += check-ol2tpd

# The daemon.
OL2TPD_OBJS := $(addprefix $(OBJ)/ol2tpd/,daemon.o transport.o glue.o kernel.o \
	calls.o pppd.o ctlsrv.o reload.o log.o ppp.o notify.o hooks.o)

$(BIN)/ol2tpd: $(OL2TPD_OBJS) $(OL2TPD_CORE) $(LIBOL2TP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS) $(CRYPTO_LIBS)

PROGS += $(BIN)/ol2tpd

# The example configuration is installed only where there is none: an
# operator's file is never overwritten (in the package it is a conffile).
.PHONY: install-ol2tpd
install-ol2tpd: $(BIN)/ol2tpd
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSCONFDIR)/ol2tpd
	install -m 755 $(BIN)/ol2tpd $(DESTDIR)$(PREFIX)/sbin/ol2tpd
	install -m 644 $(TOP)/Documentation/ol2tpd.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/ol2tpd.8
	install -m 644 $(TOP)/Documentation/ol2tpd.conf.5 \
		$(DESTDIR)$(PREFIX)/share/man/man5/ol2tpd.conf.5
	sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' \
		-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' ol2tpd/ol2tpd.service.in \
		> $(DESTDIR)$(UNITDIR)/ol2tpd.service
	chmod 644 $(DESTDIR)$(UNITDIR)/ol2tpd.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/ol2tpd/ol2tpd.conf ] || \
		install -m 644 ol2tpd/ol2tpd.conf.example \
			$(DESTDIR)$(SYSCONFDIR)/ol2tpd/ol2tpd.conf

INSTALL_RULES += install-ol2tpd

# The configuration stays, as a removed (not purged) package leaves it.
.PHONY: uninstall-ol2tpd
uninstall-ol2tpd:
	rm -f $(DESTDIR)$(PREFIX)/sbin/ol2tpd \
		$(DESTDIR)$(PREFIX)/share/man/man8/ol2tpd.8 \
		$(DESTDIR)$(PREFIX)/share/man/man5/ol2tpd.conf.5 \
		$(DESTDIR)$(UNITDIR)/ol2tpd.service

UNINSTALL_RULES += uninstall-ol2tpd
