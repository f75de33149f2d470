# ocbench — top-level Makefile.
#
#   make              build the harness, the workloads and the default guest
#   make run          set up, build, run scenarios/quickstart.ini
#   make check        set up, build, run every test (unit + TCG integration)
#   make check-slow   the tests past make check's budget (reclaim suite, KSM-008, a mutation)
#   make bench        set up, build, print the benchmark ratios
#   make lint         cppcheck over the tree (ci/cppcheck-suppressions)
#   make fuzz         each libFuzzer target of fuzz/ for FUZZ_SECONDS (600)
#   make faults       set up, build, run the fault matrix (FAULT_REPEAT=10)
#   make install      PREFIX=/usr/local DESTDIR=
#   make deb          build/deb/ocbench_VERSION_amd64.deb (debhelper) and lintian
#   make clean
#
# Knobs: DEVELOPER=1 (default here) makes warnings errors;
#        SANITIZE=address,undefined builds the harness and the unit tests
#        with sanitizers into build/sanitize/ (workloads stay static and
#        unsanitized: they run inside the guest).
#        V=1 shows the commands.
#        FUZZ_SECONDS=N (make fuzz, per target), FUZZ_CC=clang.
#        FAULT_REPEAT=N runs of each fault in `make faults` (make check: 1);
#        FAULT_SEED=N replays a matrix; FAULT_ONLY=NAME,... some faults;
#        FAULT_LOCK=PATH holds flock(PATH) around each of its runs.

DEVELOPER ?= 1
SANITIZE ?=
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config
# make check (and bench, faults) build in parallel on every core: a serial
# build of the tree, the tests and the fuzz targets was 2.5 of its minutes.
NPROC ?= $(shell nproc 2>/dev/null || echo 1)

# Outputs.  The guest image and the static workloads do not depend on the
# sanitizer, so they always live in build/ and are shared by both builds.
OUT := build
ifneq ($(SANITIZE),)
B := $(OUT)/sanitize
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B := $(OUT)
SAN_FLAGS :=
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := jansson inih libcpuid libvirt libvirt-qemu libxml-2.0
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter \
	-Wno-format-truncation  # snprintf truncation is the bounded behaviour we want
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

BASE_CFLAGS := -std=gnu11 -O2 -g -D_GNU_SOURCE $(WARN) -MMD -MP \
	-include harness/util/banned.h -I. -Iharness -Iworkloads/lib \
	-DOCB_DATADIR='"$(PREFIX)/share/ocbench"' \
	-DOCB_LIBEXECDIR='"$(PREFIX)/libexec/ocbench"'
CFLAGS ?=
LDFLAGS ?=
# The version compiled into `ocbench --version` and the man pages: ci/version
# (git describe), or what is given (make deb passes the package's version).
# (ci/version beside this Makefile, whatever the directory make runs in)
ifeq ($(origin OCB_VERSION),undefined)
OCB_VERSION := $(shell $(dir $(abspath $(lastword $(MAKEFILE_LIST))))ci/version 2>/dev/null)
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(PKG_CFLAGS) $(SAN_FLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)

# ---- harness: every harness/SUBSYSTEM/*.c and reports/*.c but main.c is
# the library (harness/tests and harness/bench hold programs of their own).
HARNESS_SRC := $(filter-out harness/cli/main.c harness/tests/% harness/bench/%,\
	$(wildcard harness/*/*.c)) $(wildcard reports/*.c)
HARNESS_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(HARNESS_SRC))
LIBOCB := $(B)/libocbench.a
OCBENCH := $(B)/ocbench

# ---- workloads: workloads/lib/*.c is the measurement core, and the
# programs are the X(NAME, "help") lines of workloads/workloads.h (the
# list the harness validates scenarios with), each workloads/NAME.c.
# Static, so they run in the busybox guest.
WL_LIB_SRC := $(wildcard workloads/lib/*.c) harness/util/units.c harness/util/error.c \
	harness/util/printable.c harness/util/utf8.c
WL_PROGS := $(shell sed -n 's/^[[:space:]]*X(\([a-z0-9_]*\),.*).*/\1/p' workloads/workloads.h)
# A program left out of the list would be left out of the guest without
# a word: stop instead (but let clean and help through).
WL_UNLISTED := $(filter-out $(WL_PROGS),$(patsubst workloads/%.c,%,$(wildcard workloads/*.c)))
ifneq ($(WL_UNLISTED),)
ifeq ($(filter clean help,$(MAKECMDGOALS)),)
$(error workloads/$(firstword $(WL_UNLISTED)).c is a program not listed in workloads/workloads.h: \
	add X($(firstword $(WL_UNLISTED)), "what it measures") to OCB_WORKLOADS there)
endif
endif
WL_STATIC_OBJ := $(patsubst %.c,$(OUT)/obj-static/%.o,$(WL_LIB_SRC))
WL_BINS := $(addprefix $(OUT)/workloads/,$(WL_PROGS))
# The same core, sanitizer-instrumented, for the host-side unit tests.
WL_LIB_OBJ := $(patsubst %.c,$(B)/obj/wl/%.o,$(WL_LIB_SRC))
LIBWL := $(B)/libworkloads.a

# ---- tests: one binary per file, beside the unit they test
UNIT_TEST_SRC := $(wildcard harness/tests/test-*.c reports/tests/test-*.c)
WL_TEST_SRC := $(wildcard workloads/tests/test-*.c)
UNIT_TESTS := $(patsubst %.c,$(B)/%,$(UNIT_TEST_SRC))
WL_TESTS := $(patsubst %.c,$(B)/%,$(WL_TEST_SRC))
BENCH_SRC := $(wildcard harness/bench/bench-*.c workloads/bench/bench-*.c)
BENCHES := $(patsubst %.c,$(B)/%,$(BENCH_SRC))

GUEST := $(OUT)/guest/.stamp
# The man pages, written by the binary from its own tables (ocbench __man).
MAN := $(B)/man/.stamp

# ---- fuzz targets (fuzz/fuzz-*.c, libFuzzer): clang with ASan+UBSan over
# the library but the layers no reader lives in (cli/, run/, conform/,
# sampler/: a new layer is picked up by itself).  FUZZ_CC missing: the
# targets are skipped.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_OUT := $(OUT)/fuzz
HAVE_FUZZ_CC := $(shell command -v $(FUZZ_CC) >/dev/null 2>&1 && echo 1)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_LIB_SRC := $(filter-out harness/cli/% harness/run/% harness/conform/% harness/sampler/%,\
	$(HARNESS_SRC)) workloads/lib/profile.c workloads/lib/wlopt.c fuzz/peer.c
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(FUZZ_LIB_SRC))
FUZZ_TARGETS := $(patsubst fuzz/%.c,$(FUZZ_OUT)/%,$(wildcard fuzz/fuzz-*.c))
# make check builds them with everything else, in one parallel make
CHECK_FUZZ_TARGETS := $(if $(HAVE_FUZZ_CC),$(FUZZ_TARGETS))
# clang has no -Wformat-truncation; the rest of the warnings hold.
FUZZ_CFLAGS = $(filter-out -Wno-format-truncation -O2,$(BASE_CFLAGS)) -O1 $(PKG_CFLAGS) $(FUZZ_SAN)

.PHONY: all deps harness workloads guest man run check check-unit check-slow bench faults install deb clean help FORCE \
	lint fuzz fuzz-targets fuzz-regress
# Keep intermediate objects (the static workload objects are built through
# a pattern chain; without this make deletes and rebuilds them every time).
.SECONDARY:
all: harness workloads guest man

help:
	@sed -n '3,23p' Makefile

# Set-up: installs what is missing (fast when everything is there).
deps:
	$(Q)ci/install-deps

harness: $(OCBENCH)
workloads: $(WL_BINS)
guest: $(GUEST)
man: $(MAN)

$(MAN): $(OCBENCH)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  MAN     $(dir $@)"
	$(Q)$(OCBENCH) __man --write $(dir $@) && touch $@

# Objects are rebuilt when a compiled-in setting changes (PREFIX is baked
# into the binary to find the installed guest): git's GIT-CFLAGS idea.
FLAGS_FILE := $(B)/.build-flags
BUILD_FLAGS := PREFIX=$(PREFIX) DEVELOPER=$(DEVELOPER) CFLAGS=$(CFLAGS)
$(FLAGS_FILE): FORCE
	@mkdir -p $(B)
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@
FORCE:

$(B)/obj/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/obj/wl/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  CC      $< (workload core)"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OUT)/obj-static/%.o: %.c
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  CC      $< (static)"
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBOCB): $(HARNESS_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBWL): $(WL_LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

# Only version.o sees the version (and the sanitizers it reports), so a new
# commit recompiles one file, not every object.
VERSION_FILE := $(B)/.version
$(VERSION_FILE): FORCE
	@mkdir -p $(B)
	@echo '$(OCB_VERSION) $(SANITIZE)' | cmp -s - $@ || echo '$(OCB_VERSION) $(SANITIZE)' > $@
$(B)/obj/harness/cli/version.o: $(VERSION_FILE)
$(B)/obj/harness/cli/version.o: ALL_CFLAGS += -DOCB_SANITIZE='"$(SANITIZE)"' \
	$(if $(OCB_VERSION),-DOCB_VERSION='"$(OCB_VERSION)"')

$(OCBENCH): $(B)/obj/harness/cli/main.o $(LIBOCB)
	@[ "$(V)" = 1 ] || echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(OUT)/workloads/%: workloads/%.c $(WL_STATIC_OBJ)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  STATIC  $@"
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -static -o $@ $< $(WL_STATIC_OBJ) -ljansson -lm

$(B)/harness/tests/%: harness/tests/%.c $(LIBOCB)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBOCB) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

$(B)/reports/tests/%: reports/tests/%.c $(LIBOCB)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBOCB) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

# The tests also run the programs themselves, so they need them built.
$(B)/workloads/tests/%: workloads/tests/%.c $(LIBWL) | $(WL_BINS)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBWL) -ljansson $(CMOCKA_LIBS) -lm

$(B)/harness/bench/%: harness/bench/%.c $(LIBOCB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBOCB) $(PKG_LIBS) -lm

$(B)/workloads/bench/%: workloads/bench/%.c $(LIBWL)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBWL) -lm

$(FUZZ_OUT)/obj/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_OUT)/libocbench-fuzz.a: $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_OUT)/fuzz-%: fuzz/fuzz-%.c $(FUZZ_OUT)/libocbench-fuzz.a
	@[ "$(V)" = 1 ] || echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OUT)/libocbench-fuzz.a \
		$(PKG_LIBS) -lpthread -lm

# The default guest: Debian kernel + busybox/qemu-ga/workloads initramfs.
GUEST_DEPS := $(wildcard guest-images/*) $(WL_BINS)
$(GUEST): $(GUEST_DEPS)
	$(Q)guest-images/build-guest $(OUT)/guest $(WL_BINS)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(OCBENCH) run scenarios/quickstart.ini

# make check: set-up, build (in parallel), then every test through
# ci/run-tests, which prints one closing line "check: N passed, N failed,
# N skipped".  ci/check-static (the layering check and its own test that
# breaks each rule once, cppcheck, the fuzz corpora) is the first test of
# the unit lane, so it runs beside the first guests.  The
# benchmarks are compiled too (never run: timings have no place here), so
# `make bench` cannot stop building unnoticed.
check: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all $(UNIT_TESTS) $(WL_TESTS) $(BENCHES) $(CHECK_FUZZ_TARGETS)
	$(Q)ci/start-libvirtd || echo "check: libvirtd could not be started: the libvirt tests will skip"
	$(Q)OCBENCH=$(OCBENCH) OCB_BUILD=$(OUT) OCB_SANITIZE="$(SANITIZE)" FAULT_REPEAT=1 \
		FAULT_ONLY="$(FAULT_CHECK_ONLY)" OCB_GUEST_LOCK="$(FAULT_LOCK)" \
		OCB_FUZZ_TARGETS="$(CHECK_FUZZ_TARGETS)" \
		ci/run-tests ci/check-static $(UNIT_TESTS) $(WL_TESTS)

# The tests past make check's time budget (test_slow_* of
# test-int-conform: the reclaim suite and KSM-008 for real, FPR-001's
# mutation; about 2.5 minutes here).  .ci/run runs it after make check.
check-slow: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all $(B)/harness/tests/test-int-conform
	$(Q)OCBENCH=$(OCBENCH) OCB_BUILD=$(OUT) OCB_SLOW=1 OCB_TEST_FILTER='test_slow_*' \
		ci/run-tests $(B)/harness/tests/test-int-conform

# The fault matrix (harness/tests/test-int-faults.c): each fault injected
# at a random point of FAULT_REPEAT real runs, then its table.  make check
# runs it with FAULT_REPEAT=1.
FAULT_REPEAT ?= 10
FAULT_LOCK ?=
# make check's share of the matrix (one run each, within its time budget):
# the faults no other integration test injects.  The others (QEMU
# SIGKILL, harness SIGINT (SIGTERM takes its path), libvirt SIGINT/SIGKILL) are in
# test-int-quickstart and test-int-libvirt already.
FAULT_CHECK_ONLY ?= qemu-sigstop,guest-panic,qmp-closed,agent-flood,results-fs-full,cgroup-oom,harness-sigkill
faults: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all $(B)/harness/tests/test-int-faults
	$(Q)ci/start-libvirtd || echo "faults: libvirtd could not be started: its fault will skip"
	$(Q)OCBENCH=$(OCBENCH) OCB_BUILD=$(OUT) FAULT_REPEAT=$(FAULT_REPEAT) OCB_GUEST_LOCK="$(FAULT_LOCK)" \
		$(B)/harness/tests/test-int-faults

# Unit tests only (no guest boots): quick edit-compile-test loop.
check-unit:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) harness $(UNIT_TESTS) $(WL_TESTS) $(CHECK_FUZZ_TARGETS)
	$(Q)OCBENCH=$(OCBENCH) OCB_BUILD=$(OUT) OCB_SANITIZE="$(SANITIZE)" OCB_UNIT_ONLY=1 \
		OCB_FUZZ_TARGETS="$(CHECK_FUZZ_TARGETS)" ci/run-tests ci/check-static $(UNIT_TESTS) $(WL_TESTS)

# Static analysis: cppcheck over harness/, reports/, workloads/, fuzz/
# and the tests, 0 findings but the reasoned ci/cppcheck-suppressions.
lint:
	$(Q)ci/run-lint

# Fuzzing.  fuzz-regress runs every target once over its committed corpus
# (fuzz/corpus/TARGET: seconds; make check does it); fuzz runs each for
# FUZZ_SECONDS on one core, growing a scratch corpus under build/fuzz/.
ifeq ($(HAVE_FUZZ_CC),1)
fuzz-targets: $(FUZZ_TARGETS)
fuzz-regress: fuzz-targets
	$(Q)ci/run-fuzz regress $(FUZZ_TARGETS)
fuzz: fuzz-targets
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) ci/run-fuzz fuzz $(FUZZ_TARGETS)
else
fuzz-targets fuzz-regress fuzz:
	@echo "fuzz: SKIP: $(FUZZ_CC) not found (ci/install-deps installs clang): the fuzz targets were not built nor run"
endif

bench: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all $(BENCHES)
	$(Q)OCBENCH=$(OCBENCH) OCB_BUILD=$(OUT) ci/run-bench $(BENCHES)

SHARE := $(DESTDIR)$(PREFIX)/share
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/ocbench \
		$(SHARE)/ocbench/guest $(SHARE)/ocbench/scenarios $(SHARE)/ocbench/schemas \
		$(SHARE)/man/man1 $(SHARE)/man/man5 $(SHARE)/bash-completion/completions
	install -m 755 $(OCBENCH) $(DESTDIR)$(PREFIX)/bin/ocbench
	install -m 755 $(WL_BINS) $(DESTDIR)$(PREFIX)/libexec/ocbench/
	install -m 644 $(OUT)/guest/vmlinux $(OUT)/guest/vmlinuz $(OUT)/guest/initramfs.cpio \
		$(OUT)/guest/guest.json $(OUT)/guest/cmdline $(SHARE)/ocbench/guest/
	install -m 644 scenarios/*.ini $(SHARE)/ocbench/scenarios/
	install -m 644 harness/results/schemas/*.json $(SHARE)/ocbench/schemas/
	install -m 644 $(B)/man/*.1 $(SHARE)/man/man1/
	install -m 644 $(B)/man/*.5 $(SHARE)/man/man5/
	install -m 644 dist/bash-completion/ocbench $(SHARE)/bash-completion/completions/ocbench

# The Debian package: ci/make-deb (dpkg-buildpackage + debhelper over
# dist/debian, then lintian) into build/deb/.
deb: deps workloads guest
	$(Q)ci/make-deb

clean:
	rm -rf $(OUT)

# (OUT/: find follows OUT when it is a link, as in make deb's staging tree)
-include $(shell find $(OUT)/ -name '*.d' 2>/dev/null)
