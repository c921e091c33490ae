#!/usr/bin/env bash
# Builds the runtime stage's base, debian:bookworm-slim, from Debian packages with
# mmdebstrap and tags it locally under the name the Dockerfile uses, for machines that
# cannot pull from a container registry. Same recipe as the official slim image: the
# minbase variant (Essential and Priority: required packages, plus apt) with dpkg told to
# skip documentation, manual pages and translations, and /usr merged by a hook rather than by
# the usrmerge package (which would pull in 50 MB of perl). Does nothing when the image is there.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/image/podman-env.sh

if pm image exists "$BASE_IMAGE"; then exit 0; fi
echo "image: building $BASE_IMAGE with mmdebstrap" >&2
tarball="$IMAGE_DIR/bookworm-slim.tar"
excludes=(/usr/share/doc/'*' /usr/share/groff/'*' /usr/share/info/'*' /usr/share/linda/'*'
    /usr/share/lintian/overrides/'*' /usr/share/locale/'*' /usr/share/man/'*')
dpkgopts=()
for path in "${excludes[@]}"; do dpkgopts+=(--dpkgopt="path-exclude=$path"); done
dpkgopts+=(--dpkgopt='path-include=/usr/share/doc/*/copyright')
# No fsync per file while unpacking (minutes on a busy disk), and no trace of that option in
# the image.
dpkgopts+=(--dpkgopt=force-unsafe-io
    --customize-hook='sed -i /force-unsafe-io/d "$1/etc/dpkg/dpkg.cfg.d/99mmdebstrap"')
mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr "${dpkgopts[@]}" bookworm "$tarball" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
pm import --quiet --change 'CMD ["bash"]' "$tarball" "$BASE_IMAGE" >/dev/null
rm -f "$tarball"
pm image ls "$BASE_IMAGE"
