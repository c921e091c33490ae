#!/bin/sh
# Renders the INI template once (init-container style), checks what the legacy program
# reads, then lets the agent re-render it on a label change.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
make_volume "$work/podinfo"

"$PODMETA" agent --once --volume "$work/podinfo" --template "$here/app.ini.mustache:$work/app.ini:0640"
out=$(sh "$here/legacy-app.sh" "$work/app.ini")
echo "$out"
echo "$out" | grep -qx "pod.name=web-7d4b9c-x2v9q"
echo "$out" | grep -qx "release.app=shop"
echo "$out" | grep -qx "release.version=1.4.2"
echo "$out" | grep -qx "limits.cpu_millicores=500"
echo "$out" | grep -qx "limits.memory_mib=128"
[ "$(stat -c %a "$work/app.ini")" = 640 ]

"$PODMETA" agent --volume "$work/podinfo" --template "$here/app.ini.mustache:$work/app.ini:0640" 2> "$work/agent.log" &
agent=$!
trap 'kill $agent 2>/dev/null; wait $agent 2>/dev/null; rm -rf "$work"' EXIT
wait_for "$work/agent.log" "published"
kubelet_update "$work/podinfo" labels 'app.kubernetes.io/name="shop"
canary="true"
version="1.5.0"'
wait_for "$work/app.ini" "version = 1.5.0"
sh "$here/legacy-app.sh" "$work/app.ini" | grep -qx "release.canary=true"
echo "legacy-app: ok"
