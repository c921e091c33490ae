#!/bin/sh
# Starts the agent with the example config on a simulated kubelet volume, changes labels
# the way the kubelet does, and checks which hooks ran with which diff.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
make_volume "$work/podinfo"
sed -e "s#/run/podmeta#$work#g" -e "s#/etc/podmeta#$here#g" "$here/podmeta.json" > "$work/podmeta.json"
export HOOK_LOG="$work/changes.log"
"$PODMETA" agent --volume "$work/podinfo" --config "$work/podmeta.json" 2> "$work/agent.log" &
agent=$!
trap 'kill $agent 2>/dev/null; wait $agent 2>/dev/null; rm -rf "$work"' EXIT
wait_for "$work/pod.json" '"revision": 1'

labels='app="web"
app.kubernetes.io/name="shop"
pod-template-hash="7d4b9c"
tier="frontend"
version="1.4.2"'
# 1. An annotation change: log-changes runs, canary-reload does not (its filter).
kubelet_update "$work/podinfo" annotations 'example.com/owner="team-shop@example.com"'
wait_for "$HOOK_LOG" "revision 2 changed"
# 2. version changes but canary is not true: the selector keeps canary-reload quiet.
kubelet_update "$work/podinfo" labels "$labels
canary=\"false\""
wait_for "$HOOK_LOG" "revision 3 changed: labels/canary"
# 3. canary=true with a new version: both hooks run.
kubelet_update "$work/podinfo" labels "$(echo "$labels" | sed 's/1.4.2/1.5.0/')
canary=\"true\""
wait_for "$HOOK_LOG" "canary reload at revision 4 ("
cat "$HOOK_LOG"
grep -q "revision 2 changed: annotations/example.com/note annotations/example.com/owner" "$HOOK_LOG"
if grep -q "canary reload at revision [23]" "$HOOK_LOG"; then
    echo "canary-reload fired for a change its filter or selector excludes" >&2
    exit 1
fi
grep -q '"key":"version","new":"1.5.0","old":"1.4.2"' "$HOOK_LOG"
echo "label-hook: ok"
sh "$here/run-webhook.sh"
sh "$here/run-signal.sh"
