# lianfang: the two set-up commands are `make demo` and `make test` (see README.md).
# This Makefile only sequences scripts and CMake; the build itself lives in CMakeLists.txt.

JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
FUZZ_SECONDS ?= 5
CMAKE_FLAGS ?=

.PHONY: all deps deps-test build build-asan build-fuzz test test-unit test-asan test-fuzz \
        demo bench fuzz clean

all: build

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLF_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLF_WERROR=ON -DLF_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

build-fuzz: deps-test
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLF_WERROR=ON \
	  -DLF_SANITIZE=ON -DLF_FUZZ=ON -DLF_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# The whole suite: normal build, the ASan+UBSan build (unit, integration, corpus replay),
# and a short bounded libFuzzer run of every fuzz target.
test: deps-test build build-asan build-fuzz
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L '^fuzz$$' -j $(JOBS)

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

# Longer fuzzing on demand: make fuzz FUZZ_SECONDS=600
fuzz: build-fuzz
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L '^fuzz$$'

demo: build
	@sh scripts/demo.sh $(BUILD)/lianfang

bench: build
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
