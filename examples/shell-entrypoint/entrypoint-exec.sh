#!/bin/sh
# The same without an env file: podmeta reads the volume and replaces itself (same PID)
# with the program, the variables added to its environment.
exec "${PODMETA:-podmeta}" exec --volume "${PODMETA_VOLUME:-/etc/podinfo}" -- \
    sh -c 'echo "starting $POD_NAME ($POD_LABEL_APP_KUBERNETES_IO_NAME), $POD_CPU_LIMIT_CORES cores"'
