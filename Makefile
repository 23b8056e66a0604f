# The two set-up commands of the README, and a few conveniences.
#   make demo   install what is missing, build, run the main job on a bundled scenario
#   make test   install what is missing, build with sanitizers, run the whole test suite
#   make fuzz   build the libFuzzer targets (clang) and run each for FUZZ_SECONDS (default 60)
#   make check-valgrind   the whole test suite under valgrind (Debug build, no sanitizers)

BUILD ?= build
TEST_BUILD ?= build-test
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all demo test build bench format clean deps fuzz check-valgrind

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
	@for b in bench_analysis bench_negotiate bench_mediate bench_tournament bench_anac bench_serve bench_robust bench_pareto; do \
		if [ -x $(BUILD)/bench/$$b ]; then $(BUILD)/bench/$$b; fi; done

format:
	@clang-format -i include/*.h src/*/*.[ch] src/agents/anac/*.[ch] tests/*.[ch] bench/*.c

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	@bash scripts/deps.sh fuzz
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DBUILD_FUZZERS=ON -DBUILD_TESTS=ON -DBUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers >/dev/null
	@bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

VALGRIND_BUILD ?= build-valgrind
# Children are traced (the truce binary the CLI tests run, what forks), but not the system's
# programs (sh, bash, tr, sleep, python3 that proc agents and scripts run): their own leaks made
# them exit 99 and the agents' exit statuses and tests differ under valgrind.
# Valgrind writes to build-valgrind/valgrind/PID.N.log, not to the programs' stderr (the CLI tests
# read stderr); a log with an invalid access, an uninitialised value or a definite leak fails the
# target. The folder is open to every user: a test runs truce as nobody. It does so from a forked
# child of the test (valgrind, root) that drops to nobody and execs truce: valgrind in that child
# has made its log and its gdbserver files as root under the same pid already, so with PID.log and
# vgdb on, the new valgrind (nobody) could create neither and exited 1 before truce ran. Hence
# the sequence number %n in the log's name and --vgdb=no (no debugger attaches here anyway).
VALGRIND ?= valgrind;-q;--vgdb=no;--error-exitcode=99;--leak-check=full;--errors-for-leak-kinds=definite;--trace-children=yes;--trace-children-skip=*chromium*,/bin/*,/usr/bin/*,/usr/sbin/*,/usr/lib/*,/usr/libexec/*;--suppressions=$(CURDIR)/tests/valgrind.supp;--log-file=$(abspath $(VALGRIND_BUILD))/valgrind/%p.%n.log
check-valgrind:
	@bash scripts/deps.sh valgrind
	@cmake -S . -B $(VALGRIND_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTRUCE_SANITIZE=OFF \
		-DBUILD_TESTS=ON -DBUILD_BENCHMARKS=OFF "-DCMAKE_CROSSCOMPILING_EMULATOR=$(VALGRIND)" >/dev/null
	@cmake --build $(VALGRIND_BUILD) -j $(JOBS) >/dev/null
	@rm -rf $(VALGRIND_BUILD)/valgrind && mkdir -p $(VALGRIND_BUILD)/valgrind && chmod 1777 $(VALGRIND_BUILD)/valgrind
	@cd $(VALGRIND_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 3000; rc=$$?; \
		bad=$$(grep -lE 'Invalid (read|write|free)|uninitialised|definitely lost|Mismatched' valgrind/*.log 2>/dev/null); \
		if [ -n "$$bad" ]; then echo "valgrind found errors, see:"; echo "$$bad"; rc=1; fi; exit $$rc
