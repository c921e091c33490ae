#!/usr/bin/env bash
# The smallest memory limit a sidecar cold-starts and works in (bench/run.sh calls it; root
# only, it creates memory cgroups and drops the page cache).
#
#   bench/memory-limit.sh podmeta BINARY BENCH_BIN           # BENCH_BIN holds PodmetaBenchAgent
#   bench/memory-limit.sh configmap-reload BINARY BENCH_BIN
#
# Each attempt runs the subject in a memory cgroup of its own, nested under this shell's
# (cgroup v1: memory.limit_in_bytes; cgroup v2: memory.max), from a fresh copy of BINARY in
# a directory on disk, started after `sync; echo 1 > /proc/sys/vm/drop_caches`: the copy's
# pages are not in the page cache, so everything the subject touches of its binary is read
# in and charged to its cgroup, as in a new pod on a node that never ran the image. (The
# copy must not be on tmpfs: tmpfs pages are shmem, charged to whoever wrote them and never
# dropped.) The volume, the output and the socket are on BENCH_DIR (/dev/shm), written by
# the driver outside the cgroup.
#
# It works when, within 3 s of the start, it is ready (podmeta: /readyz answers 200 and the
# JSON output exists; configmap-reload: /metrics answers 200), then it follows SWAPS kubelet
# swaps (PodmetaBenchAgent swaps, each one seen before the next: in podmeta's output, or
# for configmap-reload in the file its webhook's receiver writes from the volume's labels
# when called) and answers requests: podmeta QUERIES times GET /v1/labels/seq?raw on its
# socket, which must give the last seq; configmap-reload CMR_QUERIES times GET /metrics
# (default 1: it has no query API, its metrics are what a client reads, once per scrape
# interval), all within their deadlines and without being killed. Below its limit a process often does not die: it livelocks in
# page faults (memory.failcnt climbs by millions), which the deadlines catch.
#
# The search: LIMIT_HIGH_MIB must work, then bisection down to 1 MiB steps, a limit counting
# as working when TRIES attempts in a row work (a failed attempt ends that limit); then the
# answer and the limit 1 MiB below are tried TRIES more times each, and every attempt is
# reported. Prints a markdown table of the attempts, then a line "smallest: N" (MiB, or
# "none" when LIMIT_HIGH_MIB fails).
#
# Read-ahead decides much of the answer: a cold page fault in the binary reads up to the
# disk's read_ahead_kb around it into the page cache, and the cgroup is charged for all of
# it. READ_AHEAD_KB, when set, sets the disk's read-ahead (of the device holding DISK_DIR)
# for the search and restores it on exit; the value in use is printed before the table.
#
# Knobs: READ_AHEAD_KB (unset: the machine's), LIMIT_HIGH_MIB (48), LIMIT_LOW_MIB (2, assumed failing), TRIES (2), SWAPS (100),
# QUERIES (100), CMR_QUERIES (1), BENCH_DIR (/dev/shm), DISK_DIR (a directory on disk; default
# .build-release/memory-limit in the repository), WEBHOOK_PORT (18533), METRICS_PORT (19533).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SUBJECT=${1:?usage: bench/memory-limit.sh podmeta|configmap-reload BINARY BENCH_BIN}
BINARY=${2:?the binary to measure}
BENCH_BIN=${3:?the directory holding PodmetaBenchAgent}
LIMIT_HIGH_MIB=${LIMIT_HIGH_MIB:-48}
LIMIT_LOW_MIB=${LIMIT_LOW_MIB:-2}
TRIES=${TRIES:-2}
SWAPS=${SWAPS:-100}
QUERIES=${QUERIES:-100}
CMR_QUERIES=${CMR_QUERIES:-1}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
DISK_DIR=${DISK_DIR:-$ROOT/.build-release/memory-limit}
WEBHOOK_PORT=${WEBHOOK_PORT:-18533}
METRICS_PORT=${METRICS_PORT:-19533}
READY_SECONDS=3

log() { echo "memory-limit: $*" >&2; }
case $SUBJECT in podmeta | configmap-reload) ;; *) log "unknown subject $SUBJECT"; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { log "needs root (memory cgroups, drop_caches)"; exit 2; }
[ -x "$BINARY" ] || { log "$BINARY is not an executable"; exit 2; }
for tool in curl python3 timeout; do
    command -v "$tool" >/dev/null || { log "$tool is not installed"; exit 2; }
done

# --- the parent cgroup ------------------------------------------------------------------------
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    CGROUP_VERSION=2
    PARENT=/sys/fs/cgroup$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
    grep -qw memory "$PARENT/cgroup.subtree_control" 2>/dev/null \
        || echo +memory > "$PARENT/cgroup.subtree_control" 2>/dev/null \
        || { log "cannot enable the memory controller below $PARENT (cgroup v2 needs a parent without processes of its own)"; exit 2; }
else
    CGROUP_VERSION=1
    PARENT=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
    [ -f "$PARENT/memory.limit_in_bytes" ] || { log "no cgroup v1 memory controller at $PARENT"; exit 2; }
fi
PARENT=${PARENT%/}

# --- scratch, children and cleanup --------------------------------------------------------------
mkdir -p "$DISK_DIR"
case $(stat -f -c %T "$DISK_DIR") in tmpfs | ramfs) log "$DISK_DIR is $(stat -f -c %T "$DISK_DIR"), not a disk"; exit 2 ;; esac
device=$(basename "$(df --output=source "$DISK_DIR" | tail -1)")
parent_device=$(lsblk -no PKNAME "/dev/$device" 2>/dev/null | head -1 || true)
RA_FILE=/sys/block/${parent_device:-$device}/queue/read_ahead_kb
[ -f "$RA_FILE" ] || { log "no read-ahead setting at $RA_FILE"; exit 2; }
RA_SAVED=$(cat "$RA_FILE")
WORK=$(mktemp -d "$BENCH_DIR/pmlimit.XXXXXX")
COPY_DIR=$(mktemp -d "$DISK_DIR/copy.XXXXXX")
CGROUP=""
SUBJECT_PID=""
RECEIVER_PID=""
stop_subject() {
    if [ -n "$SUBJECT_PID" ]; then
        kill -KILL "$SUBJECT_PID" 2>/dev/null || true
        wait "$SUBJECT_PID" 2>/dev/null || true
        SUBJECT_PID=""
    fi
    if [ -n "$CGROUP" ] && [ -d "$CGROUP" ]; then
        # Anything the subject left (it forks nothing, but a stray child must not keep the
        # cgroup alive), then the cgroup itself; rmdir fails while a process is in it.
        for pid in $(cat "$CGROUP/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        for _ in $(seq 100); do rmdir "$CGROUP" 2>/dev/null && break; sleep 0.02; done
        [ -d "$CGROUP" ] && log "could not remove $CGROUP"
    fi
    CGROUP=""
}
cleanup() {
    stop_subject
    if [ -n "$RECEIVER_PID" ]; then kill -TERM "$RECEIVER_PID" 2>/dev/null || true; wait "$RECEIVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK" "$COPY_DIR"
    [ "$(cat "$RA_FILE")" = "$RA_SAVED" ] || echo "$RA_SAVED" > "$RA_FILE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# configmap-reload's webhook goes to this receiver: on each POST it copies the seq label from
# the volume into the output file the swap driver watches (write a temporary file, rename).
if [ "$SUBJECT" = configmap-reload ]; then
    python3 bench/webhook-receiver.py "$WORK/vol" "$WORK/out/receiver.json" "$WEBHOOK_PORT" 2> "$WORK/receiver.log" &
    RECEIVER_PID=$!
    for _ in $(seq 100); do curl -s -o /dev/null -X POST --max-time 1 "http://127.0.0.1:$WEBHOOK_PORT/" 2>/dev/null && break; sleep 0.05; done
fi

cg_read() { cat "$CGROUP/$1" 2>/dev/null || echo 0; }
# failcnt, the peak usage in bytes and the OOM kills of the current cgroup.
cg_figures() {
    if [ "$CGROUP_VERSION" = 1 ]; then
        echo "$(cg_read memory.failcnt) $(cg_read memory.max_usage_in_bytes) $(awk '$1 == "oom_kill" {print $2}' "$CGROUP/memory.oom_control" 2>/dev/null || echo 0)"
    else
        echo "$(awk '$1 == "max" {print $2}' "$CGROUP/memory.events") $(cg_read memory.peak) $(awk '$1 == "oom_kill" {print $2}' "$CGROUP/memory.events")"
    fi
}
now_ms() { date +%s%3N; }

# One attempt at LIMIT MiB; prints a table row, returns 0 when the subject worked.
attempt() {
    local limit=$1 try=$2 verdict="" detail="" started ready_ms="" rc=0 asked=$QUERIES
    [ "$SUBJECT" = configmap-reload ] && asked=$CMR_QUERIES
    stop_subject
    rm -rf "$WORK/vol" "$WORK/out" "$WORK/sock"
    mkdir -p "$WORK/out" "$WORK/sock"
    "$BENCH_BIN/PodmetaBenchAgent" init --volume "$WORK/vol" >/dev/null

    CGROUP=$PARENT/pmlimit-$$-$limit-$try
    mkdir "$CGROUP"
    if [ "$CGROUP_VERSION" = 1 ]; then
        echo $((limit * 1048576)) > "$CGROUP/memory.limit_in_bytes"
    else
        echo $((limit * 1048576)) > "$CGROUP/memory.max"
        echo 0 > "$CGROUP/memory.swap.max" 2>/dev/null || true
    fi

    rm -f "$COPY_DIR/subject"
    cp "$BINARY" "$COPY_DIR/subject"
    sync
    echo 1 > /proc/sys/vm/drop_caches

    local command
    if [ "$SUBJECT" = podmeta ]; then
        command=("$COPY_DIR/subject" agent --volume "$WORK/vol" --output "$WORK/out/pod.json" --socket "$WORK/sock/podmeta.sock")
    else
        command=("$COPY_DIR/subject" --volume-dir "$WORK/vol" --webhook-url "http://127.0.0.1:$WEBHOOK_PORT/"
            --web.listen-address "127.0.0.1:$METRICS_PORT")
    fi
    # The shell joins the cgroup, then execs the subject (its own pages are freed at exec).
    sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CGROUP" "${command[@]}" 2> "$COPY_DIR/subject.log" &
    SUBJECT_PID=$!
    started=$(now_ms)

    local deadline=$((started + READY_SECONDS * 1000)) ready=""
    while [ "$(now_ms)" -lt "$deadline" ] && kill -0 "$SUBJECT_PID" 2>/dev/null; do
        if [ "$SUBJECT" = podmeta ]; then
            [ -s "$WORK/out/pod.json" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 --unix-socket "$WORK/sock/podmeta.sock" http://localhost/readyz 2>/dev/null)" = 200 ] && ready=1
        else
            [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null)" = 200 ] && ready=1
        fi
        [ -n "$ready" ] && break
        sleep 0.02
    done
    if [ -n "$ready" ]; then
        ready_ms=$(( $(now_ms) - started ))
        local output=$WORK/out/pod.json
        [ "$SUBJECT" = configmap-reload ] && output=$WORK/out/receiver.json
        timeout 60 "$BENCH_BIN/PodmetaBenchAgent" swaps --volume "$WORK/vol" --output "$output" --count "$SWAPS" \
            --gap-ms 5 --timeout-ms 2000 --max-timeouts 1 > "$WORK/swaps.json" 2>/dev/null || rc=$?
        local seen
        seen=$(sed -n 's/.*"seen": \([0-9]*\).*/\1/p' "$WORK/swaps.json")
        if [ "$rc" != 0 ] || [ "${seen:-0}" != "$SWAPS" ]; then
            verdict=fail
            detail="swaps seen ${seen:-0}/$SWAPS"
        else
            local answers
            if [ "$SUBJECT" = podmeta ]; then
                local urls=()
                for _ in $(seq "$QUERIES"); do urls+=("http://localhost/v1/labels/seq?raw"); done
                # One connection (keep-alive), one line per answer: the last swap's seq.
                answers=$(timeout 20 curl -s --max-time 15 --unix-socket "$WORK/sock/podmeta.sock" -w '\n' "${urls[@]}" 2>/dev/null \
                    | grep -cx "$SWAPS" || true)
            else
                local urls=()
                for _ in $(seq "$CMR_QUERIES"); do urls+=("http://127.0.0.1:$METRICS_PORT/metrics"); done
                answers=$(timeout 20 curl -s --max-time 15 -w '%{http_code}\n' -o /dev/null "${urls[@]}" 2>/dev/null \
                    | grep -cx 200 || true)
            fi
            if [ "$answers" = "$asked" ]; then verdict=works; else verdict=fail; detail="queries answered $answers/$asked"; fi
        fi
    else
        verdict=fail
        detail="not ready within ${READY_SECONDS} s"
    fi
    local alive=no
    kill -0 "$SUBJECT_PID" 2>/dev/null && alive=yes
    read -r failcnt peak ooms <<< "$(cg_figures)"
    local state
    if [ "${ooms:-0}" -gt 0 ]; then state="OOM-killed"
    elif [ "$alive" = no ]; then state="exited"
    elif [ "$verdict" = fail ]; then state="alive at the deadline (livelock)"
    else state="alive"; fi
    stop_subject
    echo "| $limit MiB | $try | $verdict | ${ready_ms:+${ready_ms} ms} | ${detail:-$SWAPS swaps, $asked queries} | $state | $failcnt | $(awk -v b="$peak" 'BEGIN {printf "%.1f MiB", b / 1048576}') |"
    [ "$verdict" = works ]
}

echo "| limit | try | verdict | ready after | detail | process | failcnt | peak usage |"
echo "|---:|---:|---|---:|---|---|---:|---:|"
# Whether LIMIT works TRIES times in a row (stops at the first failure).
works_at() {
    local try
    for try in $(seq "$1" $(( $1 + TRIES - 1 ))); do attempt "$2" "$try" || return 1; done
}
if [ -n "${READ_AHEAD_KB:-}" ]; then echo "$READ_AHEAD_KB" > "$RA_FILE"; fi
log "$SUBJECT: cgroup v$CGROUP_VERSION under $PARENT, copies in $COPY_DIR, read-ahead $(cat "$RA_FILE") KB"
echo "Read-ahead of the disk holding the copies (\`$RA_FILE\`): $(cat "$RA_FILE") KB."
echo
if ! works_at 1 "$LIMIT_HIGH_MIB"; then
    log "$SUBJECT does not work even at $LIMIT_HIGH_MIB MiB"
    echo
    echo "smallest: none"
    exit 0
fi
low=$LIMIT_LOW_MIB
high=$LIMIT_HIGH_MIB
while [ $((high - low)) -gt 1 ]; do
    middle=$(( (low + high) / 2 ))
    log "$SUBJECT: works at $high MiB, fails at $low MiB; trying $middle MiB"
    if works_at 1 "$middle"; then high=$middle; else low=$middle; fi
done
log "$SUBJECT: confirming $high MiB and $((high - 1)) MiB"
confirmed=yes
works_at $((TRIES + 1)) "$high" || confirmed=no
for try in $(seq $((TRIES + 1)) $((2 * TRIES))); do attempt $((high - 1)) "$try" || true; done
echo
if [ "$confirmed" = yes ]; then echo "smallest: $high"; else echo "smallest: $high (failed its confirmation: flaky at this limit)"; fi
