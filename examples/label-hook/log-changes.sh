#!/bin/sh
# A change hook: podmeta gives it the revision and the changed keys in its environment and
# the whole diff, with the new snapshot, as one JSON line on stdin.
set -eu
log=${HOOK_LOG:-/run/podmeta/changes.log}
payload=$(cat)
echo "revision $PODMETA_REVISION changed: $PODMETA_CHANGED" >> "$log"
# Plain JSON: any tool reads it (jq -c .changes, python -m json.tool, ...). printf, not
# echo: dash's echo would expand the \n escapes inside JSON strings.
printf '%s\n' "$payload" | sed -n 's/.*\("changes":\[[^]]*\]\).*/\1/p' >> "$log"
