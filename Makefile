# The two commands of the README (`make demo`, `make test`) and their building blocks.
# Every target installs what it needs first (scripts/install-deps.sh is idempotent).
JOBS ?= $(shell nproc)
BUILD_DIR ?= build
SAMPLE ?= examples/data/logins_sample.csv
# A generated sshd syslog (bench/detection/gen_authlog.py --lines 10000 --seed 3 --days 1
# --timestamps rfc3339), gzip-compressed as logrotate leaves old logs.
AUTH_SAMPLE ?= examples/data/auth_sample.log.gz
# `make test SANITIZE=0` skips the ASan+UBSan run of the suite.
SANITIZE ?= 1
# Seconds each fuzz target runs in `make fuzz` (JOBS targets at a time).
FUZZ_SECONDS ?= 60
# Sanitizer settings of `make test-asan` (leaks fail the test; any UB stops it with a stack).
ASAN_OPTIONS ?= detect_leaks=1
UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

.PHONY: deps build python demo test test-asan fuzz bench clean format

# $(call configure,PRESET,DIR): configures a CMake preset. The presets build with Ninja (it
# compiles a test's files while the library it links is still being built, which Make's
# per-directory recursion does not): a directory configured by an older checkout with
# another generator is configured afresh, as CMake refuses to switch generators in place.
define configure
	@if [ -f $(2)/CMakeCache.txt ] && ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' $(2)/CMakeCache.txt; then \
	  echo "$(2): configured with another generator; reconfiguring with Ninja" >&2; \
	  rm -rf $(2)/CMakeCache.txt $(2)/CMakeFiles; fi
	@cmake --preset $(1) >/dev/null
endef

deps:
	@scripts/install-deps.sh

build: deps
	$(call configure,release,$(BUILD_DIR))
	@cmake --build --preset release -j $(JOBS)

# Only the Python package: build/python/vigil (PYTHONPATH=build/python /usr/bin/python3).
python: deps
	$(call configure,release,$(BUILD_DIR))
	@cmake --build --preset release -j $(JOBS) --target _vigil

demo: build
	@$(BUILD_DIR)/bin/suspicious_logins $(SAMPLE)
	@echo
	@echo "vigil detect $(AUTH_SAMPLE): alerts per rule, then the compromised accounts"
	@$(BUILD_DIR)/bin/vigil detect $(AUTH_SAMPLE) > $(BUILD_DIR)/auth_sample_alerts.jsonl
	@grep -o '"rule":"[a-z_]*","severity":"[a-z]*"' $(BUILD_DIR)/auth_sample_alerts.jsonl | sort | uniq -c
	@grep '"rule":"success_after_failures"' $(BUILD_DIR)/auth_sample_alerts.jsonl

# The release suite, then (unless SANITIZE=0) the same suite built with ASan+UBSan.
test: build
	@ctest --preset release -j $(JOBS)
ifneq ($(SANITIZE),0)
	@$(MAKE) --no-print-directory test-asan
endif

test-asan: deps
	$(call configure,asan-ubsan,build-asan)
	@cmake --build --preset asan-ubsan -j $(JOBS)
	@ASAN_OPTIONS=$(ASAN_OPTIONS) UBSAN_OPTIONS=$(UBSAN_OPTIONS) ctest --preset asan-ubsan -j $(JOBS)

# libFuzzer targets (clang) for the CSV reader, value parser and markdown tables; fails on a crash.
fuzz: deps
	$(call configure,fuzz,build-fuzz)
	@cmake --build --preset fuzz -j $(JOBS)
	@fuzz/run_fuzzers.sh build-fuzz $(FUZZ_SECONDS) $(JOBS)

bench: build
	@$(BUILD_DIR)/bin/vigil_micro_bench

clean:
	rm -rf $(BUILD_DIR) build-*

format:
	@find src test examples bench -name '*.h' -o -name '*.cc' -o -name '*.cpp' | xargs clang-format -i
