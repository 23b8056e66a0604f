# The two set-up commands of the README, and a few conveniences.
#   make demo   install what is missing, build, run the main job on a bundled scenario
#   make test   install what is missing, build with sanitizers, run the whole test suite

BUILD ?= build
TEST_BUILD ?= build-test
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all demo test build bench format clean deps

all: build

deps:
	@bash scripts/deps.sh build

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) >/dev/null

demo: build
	@bash scripts/demo.sh $(BUILD)/truce

test:
	@bash scripts/deps.sh test
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTRUCE_SANITIZE=ON -DBUILD_TESTS=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS) >/dev/null
	@cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@cmake -S . -B $(BUILD) -DBUILD_BENCHMARKS=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) >/dev/null
	@for b in bench_analysis bench_negotiate bench_mediate bench_tournament; do \
		if [ -x $(BUILD)/bench/$$b ]; then $(BUILD)/bench/$$b; fi; done

format:
	@clang-format -i include/*.h src/*/*.[ch] tests/*.[ch] bench/*.c

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
