#!/bin/sh
# Fires only when version or canary changed AND the pod's new labels match
# "tier in (frontend,api),canary=true": e.g. tell the app to reload its feature flags.
set -eu
cat > /dev/null
echo "canary reload at revision $PODMETA_REVISION ($PODMETA_CHANGED)" >> "${HOOK_LOG:-/run/podmeta/changes.log}"
