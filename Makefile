# SPDX-License-Identifier: GPL-2.0
#
# ol2tp top-level Makefile.
#
#   make                 modules for $(KERNELRELEASE) + userspace (userspace
#                        only, and a line on how to build the modules, when
#                        the running kernel has no headers)
#   make modules         kernel modules into build/$(KERNELRELEASE)/
#   make modules-all     modules for every test kernel (scripts/test-kernels)
#   make userspace       ol2tp, ol2tpd into build/bin/
#   make check           unit tests + selftests in a VM on every test kernel,
#                        then interop: ol2tp and Debian's l2tp in two guests
#                        on one wire (TESTS=interop runs only that)
#   make check-intree    the same selftests against Debian's net/l2tp
#   make check-debug     the selftests in a debug kernel (KASAN, lockdep, ...)
#   make check-debug-intree  the same against Debian's net/l2tp in that kernel
#   make debug-kernel    build that kernel (once; scripts/debug-kernel)
#   make check-packaging Debian packages, lintian, dkms build (host; part of
#                        make check)
#   make demo            ol2tpd in two netns: Ethernet and PPP pseudowires
#   make bench           in-tree vs ol2tp benchmark table (not a test)
#   make vm-shell        an interactive guest (KERNELRELEASE selects kernel)
#   make load / unload   swap Debian's l2tp modules for ours (root)
#   make install         modules, binaries, man pages, systemd unit, the
#                        modprobe.d file that makes ours win (root)
#   make uninstall       remove them again (the configuration stays)
#   make install-userspace   the same without the modules (the ol2tp package)
#   make dkms-install    sources into /usr/src/ol2tp-VERSION, dkms add,
#                        build and install for KERNELRELEASE (root)
#   make dkms-remove     dkms remove for every kernel, sources gone (root)
#   make checkpatch      checkpatch.pl over kernel/
#
# Useful variables: KERNELRELEASE=R (or KDIR=path), KERNELS="R1 R2" for
# check, TESTS="name ..." to run only some selftests, V=1, OL2TP_WERROR=
# (empty: kernel warnings are not errors), DESTDIR, PREFIX, SYSCONFDIR.

TOP := $(CURDIR)
BUILD := $(TOP)/build

TEST_KERNELS := $(shell $(TOP)/scripts/test-kernels)

# The kernel to build for: the running one when its headers are installed.
# Neither KERNELRELEASE nor KDIR given: plain "make" builds the modules only
# where that kernel's headers are, and says how otherwise.
ifeq ($(origin KERNELRELEASE)$(origin KDIR),undefinedundefined)
MODULES_OPTIONAL := y
endif
ifeq ($(KDIR),)
KERNELRELEASE ?= $(shell uname -r)
KDIR := /lib/modules/$(KERNELRELEASE)/build
else
KERNELRELEASE ?= $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
endif

KERNELS ?= $(TEST_KERNELS)
TESTS ?=
DESTDIR ?=
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc

# The version, from its one place: the top entry of debian/changelog.
OL2TP_VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' $(TOP)/debian/changelog)

# Kernel warnings are errors when building from the checkout (kernel/Kbuild);
# DKMS builds for users' kernels do not set it.
OL2TP_WERROR ?= y

export TOP BUILD OL2TP_WERROR OL2TP_VERSION

.PHONY: all modules modules-all userspace selftests-bin check check-intree \
	check-debug check-debug-intree debug-kernel \
	check-host demo bench vm-shell load unload install clean checkpatch \
	deps check-packaging install-modules install-userspace uninstall dkms-source \
	dkms-install dkms-remove

# One line, for "make" and "make modules" alike, when there are no headers.
HEADER_RELEASES = $(patsubst /lib/modules/%/build,%,$(wildcard /lib/modules/*/build))
NO_HEADERS = no kernel headers for $(KERNELRELEASE) ($(KDIR)): build the \
	modules with 'make modules KERNELRELEASE=R' (headers installed for: \
	$(or $(HEADER_RELEASES),none)) or 'make modules KDIR=/path/to/build', \
	or install the test kernels and their headers with scripts/install-deps

ifeq ($(MODULES_OPTIONAL)$(wildcard $(KDIR)/Makefile),y)
# userspace first, then the line that says the modules were left out
all: userspace
	@echo "ol2tp: built userspace only; $(NO_HEADERS)" >&2
else
all: modules userspace
endif

deps:
	@$(TOP)/scripts/install-deps --check >/dev/null 2>&1 || \
		$(TOP)/scripts/install-deps

# Out-of-tree kbuild writes objects next to the sources, so each release
# builds in its own tree of symlinks (build/R/src) and the modules are copied
# to build/R/: two releases never clobber each other's objects.
modules:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "error: $(NO_HEADERS)" >&2; \
		exit 1; \
	fi
	@$(TOP)/scripts/kbuild-tree $(BUILD)/$(KERNELRELEASE)/src
	$(MAKE) -C $(KDIR) M=$(BUILD)/$(KERNELRELEASE)/src modules
	@find $(BUILD)/$(KERNELRELEASE)/src -name '*.ko' -exec cp -f {} $(BUILD)/$(KERNELRELEASE)/ \;
	@ls $(BUILD)/$(KERNELRELEASE)/*.ko

modules-all:
	@set -e; for r in $(KERNELS); do \
		$(MAKE) --no-print-directory modules KERNELRELEASE=$$r KDIR=/lib/modules/$$r/build; \
	done

userspace:
	$(MAKE) -C userspace

selftests-bin:
	$(MAKE) -C selftests bin

check: deps
	$(TOP)/scripts/check --impl ol2tp $(if $(KERNELS),--kernels "$(KERNELS)") $(if $(TESTS),--tests "$(TESTS)")

# The packaging part of make check alone: packages, lintian, dkms build.
check-packaging: deps
	$(TOP)/scripts/packaging $(if $(KERNELS),--kernels "$(KERNELS)")

check-intree: deps
	$(TOP)/scripts/check --impl intree $(if $(KERNELS),--kernels "$(KERNELS)") $(if $(TESTS),--tests "$(TESTS)")

check-debug: deps
	$(TOP)/scripts/check --debug --impl ol2tp $(if $(TESTS),--tests "$(TESTS)")

check-debug-intree: deps
	$(TOP)/scripts/check --debug --impl intree $(if $(TESTS),--tests "$(TESTS)")

debug-kernel: deps
	$(TOP)/scripts/debug-kernel

demo: deps
	$(TOP)/scripts/demo

bench: deps
	$(TOP)/scripts/bench

vm-shell: modules userspace
	$(TOP)/scripts/vm-run --kernel $(KERNELRELEASE) --shell

load:
	$(TOP)/scripts/ol2tp-modules load $(BUILD)/$(shell uname -r)

unload:
	$(TOP)/scripts/ol2tp-modules unload

# Files land where the packages put them (debian/rules runs
# install-userspace with PREFIX=/usr): modules in
# /lib/modules/R/extra (DKMS: updates/dkms), ol2tp and ol2tpd in
# PREFIX/sbin, man pages, bash completion, the systemd unit, an example
# /etc/ol2tpd/ol2tpd.conf (only if there is none) and
# /etc/modprobe.d/ol2tp.conf.
install: install-modules install-userspace

install-modules: modules
	install -d $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra
	install -m 644 $(BUILD)/$(KERNELRELEASE)/*.ko $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/
	[ -n "$(DESTDIR)" ] || depmod -a $(KERNELRELEASE)

install-userspace: userspace
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SYSCONFDIR=$(SYSCONFDIR)
	install -d $(DESTDIR)$(SYSCONFDIR)/modprobe.d
	install -m 644 $(TOP)/modprobe/ol2tp.conf \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d/ol2tp.conf

# What install put there; /etc/ol2tpd/ol2tpd.conf stays (remove it by hand).
uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/ol2tp.ko \
		$(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/ol2tp_ppp.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KERNELRELEASE)
	$(MAKE) -C userspace uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SYSCONFDIR=$(SYSCONFDIR)
	rm -f $(DESTDIR)$(SYSCONFDIR)/modprobe.d/ol2tp.conf

# The DKMS source tree, /usr/src/ol2tp-VERSION: dkms.conf, the kbuild files
# and kernel/ (what ol2tp-dkms ships).  DKMS_SRC= puts it elsewhere.
DKMS_SRC ?= $(DESTDIR)/usr/src/ol2tp-$(OL2TP_VERSION)
# (kernel/tests/ is host unit tests, not module code.)
DKMS_FILES := Kbuild $(shell cd $(TOP) && find kernel -path kernel/tests -prune \
	-o \( -name '*.[ch]' -o -name Kbuild \) -print)

dkms-source:
	@[ -n "$(OL2TP_VERSION)" ] || { echo "error: no version in debian/changelog" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	cd $(TOP) && for f in $(DKMS_FILES); do \
		install -D -m 644 $$f $(DKMS_SRC)/$$f || exit 1; \
	done
	sed 's/#MODULE_VERSION#/$(OL2TP_VERSION)/' $(TOP)/dkms.conf > $(DKMS_SRC)/dkms.conf

dkms-install: dkms-source
	-dkms remove -m ol2tp -v $(OL2TP_VERSION) --all >/dev/null 2>&1
	dkms add -m ol2tp -v $(OL2TP_VERSION)
	dkms build -m ol2tp -v $(OL2TP_VERSION) -k $(KERNELRELEASE)
	dkms install -m ol2tp -v $(OL2TP_VERSION) -k $(KERNELRELEASE)

dkms-remove:
	dkms remove -m ol2tp -v $(OL2TP_VERSION) --all
	rm -rf $(DKMS_SRC)

checkpatch:
	$(TOP)/scripts/checkpatch

clean:
	rm -rf $(BUILD)
