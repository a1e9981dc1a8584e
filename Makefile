# The two commands of the README. Everything else is plain CMake.
BUILD_DIR      ?= build
TEST_BUILD_DIR ?= build-asan
JOBS           ?= 2
SAMPLE_FEED    ?= data/sample

.PHONY: run test deps build build-test bench clean

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

# Tests run on the AddressSanitizer + UndefinedBehaviorSanitizer build.
$(TEST_BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(TEST_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEBUTA_SANITIZE=ON -DNEBUTA_BUILD_BENCHMARKS=OFF

build-test: deps $(TEST_BUILD_DIR)/CMakeCache.txt
	cmake --build $(TEST_BUILD_DIR) -j$(JOBS)

test: build-test
	cd $(TEST_BUILD_DIR) && ctest -j$(JOBS) --output-on-failure

bench: build
	benchmarks/run_all.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR)
