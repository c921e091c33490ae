#!/usr/bin/env bash
# podmeta's benchmark harness (`make bench`): builds the static release binaries, runs the
# core, agent, footprint, socket and CLI benchmarks side by side
# with what a user would otherwise use, and writes BENCHMARKS.md at the repository root.
#
#   bench/run.sh                       # everything, about 9 minutes once built
#   SWAPS=100 IDLE_SECONDS=20 bench/run.sh   # shorter (the file says which values were used)
#
# configmap-reload (the sidecar podmeta's footprint is compared with) is measured beside
# podmeta when CONFIGMAP_RELOAD names its binary (built outside this repository, see
# BENCHMARKS.md); otherwise its figures recorded earlier are printed, marked as such.
# The memory-limit search (bench/memory-limit.sh) needs root; MEMORY_LIMIT=0 skips it.
#
# Knobs (environment): SWAPS (200), FOOTPRINT_SWAPS (500), FOOTPRINT_QUERIES (2000),
# BLOCKING_QUERIES (250; the agent serves at most 256 connections), IDLE_SECONDS (60),
# MAP_ITERATIONS (300), QUANTITY_ROUNDS (15), RUN_SECONDS (5, socket load per run),
# SOCKET_REPEAT (3: bench/socket.sh reports the median run by requests/s),
# HYPERFINE_RUNS (100), BENCH_OUTPUT (BENCHMARKS.md), BENCH_DIR (/dev/shm).
#
# Timings belong here, never in tests. Every figure is measured in this run; ratios compare
# podmeta with its baseline measured in the same run on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMAND_LINE="bench/run.sh${*:+ $*}"

SWAPS=${SWAPS:-200}
FOOTPRINT_SWAPS=${FOOTPRINT_SWAPS:-500}
FOOTPRINT_QUERIES=${FOOTPRINT_QUERIES:-2000}
BLOCKING_QUERIES=${BLOCKING_QUERIES:-250}
MEMORY_LIMIT=${MEMORY_LIMIT:-1}
CONFIGMAP_RELOAD=${CONFIGMAP_RELOAD:-}
# configmap-reload's figures from the last run that measured it, printed when this one does not.
RECORDED_CMR_DATE="2026-12-06"
RECORDED_CMR_VERSION="v0.15.0-50-g0ec4d67, go1.19.8"
RECORDED_CMR_LIMIT="10 (failed its confirmation: flaky at this limit)"
RECORDED_CMR_IDLE_TEXT="8.6 MB (1.4 / 7.2)"
RECORDED_CMR_SWAPPED_TEXT="14.6 MB"
RECORDED_CMR_IDLE_TICKS="0"
IDLE_SECONDS=${IDLE_SECONDS:-60}
MAP_ITERATIONS=${MAP_ITERATIONS:-300}
QUANTITY_ROUNDS=${QUANTITY_ROUNDS:-15}
RUN_SECONDS=${RUN_SECONDS:-5}
SOCKET_REPEAT=${SOCKET_REPEAT:-3}
HYPERFINE_RUNS=${HYPERFINE_RUNS:-100}
OUTPUT=${BENCH_OUTPUT:-BENCHMARKS.md}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
SCRATCH=.build-release
SWIFT=${SWIFT:-swift}
# The release build as the image ships it (scripts/build-release.sh, in $SCRATCH).
release_build() { SWIFT=$SWIFT SCRATCH=$SCRATCH scripts/build-release.sh "$@"; }

log() { echo "bench: $*" >&2; }
[ -x /usr/bin/time ] || { log "GNU time is not installed (apt-get install time)"; exit 2; }
for tool in jq hyperfine inotifywait nginx curl python3 strip; do
    command -v "$tool" >/dev/null || { log "$tool is not installed (apt-get install jq hyperfine inotify-tools nginx-light curl python3 binutils)"; exit 2; }
done
if [ -n "$CONFIGMAP_RELOAD" ] && [ ! -x "$CONFIGMAP_RELOAD" ]; then log "CONFIGMAP_RELOAD=$CONFIGMAP_RELOAD is not an executable"; exit 2; fi
if [ "$MEMORY_LIMIT" != 0 ] && [ "$(id -u)" != 0 ]; then log "the memory-limit search needs root (MEMORY_LIMIT=0 skips it)"; exit 2; fi

# --- machine -----------------------------------------------------------------------------
START_TIME=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
START_SECONDS=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CPU_MODEL=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEMORY_MIB=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
SWIFT_VERSION=$($SWIFT --version 2>&1 | head -1)
GO=$(command -v go || true)
SOURCE_REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# BENCHMARKS.md itself (the output) does not count as a change of the sources measured.
[ -n "$(git status --porcelain --untracked-files=no -- . ':!BENCHMARKS.md' 2>/dev/null)" ] \
    && SOURCE_REVISION+=" with uncommitted changes"

# --- build -------------------------------------------------------------------------------
log "building the release binaries into $SCRATCH"
for product in podmeta PodmetaBenchCore PodmetaBenchAgent PodmetaBenchSocket; do
    release_build --product "$product" >&2
done
BIN=$(release_build --show-bin-path)
PODMETA="$BIN/podmeta"
# The image ships a stripped copy (scripts/image/build.sh); on disk, for the memory limit.
STRIPPED="$ROOT/$SCRATCH/podmeta-stripped"
cp "$PODMETA" "$STRIPPED"
strip "$STRIPPED"
# The same sources as a plain `swift build` links them (the default linker, no layout), to
# measure what scripts/build-release.sh's layout is worth ("Binary layout").
log "building the same podmeta without the layout (plain swift build) into .build-release-plain"
PLAIN_FLAGS=(-c release --static-swift-stdlib --scratch-path .build-release-plain)
$SWIFT build "${PLAIN_FLAGS[@]}" --product podmeta >&2
PLAIN="$ROOT/.build-release-plain/podmeta-stripped"
strip -o "$PLAIN" "$($SWIFT build "${PLAIN_FLAGS[@]}" --show-bin-path)/podmeta"
log "building the dependency probes (bench/probes)"
(cd bench/probes && $SWIFT build -c release --static-swift-stdlib --scratch-path .build-probes >&2)
PROBES_BIN=$(cd bench/probes && $SWIFT build -c release --static-swift-stdlib --scratch-path .build-probes --show-bin-path)
GOMAP=""
if [ -n "$GO" ]; then
    log "building the Go baseline (bench/baselines/gomap)"
    (cd bench/baselines/gomap && GOFLAGS=-mod=mod go build -o "$ROOT/$SCRATCH/gomap" .)
    GOMAP="$ROOT/$SCRATCH/gomap"
fi

# --- scratch area and cleanup -------------------------------------------------------------
WORK=$(mktemp -d "$BENCH_DIR/pmbench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && { sleep 1; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
export LC_ALL=C

# Starts a command in its own process group (so it and its children stop together);
# sets STARTED_PID.
start() {
    setsid "$@" &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}
stop() {
    kill -TERM -- "-$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
wait_for_file() {
    for _ in $(seq 400); do [ -s "$1" ] && return 0; sleep 0.025; done
    log "$1 did not appear"
    return 1
}
status_kib() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
wakeups() { cat /proc/"$1"/task/*/status | awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ {s += $2} END {print s}'; }
# One "TID NAME SWITCHES RUN_NS" line per thread (NAME is the kernel's 15-byte comm,
# RUN_NS the nanoseconds it ran, from schedstat).
thread_switches() {
    for task in /proc/"$1"/task/*; do
        echo "${task##*/} $(tr ' ' '_' < "$task/comm") $(awk '/ctxt_switches:/ {s += $2} END {print s}' "$task/status") $(cut -d' ' -f1 "$task/schedstat")"
    done
}
# Per thread name between two thread_switches snapshots (new threads count fully; threads
# that exited in between are missing): "name: N switches / T µs CPU".
switches_by_name() {
    awk 'NR == FNR {before[$1] = $3; ran[$1] = $4; next}
        {by[$2] += $3 - ($1 in before ? before[$1] : 0); cpu[$2] += $4 - ($1 in ran ? ran[$1] : 0)}
        END {for (n in by) printf "%s%s: %d switches / %.0f µs CPU", (i++ ? "; " : ""), n, by[n], cpu[n] / 1000}' "$1" "$2"
}
# Resident kB per mapping (binary, each shared library, [anon], [heap], [stack]), largest first;
# the podmeta binary split by permissions (r-xp code, r--p read-only data and the ELF
# headers, rw-p data and relocated pointers, whose pages are private copies once written).
rss_by_mapping() {
    awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "" ? "[anon]" : $6); sub(/.*\//, "", name); if (name ~ /^podmeta/) name = name " " $2} /^Rss:/ {rss[name] += $2}
        END {for (n in rss) if (rss[n] >= 64) print rss[n], n}' "/proc/$1/smaps" | sort -rn \
        | awk '{n = $2; for (i = 3; i <= NF; i++) n = n " " $i; printf "%s%s %.1f MiB", (NR > 1 ? ", " : ""), n, $1 / 1024}'
}
# Minor page faults of one run of a command (from getrusage, through GNU time's format).
perf_faults() { /usr/bin/time -f '%R' "$@" 2>&1 >/dev/null | tail -1; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
# kB (of 1024 bytes, as /proc says) to MB of 10^6 bytes, the issue's unit for RSS.
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k * 1024 / 1000000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
# `json FILE KEY`: a number from a one-line JSON object.
json() { jq -r ".$2" "$1"; }
# hyperfine's mean, stddev and min of command INDEX, in ms.
hf() { jq -r ".results[$2] | \"\(.mean * 1000) \(.stddev * 1000) \(.min * 1000)\"" "$1"; }
# hyperfine's median of command INDEX, in ms.
hf_median() { jq -r ".results[$2].median * 1000" "$1"; }
fmt() { awk -v x="$1" 'BEGIN {printf "%.2f", x}'; }
# "yes" when A <= B (or A < B with `lt`), else a bold "no".
yes_no() { if awk -v a="$1" -v b="$2" -v op="${3:-le}" 'BEGIN {exit !(op == "lt" ? a < b : a <= b)}'; then echo "yes"; else echo "**no**"; fi; }

# --- 1. core ----------------------------------------------------------------------
log "core: map-file parser and quantities"
ANNOTATIONS="$WORK/annotations"
"$BIN/PodmetaBenchCore" generate --out "$ANNOTATIONS" --size 262144
"$BIN/PodmetaBenchCore" map --file "$ANNOTATIONS" --iterations "$MAP_ITERATIONS" > "$WORK/map-swift.json"
if [ -n "$GOMAP" ]; then
    "$GOMAP" -file "$ANNOTATIONS" -iterations "$MAP_ITERATIONS" > "$WORK/map-go.json"
    GO_VERSION=$(json "$WORK/map-go.json" go)
    if [ "$(json "$WORK/map-go.json" entries)" != "$(json "$WORK/map-swift.json" entries)" ] \
        || [ "$(json "$WORK/map-go.json" value_bytes)" != "$(json "$WORK/map-swift.json" value_bytes)" ]; then
        log "the Go and Swift decoders disagree on $ANNOTATIONS"
        exit 1
    fi
fi
"$BIN/PodmetaBenchCore" quantity --count 100000 --rounds "$QUANTITY_ROUNDS" > "$WORK/quantity.json"

# --- 2. agent: swap -> file visible ---------------------------------------------
log "agent: swap -> file visible, podmeta ($SWAPS swaps)"
mkdir -p "$WORK/out"
"$BIN/PodmetaBenchAgent" init --volume "$WORK/vol-podmeta"
start "$PODMETA" agent --volume "$WORK/vol-podmeta" --output "$WORK/out/podmeta.json" --resync 0 2> "$WORK/agent-latency.log"
AGENT_PID=$STARTED_PID
wait_for_file "$WORK/out/podmeta.json"
"$BIN/PodmetaBenchAgent" swaps --volume "$WORK/vol-podmeta" --output "$WORK/out/podmeta.json" --count "$SWAPS" > "$WORK/latency-podmeta.json"
stop "$AGENT_PID"

log "agent: swap -> file visible, inotifywait + jq shell loop ($SWAPS swaps)"
"$BIN/PodmetaBenchAgent" init --volume "$WORK/vol-shell"
SHELL_LOOP='
convert() {
    jq -Rn "[inputs | capture(\"^(?<k>[^=]+)=(?<v>.*)$\") | {(.k): (.v | fromjson)}] | add // {} | {labels: .}" \
        "$V/labels" > "$F.tmp" && mv "$F.tmp" "$F"
}
convert
inotifywait -m -e moved_to,create --format "%f" "$V" 2> "$F.inotifywait" | while read -r name; do
    [ "$name" = ..data ] && convert
done'
V="$WORK/vol-shell" F="$WORK/out/shell.json" start bash -c "$SHELL_LOOP"
SHELL_PID=$STARTED_PID
wait_for_file "$WORK/out/shell.json"
for _ in $(seq 200); do grep -q "Watches established" "$WORK/out/shell.json.inotifywait" 2>/dev/null && break; sleep 0.025; done
"$BIN/PodmetaBenchAgent" swaps --volume "$WORK/vol-shell" --output "$WORK/out/shell.json" --count "$SWAPS" > "$WORK/latency-shell.json"
stop "$SHELL_PID"

# --- 0. memory limit -----------------------------------------------------------------
if [ "$MEMORY_LIMIT" != 0 ]; then
    log "memory limit: podmeta (bench/memory-limit.sh)"
    bench/memory-limit.sh podmeta "$STRIPPED" "$BIN" > "$WORK/limit-podmeta.md"
    if [ -n "$CONFIGMAP_RELOAD" ]; then
        log "memory limit: configmap-reload"
        bench/memory-limit.sh configmap-reload "$CONFIGMAP_RELOAD" "$BIN" > "$WORK/limit-cmr.md"
    fi
    # Again at the kernel's default read-ahead (128 KB): the machine's own setting may be far
    # larger, and every cold page fault then charges that much page cache to the cgroup.
    log "memory limit at 128 KB read-ahead: podmeta"
    READ_AHEAD_KB=128 bench/memory-limit.sh podmeta "$STRIPPED" "$BIN" > "$WORK/limit-podmeta-ra128.md"
    if [ -n "$CONFIGMAP_RELOAD" ]; then
        log "memory limit at 128 KB read-ahead: configmap-reload"
        READ_AHEAD_KB=128 bench/memory-limit.sh configmap-reload "$CONFIGMAP_RELOAD" "$BIN" > "$WORK/limit-cmr-ra128.md"
    fi
fi
limit_of() { [ -s "$1" ] && sed -n 's/^smallest: //p' "$1" || echo "not measured"; }

# --- 3. footprint -----------------------------------------------------------------
log "footprint: idle RSS, $IDLE_SECONDS s of idle CPU, $FOOTPRINT_SWAPS swaps and $FOOTPRINT_QUERIES socket queries"
CLK_TCK=$(getconf CLK_TCK)
"$BIN/PodmetaBenchAgent" init --volume "$WORK/vol-footprint"
start "$PODMETA" agent --volume "$WORK/vol-footprint" --output "$WORK/out/footprint.json" \
    --socket "$WORK/footprint.sock" --resync 0 2> "$WORK/agent-footprint.log"
FOOT_PID=$STARTED_PID
wait_for_file "$WORK/out/footprint.json"
# configmap-reload idles through the same window, its webhook going to a receiver that
# writes the volume's seq label to a file the swap driver watches (as in memory-limit.sh).
CMR_PID=""
if [ -n "$CONFIGMAP_RELOAD" ]; then
    "$BIN/PodmetaBenchAgent" init --volume "$WORK/vol-cmr"
    start python3 bench/webhook-receiver.py "$WORK/vol-cmr" "$WORK/out/cmr.json" 18534
    start "$CONFIGMAP_RELOAD" --volume-dir "$WORK/vol-cmr" --webhook-url http://127.0.0.1:18534/ \
        --web.listen-address 127.0.0.1:19534 2> "$WORK/cmr.log"
    CMR_PID=$STARTED_PID
    for _ in $(seq 200); do curl -sf -o /dev/null --max-time 1 http://127.0.0.1:19534/metrics && break; sleep 0.025; done
    CMR_VERSION="configmap-reload $(git -C "$(dirname "$CONFIGMAP_RELOAD")" describe --tags --always 2>/dev/null || echo "(unknown revision)"), $(go version 2>/dev/null | awk '{print $3}')"
fi
sleep 5
if [ -n "$CMR_PID" ]; then
    CMR_IDLE_RSS=$(status_kib "$CMR_PID" VmRSS)
    CMR_IDLE_ANON=$(status_kib "$CMR_PID" RssAnon)
    CMR_IDLE_FILE=$(status_kib "$CMR_PID" RssFile)
    CMR_TICKS_BEFORE=$(cpu_ticks "$CMR_PID")
fi
IDLE_RSS=$(status_kib "$FOOT_PID" VmRSS)
IDLE_HWM=$(status_kib "$FOOT_PID" VmHWM)
IDLE_ANON=$(status_kib "$FOOT_PID" RssAnon)
IDLE_FILE=$(status_kib "$FOOT_PID" RssFile)
THREADS=$(status_kib "$FOOT_PID" Threads)
TICKS_BEFORE=$(cpu_ticks "$FOOT_PID")
WAKEUPS_BEFORE=$(wakeups "$FOOT_PID")
IDLE_MAPPINGS=$(rss_by_mapping "$FOOT_PID")
thread_switches "$FOOT_PID" > "$WORK/threads-before"
sleep "$IDLE_SECONDS"
IDLE_TICKS=$(( $(cpu_ticks "$FOOT_PID") - TICKS_BEFORE ))
[ -n "$CMR_PID" ] && CMR_IDLE_TICKS=$(( $(cpu_ticks "$CMR_PID") - CMR_TICKS_BEFORE ))
IDLE_WAKEUPS=$(( $(wakeups "$FOOT_PID") - WAKEUPS_BEFORE ))
thread_switches "$FOOT_PID" > "$WORK/threads-after"
IDLE_WAKEUPS_BY_THREAD=$(switches_by_name "$WORK/threads-before" "$WORK/threads-after")
"$BIN/PodmetaBenchAgent" swaps --volume "$WORK/vol-footprint" --output "$WORK/out/footprint.json" \
    --count "$FOOTPRINT_SWAPS" --gap-ms 1 > "$WORK/latency-footprint.json"
# The socket queries: 20 connections (one curl each) of 100 keep-alive requests, a mix of
# the whole document, a section and a single value; every answer must be 200.
printf 'url = "http://localhost/v1/snapshot"\noutput = "/dev/null"\nurl = "http://localhost/v1/labels"\noutput = "/dev/null"\nurl = "http://localhost/v1/labels/app?raw"\noutput = "/dev/null"\nurl = "http://localhost/v1/labels/seq"\noutput = "/dev/null"\n%.0s' \
    $(seq 25) > "$WORK/queries.curl"
QUERY_OK=0
for _ in $(seq $((FOOTPRINT_QUERIES / 100))); do
    QUERY_OK=$(( QUERY_OK + $(timeout 60 curl -s --max-time 50 --unix-socket "$WORK/footprint.sock" -w '%{http_code}\n' -K "$WORK/queries.curl" | grep -cx 200 || true) ))
done
[ "$QUERY_OK" = $(( FOOTPRINT_QUERIES / 100 * 100 )) ] || { log "the agent answered $QUERY_OK of $FOOTPRINT_QUERIES socket queries with 200"; exit 1; }
if [ -n "$CMR_PID" ]; then
    "$BIN/PodmetaBenchAgent" swaps --volume "$WORK/vol-cmr" --output "$WORK/out/cmr.json" \
        --count "$FOOTPRINT_SWAPS" --gap-ms 1 > "$WORK/latency-cmr.json"
    CMR_SWAPPED_RSS=$(status_kib "$CMR_PID" VmRSS)
    CMR_SWAPPED_ANON=$(status_kib "$CMR_PID" RssAnon)
    CMR_SWAPPED_FILE=$(status_kib "$CMR_PID" RssFile)
    CMR_SEEN=$(json "$WORK/latency-cmr.json" seen)
    stop "$CMR_PID"
fi
SWAPPED_RSS=$(status_kib "$FOOT_PID" VmRSS)
SWAPPED_HWM=$(status_kib "$FOOT_PID" VmHWM)
SWAPPED_ANON=$(status_kib "$FOOT_PID" RssAnon)
SWAPPED_FILE=$(status_kib "$FOOT_PID" RssFile)
SWAP_TICKS=$(( $(cpu_ticks "$FOOT_PID") - TICKS_BEFORE - IDLE_TICKS ))
# Blocking queries held by the agent itself (it serves at most 256 connections), each
# waiting for a revision after the current one.
REVISION=$(curl -s -D - -o /dev/null --max-time 5 --unix-socket "$WORK/footprint.sock" http://localhost/v1/labels \
    | awk -F': ' 'tolower($1) == "x-podmeta-revision" {print $2 + 0}')
"$BIN/PodmetaBenchSocket" idle --socket "$WORK/footprint.sock" --count "$BLOCKING_QUERIES" --pid "$FOOT_PID" \
    --blocking --revision "$REVISION" > "$WORK/agent-blocking.json"
AGENT_BLOCKING_KIB=$(( $(json "$WORK/agent-blocking.json" rss_after_kib) - $(json "$WORK/agent-blocking.json" rss_before_kib) ))
AGENT_BLOCKING_EARLY=$(json "$WORK/agent-blocking.json" answered_early)
stop "$FOOT_PID"

BINARY_BYTES=$(stat -c %s "$PODMETA")
cp "$PODMETA" "$WORK/podmeta-stripped"
strip "$WORK/podmeta-stripped" 2>/dev/null || true
STRIPPED_BYTES=$(stat -c %s "$WORK/podmeta-stripped")
DYNAMIC_LIBS=$(ldd "$PODMETA" 2>/dev/null | awk '{print $1}' | grep -v -e '^linux-vdso' -e '^/' | sort | tr '\n' ' ')

log "footprint: startup"
JQ_LABELS='[inputs | capture("^(?<k>[^=]+)=(?<v>.*)$") | {(.k): (.v | fromjson)}] | add // {} | {labels: .}'
hyperfine -N --warmup 10 --runs "$HYPERFINE_RUNS" --export-json "$WORK/hf-snapshot.json" \
    "$PODMETA snapshot --volume $WORK/vol-footprint" \
    "jq -Rn '$JQ_LABELS' $WORK/vol-footprint/labels" > "$WORK/hf-snapshot.txt" 2>&1
"$BIN/PodmetaBenchAgent" first-publish --output "$WORK/out/first.json" --repeat 10 -- \
    "$PODMETA" agent --volume "$WORK/vol-footprint" --output "$WORK/out/first.json" --resync 0 --log-level error \
    > "$WORK/first-publish.json"

log "footprint: dependency probes"
PROBE_ROWS=""
PREVIOUS_RSS=""
for probe in a-none b-argparser c-lifecycle d-nio e-foundation f-foundation-alone g-essentials-alone h-prometheus; do
    binary="$PROBES_BIN/probe-$probe"
    case $probe in
        d-nio | e-foundation | h-prometheus) start "$binary" --socket "$WORK/probe-$probe.sock" > "$WORK/probe-$probe.out" ;;
        *) start "$binary" > "$WORK/probe-$probe.out" ;;
    esac
    pid=$STARTED_PID
    for _ in $(seq 200); do grep -q ready "$WORK/probe-$probe.out" 2>/dev/null && break; sleep 0.025; done
    sleep 2
    rss=$(status_kib "$pid" VmRSS)
    hwm=$(status_kib "$pid" VmHWM)
    threads=$(status_kib "$pid" Threads)
    anon=$(status_kib "$pid" RssAnon)
    file=$(status_kib "$pid" RssFile)
    stop "$pid"
    case $probe in
        a-none) links="Swift runtime + stdlib only"; increment="(base)" ;;
        b-argparser) links="+ ArgumentParser (parsed command)" ;;
        c-lifecycle) links="+ swift-log + ServiceLifecycle (ServiceGroup, signal handling)" ;;
        d-nio) links="+ NIOPosix + NIOHTTP1 (1 event-loop thread serving HTTP on a Unix socket)" ;;
        e-foundation) links="+ full Foundation (String(format:), DateFormatter, JSONEncoder)" ;;
        f-foundation-alone) links="full Foundation alone (compare with a)"; PREVIOUS_RSS=$A_RSS ;;
        g-essentials-alone) links="FoundationEssentials alone (compare with a)"; PREVIOUS_RSS=$A_RSS ;;
        h-prometheus) links="d + swift-metrics + swift-prometheus, 14 series (compare with d)"; PREVIOUS_RSS=$D_RSS ;;
    esac
    [ "$probe" = a-none ] && A_RSS=$rss
    [ "$probe" = d-nio ] && D_RSS=$rss
    [ -n "$PREVIOUS_RSS" ] && increment="+$(mib $((rss - PREVIOUS_RSS))) MiB"
    PROBE_ROWS+="| $probe | $links | $(mib $(( $(stat -c %s "$binary") / 1024 ))) MiB | $threads | $(mib "$rss") MiB | $(mib "$anon") MiB | $(mib "$file") MiB | $(mib "$hwm") MiB | $increment |"$'\n'
    PREVIOUS_RSS=$rss
done

# --- 4. socket: bench/socket.sh, as its author wrote it ------------------------
log "socket: bench/socket.sh (podmeta vs nginx)"
PODMETA_BENCH_SOCKET_BIN="$BIN/PodmetaBenchSocket" RUN_SECONDS="$RUN_SECONDS" REPEAT="$SOCKET_REPEAT" bench/socket.sh > "$WORK/socket.md" 2> "$WORK/socket.log" \
    || { cat "$WORK/socket.log" >&2; exit 1; }
SOCKET_RATIOS=""
for connections in 1 16 64; do
    read -r prps pp99 <<< "$(awk -F'|' -v c="$connections" '$2 ~ /podmeta/ && $3+0 == c {print $4+0, $6+0}' "$WORK/socket.md")"
    read -r nrps np99 <<< "$(awk -F'|' -v c="$connections" '$2 ~ /nginx/ && $3+0 == c {print $4+0, $6+0}' "$WORK/socket.md")"
    SOCKET_RATIOS+="| $connections | $prps | $nrps | $(ratio "$prps" "$nrps") | $pp99 | $np99 |"$'\n'
    [ "$connections" = 16 ] && { SOCKET_RPS_RATIO_16=$(ratio "$prps" "$nrps"); SOCKET_P99_16=$pp99; }
    if [ "$connections" = 1 ]; then SOCKET_MIN_RATIO=$(ratio "$prps" "$nrps"); else
        r=$(ratio "$prps" "$nrps"); SOCKET_MIN_RATIO=$(awk -v a="$SOCKET_MIN_RATIO" -v b="$r" 'BEGIN {print (b < a ? b : a)}'); fi
done
read -r IDLE_PODMETA_BEFORE IDLE_PODMETA_AFTER <<< "$(awk -F'|' '$2 ~ /podmeta/ && $4 ~ /MiB/ {gsub(/ MiB/, ""); print $3+0, $4+0}' "$WORK/socket.md")"

# What socket.sh does not show: how busy podmeta's server is under its load (the load
# generator is one thread, so equal figures for both servers mean the generator is the
# limit), and which part of the per-connection RSS is the connection itself (idle
# keep-alive after one request) and which the waiting query.
log "socket: server CPU under load, RSS per idle connection and per blocking query"
ulimit -n 8192
# Starts `PodmetaBenchSocket serve` on $WORK/NAME.sock, held open by fd 8; sets DIAG_PID.
diag_server() {
    rm -f "$WORK/$1.hold" && mkfifo "$WORK/$1.hold"
    "$BIN/PodmetaBenchSocket" serve --socket "$WORK/$1.sock" --max-connections 2200 < "$WORK/$1.hold" > "$WORK/$1.out" &
    DIAG_SERVE_PID=$!
    exec 8> "$WORK/$1.hold"
    for _ in $(seq 200); do grep -q ready "$WORK/$1.out" 2>/dev/null && break; sleep 0.025; done
    DIAG_PID=$(awk '{print $2}' "$WORK/$1.out")
}
diag_server_stop() {
    exec 8>&-
    wait "$DIAG_SERVE_PID" || true
}
diag_server diag-keepalive
"$BIN/PodmetaBenchSocket" idle --socket "$WORK/diag-keepalive.sock" --count 1000 --pid "$DIAG_PID" > "$WORK/diag-idle.json"
DIAG_TICKS=$(cpu_ticks "$DIAG_PID")
"$BIN/PodmetaBenchSocket" load --socket "$WORK/diag-keepalive.sock" --path /v1/snapshot --connections 16 --seconds "$RUN_SECONDS" > "$WORK/diag-load.json"
DIAG_BUSY=$(awk -v t="$(( $(cpu_ticks "$DIAG_PID") - DIAG_TICKS ))" -v h="$CLK_TCK" -v s="$RUN_SECONDS" 'BEGIN {printf "%.0f", t / h / s * 100}')
diag_server_stop
diag_server diag-blocking
"$BIN/PodmetaBenchSocket" idle --socket "$WORK/diag-blocking.sock" --count 1000 --pid "$DIAG_PID" --blocking > "$WORK/diag-blocking.json"
diag_server_stop
KEEPALIVE_KIB=$(( $(json "$WORK/diag-idle.json" rss_after_kib) - $(json "$WORK/diag-idle.json" rss_before_kib) ))
BLOCKING_KIB=$(( $(json "$WORK/diag-blocking.json" rss_after_kib) - $(json "$WORK/diag-blocking.json" rss_before_kib) ))

# --- binary layout: the same agent without scripts/build-release.sh's layout -------------
# Each binary runs the footprint's agent on a volume of its own, 5 s after its first publish,
# twice in alternation; the lower VmRSS of each is reported (a page the kernel reclaimed in
# between can only lower a figure, never raise it).
log "binary layout: the release binary against a plain swift build of the same sources"
"$BIN/PodmetaBenchAgent" init --volume "$WORK/vol-layout"
layout_rss() { # BINARY -> "VmRSS RssAnon RssFile" of an agent 5 s after its first publish
    rm -f "$WORK/out/layout.json"
    start "$1" agent --volume "$WORK/vol-layout" --output "$WORK/out/layout.json" \
        --socket "$WORK/layout.sock" --resync 0 --log-level error
    local pid=$STARTED_PID
    wait_for_file "$WORK/out/layout.json"
    sleep 5
    echo "$(status_kib "$pid" VmRSS) $(status_kib "$pid" RssAnon) $(status_kib "$pid" RssFile)"
    stop "$pid"
}
LAYOUT_RSS=99999999 PLAIN_RSS=99999999
for _ in 1 2; do
    read -r rss anon file <<< "$(layout_rss "$STRIPPED")"
    [[ $rss =~ ^[0-9]+$ ]] || { log "binary layout: the release agent did not publish"; exit 1; }
    [ "$rss" -lt "$LAYOUT_RSS" ] && { LAYOUT_RSS=$rss LAYOUT_ANON=$anon LAYOUT_FILE=$file; }
    read -r rss anon file <<< "$(layout_rss "$PLAIN")"
    [[ $rss =~ ^[0-9]+$ ]] || { log "binary layout: the plain build's agent did not publish"; exit 1; }
    [ "$rss" -lt "$PLAIN_RSS" ] && { PLAIN_RSS=$rss PLAIN_ANON=$anon PLAIN_FILE=$file; }
done
"$PODMETA" snapshot --volume "$WORK/vol-layout" > "$WORK/out/layout-get.json"
hyperfine -N --warmup 10 --runs "$HYPERFINE_RUNS" --export-json "$WORK/hf-layout.json" \
    "$STRIPPED get --file $WORK/out/layout-get.json labels app" \
    "$PLAIN get --file $WORK/out/layout-get.json labels app" > "$WORK/hf-layout.txt" 2>&1
LAYOUT_FAULTS=$(perf_faults "$STRIPPED" get --file "$WORK/out/layout-get.json" labels app)
PLAIN_FAULTS=$(perf_faults "$PLAIN" get --file "$WORK/out/layout-get.json" labels app)
LAYOUT_SIZE=$(stat -c %s "$STRIPPED")
PLAIN_SIZE=$(stat -c %s "$PLAIN")

# --- 5. CLI -------------------------------------------------------------------------
log "cli: podmeta get vs jq and curl"
start "$PODMETA" agent --volume "$WORK/vol-footprint" --output "$WORK/out/cli.json" --socket "$WORK/cli.sock" --resync 0 \
    2> "$WORK/agent-cli.log"
CLI_PID=$STARTED_PID
wait_for_file "$WORK/out/cli.json"
for _ in $(seq 200); do [ -S "$WORK/cli.sock" ] && break; sleep 0.025; done
sleep 2
[ "$("$STRIPPED" get --file "$WORK/out/cli.json" labels app)" = "$(jq -r '.labels.app' "$WORK/out/cli.json")" ] \
    || { log "podmeta get and jq disagree"; exit 1; }
[ "$("$STRIPPED" get --socket "$WORK/cli.sock" labels app)" = "$(curl -s --unix-socket "$WORK/cli.sock" 'http://localhost/v1/labels/app?raw')" ] \
    || { log "podmeta get and curl disagree"; exit 1; }
hyperfine -N --warmup 10 --runs "$HYPERFINE_RUNS" --export-json "$WORK/hf-get-file.json" \
    "$STRIPPED get --file $WORK/out/cli.json labels app" \
    "jq -r '.labels.app' $WORK/out/cli.json" \
    "cat $WORK/out/cli.json" > "$WORK/hf-get-file.txt" 2>&1
hyperfine -N --warmup 10 --runs "$HYPERFINE_RUNS" --export-json "$WORK/hf-get-socket.json" \
    "$STRIPPED get --socket $WORK/cli.sock labels app" \
    "curl -s --unix-socket $WORK/cli.sock http://localhost/v1/labels/app?raw" > "$WORK/hf-get-socket.txt" 2>&1
stop "$CLI_PID"

# --- BENCHMARKS.md ----------------------------------------------------------------------------
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - START_SECONDS ))
log "writing $OUTPUT"
KEPT_SECTIONS=$(sed -n '/^## 6\. Webhook retries/,$p' "$OUTPUT" 2>/dev/null || true)

read -r LP50 LP90 LP99 LMAX <<< "$(jq -r '"\(.p50_us) \(.p90_us) \(.p99_us) \(.max_us)"' "$WORK/latency-podmeta.json")"
read -r SP50 SP90 SP99 SMAX <<< "$(jq -r '"\(.p50_us) \(.p90_us) \(.p99_us) \(.max_us)"' "$WORK/latency-shell.json")"
read -r FP50 FP90 FP99 FMAX <<< "$(jq -r '"\(.p50_us) \(.p90_us) \(.p99_us) \(.max_us)"' "$WORK/latency-footprint.json")"
read -r SNAP_MEAN SNAP_SD SNAP_MIN <<< "$(hf "$WORK/hf-snapshot.json" 0)"
read -r JQSNAP_MEAN JQSNAP_SD JQSNAP_MIN <<< "$(hf "$WORK/hf-snapshot.json" 1)"
read -r GETF_MEAN GETF_SD GETF_MIN <<< "$(hf "$WORK/hf-get-file.json" 0)"
read -r JQ_MEAN JQ_SD JQ_MIN <<< "$(hf "$WORK/hf-get-file.json" 1)"
read -r GETS_MEAN GETS_SD GETS_MIN <<< "$(hf "$WORK/hf-get-socket.json" 0)"
read -r CURL_MEAN CURL_SD CURL_MIN <<< "$(hf "$WORK/hf-get-socket.json" 1)"
read -r CAT_MEAN CAT_SD CAT_MIN <<< "$(hf "$WORK/hf-get-file.json" 2)"
GETF_MEDIAN=$(hf_median "$WORK/hf-get-file.json" 0)
JQ_MEDIAN=$(hf_median "$WORK/hf-get-file.json" 1)
CAT_MEDIAN=$(hf_median "$WORK/hf-get-file.json" 2)
GETS_MEDIAN=$(hf_median "$WORK/hf-get-socket.json" 0)
CURL_MEDIAN=$(hf_median "$WORK/hf-get-socket.json" 1)
LAYOUT_GET_MEDIAN=$(hf_median "$WORK/hf-layout.json" 0)
PLAIN_GET_MEDIAN=$(hf_median "$WORK/hf-layout.json" 1)
P50_MS=$(awk -v x="$LP50" 'BEGIN {print x / 1000}')
PODMETA_LIMIT=$(limit_of "$WORK/limit-podmeta.md")
PODMETA_LIMIT_NUMBER=$(echo "$PODMETA_LIMIT" | awk '$1 + 0 > 0 {print $1 + 0}')
with_mib() { echo "$1" | sed 's/^\([0-9][0-9]*\)/\1 MiB/'; }
PODMETA_LIMIT_TEXT=$(with_mib "$PODMETA_LIMIT")
PODMETA_LIMIT_128=$(limit_of "$WORK/limit-podmeta-ra128.md")
PODMETA_LIMIT_128_NUMBER=$(echo "$PODMETA_LIMIT_128" | awk '$1 + 0 > 0 {print $1 + 0}')
PODMETA_LIMIT_128_TEXT=$(with_mib "$PODMETA_LIMIT_128")
CMR_LIMIT_128_TEXT=$(with_mib "$(limit_of "$WORK/limit-cmr-ra128.md")")
CMR_LIMIT_128_NUMBER=$(limit_of "$WORK/limit-cmr-ra128.md" | awk '$1 + 0 > 0 {print $1 + 0}')
MACHINE_READ_AHEAD=$(sed -n 's/^Read-ahead of .*: \([0-9]*\) KB\.$/\1/p' "$WORK/limit-podmeta.md" 2>/dev/null)
if [ -n "$CMR_PID" ]; then
    CMR_NAME="configmap-reload ($CMR_VERSION)"
    CMR_NOTE="Measured in this run: \`CONFIGMAP_RELOAD=$CONFIGMAP_RELOAD\`, the binary built as BENCHMARKS.md says."
    CMR_LIMIT=$(limit_of "$WORK/limit-cmr.md")
    CMR_IDLE_TEXT="$(mb "$CMR_IDLE_RSS") MB ($(mb "$CMR_IDLE_ANON") / $(mb "$CMR_IDLE_FILE"))"
    CMR_SWAPPED_TEXT="$(mb "$CMR_SWAPPED_RSS") MB ($CMR_SEEN/$FOOTPRINT_SWAPS webhooks seen)"
    CMR_TICKS_TEXT=$CMR_IDLE_TICKS
else
    CMR_NAME="configmap-reload ($RECORDED_CMR_VERSION)"
    CMR_NOTE="**Not measured in this run** (CONFIGMAP_RELOAD was not set): its figures were recorded on $RECORDED_CMR_DATE, not this run."
    CMR_LIMIT=$RECORDED_CMR_LIMIT
    CMR_IDLE_TEXT="$RECORDED_CMR_IDLE_TEXT, recorded on $RECORDED_CMR_DATE"
    CMR_SWAPPED_TEXT="$RECORDED_CMR_SWAPPED_TEXT, recorded on $RECORDED_CMR_DATE"
    CMR_TICKS_TEXT="$RECORDED_CMR_IDLE_TICKS, recorded on $RECORDED_CMR_DATE"
fi
CMR_LIMIT_NUMBER=$(echo "$CMR_LIMIT" | awk '$1 + 0 > 0 {print $1 + 0}')
CMR_LIMIT_TEXT=$(with_mib "$CMR_LIMIT")
[ -z "$CMR_PID" ] && CMR_LIMIT_TEXT+=", recorded on $RECORDED_CMR_DATE"
HALF_SHELL=$(awk -v x="$SP50" 'BEGIN {print x / 2}')

{
cat <<EOF
# podmeta benchmarks

Written by \`bench/run.sh\` (\`make bench\`); do not edit by hand, run it again. Figures are
from one run on the machine below; ratios compare podmeta with its baseline **measured in
the same run**. Targets are the project's own goals; a target that is not met is shown
as **no** with the measured figure.

## How this was produced

- Command: \`$COMMAND_LINE\` with SWAPS=$SWAPS FOOTPRINT_SWAPS=$FOOTPRINT_SWAPS IDLE_SECONDS=$IDLE_SECONDS
  MAP_ITERATIONS=$MAP_ITERATIONS QUANTITY_ROUNDS=$QUANTITY_ROUNDS RUN_SECONDS=$RUN_SECONDS SOCKET_REPEAT=$SOCKET_REPEAT HYPERFINE_RUNS=$HYPERFINE_RUNS
- Binaries: \`scripts/build-release.sh --product podmeta\` (static Swift runtime, laid out
  for memory: see "Binary layout" below; and the products
  PodmetaBenchCore, PodmetaBenchAgent, PodmetaBenchSocket); probes:
  \`swift build -c release --static-swift-stdlib --scratch-path .build-probes\` in bench/probes.
- Source: commit $SOURCE_REVISION.
- Scratch files in \`$BENCH_DIR\` (tmpfs): volumes, outputs and sockets.
- Run started $START_TIME, took ${ELAPSED} s.

## Machine

| | |
|---|---|
| CPUs (nproc) | $(nproc) |
| CPU model | $CPU_MODEL |
| memory | $MEMORY_MIB MiB |
| kernel | $(uname -r) |
| Swift | $SWIFT_VERSION |
| baselines | ${GO_VERSION:-Go absent}, $(jq --version), $(nginx -v 2>&1 | sed 's/.*: //'), inotifywait $(inotifywait --help 2>&1 | head -1 | awk '{print $2}'), $(curl --version | head -1 | awk '{print $1, $2}'), hyperfine $(hyperfine --version | awk '{print $2}') |
| load average (1/5/15 min) | at start $LOAD_START, at end $LOAD_END |

The machine is shared (other engineers build on it), so a load average above 0 means some
of the CPU time went elsewhere during the run; tail percentiles suffer first.

## 1. Core

Parsing a deterministic 256 KiB \`metadata.annotations\` file
($(json "$WORK/map-swift.json" bytes) bytes, $(json "$WORK/map-swift.json" entries) entries: short values,
kubectl last-applied JSON, multi-line config, several scripts with emoji and combining marks,
runes Go escapes such as NBSP and U+2028, control characters; generated by
\`PodmetaBenchCore generate\`), $MAP_ITERATIONS timed parses after 10 warm-up parses, the file
in memory. The baseline is what Go code in the kubelet ecosystem does: split lines, cut at
\`=\`, \`strconv.Unquote\` (bench/baselines/gomap). Both decoders produced the same entry
count and value bytes.

| implementation | median per parse | p99 | best | throughput | time ratio podmeta / baseline |
|---|---:|---:|---:|---:|---:|
| podmeta \`KubeletMapFile.parse\` (strict) | $(json "$WORK/map-swift.json" median_us) µs | $(json "$WORK/map-swift.json" p99_us) µs | $(json "$WORK/map-swift.json" min_us) µs | $(json "$WORK/map-swift.json" mb_per_s) MB/s | $( [ -n "$GOMAP" ] && ratio "$(json "$WORK/map-swift.json" median_us)" "$(json "$WORK/map-go.json" median_us)" || echo "n/a") |
EOF
if [ -n "$GOMAP" ]; then
    echo "| ${GO_VERSION} \`strconv.Unquote\` line by line | $(json "$WORK/map-go.json" median_us) µs | $(json "$WORK/map-go.json" p99_us) µs | $(json "$WORK/map-go.json" min_us) µs | $(json "$WORK/map-go.json" mb_per_s) MB/s | 1.00 |"
else
    echo "| Go baseline | skipped: \`go\` is not installed | | | | |"
fi
cat <<EOF

$(json "$WORK/quantity.json" count) \`Quantity(parsing:)\` calls over a realistic mix
($(json "$WORK/quantity.json" distinct) distinct inputs weighted as pod specs use them: \`100m\`, \`500m\`, \`128Mi\`, \`1Gi\`, \`1\`,
\`0.5\`, \`1e3\`, \`1.5Gi\`, ...), one warm-up round and $QUANTITY_ROUNDS timed rounds. No baseline ran: the Go
one would be apimachinery's \`resource.ParseQuantity\`, which needs a module download.

| benchmark | median round | per parse (median round) | per parse (best round) | parses/s |
|---|---:|---:|---:|---:|
| 100,000 quantity parses | $(fmt "$(json "$WORK/quantity.json" median_round_ms)") ms | $(fmt "$(json "$WORK/quantity.json" ns_per_parse)") ns | $(fmt "$(json "$WORK/quantity.json" best_ns_per_parse)") ns | $(json "$WORK/quantity.json" parses_per_s) |

## 2. Agent: swap -> file visible

\`podmeta agent --volume V --output F --resync 0\` (the static release binary, default log
level: one info line per revision to stderr) on a kubelet-style volume (9 items: labels,
annotations, name, namespace, uid, cpu/memory limits and requests). The driver
(\`PodmetaBenchAgent swaps\`) performs $SWAPS kubelet swaps, each one setting label \`seq=i\`:
mkdir the timestamp directory, write the items, \`symlink ..data_tmp\`, \`rename\` over
\`..data\`; the clock runs from just before the rename until F contains \`"seq": "i"\`.
**Detection: an inotify watch on F's directory** (IN_MOVED_TO, IN_CLOSE_WRITE on F's name),
then a read of F; the same for both consumers. The previous timestamp directory is removed
after each measurement, then 5 ms pass before the next swap.

The baseline is the shell loop a user would write, started the same way:
\`inotifywait -m -e moved_to,create --format %f V | while read name; do [ "\$name" = ..data ] && jq -Rn '<labels file to {labels: {...}}>' V/labels > F.tmp && mv F.tmp F; done\`.
It converts only the labels file (podmeta reads and merges all 9 items and renders the full
document), so it does less work per swap than podmeta.

| consumer | swaps seen | p50 | p90 | p99 | max | p50 ratio podmeta / shell |
|---|---:|---:|---:|---:|---:|---:|
| podmeta agent | $(json "$WORK/latency-podmeta.json" seen)/$SWAPS | $LP50 µs | $LP90 µs | $LP99 µs | $LMAX µs | $(ratio "$LP50" "$SP50") |
| inotifywait + jq loop | $(json "$WORK/latency-shell.json" seen)/$SWAPS | $SP50 µs | $SP90 µs | $SP99 µs | $SMAX µs | 1.00 |

| target | measured | met |
|---|---:|---|
| p50 <= 2 ms | $LP50 µs | $(yes_no "$P50_MS" 2) |
| p50 <= half of the shell loop's ($HALF_SHELL µs) | $LP50 µs | $(yes_no "$LP50" "$HALF_SHELL") |

## 3. Footprint

### Against configmap-reload

configmap-reload (Go: fsnotify, an HTTP server, Prometheus metrics) is the sidecar podmeta's
footprint is held against. ${CMR_NOTE} It is not part of this repository (nor is any script
that builds it); to measure it, build it outside the repository from its public source
with Debian's Go packages, as its Makefile does (static, stripped):

    apt-get install golang-go golang-github-fsnotify-fsnotify-dev golang-github-prometheus-client-golang-dev
    git clone https://github.com/jimmidyson/configmap-reload /work/ext/configmap-reload
    mkdir -p /work/ext/gopath/src/github.com/jimmidyson
    ln -s /work/ext/configmap-reload /work/ext/gopath/src/github.com/jimmidyson/configmap-reload
    cd /work/ext/configmap-reload && CGO_ENABLED=0 GO111MODULE=off GOPATH=/work/ext/gopath:/usr/share/gocode \\
        go build -ldflags='-s -w' -o configmap-reload .
    CONFIGMAP_RELOAD=/work/ext/configmap-reload/configmap-reload make bench

Its run here: \`configmap-reload --volume-dir V --webhook-url http://127.0.0.1:PORT/
--web.listen-address 127.0.0.1:PORT\`. It **works** when \`/metrics\` answers 200 and, for
every kubelet swap, it POSTs its webhook: the receiver (a Python \`http.server\` outside its
cgroup, answering 200) writes the volume's \`seq\` label to a file that the swap driver
watches, exactly as it watches podmeta's output. Its RSS after swaps is after
$FOOTPRINT_SWAPS such swaps, each seen before the next (it has no socket queries); its idle
ticks are counted over the same $IDLE_SECONDS s window as podmeta's.

| | smallest memory limit it cold-starts and works in | VmRSS idle (anonymous / file-backed) | VmRSS after $FOOTPRINT_SWAPS swaps | CPU ticks over $IDLE_SECONDS s idle | one-shot read, median |
|---|---:|---:|---:|---:|---:|
| ${CMR_NAME} | ${CMR_LIMIT_TEXT} | ${CMR_IDLE_TEXT} | ${CMR_SWAPPED_TEXT} | ${CMR_TICKS_TEXT} | — |
| podmeta agent (stripped static release) | ${PODMETA_LIMIT_TEXT} | $(mb "$IDLE_RSS") MB ($(mb "$IDLE_ANON") / $(mb "$IDLE_FILE")) | $(mb "$SWAPPED_RSS") MB (and $FOOTPRINT_QUERIES socket queries) | $IDLE_TICKS | \`podmeta get --file\` $(fmt "$GETF_MEDIAN") ms, socket $(fmt "$GETS_MEDIAN") ms; \`jq -r\` $(fmt "$JQ_MEDIAN") ms; \`cat\` $(fmt "$CAT_MEDIAN") ms |

MB here is 10^6 bytes (VmRSS is in kB of 1024 bytes), as in the targets.

| target | measured | met |
|---|---:|---|
| smallest memory limit <= 9 MiB (this machine's read-ahead, ${MACHINE_READ_AHEAD:-?} KB) | ${PODMETA_LIMIT_TEXT} | $(yes_no "${PODMETA_LIMIT_NUMBER:-999}" 9) |
| ... and no worse than configmap-reload's | ${PODMETA_LIMIT_TEXT} vs ${CMR_LIMIT_TEXT} | $(yes_no "${PODMETA_LIMIT_NUMBER:-999}" "${CMR_LIMIT_NUMBER:-0}") |
| smallest memory limit <= 9 MiB (the kernel's default read-ahead, 128 KB) | ${PODMETA_LIMIT_128_TEXT} | $(yes_no "${PODMETA_LIMIT_128_NUMBER:-999}" 9) |
| ... and no worse than configmap-reload's | ${PODMETA_LIMIT_128_TEXT} vs ${CMR_LIMIT_128_TEXT} | $(yes_no "${PODMETA_LIMIT_128_NUMBER:-999}" "${CMR_LIMIT_128_NUMBER:-0}") |
| VmRSS idle <= 10 MB | $(mb "$IDLE_RSS") MB | $(yes_no "$IDLE_RSS" 9765) |
| VmRSS after $FOOTPRINT_SWAPS swaps and $FOOTPRINT_QUERIES socket queries <= 12 MB | $(mb "$SWAPPED_RSS") MB | $(yes_no "$SWAPPED_RSS" 11718) |
| \`podmeta get --file F labels app\` median <= 2.5 ms | $(fmt "$GETF_MEDIAN") ms | $(yes_no "$GETF_MEDIAN" 2.5) |
| ... and <= 0.15x \`jq -r\` on the same file | $(ratio "$GETF_MEDIAN" "$JQ_MEDIAN")x | $(yes_no "$(ratio "$GETF_MEDIAN" "$JQ_MEDIAN")" 0.15) |
| \`podmeta get --socket S labels app\` median <= 2.5 ms | $(fmt "$GETS_MEDIAN") ms | $(yes_no "$GETS_MEDIAN" 2.5) |
| ... and <= 0.15x \`jq -r\` | $(ratio "$GETS_MEDIAN" "$JQ_MEDIAN")x | $(yes_no "$(ratio "$GETS_MEDIAN" "$JQ_MEDIAN")" 0.15) |
| 1,000 idle blocking queries add <= 2 MB | the agent: +$(mib "$AGENT_BLOCKING_KIB") MiB for $BLOCKING_QUERIES, so +$(mib $((AGENT_BLOCKING_KIB * 1000 / BLOCKING_QUERIES))) MiB per 1,000 ($((AGENT_BLOCKING_KIB * 1024 / BLOCKING_QUERIES)) bytes each); the socket server alone, 1,000 measured: +$(mib "$BLOCKING_KIB") MiB | $(yes_no "$((AGENT_BLOCKING_KIB * 1000 / BLOCKING_QUERIES))" 1953) |
| 0 CPU ticks over $IDLE_SECONDS s idle (\`--resync 0\`) | $IDLE_TICKS | $(yes_no "$IDLE_TICKS" 0) |

### How the memory limit was found

\`bench/memory-limit.sh\` (read its header for the details): each attempt runs the subject in
a memory cgroup of its own nested under the benchmark's (cgroup v1:
\`memory.limit_in_bytes\`; v2: \`memory.max\`), from a fresh copy of the binary on a disk
directory (podmeta: the release binary stripped, as the image ships it; its copies in
\`$SCRATCH/memory-limit\`), started right after \`sync; echo 1 > /proc/sys/vm/drop_caches\`,
so every page of the binary it touches is read from disk and charged to it. It **works** when,
within 3 s of the start, it is ready (podmeta: \`/readyz\` on its socket answers 200 and the
JSON output exists; configmap-reload: \`/metrics\` answers 200), and then follows 100 kubelet
swaps (\`PodmetaBenchAgent swaps\`, each seen within 2 s before the next: in podmeta's
output; for configmap-reload, in a file that its webhook's receiver, a small Python HTTP
server outside the cgroup, writes from the volume's \`seq\` label on each POST) and answers
requests: podmeta 100 times \`GET /v1/labels/seq?raw\` on its socket, which must give the
last swap's value; configmap-reload, which has no query API, one \`GET /metrics\` (a
scrape) answered 200; all without being killed. The volume, the
output and the socket are on $BENCH_DIR. Bisection from 48 MiB (which must work) down to
1 MiB steps, a limit counting as working only when 2 attempts in a row work; then the answer
and the limit 1 MiB below it are tried twice more each. Every attempt, in order
("process": OOM-killed per the cgroup's oom_kill count, or alive when the deadline hit, which
below the limit is a livelock in page faults; failcnt is how often the cgroup hit its limit;
peak usage is \`memory.max_usage_in_bytes\`):

podmeta:

$(cat "$WORK/limit-podmeta.md" 2>/dev/null || echo "not measured (MEMORY_LIMIT=0)")

configmap-reload:

$( [ -s "$WORK/limit-cmr.md" ] && cat "$WORK/limit-cmr.md" || echo "not measured in this run: ${CMR_NOTE}")

The same search at the kernel's default read-ahead of 128 KB (\`READ_AHEAD_KB=128\`; the
script sets the disk's \`read_ahead_kb\` for the search and restores it). A cold page fault
in a binary reads up to read_ahead_kb around it into the page cache, which the cgroup is
charged for, so on a disk with a large read-ahead the smallest limit measures the disk as
much as the program.

podmeta, 128 KB read-ahead:

$(cat "$WORK/limit-podmeta-ra128.md" 2>/dev/null || echo "not measured (MEMORY_LIMIT=0)")

configmap-reload, 128 KB read-ahead:

$( [ -s "$WORK/limit-cmr-ra128.md" ] && cat "$WORK/limit-cmr-ra128.md" || echo "not measured in this run")

### Details

The same static release agent, \`--resync 0\`, with \`--output\` and \`--socket\` (as the
sidecar manifest runs it), on a fresh volume. RSS from
\`/proc/PID/status\` (VmRSS now, VmHWM the peak), CPU from \`/proc/PID/stat\` (utime+stime,
$CLK_TCK ticks/s), wake-ups as the sum of voluntary and involuntary context switches of
all threads. "After $FOOTPRINT_SWAPS swaps": the driver's swaps with a 1 ms gap, each waited for
until published (p50 $FP50 µs, p99 $FP99 µs during that phase), then $FOOTPRINT_QUERIES socket
queries (20 curl processes, each 100 keep-alive requests cycling through \`/v1/snapshot\`,
\`/v1/labels\`, \`/v1/labels/app?raw\`, \`/v1/labels/seq\`, all answered 200), then
$BLOCKING_QUERIES connections each holding a blocking query
(\`/v1/labels?revision=$REVISION&wait=10m\`, the current revision; $AGENT_BLOCKING_EARLY answered
before the measurement) by \`PodmetaBenchSocket idle\`.

| measure | podmeta | target | met |
|---|---:|---:|---|
| VmRSS idle, 5 s after start | $(mib "$IDLE_RSS") MiB ($IDLE_RSS kB) | <= 10 MB | $(yes_no "$IDLE_RSS" 9765) |
| of which anonymous / file-backed (RssAnon / RssFile) | $(mib "$IDLE_ANON") / $(mib "$IDLE_FILE") MiB | | |
| by mapping (/proc/PID/smaps) | $IDLE_MAPPINGS | | |
| VmHWM idle | $(mib "$IDLE_HWM") MiB | | |
| VmRSS after $FOOTPRINT_SWAPS swaps and $FOOTPRINT_QUERIES queries | $(mib "$SWAPPED_RSS") MiB ($SWAPPED_RSS kB) | <= 12 MB | $(yes_no "$SWAPPED_RSS" 11718) |
| of which anonymous / file-backed | $(mib "$SWAPPED_ANON") / $(mib "$SWAPPED_FILE") MiB | | |
| VmHWM after $FOOTPRINT_SWAPS swaps and $FOOTPRINT_QUERIES queries | $(mib "$SWAPPED_HWM") MiB | | |
| RSS added by $BLOCKING_QUERIES blocking queries | +$(mib "$AGENT_BLOCKING_KIB") MiB ($((AGENT_BLOCKING_KIB * 1024 / BLOCKING_QUERIES)) bytes each) | <= 2 MB per 1,000 | $(yes_no "$((AGENT_BLOCKING_KIB * 1000 / BLOCKING_QUERIES))" 1953) |
| CPU ticks over $IDLE_SECONDS s idle (\`--resync 0\`) | $IDLE_TICKS | 0 | $(yes_no "$IDLE_TICKS" 0) |
| wake-ups (context switches) over $IDLE_SECONDS s idle | $IDLE_WAKEUPS | | |
| the same by thread, with CPU time from schedstat | $IDLE_WAKEUPS_BY_THREAD | | |
| CPU ticks for $FOOTPRINT_SWAPS swaps and $FOOTPRINT_QUERIES queries | $SWAP_TICKS | | |
| threads | $THREADS | | |
| binary size (static Swift stdlib) | $(mib $((BINARY_BYTES / 1024))) MiB, stripped $(mib $((STRIPPED_BYTES / 1024))) MiB | | |
| shared libraries still loaded | ${DYNAMIC_LIBS:-none} | | |

Thread names are the kernel's 15-byte \`comm\`: \`NIO-SGLTN-1-#1\` is the SwiftNIO event loop
that runs Swift concurrency's global executor in \`agent\` and \`exec\` (PodmetaExecutor),
\`NIO-ELT-2-#1\` the socket server's own event loop, \`podmeta-inotify\` the watcher thread,
\`podmeta\` the main thread, which waits for the command (see "Binary layout" for why it is
not handed to libdispatch), and \`-qos.overcommit\` libdispatch workers
(\`com.apple.root.default-qos.overcommit\`) that ServiceLifecycle's signal sources start. libdispatch's Linux thread pool arms a 1 s timer
(\`_dispatch_workq_monitor_pools\`) once its first pool worker starts, which is why the global
executor is not libdispatch's: with it, this idle agent woke once a second. \`Task.sleep\`
still goes through libdispatch in Swift 6.3, so an agent whose hook timeouts or polling
watcher sleep does arm that timer (wake-ups, not CPU ticks); the inotify watcher's resync
is a poll(2) timeout on its own thread and does not.

With the default \`--resync 60s\` the idle agent wakes once a minute to re-read the volume
(one read of the 9 items, no write when nothing changed); \`--resync 0\` above removes that
to show that nothing else wakes it.

Startup, hyperfine (\`-N\`, 10 warm-ups, $HYPERFINE_RUNS runs): \`podmeta snapshot\` reads the
volume and prints the whole document; the baseline converts the labels file alone with jq.
Time to first publish: from \`posix_spawn\` of \`podmeta agent\` to its output file appearing
(inotify on the directory), 10 starts.

| command | mean ± σ | min | ratio podmeta / baseline |
|---|---:|---:|---:|
| \`podmeta snapshot --volume V\` | $(fmt "$SNAP_MEAN") ± $(fmt "$SNAP_SD") ms | $(fmt "$SNAP_MIN") ms | $(ratio "$SNAP_MEAN" "$JQSNAP_MEAN") |
| \`jq -Rn '<labels to JSON>' V/labels\` | $(fmt "$JQSNAP_MEAN") ± $(fmt "$JQSNAP_SD") ms | $(fmt "$JQSNAP_MIN") ms | 1.00 |
| \`podmeta agent\` time to first publish | median $(json "$WORK/first-publish.json" median_ms) ms | $(json "$WORK/first-publish.json" min_ms) ms | |

### Binary layout

A program's file pages are mapped 64 KB around each page it touches (the kernel's
fault-around) and read from disk a read-ahead window at a time, so an agent's RSS and the
memory its cgroup is charged for depend on how many 64 KB blocks of the binary start-up
and idling touch, not on how much code is linked. \`scripts/build-release.sh\` builds the
binary the image ships for that: every Swift function in a section of its own
(\`-function-sections\`), lld placing the functions an agent, \`get\` and \`snapshot\`
run first and together (\`scripts/link/order.txt\`, a callgrind profile written by
\`scripts/link/order.sh\`) with the compiler's unnamed closure helpers beside them
(\`scripts/link/helpers.ld\`), no dynamic symbol table of the package's functions
(\`--no-export-dynamic\`: nothing looks them up at run time, and it kept 1.5 MB resident),
libstdc++ linked statically (the few functions the Swift runtime uses, instead of a 2 MB
shared library), and the relative relocations packed (\`-z pack-relative-relocs\`, glibc 2.36 or later: a
12 KB bitmap instead of a 1.4 MB table read at every start). The same sources built by a
plain \`swift build -c release --static-swift-stdlib\` (the default linker, no layout),
stripped, in the same run:

| | release build (scripts/build-release.sh) | plain swift build | ratio |
|---|---:|---:|---:|
| stripped binary | $(mib $((LAYOUT_SIZE / 1024))) MiB | $(mib $((PLAIN_SIZE / 1024))) MiB | $(ratio "$LAYOUT_SIZE" "$PLAIN_SIZE") |
| agent VmRSS idle, 5 s after its first publish (lower of 2) | $(mb "$LAYOUT_RSS") MB ($(mb "$LAYOUT_ANON") / $(mb "$LAYOUT_FILE")) | $(mb "$PLAIN_RSS") MB ($(mb "$PLAIN_ANON") / $(mb "$PLAIN_FILE")) | $(ratio "$LAYOUT_RSS" "$PLAIN_RSS") |
| \`get --file F labels app\`, median | $(fmt "$LAYOUT_GET_MEDIAN") ms | $(fmt "$PLAIN_GET_MEDIAN") ms | $(ratio "$LAYOUT_GET_MEDIAN" "$PLAIN_GET_MEDIAN") |
| ... its minor page faults | $LAYOUT_FAULTS | $PLAIN_FAULTS | $(ratio "$LAYOUT_FAULTS" "$PLAIN_FAULTS") |

(VmRSS as anonymous / file-backed.) Both builds share one more saving, in the code: the
main thread waits for the command to finish instead of being handed to libdispatch's
\`dispatch_main\` (what an \`async\` main does), which ends it with \`pthread_exit\`; that
unwinds the thread's stack through the binary's unwind tables, and kept about 0.7 MB of them
resident in every agent (measured by hand on this machine, same layout: 11.2 MiB idle with the
\`async\` main, 10.7 MiB without); and \`agent\` and \`exec\` advise the kernel that the program's
files are read at random (\`MADV_RANDOM\`, once parsed), so that a page reclaimed under a
tight limit is read back alone rather than with a read-ahead window (by hand: the smallest
limit at 8 MB read-ahead went from 13 to 12 MiB, and 12 MiB worked 4 times in 4 instead of
1 in 3). Where the rest goes: the idle agent's file-backed pages
are the Swift runtime's own code, which comes as a few large sections that cannot be
reordered (the standard library's 1.6 MB of unsplit code among them), glibc, libm and
libgcc_s as shared libraries, and the pointers the dynamic loader relocates at start (the
binary's rw-p pages: every one of them is written, so every one is resident).

### What each dependency costs

Probe executables in bench/probes (a separate package, static stdlib, release), each idle
2 s after printing "ready"; RssFile is the pages of the binary and shared libraries
(libc, libstdc++, libinotifytools) that the process touched, RssAnon its heap and stacks; every row links what the row above links plus one dependency,
so the last column is that dependency's RSS cost. f and g isolate Foundation. ArgumentParser
imports FoundationEssentials (\`#if canImport(FoundationEssentials)\`), so most of row b's
increment is FoundationEssentials (compare g). A static link pulls in only the archive
members a program references: JSONEncoder, Date and ProcessInfo live in
FoundationEssentials, so e and f touch \`String(format:)\` and \`DateFormatter\` to
bring in the rest of Foundation (and ICU's data).

Where an idle agent's RSS goes: VmRSS counts the pages of the binary and of the shared
libraries that the process has touched (RssFile: clean, shared with the page cache,
reclaimable) and its own heap and stacks (RssAnon). The "by mapping" row of the footprint table
shows which.

| probe | links | binary | threads | VmRSS idle | of which anonymous | of which file-backed | VmHWM | VmRSS increment |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${PROBE_ROWS}| podmeta agent (--output and --socket, section 3's agent) | everything above but full Foundation (FoundationEssentials comes with ArgumentParser) | $(mib $((BINARY_BYTES / 1024))) MiB | $THREADS | $(mib "$IDLE_RSS") MiB | $(mib "$IDLE_ANON") MiB | $(mib "$IDLE_FILE") MiB | $(mib "$IDLE_HWM") MiB | |

## 4. Socket

\`bench/socket.sh\` (run unchanged but for using the binary built
above): PodmetaBenchSocket's one-thread keep-alive load generator against podmeta's
socket server (\`PodmetaBenchSocket serve\`: podmeta's SocketServer with a sample snapshot)
and nginx (one worker) serving the same JSON document on a Unix socket, GET /v1/snapshot,
$RUN_SECONDS s per run, each row the median of $SOCKET_REPEAT runs by requests/s. Its own tables:

$(cat "$WORK/socket.md")

| connections | podmeta req/s | nginx req/s | ratio podmeta / nginx | podmeta p99 µs | nginx p99 µs |
|---:|---:|---:|---:|---:|---:|
${SOCKET_RATIOS}
| target | measured | met |
|---|---:|---|
| requests/s >= 0.5x nginx (worst of 1/16/64 connections) | ${SOCKET_MIN_RATIO}x | $(yes_no 0.5 "$SOCKET_MIN_RATIO") |
| p99 < 2 ms at 16 connections | $SOCKET_P99_16 µs | $(yes_no "$SOCKET_P99_16" 2000 lt) |
| 1000 idle blocking queries add <= 2 MB (the socket server alone; the agent's own figure is in section 3) | +$(awk -v a="$IDLE_PODMETA_AFTER" -v b="$IDLE_PODMETA_BEFORE" 'BEGIN {printf "%.1f", a - b}') MiB | $(yes_no "$(awk -v a="$IDLE_PODMETA_AFTER" -v b="$IDLE_PODMETA_BEFORE" 'BEGIN {print (a - b) * 1048576}')" 2000000) |

Diagnostics on a second \`PodmetaBenchSocket serve\` (same binary):

| measure | value |
|---|---:|
| podmeta server CPU during a 16-connection load run (one core = 100%) | ${DIAG_BUSY}% at $(json "$WORK/diag-load.json" rps) req/s |
| RSS added by 1000 idle keep-alive connections (after one request each; a fresh server) | +$(mib "$KEEPALIVE_KIB") MiB ($(( KEEPALIVE_KIB * 1024 / 1000 )) bytes each) |
| RSS added by 1000 connections each holding a blocking query (another fresh server) | +$(mib "$BLOCKING_KIB") MiB ($(( BLOCKING_KIB * 1024 / 1000 )) bytes each) |

A server below 100% of its core while the one-thread generator runs flat out means the
generator, not the server, sets requests/s: the ratio to nginx is then a lower bound.

## 5. CLI

hyperfine (\`-N\`, 10 warm-ups, $HYPERFINE_RUNS runs) of one-shot value lookups against a running
agent's file and socket (the stripped release binary, as the image ships it); each pair was checked to print
the same value first. Ratios of medians; \`cat F\` is the floor of starting any process
that reads the file.

| command | median | mean ± σ | min | median ratio to \`jq -r\` | median ratio to the other baseline |
|---|---:|---:|---:|---:|---:|
| \`podmeta get --file F labels app\` | $(fmt "$GETF_MEDIAN") ms | $(fmt "$GETF_MEAN") ± $(fmt "$GETF_SD") ms | $(fmt "$GETF_MIN") ms | $(ratio "$GETF_MEDIAN" "$JQ_MEDIAN") | $(ratio "$GETF_MEDIAN" "$CAT_MEDIAN") (to \`cat\`) |
| \`jq -r '.labels.app' F\` | $(fmt "$JQ_MEDIAN") ms | $(fmt "$JQ_MEAN") ± $(fmt "$JQ_SD") ms | $(fmt "$JQ_MIN") ms | 1.00 | |
| \`cat F\` | $(fmt "$CAT_MEDIAN") ms | $(fmt "$CAT_MEAN") ± $(fmt "$CAT_SD") ms | $(fmt "$CAT_MIN") ms | $(ratio "$CAT_MEDIAN" "$JQ_MEDIAN") | |
| \`podmeta get --socket S labels app\` | $(fmt "$GETS_MEDIAN") ms | $(fmt "$GETS_MEAN") ± $(fmt "$GETS_SD") ms | $(fmt "$GETS_MIN") ms | $(ratio "$GETS_MEDIAN" "$JQ_MEDIAN") | $(ratio "$GETS_MEDIAN" "$CURL_MEDIAN") (to curl) |
| \`curl -s --unix-socket S http://localhost/v1/labels/app?raw\` | $(fmt "$CURL_MEDIAN") ms | $(fmt "$CURL_MEAN") ± $(fmt "$CURL_SD") ms | $(fmt "$CURL_MIN") ms | $(ratio "$CURL_MEDIAN" "$JQ_MEDIAN") | 1.00 |
EOF
# Section 6 comes from bench/webhook-backoff.py, run on its own: kept as it was.
[ -n "$KEPT_SECTIONS" ] && printf '\n%s\n' "$KEPT_SECTIONS"
} > "$OUTPUT.tmp"
mv "$OUTPUT.tmp" "$OUTPUT"
log "done in ${ELAPSED} s: $OUTPUT"
