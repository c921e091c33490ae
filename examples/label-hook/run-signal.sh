#!/bin/sh
# The signal variant: the agent sends SIGHUP to the app's process, found by its command
# line in /proc (in a pod: shareProcessNamespace: true, see manifests/signal-hook.yaml).
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
make_volume "$work/podinfo"
# The "app": reloads its config on SIGHUP. Its last argument names it on the command line.
sh -c 'trap "echo app reloaded >> \"$0\"" HUP; while :; do sleep 0.1; done' "$work/app.log" example-app &
app=$!
trap 'kill $agent $app 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
agent=""
cat > "$work/podmeta.json" <<JSON
{
  "output": "$work/pod.json",
  "hooks": [
    {"name": "reload-app", "on": ["labels/version"],
     "signal": {"process": "/$(basename "$work")\\\\/app.log example-app/", "signal": "HUP"}}
  ]
}
JSON
"$PODMETA" agent --volume "$work/podinfo" --config "$work/podmeta.json" 2> "$work/agent.log" &
agent=$!
wait_for "$work/pod.json" '"revision": 1'
kubelet_update "$work/podinfo" labels 'app="web"
tier="frontend"
version="1.5.0"'
wait_for "$work/app.log" "app reloaded"
grep "hook succeeded" "$work/agent.log"
grep -q "sent SIGHUP to pid $app" "$work/agent.log"
echo "label-hook (signal): ok"
