#!/usr/bin/env bash
# A real Prometheus scrapes podmeta. Starts `podmeta agent` with its TCP metrics listener
# (--metrics-address) on loopback, checks the exposition with `promtool check metrics`
# (before and after a hook has run, so every kind of series is there), starts Debian's
# `prometheus` with a generated config that scrapes the listener every second, and asks
# Prometheus' HTTP API for `up == 1`, podmeta's own series and their types. Also checks
# that the TCP listener never serves the snapshot.
#
# Usage: Tests/prometheus/scrape-test.sh PATH/TO/podmeta
# Needs prometheus and promtool (Debian: apt-get install prometheus), curl and python3.
# Every process it starts is stopped and its temporary directory removed, also on failure
# or when interrupted; each wait has a deadline, so the whole run is bounded (about a minute
# at worst, a few seconds normally).
# Exit status: 0 passed, 1 a check failed, 2 usage or setup error.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 PATH/TO/podmeta" >&2
    exit 2
fi
podmeta=$(realpath "$1")
for tool in prometheus promtool curl python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "scrape-test: $tool is missing (Debian: apt-get install prometheus curl python3)" >&2
        exit 2
    fi
done

started=$(date +%s%N)
work=$(mktemp -d "${TMPDIR:-/tmp}/podmeta-prometheus.XXXXXX")
pids=()

# Stops what we started (TERM, then KILL after 5 s) and removes the directory; on failure
# shows the end of each log first.
cleanup() {
    local status=$? pid i
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ]; then
        for log in "$work"/*.log; do
            [ -f "$log" ] || continue
            echo "--- last lines of $(basename "$log")" >&2
            tail -n 20 "$log" >&2
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
    echo "scrape-test: FAILED: $*" >&2
    exit 1
}

# A free loopback port (the kernel picks it; nothing else binds it in the instant before use).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 100 ms until it succeeds.
wait_for() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$(($(date +%s) + seconds))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "gave up after ${seconds}s waiting for $what"
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "process $pid exited while waiting for $what"; done
        sleep 0.1
    done
}

metrics_port=$(free_port)
prometheus_port=$(free_port)
metrics_url=http://127.0.0.1:$metrics_port
api=http://127.0.0.1:$prometheus_port/api/v1

# A plain directory as the volume (the agent watches its files like the kubelet's).
volume=$work/podinfo
mkdir -p "$volume"
printf 'app="web"\nversion="1"' >"$volume/labels"
printf 'web-0' >"$volume/name"

"$podmeta" agent --volume "$volume" --item labels=metadata.labels --item name=metadata.name \
    --output "$work/pod.json" --socket "$work/podmeta.sock" --metrics-address "127.0.0.1:$metrics_port" \
    --on-change 'true' >"$work/podmeta.log" 2>&1 &
pids+=($!)
wait_for 20 "podmeta's /readyz on $metrics_url" curl -sf --max-time 1 "$metrics_url/readyz"

# The TCP listener serves health and metrics only, never the pod's metadata.
status=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$metrics_url/v1/snapshot")
[ "$status" != 200 ] || fail "GET /v1/snapshot over TCP answered 200"

check_exposition() {
    curl -sf --max-time 2 "$metrics_url/metrics" >"$work/metrics.txt" || fail "GET /metrics over TCP failed"
    if ! promtool check metrics <"$work/metrics.txt" >"$work/promtool.out" 2>&1; then
        cat "$work/promtool.out" >&2
        fail "promtool check metrics ($1)"
    fi
    echo "promtool check metrics ($1): no problems"
}
check_exposition "at start"

# A label change: a new revision, and the --on-change hook runs (its summary gets series).
printf 'app="web"\nversion="2"' >"$volume/labels.tmp"
mv "$volume/labels.tmp" "$volume/labels"
hook_ran() { curl -sf --max-time 1 "$metrics_url/metrics" | grep -q '^podmeta_hook_duration_seconds_count{.*} 1$'; }
wait_for 20 "the hook's run in /metrics" hook_ran
check_exposition "after a hook run"

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: podmeta
    static_configs:
      - targets: ['127.0.0.1:$metrics_port']
YAML
promtool check config "$work/prometheus.yml" >/dev/null || fail "promtool check config"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)

# query EXPR: the instant vector as "labels value" lines, sorted (empty when no series).
query() {
    curl -sfG --max-time 2 "$api/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
answer = json.load(sys.stdin)
assert answer["status"] == "success", answer
for sample in answer["data"]["result"]:
    labels = ",".join("%s=%s" % item for item in sorted(sample["metric"].items()))
    print(labels, sample["value"][1])
' | sort
}
up() { [ "$(query 'up{job="podmeta"}')" = "__name__=up,instance=127.0.0.1:$metrics_port,job=podmeta 1" ]; }
wait_for 30 "Prometheus to report up == 1 for podmeta" up
echo "Prometheus: up{job=\"podmeta\"} == 1"

# podmeta's own series, as scraped: the values the agent has, and the types it declared.
expect_value() {
    local got
    got=$(query "$1" | awk '{print $NF}') || true
    [ "$got" = "$2" ] || fail "$1 is '${got}', expected $2"
}
expect_value 'podmeta_revision{job="podmeta"}' 2
expect_value 'podmeta_ready{job="podmeta"}' 1
expect_value 'sum(podmeta_hook_runs_total{job="podmeta",result="success"})' 1
expect_value 'sum(podmeta_hook_duration_seconds_count{job="podmeta"})' 1
expect_value 'podmeta_output_writes_total{job="podmeta",output="json"}' 2
names=$(query 'count by (__name__) ({job="podmeta",__name__=~"podmeta_.+"})' | sed 's/^__name__=\([^ ]*\) .*/\1/')
for name in podmeta_reads_total podmeta_publishes_total podmeta_last_change_timestamp_seconds \
    podmeta_hook_duration_seconds_sum podmeta_socket_requests_total podmeta_socket_connections; do
    grep -qx "$name" <<<"$names" || fail "Prometheus has no series $name; it has: $(echo $names)"
done
metadata_type() {
    curl -sfG --max-time 2 "$api/metadata" --data-urlencode "metric=$1" | python3 -c '
import json, sys
print(json.load(sys.stdin)["data"]["'"$1"'"][0]["type"])'
}
has_type() { [ "$(metadata_type "$1")" = "$2" ]; }
# Metadata arrives with the scrape that follows the one that created the series.
wait_for 10 "the type of podmeta_hook_duration_seconds in Prometheus' metadata" has_type podmeta_hook_duration_seconds summary
has_type podmeta_reads_total counter || fail "podmeta_reads_total is not a counter in Prometheus' metadata"
has_type podmeta_revision gauge || fail "podmeta_revision is not a gauge in Prometheus' metadata"
echo "Prometheus: $(wc -l <<<"$names") podmeta series families scraped, values and types as exported"

echo "scrape-test: passed in $((($(date +%s%N) - started) / 1000000)) ms"
