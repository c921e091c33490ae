# podmeta container image: the static-stdlib release binary, the few shared libraries it
# loads (glibc, libgcc_s, libinotifytools), and busybox for a shell to debug with, taken
# from Debian bookworm packages. Runs as uid 65532. About 35 MB.
#
#   docker build -t podmeta:0.1.0 .   # compiles the binary in the build stage below
#   make image                        # the same runtime stages around a binary built by
#                                     # the local toolchain, with podman (see README)
#
# CI builds the image with `make image` and runs it as a pod (scripts/image/pod-test.sh).
# No image is published: build it, then push it to the registry your cluster pulls from.

# Where the binary comes from: the `build` stage (default), or `prebuilt` when the build
# context holds an already built, stripped `podmeta` (what `make image` does). Builders
# skip the stage that is not used.
ARG PODMETA_BINARY=build

# A release binary with the Swift runtime linked statically, stripped of its symbols and
# debug info (`--target build` keeps the unstripped one in /src/.build-release).
# The Swift release CI tests with.
FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libinotifytools0-dev=3.22.* \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# SwiftPM wants the directory of every target Package.swift declares, tests and the
# benchmark drivers included.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY bench/Sources ./bench/Sources
# The release flags and the link order (the binary's layout for memory).
COPY scripts/build-release.sh ./scripts/
COPY scripts/link ./scripts/link
RUN scripts/build-release.sh --product podmeta \
    && mkdir -p /out \
    && strip -o /out/podmeta "$(scripts/build-release.sh --show-bin-path)/podmeta"

FROM scratch AS prebuilt
COPY podmeta /out/podmeta

FROM ${PODMETA_BINARY} AS binary

# The runtime's files, from Debian: the binary's shared libraries as the dynamic linker
# resolves them (a library missing here fails the build), busybox (sh, ls, cat, ps, wget, nc... as relative links), a passwd and group
# naming uid and gid 65532, and /tmp.
FROM debian:bookworm-slim AS rootfs
RUN apt-get update \
    && apt-get install -y --no-install-recommends libinotifytools0=3.22.* busybox-static=1:1.35.* \
    && rm -rf /var/lib/apt/lists/*
COPY --from=binary /out/podmeta /rootfs/usr/local/bin/podmeta
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ldd /rootfs/usr/local/bin/podmeta >/tmp/libraries \
    && if grep 'not found' /tmp/libraries; then exit 1; fi \
    && grep -o '/[^ ]*' /tmp/libraries | xargs cp --parents --dereference -t /rootfs \
    && mkdir -p /rootfs/bin /rootfs/etc /rootfs/tmp \
    && chmod 1777 /rootfs/tmp \
    && cp /bin/busybox /rootfs/bin/busybox \
    && for applet in $(/bin/busybox --list); do \
           [ -e "/rootfs/bin/$applet" ] || ln -s busybox "/rootfs/bin/$applet"; \
       done \
    && printf 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >/rootfs/etc/passwd \
    && printf 'root:x:0:\nnonroot:x:65532:\n' >/rootfs/etc/group

# The runtime: nothing but those files, as a non-root user.
FROM scratch
COPY --from=rootfs /rootfs /
ENV PATH=/usr/local/bin:/bin
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/podmeta"]
CMD ["agent", "--volume=/etc/podinfo", "--output=/run/podmeta/pod.json", "--socket=/run/podmeta/podmeta.sock"]
