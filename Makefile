# podmeta's two everyday commands: `make demo` (run the agent on a simulated kubelet
# volume) and `make test` (the whole test suite). Both install what is missing first.
# `make image` builds the container image with podman, `make pod-test` runs it as a pod,
# `make install` puts the binary in $(PREFIX)/bin.
SWIFT ?= swift
CONFIG ?= debug
PREFIX ?= /usr/local
# The static-stdlib release build shared by install, image and the benchmarks, with its
# flags in one place (scripts/build-release.sh: the binary's layout for memory).
RELEASE_BUILD = SWIFT=$(SWIFT) ./scripts/build-release.sh

.PHONY: deps build release install image pod-test test prometheus-test demo bench clean format fuzz hostile

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product podmeta

release: deps
	$(SWIFT) build -c release --product podmeta

install: deps
	$(RELEASE_BUILD) --product podmeta
	install -D -m 0755 "$$($(RELEASE_BUILD) --show-bin-path)/podmeta" "$(DESTDIR)$(PREFIX)/bin/podmeta"

# The image from the Dockerfile's runtime stage around the static release binary, tagged
# localhost/podmeta:dev in podman's private store under .build-image, and saved as
# .build-image/podmeta.oci.tar (scripts/image/build.sh).
# podman with the runc runtime and catatonit (the pod's infra process), mmdebstrap (the
# base image), PyYAML (the pod test reads the manifests), binutils (strip).
IMAGE_PACKAGES = podman runc catatonit mmdebstrap python3-yaml binutils

image:
	@./scripts/install-deps.sh $(IMAGE_PACKAGES)
	SWIFT=$(SWIFT) ./scripts/image/build.sh

# The sidecar manifests run as a pod with podman (scripts/image/pod-test.sh), then the same
# test on a podmeta that never writes pod.json, which must make it fail. Each wait in them
# has its own deadline; `timeout` is the backstop (SIGTERM: they still clean up).
pod-test: image
	timeout 300 ./scripts/image/pod-test.sh
	timeout 300 ./scripts/image/pod-test-fails.sh

# The whole suite in one test process, as plain `swift test` runs it. Tests that own
# process-wide state (inotify, waitpid(-1), signal handlers) run in child processes of their
# own (Swift Testing exit tests), so nothing needs a process of its own here.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# A real Prometheus (Debian's prometheus package) scrapes `podmeta agent --metrics-address`
# on loopback; promtool checks the exposition. A few seconds; see Tests/prometheus/.
prometheus-test: build
	./Tests/prometheus/scrape-test.sh .build/$(CONFIG)/podmeta

demo: build
	.build/$(CONFIG)/podmeta demo

# libFuzzer over the parsers that read outside bytes, FUZZ_SECONDS per target (fuzz/README.md).
FUZZ_SECONDS ?= 60
fuzz:
	./scripts/fuzz.sh $(FUZZ_SECONDS)

# The fault and hostile-input suite against the debug binary (Tests/hostile/run.sh).
hostile: build
	./Tests/hostile/run.sh .build/$(CONFIG)/podmeta

# Static release binaries in .build-release, every benchmark, BENCHMARKS.md (see bench/run.sh).
# The baselines and tools it runs: jq, hyperfine, inotifywait, nginx, curl, python3 (the
# webhook receiver), strip, GNU time; the memory-limit search needs root. CONFIGMAP_RELOAD=BINARY
# measures configmap-reload beside podmeta (built outside the repository, BENCHMARKS.md).
BENCH_PACKAGES = jq hyperfine inotify-tools nginx-light curl python3 binutils time

bench:
	@./scripts/install-deps.sh $(BENCH_PACKAGES)
	./bench/run.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build .build-release .build-release-plain .build-image
