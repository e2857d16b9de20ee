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
#   make check           unit tests + selftests in a VM on every test kernel
#   make check-intree    the same selftests against Debian's net/l2tp
#   make check-debug     the selftests in a debug kernel (KASAN, lockdep, ...)
#   make check-debug-intree  the same against Debian's net/l2tp in that kernel
#   make debug-kernel    build that kernel (once; scripts/debug-kernel)
#   make demo            ol2tpd in two netns: Ethernet and PPP pseudowires
#   make bench           in-tree vs ol2tp benchmark table (not a test)
#   make vm-shell        an interactive guest (KERNELRELEASE selects kernel)
#   make load / unload   swap Debian's l2tp modules for ours (root)
#   make install         modules, binaries, man pages (root)
#   make checkpatch      checkpatch.pl over kernel/
#
# Useful variables: KERNELRELEASE=R (or KDIR=path), KERNELS="R1 R2" for
# check, TESTS="name ..." to run only some selftests, V=1.

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

export TOP BUILD

.PHONY: all modules modules-all userspace selftests-bin check check-intree \
	check-debug check-debug-intree debug-kernel \
	check-host demo bench vm-shell load unload install clean checkpatch \
	deps

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

install: all
	install -d $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra
	install -m 644 $(BUILD)/$(KERNELRELEASE)/*.ko $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/
	[ -n "$(DESTDIR)" ] || depmod -a $(KERNELRELEASE)
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

checkpatch:
	$(TOP)/scripts/checkpatch

clean:
	rm -rf $(BUILD)
