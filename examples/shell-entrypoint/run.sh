#!/bin/sh
# Runs both entrypoints against a simulated kubelet volume and checks what they print.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_volume "$work/podinfo"

"$PODMETA" agent --once --volume "$work/podinfo" --env-file "$work/pod.env"
out=$(PODMETA_ENV_FILE="$work/pod.env" sh "$(dirname "$0")/entrypoint.sh")
echo "$out"
echo "$out" | grep -qx "starting web-7d4b9c-x2v9q in namespace shop"
echo "$out" | grep -qx "version label: 1.4.2"
echo "$out" | grep -qx "cpu limit: 500m, memory limit: 128 MiB"
echo "$out" | grep -q "note: multi"

out=$(PODMETA_VOLUME="$work/podinfo" sh "$(dirname "$0")/entrypoint-exec.sh")
echo "$out"
[ "$out" = "starting web-7d4b9c-x2v9q (shop), 0.5 cores" ]
echo "shell-entrypoint: ok"
