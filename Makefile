# The two commands of the README (`make demo`, `make test`) and their building blocks.
# Every target installs what it needs first (scripts/install-deps.sh is idempotent).
JOBS ?= $(shell nproc)
BUILD_DIR ?= build
SAMPLE ?= examples/data/logins_sample.csv

.PHONY: deps build demo test test-asan bench clean format

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@$(BUILD_DIR)/bin/suspicious_logins $(SAMPLE)

test: build
	@ctest --preset release -j $(JOBS)

bench: build
	@$(BUILD_DIR)/bin/vigil_micro_bench

clean:
	rm -rf $(BUILD_DIR) build-*

format:
	@find src test examples bench -name '*.h' -o -name '*.cc' -o -name '*.cpp' | xargs clang-format -i
