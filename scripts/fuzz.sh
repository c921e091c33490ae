#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the parsers that read outside bytes.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     fuzz each target SECONDS (default 60)
#   scripts/fuzz.sh --build                   only build .build-fuzz/podmeta-fuzz
#   scripts/fuzz.sh --replay [TARGET...]      run the committed corpus once (no fuzzing)
#
# Targets: goliteral mapfile quantity json template config http (see fuzz/README.md).
# The harness is compiled with swiftc straight over the PodmetaCore sources and the server's
# request-parsing files (one module, so the harness reaches internal API), with
# -sanitize=fuzzer,address. New inputs go to .build-fuzz/corpus/TARGET (the committed seeds in
# fuzz/corpus/TARGET are read, never written); a crash leaves .build-fuzz/crash-TARGET-*
# and makes the script fail. FUZZ_JOBS (default: the number of CPUs) targets run at once.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets="goliteral mapfile quantity json template config http"
out=.build-fuzz
binary=$out/podmeta-fuzz

build() {
    mkdir -p "$out/shims"
    local sources
    sources=$(find Sources/PodmetaCore fuzz/targets -name '*.swift' | sort)
    local server="Sources/PodmetaServer"
    # The server's request parsing, and the kubelet's map format (the map parser's inverse).
    local extra="$server/RequestTarget.swift $server/QueryOptions.swift $server/Route.swift $server/RequestError.swift
        Sources/PodmetaIO/KubeletMapFormat.swift"
    # Rebuild only when a source changed.
    local stamp="$out/sources.sha"
    local sum
    sum=$(cat $sources $extra fuzz/shims/NIOHTTP1.swift "$0" | sha256sum | cut -d' ' -f1)
    if [ -x "$binary" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then return; fi
    echo "building $binary" >&2
    swiftc -parse-as-library -O -emit-library -static -module-name NIOHTTP1 \
        -emit-module-path "$out/shims/NIOHTTP1.swiftmodule" -o "$out/shims/libNIOHTTP1.a" fuzz/shims/NIOHTTP1.swift
    # The module is named PodmetaCore so the other files' `import PodmetaCore` is a no-op.
    rm -f "$binary"
    swiftc -parse-as-library -O -g -sanitize=fuzzer,address -suppress-warnings -module-name PodmetaCore \
        -I "$out/shims" -L "$out/shims" -lNIOHTTP1 $sources $extra -o "$binary" 2>&1 \
        | { grep -v "Cannot export local symbol" || true; } >&2
    echo "$sum" >"$stamp"
}

# One target: fuzz for $seconds into a scratch corpus seeded from the committed one.
fuzz_one() {
    local target=$1 seconds=$2
    local corpus="$out/corpus/$target" log="$out/$target.log"
    mkdir -p "$corpus"
    local dict=()
    [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
    if SWIFT_BACKTRACE=enable=no PODMETA_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$binary" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$out/crash-$target-" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1; then
        local runs cov cpu
        # This subshell's children so far: the fuzzer's user and system CPU time (less than the
        # wall time on a busy machine). `times` runs here, not in a pipeline or $(...): a fork
        # starts with no children's time, and printed 0.
        times >"$out/$target.times"
        cpu=$(tail -1 "$out/$target.times")
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
        echo "PASS fuzz $target: ${seconds}s, cpu ${cpu% *} user ${cpu#* } sys, $runs runs, $cov coverage edges"
    else
        echo "FAIL fuzz $target: see $log and $out/crash-$target-*"
        grep -m3 -A3 'Fatal error\|ERROR: AddressSanitizer\|ERROR: libFuzzer\|==ERROR' "$log" | sed 's/^/    /' || true
        return 1
    fi
}

replay_one() {
    local target=$1
    if SWIFT_BACKTRACE=enable=no PODMETA_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$binary" -runs=0 "fuzz/corpus/$target" \
        >"$out/$target.replay.log" 2>&1; then
        echo "PASS replay $target: $(find "fuzz/corpus/$target" -type f | wc -l) inputs"
    else
        echo "FAIL replay $target: see $out/$target.replay.log"
        return 1
    fi
}

mode=fuzz seconds=60
case "${1:-}" in
--build) build; exit 0 ;;
--replay) mode=replay; shift ;;
[0-9]*) seconds=$1; shift ;;
esac
targets=${*:-$all_targets}
build

jobs=${FUZZ_JOBS:-$(nproc)}
failed=0
pids=()
for target in $targets; do
    case " $all_targets " in *" $target "*) ;; *) echo "unknown target $target (one of: $all_targets)" >&2; exit 2 ;; esac
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || failed=1; done
    if [ "$mode" = replay ]; then replay_one "$target" & else fuzz_one "$target" "$seconds" & fi
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
exit $failed
