#!/usr/bin/env bash
# Shows that the pod test can fail: runs it on a broken podmeta, an image whose agent drops
# its --output flag (so it never writes pod.json, yet answers its probes), and expects the
# test to fail because the app finds no pod.json. Exits 0 only when the test failed so.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/image/podman-env.sh
broken=localhost/podmeta:broken-no-output
context="$IMAGE_DIR/broken"
cleanup() {
    local status=$?
    trap '' INT TERM
    pm rmi --force "$broken" >/dev/null 2>&1 || true
    rm -rf "$context"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$context"
cat >"$context/podmeta" <<'SH'
#!/bin/sh
# A broken podmeta: the agent never writes its JSON file.
if [ "$1" = agent ]; then
    shift
    for arg; do
        shift
        case $arg in --output=*) ;; *) set -- "$@" "$arg" ;; esac
    done
    set -- agent "$@"
fi
exec /usr/local/bin/podmeta.real "$@"
SH
cat >"$context/Containerfile" <<EOF2
FROM $PODMETA_IMAGE
USER 0
RUN mv /usr/local/bin/podmeta /usr/local/bin/podmeta.real
COPY --chmod=0755 podmeta /usr/local/bin/podmeta
USER 65532:65532
EOF2
pm build --quiet --pull=never --network=none --file "$context/Containerfile" --tag "$broken" "$context" >/dev/null
output="$IMAGE_DIR/pod-test-broken.log"
if PODMETA_IMAGE=$broken scripts/image/pod-test.sh >"$output" 2>&1; then
    cat "$output" >&2
    echo "pod-test-fails: the pod test passed on a podmeta that never writes pod.json" >&2
    exit 1
fi
if ! grep -q "app: /run/podmeta/pod.json is missing" "$output"; then
    cat "$output" >&2
    echo "pod-test-fails: the pod test failed, but not because pod.json was missing" >&2
    exit 1
fi
echo "pod-test-fails: OK, the pod test fails on a podmeta that never writes pod.json:" >&2
grep -E "FAILED|app:" "$output" | sed 's/^/    /' >&2
