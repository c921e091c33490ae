# podmeta container image. Not built in this repository's CI (no container engine there):
# kept small enough to be checked by reading, and linted with hadolint.
#
#   docker build -t podmeta:0.1.0 .
#
# Stage 1: a release binary with the Swift runtime linked statically, so the runtime
# image needs only glibc and libinotifytools.
FROM swift:6.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libinotifytools0-dev=3.22.* \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product podmeta --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/podmeta" /out/podmeta

# Stage 2: Debian slim with the one shared library the watcher needs, as a non-root user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libinotifytools0=3.22.* \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/podmeta /usr/local/bin/podmeta
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/podmeta"]
CMD ["agent", "--volume=/etc/podinfo", "--output=/run/podmeta/pod.json", "--socket=/run/podmeta/podmeta.sock"]
