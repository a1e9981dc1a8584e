# The two commands of the README. Everything else is plain CMake.
BUILD_DIR      ?= build
TEST_BUILD_DIR ?= build-asan
JOBS           ?= 2
SAMPLE_FEED    ?= data/sample
FUZZ_BUILD_DIR ?= build-fuzz
TSAN_BUILD_DIR ?= build-tsan
FUZZ_CXX       ?= clang++
FUZZ_SECONDS       ?= 600  # per target, make fuzz
FUZZ_SHORT_SECONDS ?= 20   # per target, the short runs of make test-fuzz

.PHONY: run test deps build build-test bench clean build-fuzz fuzz test-fuzz test-tsan format format-check

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# Builds, then serves the HTTP API on the bundled sample feed until Ctrl-C.
run: build
	@echo "nebuta: the web app is at http://127.0.0.1:8080/ (serving data/sample) - API: curl 'http://127.0.0.1:8080/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=09:45&lang=en'"
	$(BUILD_DIR)/api/nebuta serve --feed $(SAMPLE_FEED) --port 8080

# Tests run on the AddressSanitizer + UndefinedBehaviorSanitizer build. -g1 (line tables: the
# sanitizers' reports keep function, file and line) instead of -g keeps the build inside the
# 30-minute budget of make test.
$(TEST_BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(TEST_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEBUTA_SANITIZE=ON -DNEBUTA_BUILD_BENCHMARKS=OFF \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

build-test: deps $(TEST_BUILD_DIR)/CMakeCache.txt
	cmake --build $(TEST_BUILD_DIR) -j$(JOBS)

# It replays every fuzz target's corpus (tests/fuzz, gcc); the libFuzzer runs are test-fuzz.
test: build-test
	cd $(TEST_BUILD_DIR) && ctest -j$(JOBS) --output-on-failure

# libFuzzer targets (tests/fuzz, docs/fuzzing.md): a clang build with ASan+UBSan of what they use.
# FUZZ_SHORT_SECONDS is re-applied on every run (it is a cache variable of the build).
build-fuzz: deps
	cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DNEBUTA_FUZZ=ON -DNEBUTA_BUILD_TESTS=OFF \
	  -DNEBUTA_BUILD_BENCHMARKS=OFF -DFUZZ_SHORT_SECONDS=$(strip $(FUZZ_SHORT_SECONDS)) >/dev/null
	cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target fuzz_targets

# The short run of every target, as ctest tests (a clang build of its own, so not in make test).
# Without clang it is skipped, except under CI.
test-fuzz:
	@if ! command -v $(FUZZ_CXX) >/dev/null; then \
	  if [ "$${CI:-}" = "true" ]; then echo "test-fuzz: $(FUZZ_CXX) not found (scripts/install-deps.sh installs clang)" >&2; exit 1; fi; \
	  echo "test-fuzz: SKIPPED, $(FUZZ_CXX) not found: no fuzz runs" >&2; exit 0; \
	fi; \
	$(MAKE) --no-print-directory build-fuzz && cd $(FUZZ_BUILD_DIR) && ctest -L fuzz -j$(JOBS) --output-on-failure

# The long campaign: each target for FUZZ_SECONDS, one after the other; crashes in
# $(FUZZ_BUILD_DIR)/crashes/<target>/, logs in $(FUZZ_BUILD_DIR)/fuzz-logs/.
fuzz: build-fuzz
	@failed=""; for bin in $(FUZZ_BUILD_DIR)/tests/fuzz/*_fuzz; do \
	  t=$$(basename $$bin); echo "fuzz: $$t for $(strip $(FUZZ_SECONDS)) s"; \
	  tests/fuzz/run.sh $$bin $(strip $(FUZZ_SECONDS)) tests/fuzz/corpus/$$t $(FUZZ_BUILD_DIR) || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in$$failed" >&2; exit 1; fi

# ThreadSanitizer run of the tests that use threads (tests/tsan.sh lists them).
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEBUTA_TSAN=ON -DNEBUTA_BUILD_BENCHMARKS=OFF >/dev/null
	tests/tsan.sh $(TSAN_BUILD_DIR) $(JOBS)

bench: build
	benchmarks/run_all.sh $(BUILD_DIR)

# The house style (.clang-format): format rewrites every C++ file of the repository in place,
# format-check lists what format would change and fails if anything would.
FORMAT_FILES = git ls-files -z '*.cc' '*.h'
format: deps
	@$(FORMAT_FILES) | xargs -0 clang-format -i
format-check: deps
	@$(FORMAT_FILES) | xargs -0 clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR) $(FUZZ_BUILD_DIR) $(TSAN_BUILD_DIR)
