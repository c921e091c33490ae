#!/usr/bin/env bash
# The one release build: what `make install`, `make image`, the Dockerfile and the
# benchmarks ship or measure. Arguments go to `swift build` (`--product podmeta`,
# `--show-bin-path`). Environment: SWIFT (default swift), SCRATCH (default .build-release).
#
# A sidecar runs in every pod, so the binary is laid out for memory, measured in
# BENCHMARKS.md ("Binary layout"): the kernel maps a program's file pages 64 KB around
# each page it touches, so what counts is how many 64 KB blocks start-up and the idle
# agent touch, not how much code is linked.
#   -function-sections     every Swift function in a section of its own (the static
#                          runtime's archives already are, mostly), so that the linker
#                          can move it;
#   -use-ld=lld            lld, for the ordering and the packed relocations;
#   --symbol-ordering-file the functions an agent, `get` and `snapshot` run, first and
#                          together (scripts/link/order.txt, from scripts/link/order.sh);
#   -T helpers.ld          the compiler's unnamed helpers (closure contexts' destroyers,
#                          partial-application thunks), which no symbol names, beside them;
#   --no-export-dynamic    no dynamic symbol table of the package's 16,000 functions:
#                          nothing looks them up at run time (the Swift runtime finds its
#                          metadata through sections), and 1.5 MB of it stayed resident
#                          in every agent; a crash trace of the stripped binary
#                          names its frames by address (`addr2line -e` on the unstripped
#                          binary in $SCRATCH names them);
#   static libstdc++       the Swift runtime's C++ library linked in (the few functions it
#                          uses) instead of libstdc++.so (2 MB mapped and read by every
#                          agent): scripts/link/static-libstdc++ answers its `-lstdc++`;
#   -z pack-relative-relocs  the 60,000 relative relocations as a 12 KB bitmap instead of a
#                          1.4 MB table the dynamic loader reads at every start. Needs
#                          glibc 2.36 or later at run time (the image's Debian 12 has it),
#                          so it is used only when the glibc linked against is that new:
#                          a binary built here runs where it was built.
# swift-driver's incremental builds do not notice a change of the compiler flags here:
# after changing them, remove $SCRATCH.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
link="$PWD/scripts/link"
scratch=${SCRATCH:-.build-release}
flags=(-c release --static-swift-stdlib --scratch-path "$scratch"
    -Xswiftc -Xfrontend -Xswiftc -function-sections
    -Xswiftc -use-ld=lld
    -Xlinker "--symbol-ordering-file=$link/order.txt" -Xlinker --no-warn-symbol-ordering
    -Xlinker -T -Xlinker "$link/helpers.ld"
    -Xlinker --no-export-dynamic
    -Xswiftc -L -Xswiftc "$link/static-libstdc++")
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}') || glibc=
if [ -n "$glibc" ] && [ "$(printf '%s\n2.36\n' "$glibc" | sort -V | head -1)" = 2.36 ]; then
    flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
fi
# SwiftPM does not know that the linker reads these two files: a product linked before
# they changed is linked again.
product=
previous=
for argument in "$@"; do
    [ "$previous" = --product ] && product=$argument
    previous=$argument
done
if [ -n "$product" ]; then
    # $scratch/release is SwiftPM's link to the bin path (--show-bin-path, without a second
    # swift invocation); before the first build neither it nor the product exists.
    for input in "$link/order.txt" "$link/helpers.ld"; do
        if [ "$input" -nt "$scratch/release/$product" ]; then rm -f "$scratch/release/$product"; fi
    done
fi
exec $SWIFT build "${flags[@]}" "$@"
