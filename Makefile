# The README's two commands: `make run` and `make test`. Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
  CMAKE_FLAGS += -DOPTILOOP_WERROR=ON
endif
EXAMPLE ?= datasets/builtin/io-divisor-table-endl

.PHONY: run test bench deps build clean

deps:
	@scripts/install-deps

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@echo "== optiloop optimize on the bundled task $(EXAMPLE), offline (rules proposer, no LLM) =="
	$(BUILD)/bin/optiloop optimize $(EXAMPLE) --out $(BUILD)/run-result

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 1200

bench: build
	$(BUILD)/bin/bench_sandbox
	$(BUILD)/bin/bench_runner
	$(BUILD)/bin/bench_analyzer

clean:
	rm -rf $(BUILD)
