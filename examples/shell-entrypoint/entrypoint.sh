#!/bin/sh
# A shell entrypoint that reads the pod's metadata from the env file the podmeta init
# container (or sidecar) wrote, then starts the real program.
set -eu
. "${PODMETA_ENV_FILE:-/run/podmeta/pod.env}"
echo "starting $POD_NAME in namespace $POD_NAMESPACE"
echo "version label: $POD_LABEL_VERSION"
echo "cpu limit: ${POD_CPU_LIMIT_MILLICORES}m, memory limit: ${POD_MEMORY_LIMIT_MIB} MiB"
echo "note: $POD_ANNOTATION_EXAMPLE_COM_NOTE"
# exec ./server --workers "$(( (POD_CPU_LIMIT_MILLICORES + 999) / 1000 ))"
