#!/usr/bin/env bash
# Regenerates scripts/link/order.txt: the functions the release binary runs as a sidecar's
# agent and as `get` and `snapshot`, which scripts/build-release.sh has the linker place
# first and together. Run it after a change that moves much code (a dependency update, a
# new module); a stale list costs memory, never correctness (a name it no longer finds is
# skipped). Needs valgrind (callgrind counts every function executed, however rarely) and
# the benchmark drivers; takes a minute.
#
#   scripts/link/order.sh && scripts/build-release.sh --product podmeta
#
# What runs: `podmeta agent --output --socket --resync 0` under callgrind, ready, 20
# kubelet swaps (PodmetaBenchAgent), the socket's endpoints including a blocking query and
# a watch, SIGTERM; then `get --file`, `get --socket` and `snapshot`, each under callgrind.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "order.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
command -v curl >/dev/null || { echo "order.sh: curl is not installed" >&2; exit 2; }
scripts/build-release.sh --product podmeta >&2
scripts/build-release.sh --product PodmetaBenchAgent >&2
bin=$(scripts/build-release.sh --show-bin-path)
work=$(mktemp -d)
agent=
trap '[ -n "$agent" ] && { kill -KILL "$agent" 2>/dev/null; wait "$agent" 2>/dev/null; }; rm -rf "$work"' EXIT
# valgrind cannot read the debug information of this binary; the symbol table is enough.
strip --strip-debug -o "$work/podmeta" "$bin/podmeta"
callgrind=(valgrind --tool=callgrind --demangle=no --compress-strings=no --dump-instr=no)
"$bin/PodmetaBenchAgent" init --volume "$work/volume" >/dev/null
mkdir "$work/out"
# Started directly (not through a function) so that $! is valgrind itself, which SIGTERM
# reaches: the agent shuts down and callgrind writes its profile.
"${callgrind[@]}" --callgrind-out-file="$work/agent.callgrind" \
    "$work/podmeta" agent --volume "$work/volume" --output "$work/out/pod.json" \
    --socket "$work/podmeta.sock" --resync 0 --log-level error 2>"$work/agent.log" &
agent=$!
for _ in $(seq 600); do [ -e "$work/out/pod.json" ] && break; sleep 0.1; done
[ -e "$work/out/pod.json" ] || { cat "$work/agent.log" >&2; echo "order.sh: the agent did not publish within 60 s" >&2; exit 1; }
"$bin/PodmetaBenchAgent" swaps --volume "$work/volume" --output "$work/out/pod.json" --count 20 \
    --timeout-ms 20000 >/dev/null
query() { curl -s --max-time 30 --unix-socket "$work/podmeta.sock" -o /dev/null "http://localhost$1"; }
for path in /v1/snapshot /v1/labels '/v1/labels/app?raw' /v1/annotations /v1/resources /v1/pod \
    /readyz /healthz /metrics; do
    query "$path"
done
revision=$(curl -s -D - -o /dev/null --unix-socket "$work/podmeta.sock" http://localhost/v1/labels \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "x-podmeta-revision" {print $2}')
query "/v1/labels?revision=${revision:-0}&wait=1s" || true
curl -s --max-time 2 --unix-socket "$work/podmeta.sock" -o /dev/null 'http://localhost/v1/watch' || true
"${callgrind[@]}" --callgrind-out-file="$work/get-socket.callgrind" \
    "$work/podmeta" get --socket "$work/podmeta.sock" labels app >/dev/null 2>&1
kill -TERM "$agent"
for _ in $(seq 600); do kill -0 "$agent" 2>/dev/null || break; sleep 0.1; done
kill -0 "$agent" 2>/dev/null && { echo "order.sh: the agent did not stop within 60 s of SIGTERM" >&2; exit 1; }
wait "$agent" || true
agent=
[ -s "$work/agent.callgrind" ] || { echo "order.sh: callgrind wrote no profile of the agent" >&2; exit 1; }
"${callgrind[@]}" --callgrind-out-file="$work/get-file.callgrind" \
    "$work/podmeta" get --file "$work/out/pod.json" labels app >/dev/null 2>&1
"${callgrind[@]}" --callgrind-out-file="$work/snapshot.callgrind" \
    "$work/podmeta" snapshot --volume "$work/volume" >/dev/null 2>&1
# Every function of the podmeta binary with a cost in any run, without callgrind's
# recursion suffix ('2); unnamed ones (shown as addresses) cannot be ordered by name.
awk '/^ob=/ { mine = ($0 ~ /\/podmeta$/) }
    /^fn=/ && mine { name = substr($0, 4); sub(/'"'"'[0-9]+$/, "", name); print name }' "$work"/*.callgrind \
    | grep -v '^0x' | LC_ALL=C sort -u > "$work/order.txt"
[ -s "$work/order.txt" ] || { echo "order.sh: the profiles name no function of podmeta" >&2; exit 1; }
mv "$work/order.txt" scripts/link/order.txt
echo "order.sh: $(wc -l < scripts/link/order.txt) functions in scripts/link/order.txt" >&2
