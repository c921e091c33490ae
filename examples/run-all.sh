#!/bin/sh
# Runs every example against a simulated kubelet volume: `examples/run-all.sh PODMETA_BINARY`.
set -eu
PODMETA=${1:-podmeta}
case "$PODMETA" in /*) ;; */*) PODMETA="$(pwd)/$PODMETA" ;; esac
export PODMETA
cd "$(dirname "$0")"
for example in shell-entrypoint legacy-app label-hook; do
    echo "== example: $example"
    sh "$example/run.sh"
done
