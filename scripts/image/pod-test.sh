#!/usr/bin/env bash
# The pod test: runs what manifests/native-sidecar-deployment.yaml (and the classic
# sidecar-deployment.yaml, which must describe the same podmeta container) describe, with
# podman and the image `make image` built, and checks what the app sees.
#
#   - one pod: the containers share the network, IPC and UTS namespaces;
#   - podmeta with the manifest's args, user, read-only root filesystem, no capabilities,
#     no new privileges and memory limit; its POD_* env and its downwardAPI volume hold what
#     a kubelet would put there for the manifest's pod (scripts/image/pod-spec.py);
#   - the downwardAPI volume: a host directory mounted read-only and written by podmeta's
#     own kubelet simulator (`podmeta kubelet-write`, the kubelet's atomic ..data swaps);
#   - the emptyDir: a tmpfs volume of the manifest's sizeLimit, shared by both containers;
#   - the startup probe, run the way the kubelet runs an exec probe, until it passes; only
#     then the app container starts (native sidecar ordering). It reads pod.json, sources
#     pod.env, asks the socket with `podmeta get`, then sees label and annotation changes
#     made while it runs, in all three, and scrapes /metrics over the pod's network;
#   - podmeta must still run within its limit, then stop cleanly on SIGTERM.
#
# Every container, pod and volume it creates is removed on exit, failure or interrupt.
# Bounded: each wait has a deadline. Environment: PODMETA_IMAGE (default
# localhost/podmeta:dev), HOST_PODMETA (the binary that plays the kubelet; default the one
# `make image` put in the image), IMAGE_DIR (podman's private state, default .build-image).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/image/podman-env.sh
HOST_PODMETA=${HOST_PODMETA:-$IMAGE_DIR/context/podmeta}
started=${EPOCHREALTIME/./}
log() {
    local elapsed=$((${EPOCHREALTIME/./} - started))
    printf 'pod-test: [%d.%02ds] %s\n' $((elapsed / 1000000)) $((elapsed % 1000000 / 10000)) "$*" >&2
}
fail() { log "FAILED: $*"; exit 1; }

[ -x "$HOST_PODMETA" ] || fail "$HOST_PODMETA is missing: run make image first"
pm image exists "$PODMETA_IMAGE" || fail "$PODMETA_IMAGE is not in $IMAGE_DIR/storage: run make image first"
spec=$(python3 scripts/image/pod-spec.py manifests/native-sidecar-deployment.yaml manifests/sidecar-deployment.yaml)
eval "$spec"

name=podmeta-test-$$
podinfo=$(mktemp -d "${TMPDIR:-/tmp}/podmeta-podinfo.XXXXXX")
chmod 0755 "$podinfo"
cleanup() {
    local status=$?
    trap '' INT TERM # a second signal must not cut the cleanup short
    if [ "$status" -ne 0 ]; then
        for container in "$name-podmeta" "$name-app"; do
            pm container exists "$container" 2>/dev/null || continue
            log "logs of $container:"
            pm logs "$container" 2>&1 | tail -n 40 | sed 's/^/    /' >&2 || true
        done
    fi
    pm pod rm --force --time 0 "$name" >/dev/null 2>&1 || true
    pm volume rm --force "$name-run" >/dev/null 2>&1 || true
    rm -rf "$podinfo"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The kubelet's side: publish the labels, annotations and items, one ..data swap per call.
publish() { # LABEL... -- ANNOTATION...
    local args=() in_annotations=0 pair
    for pair in "$@"; do
        if [ "$pair" = -- ]; then in_annotations=1; continue; fi
        if [ $in_annotations = 1 ]; then args+=(--annotation "$pair"); else args+=(--label "$pair"); fi
    done
    for pair in "${VOLUME_ITEMS[@]}"; do args+=(--item "$pair"); done
    "$HOST_PODMETA" kubelet-write --volume "$podinfo" "${args[@]}" >/dev/null
}
container_running() { [ "$(pm inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

restricted=(--user "$PODMETA_USER" --read-only --read-only-tmpfs=false --cap-drop all
    --security-opt no-new-privileges)
labels=("${POD_LABELS[@]}")
publish "${labels[@]}" -- "${POD_ANNOTATIONS[@]}"
# An emptyDir with medium: Memory is a tmpfs, mode 0777. Its size in pages (nr_blocks):
# podman takes a size= option for a disk quota.
pm volume create --opt type=tmpfs --opt device=tmpfs \
    --opt "o=nr_blocks=$(((RUN_SIZE_LIMIT + 4095) / 4096)),mode=0777" "$name-run" >/dev/null
pm pod create --name "$name" --network none >/dev/null
env_args=()
for pair in "${PODMETA_ENV[@]}"; do env_args+=(--env "$pair"); done
pm run --detach --pod "$name" --name "$name-podmeta" "${restricted[@]}" \
    --memory "$PODMETA_MEMORY" --memory-swap "$PODMETA_MEMORY" "${env_args[@]}" \
    --volume "$podinfo:/etc/podinfo:ro" --volume "$name-run:/run/podmeta" \
    "$PODMETA_IMAGE" "${PODMETA_ARGS[@]}" >/dev/null
log "podmeta started: ${PODMETA_ARGS[*]}"

# The startup probe, as the kubelet runs it: every periodSeconds, each try cut off after
# timeoutSeconds, failureThreshold tries.
ready=0
for ((try = 1; try <= STARTUP_FAILURES; try++)); do
    container_running "$name-podmeta" || fail "podmeta exited before it was ready"
    if timeout "$STARTUP_TIMEOUT" $PODMAN exec "$name-podmeta" "${STARTUP_PROBE[@]}" >/dev/null 2>&1; then
        ready=1
        break
    fi
    sleep "$STARTUP_PERIOD"
done
[ $ready = 1 ] || fail "the startup probe (${STARTUP_PROBE[*]}) did not pass in $STARTUP_FAILURES tries"
log "startup probe passed (try $try)"

# What the restrictions look like from inside.
status=$(pm exec "$name-podmeta" cat /proc/1/status)
grep -Eq '^Uid:\s+65532\s' <<<"$status" || fail "podmeta does not run as uid 65532"
grep -Eq '^CapEff:\s+0+$' <<<"$status" || fail "podmeta has capabilities"
grep -Eq '^CapBnd:\s+0+$' <<<"$status" || fail "podmeta's bounding set is not empty"
grep -Eq '^NoNewPrivs:\s+1$' <<<"$status" || fail "podmeta can gain privileges"
pm exec "$name-podmeta" sh -c ': > /podmeta-probe' 2>/dev/null && fail "podmeta's root filesystem is writable"
[ "$(pm inspect --format '{{.HostConfig.Memory}}' "$name-podmeta")" = "$PODMETA_MEMORY" ] ||
    fail "podmeta's memory limit is not $PODMETA_MEMORY"

# The app: the same image, started only now. $1 the version it must see first, $2 the pod
# name, $3 the version published while it runs, $4 the annotation value published with it.
read -r -d '' app_script <<'SH' || true
set -eu
json=/run/podmeta/pod.json socket=/run/podmeta/podmeta.sock
say() { echo "app: $*"; }
[ -s "$json" ] || { say "$json is missing"; exit 1; }
[ "$(podmeta get --file "$json" labels version)" = "$1" ] || { say "pod.json lacks version $1"; exit 1; }
. /run/podmeta/pod.env
[ "$POD_NAME" = "$2" ] && [ "$POD_LABEL_VERSION" = "$1" ] || { say "pod.env: $POD_NAME $POD_LABEL_VERSION"; exit 1; }
[ "$(podmeta get --socket "$socket" labels version)" = "$1" ] || { say "the socket lacks version $1"; exit 1; }
say "saw version $1 in pod.json, pod.env and the socket; waiting for $3"
# Each consumer must follow the change within 10 s.
until [ "$(podmeta get --socket "$socket" labels version)" = "$3" ]; do
    i=$((${i:-0} + 1)); [ "$i" -le 100 ] || { say "the socket never showed version $3"; exit 1; }; sleep 0.1
done
until [ "$(podmeta get --file "$json" labels version)" = "$3" ]; do
    j=$((${j:-0} + 1)); [ "$j" -le 100 ] || { say "pod.json never showed version $3"; exit 1; }; sleep 0.1
done
until (. /run/podmeta/pod.env && [ "$POD_LABEL_VERSION" = "$3" ]); do
    k=$((${k:-0} + 1)); [ "$k" -le 100 ] || { say "pod.env never showed version $3"; exit 1; }; sleep 0.1
done
[ "$(podmeta get --socket "$socket" annotations example.com/owner)" = "$4" ] || { say "annotation not updated"; exit 1; }
say "saw version $3 and the new annotation"
# The metrics listener, over the pod's shared network namespace: metrics, never the snapshot.
if [ -n "$5" ]; then
    metrics=$(wget -qO- "http://127.0.0.1:$5/metrics") || { say "no /metrics on port $5"; exit 1; }
    case $metrics in *podmeta_*) ;; *) say "/metrics on port $5 has no podmeta_ series"; exit 1 ;; esac
    if wget -qO- "http://127.0.0.1:$5/v1/snapshot" >/dev/null 2>&1; then say "port $5 serves the snapshot"; exit 1; fi
    say "scraped /metrics on port $5; the snapshot is not served there"
fi
SH
first_version=
for pair in "${labels[@]}"; do [[ $pair == version=* ]] && first_version=${pair#version=}; done
[ -n "$first_version" ] || fail "the manifest's pod has no version label"
pm run --detach --pod "$name" --name "$name-app" "${restricted[@]}" --volume "$name-run:/run/podmeta:ro" \
    --entrypoint /bin/sh "$PODMETA_IMAGE" -c "$app_script" app "$first_version" "$POD_NAME" 9.9.9 new-owner@example.com \
    "$METRICS_PORT" \
    >/dev/null
log "app started"
app_waits() { grep -q "waiting for" <<<"$(pm logs "$name-app" 2>&1)"; }
for ((i = 0; i < 200; i++)); do
    app_waits && break
    container_running "$name-app" || break
    sleep 0.1
done
app_waits || fail "the app did not see the initial metadata"

# While the pod runs: three ..data swaps, an unrelated label, then the version and the
# annotation.
publish "${labels[@]}" canary=true -- "${POD_ANNOTATIONS[@]}"
publish "${labels[@]}" -- "${POD_ANNOTATIONS[@]}"
changed=()
for pair in "${labels[@]}"; do [[ $pair == version=* ]] && changed+=(version=9.9.9) || changed+=("$pair"); done
publish "${changed[@]}" -- example.com/owner=new-owner@example.com
log "published 3 changes"
app_status=$(timeout 30 $PODMAN wait "$name-app") || fail "the app did not finish in 30 s"
pm logs "$name-app" 2>&1 | sed 's/^/    /' >&2
[ "$app_status" = 0 ] || fail "the app exited with status $app_status"

container_running "$name-podmeta" || fail "podmeta is not running any more"
[ "$(pm inspect --format '{{.State.OOMKilled}}' "$name-podmeta")" = false ] || fail "podmeta was OOM-killed"
log "podmeta memory: $(pm stats --no-stream --format '{{.MemUsage}}' "$name-podmeta" 2>/dev/null || echo unknown)"
pm stop --time 10 "$name-podmeta" >/dev/null
exit_code=$(pm inspect --format '{{.State.ExitCode}}' "$name-podmeta")
[ "$exit_code" = 0 ] || fail "podmeta exited with status $exit_code on SIGTERM"
log "OK: podmeta stopped cleanly on SIGTERM"
