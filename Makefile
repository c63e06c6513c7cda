# SPDX-License-Identifier: GPL-2.0-only
#
# khoreg: Kexec HandOver with a typed state registry, for Linux 6.12.
# `make help` lists the targets.

ARCH ?= x86_64
export ARCH
# Architectures whose VM scenarios make check runs (x86_64, arm64).
KHO_ARCHS ?= x86_64 arm64
export KHO_ARCHS

.PHONY: all help deps assemble kernel mainline tools run check bench series save-patches clean
.PHONY: deb check-deb

all: kernel tools

help:
	@echo 'make run           build everything, boot it in QEMU, hand state over with kexec, show what kernel 2 got'
	@echo 'make check         build everything and run every test (KTAP; ends with "N passed, N failed");'
	@echo '                   KHO_ARCHS="x86_64 arm64" picks the architectures of the VM scenarios'
	@echo 'make deb           Debian packages in build/deb: the kernel with Debian'"'"'s configuration'
	@echo '                   (bindeb-pkg), khoreg-tools, libkhoreg1, libkhoreg-dev (lintian)'
	@echo 'make check-deb     after make deb: install them in a Debian VM, live-update it with kexec'
	@echo 'make bench         benchmarks in the VM (KHO, the handover against mainline, trace buffers, registry, BPF iterator vs sysfs) and libkhoreg; prints tables'
	@echo 'make deps          install the Debian packages khoreg needs'
	@echo 'make assemble      unpack Debian'"'"'s 6.12 source into build/linux, apply patches/, place the repo files'
	@echo 'make kernel        assemble, configure (tinyconfig + fragments) and build the kernel'
	@echo '                   (ARCH=arm64 cross-builds the arm64 Image for QEMU'"'"'s virt machine)'
	@echo 'make mainline      build Debian'"'"'s newest mainline kernel, the peer of the interop tests'
	@echo '                   (ARCH=arm64 for the arm64 peer; make check builds it for every KHO_ARCHS)'
	@echo 'make tools         build libkhoreg, khoctl, the static guest programs and, once a'
	@echo '                   kernel is built, the BPF programs and khobpf (in build/bpf)'
	@echo 'make series        export the project as a git format-patch series in build/series'
	@echo 'make save-patches  turn edits to upstream files made in build/linux into patches/'
	@echo '                   (SUBJECT="area: what" names a new patch)'
	@echo 'make clean         remove build/ (the kernel tree, objects, VM images)'

deps:
	@mk/deps.sh

assemble: deps
	@mk/assemble.sh

kernel: deps
	@mk/kernel.sh khoreg

mainline: deps
	@mk/kernel.sh mainline

# tools/bpf/kho compiles against the BTF of the built kernel (vmlinux.h):
# built once `make kernel` has built a kernel with the BPF side of khoreg.
KHOREG_BUILD ?= $(CURDIR)/build
KOBJ := $(KHOREG_BUILD)/linux/obj-$(ARCH)

tools: deps
	@$(MAKE) -s -C tools/lib/khoreg
	@$(MAKE) -s -C tools/kho
	@$(MAKE) -s -C tools/testing/selftests/kho
	@if [ -f $(KOBJ)/kernel/kho/bpf_iter.o ]; then \
		$(MAKE) -s -C tools/bpf/kho OBJTREE=$(KOBJ) OUTPUT=$(KHOREG_BUILD)/bpf; \
	else \
		echo 'tools/bpf/kho: not built yet: it needs the BTF of a kernel built with' \
			'khoreg and BPF (make kernel, then make tools)'; \
	fi

# The tour scenario: the samples' state, the pending handover, a trace
# marker, the kexec, and what kernel 2 restored and gave back.
run: kernel tools
	@echo '==> booting the kernel in QEMU (TCG): kernel 1 hands its state over to kernel 2 with kexec'
	@tools/testing/selftests/kho/vm/run.sh --say tour > build/run.ktap; rc=$$?; \
	tail -n 1 build/run.ktap; \
	[ $$rc -eq 0 ] && echo '==> done: kernel 2 restored what kernel 1 handed over, and every check passed' || \
	{ cat build/run.ktap; exit 1; }

# mainline first: make kernel copies its lib/test_kho.c (kho-test-mainline).
# Every architecture of KHO_ARCHS gets the mainline peer of its interop tests.
check: mainline kernel tools
	@for a in $(filter-out $(ARCH),$(KHO_ARCHS)); do \
		ARCH=$$a mk/kernel.sh mainline && ARCH=$$a mk/kernel.sh khoreg || exit 1; done
	@mk/check.sh

deb: deps
	@mk/deb.sh

check-deb:
	@tools/testing/selftests/kho/deb/check-deb.sh

bench: mainline kernel tools
	@for b in bench bench-handover bench-mainline trace-bench bench-registry bench-bpf; do \
		tools/testing/selftests/kho/bench/$$b.sh || exit 1; done
	@$(MAKE) -s -C tools/lib/khoreg bench

series: deps
	@mk/series.sh

save-patches:
	@mk/save-patches.sh

clean:
	rm -rf build
