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

# Until the HTTP server exists: summarise the bundled feed and plan a journey on it.
run: build
	$(BUILD_DIR)/api/nebuta inspect --feed $(SAMPLE_FEED)
	@if $(BUILD_DIR)/api/nebuta plan --help >/dev/null 2>&1; then \
	  $(BUILD_DIR)/api/nebuta plan --feed $(SAMPLE_FEED) --date 2026-04-08 --from 八戸 --to 種差海岸 --depart 09:45 --lang en; \
	fi

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
