#!/bin/sh
# The webhook variant: the agent POSTs the change document to an HTTP endpoint of the pod
# (here a stand-in on 127.0.0.1 that fails its first request), retrying with backoff.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
make_volume "$work/podinfo"
python3 "$here/reload-receiver.py" "$work/reloads.log" "$work/port" &
receiver=$!
trap 'kill $agent $receiver 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
agent=""
wait_for "$work/port" "[0-9]"
cat > "$work/podmeta.json" <<JSON
{
  "output": "$work/pod.json",
  "hooks": [
    {"name": "reload-endpoint", "on": ["labels/version"], "url": "http://127.0.0.1:$(cat "$work/port")/-/reload",
     "retries": 3, "backoff": "200ms:2s", "timeout": "2s"}
  ]
}
JSON
"$PODMETA" agent --volume "$work/podinfo" --config "$work/podmeta.json" 2> "$work/agent.log" &
agent=$!
wait_for "$work/pod.json" '"revision": 1'
kubelet_update "$work/podinfo" labels 'app="web"
tier="frontend"
version="1.5.0"'
wait_for "$work/reloads.log" "webhook reload at revision 2 (attempt 2)"
cat "$work/reloads.log"
grep -q "labels/version" "$work/reloads.log"
grep -q "attempts=2" "$work/agent.log"
echo "label-hook (webhook): ok"
