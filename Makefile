# podmeta's two everyday commands: `make demo` (run the agent on a simulated kubelet
# volume) and `make test` (the whole test suite). Both install what is missing first.
SWIFT ?= swift
CONFIG ?= debug

.PHONY: deps build release test demo bench clean format

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product podmeta

release: deps
	$(SWIFT) build -c release --product podmeta

# Two test processes: the agent tests run each scenario in a child process (Swift Testing
# exit tests: libinotifytools allows one watcher per process), and Swift Testing's
# exit-test monitor spins on any other child of the same process, such as those the
# process-management tests spawn and reap themselves.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip PodmetaAgentTests
	$(SWIFT) test --skip-build --filter PodmetaAgentTests

demo: build
	.build/$(CONFIG)/podmeta demo

# Static release binaries in .build-release, every benchmark, BENCHMARKS.md (see bench/run.sh).
bench: deps
	./bench/run.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build
