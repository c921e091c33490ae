#!/usr/bin/env bash
# `make image`: the runtime image from the repository's Dockerfile around a binary built by
# the local toolchain, with podman, on a machine that cannot pull from a registry.
#
#   1. the static-stdlib release binary (scripts/build-release.sh, in .build-release, shared
#      with the benchmarks and `make install`), stripped into a build context of its own,
#      .build-image/context;
#   2. the Dockerfile's base, debian:bookworm-slim, from Debian packages (base.sh), unless
#      it is already in the store;
#   3. `podman build` with PODMETA_BINARY=prebuilt: the Dockerfile's runtime stages take the
#      binary from the context instead of compiling it (the build stage is skipped);
#   4. the image tagged localhost/podmeta:dev in podman's private store under .build-image,
#      and saved as the OCI archive .build-image/podmeta.oci.tar.
#
# Environment: SWIFT (default swift), IMAGE_DIR (default .build-image), PODMETA_IMAGE
# (default localhost/podmeta:dev).
set -euo pipefail
cd "$(dirname "$0")/../.."
SWIFT=${SWIFT:-swift}
. scripts/image/podman-env.sh

seconds() { echo $(($(date +%s) - $1)); }
t=$(date +%s)
SWIFT=$SWIFT scripts/build-release.sh --product podmeta
mkdir -p "$IMAGE_DIR/context"
# Stripped, as the Dockerfile's build stage does; the unstripped binary stays in
# .build-release for a debugger.
strip -o "$IMAGE_DIR/context/podmeta" "$(SWIFT=$SWIFT scripts/build-release.sh --show-bin-path)/podmeta"
echo "image: release binary in $(seconds "$t")s ($(du -k "$IMAGE_DIR/context/podmeta" | cut -f1) KiB stripped)" >&2

t=$(date +%s)
scripts/image/base.sh
# The build's RUN steps use the host's network: apt-get in the runtime stage needs the
# Debian mirrors, and no container network has to be set up for it. The Docker format, for
# the Dockerfile's SHELL (pipefail); the archive below is OCI all the same.
previous=$(pm image inspect --format '{{.Id}}' "$PODMETA_IMAGE" 2>/dev/null || true)
pm build --quiet --pull=never --network=host --format docker --build-arg PODMETA_BINARY=prebuilt \
    --file "$PWD/Dockerfile" --tag "$PODMETA_IMAGE" "$IMAGE_DIR/context" >/dev/null
rm -f "$IMAGE_DIR/podmeta.oci.tar"
pm save --quiet --format oci-archive --output "$IMAGE_DIR/podmeta.oci.tar" "$PODMETA_IMAGE"
# The image this one replaces, not the build's cached layers.
current=$(pm image inspect --format '{{.Id}}' "$PODMETA_IMAGE")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then pm rmi "$previous" >/dev/null 2>&1 || true; fi
size=$(pm image inspect --format '{{.Size}}' "$PODMETA_IMAGE")
echo "image: $PODMETA_IMAGE in $(seconds "$t")s: $((size / 1000000)) MB uncompressed," \
    "archive $IMAGE_DIR/podmeta.oci.tar $(($(stat -c %s "$IMAGE_DIR/podmeta.oci.tar") / 1000000)) MB" >&2
