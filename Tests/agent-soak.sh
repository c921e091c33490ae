#!/bin/sh
# Manual soak of `podmeta agent`, as a new user would try it (not run in CI).
#
#   Tests/agent-soak.sh [PODMETA_BINARY] [SWAPS]
#
# Starts the agent on a kubelet-style volume (written with the kubelet's own steps: new
# timestamp directory, `..data_tmp` symlink, `mv -T` over `..data`, old directory removed),
# changes the labels SWAPS times (default 1000) as fast as the shell can, while another loop
# reads the output file continuously with jq and counts reads that do not parse or mix two
# generations. Then it prints the final state, the agent's RSS (idle after start, after the
# swaps) and its CPU ticks over one idle minute with resync disabled. As root it also kills
# the volume, fills the output disk and makes the output directory read-only, and checks
# that the agent says so and recovers.
#
# Default binary: the static release build,
#   swift build -c release --product podmeta --static-swift-stdlib --scratch-path .build-release
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
podmeta=${1:-$here/.build-release/release/podmeta}
swaps=${2:-1000}
[ -x "$podmeta" ] || { echo "no executable at $podmeta (build it first, see the header)" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 2; }

work=$(mktemp -d /tmp/podmeta-soak.XXXXXX)
vol=$work/podinfo
out=$work/out
agent=
reader=
cleanup() {
    [ -n "$reader" ] && kill "$reader" 2>/dev/null || true
    [ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null || true
    umount -l "$out" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -p "$vol" "$out"

# One kubelet update: the payload for generation $1, committed by the rename of ..data.
seq=0
swap() {
    seq=$((seq + 1))
    ts="..$(date -u +%Y_%m_%d_%H_%M_%S).$$$seq"
    mkdir -m 0755 "$vol/$ts"
    printf 'app="web"\ngeneration="%s"' "$1" > "$vol/$ts/labels"
    printf 'example.com/generation="%s"\nexample.com/note="multi\\nline %s"\nkubernetes.io/config.seen="2026-11-22T01:02:03Z"' "$1" "$1" > "$vol/$ts/annotations"
    printf 'web-0' > "$vol/$ts/name"
    old=$(readlink "$vol/..data" 2>/dev/null || true)
    ln -s "$ts" "$vol/..data_tmp"
    mv -T "$vol/..data_tmp" "$vol/..data"
    for name in labels annotations name; do
        [ -L "$vol/$name" ] || ln -s "..data/$name" "$vol/$name"
    done
    [ -z "$old" ] || rm -rf "${vol:?}/$old"
}

rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$agent/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$agent/stat"; }
field() { jq -r "$1" "$out/pod.json" 2>/dev/null; }
wait_for() {  # wait_for DESCRIPTION COMMAND...: up to 30 s
    what=$1; shift
    i=0
    until "$@"; do
        i=$((i + 1))
        [ "$i" -le 3000 ] || { echo "FAIL: gave up waiting for $what" >&2; tail -20 "$work/agent.log" >&2; exit 1; }
        sleep 0.01
    done
}
generation_is() { [ "$(field .labels.generation)" = "$1" ]; }
log_has() { grep -q "$1" "$work/agent.log"; }

swap 0
"$podmeta" agent --volume "$vol" --output "$out/pod.json" --socket "$work/podmeta.sock" --resync 0 \
    --log-level info 2> "$work/agent.log" &
agent=$!
wait_for "the first document" generation_is 0
sleep 2
echo "binary:               $podmeta ($(du -h "$podmeta" | cut -f1))"
echo "watcher:              $(grep -o 'inotify unavailable' "$work/agent.log" || echo inotify)"
echo "RSS idle after start: $(rss)"

# The reader: every read must parse and hold one generation in labels and annotations.
: > "$work/reads"
: > "$work/failures"
touch "$work/reading"
(
    while [ -e "$work/reading" ]; do
        if jq -e '.labels.generation == .annotations["example.com/generation"]' "$out/pod.json" >/dev/null 2>&1; then
            echo >> "$work/reads"
        else
            cp "$out/pod.json" "$work/failure.$(wc -l < "$work/failures")" 2>/dev/null || true
            echo >> "$work/failures"
        fi
    done
) &
reader=$!

start=$(date +%s.%N)
i=1
while [ "$i" -le "$swaps" ]; do
    swap "$i"
    i=$((i + 1))
done
end=$(date +%s.%N)
wait_for "generation $swaps" generation_is "$swaps"
rm -f "$work/reading"
wait "$reader" || true
reader=
echo "swaps:                $swaps in $(echo "$end - $start" | bc) s"
echo "reads:                $(wc -l < "$work/reads"), parse or mixed-generation failures: $(wc -l < "$work/failures")"
echo "final state:          revision $(field .revision), labels $(jq -c .labels "$out/pod.json"), annotation generation $(field '.annotations["example.com/generation"]')"
echo "socket:               $(curl -s --unix-socket "$work/podmeta.sock" http://localhost/v1/labels/generation?raw)"
echo "RSS after $swaps swaps: $(rss)"
sleep 1
before=$(ticks)
sleep 60
after=$(ticks)
echo "CPU ticks idle 60 s:  $((after - before)) (utime+stime, resync disabled, $(getconf CLK_TCK) ticks/s)"
echo "RSS after idle:       $(rss)"
[ "$(wc -l < "$work/failures")" -eq 0 ] || { echo "FAIL: readers saw bad documents" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=64k tmpfs "$out" 2>/dev/null; then
    echo "not root (or no mount): skipping the failure drills"
    exit 0
fi
# The output directory is now a small tmpfs: write a document into it first.
swap $((swaps + 1))
wait_for "generation $((swaps + 1)) on the tmpfs" generation_is $((swaps + 1))
good=$(cat "$out/pod.json")

echo "drill: volume deleted"
rm -rf "$vol"
wait_for "the agent to say the volume is gone" log_has "volume missing"
[ "$(cat "$out/pod.json")" = "$good" ] || { echo "FAIL: the last good document was lost" >&2; exit 1; }
mkdir -p "$vol"
swap $((swaps + 2))
wait_for "the recreated volume to be published" generation_is $((swaps + 2))
echo "  kept the last good document, recovered: $(grep -c 'volume missing' "$work/agent.log") warning(s)"

echo "drill: disk full"
good=$(cat "$out/pod.json")
dd if=/dev/zero of="$out/filler" bs=4k 2>/dev/null || true
swap $((swaps + 3))
wait_for "the agent to say the write failed" log_has "write failed"
[ "$(cat "$out/pod.json")" = "$good" ] || { echo "FAIL: the previous file is damaged" >&2; exit 1; }
grep "write failed" "$work/agent.log" | tail -1 | sed 's/^/  /'
rm -f "$out/filler"
swap $((swaps + 4))
wait_for "the write after the disk was freed" generation_is $((swaps + 4))
echo "  recovered on the next change"

echo "drill: output directory read-only"
good=$(cat "$out/pod.json")
mount -o remount,ro "$out"
before_errors=$(grep -c "write failed" "$work/agent.log")
swap $((swaps + 5))
wait_for "the agent to say the write failed" sh -c "[ \$(grep -c 'write failed' '$work/agent.log') -gt $before_errors ]"
[ "$(cat "$out/pod.json")" = "$good" ] || { echo "FAIL: the previous file is damaged" >&2; exit 1; }
grep "write failed" "$work/agent.log" | tail -1 | sed 's/^/  /'
mount -o remount,rw "$out"
swap $((swaps + 6))
wait_for "the write after the directory became writable" generation_is $((swaps + 6))
echo "  recovered on the next change"
echo "RSS at the end:       $(rss)"
echo "OK"
