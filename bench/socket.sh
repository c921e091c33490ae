#!/usr/bin/env bash
# Socket benchmark: podmeta's query endpoint against nginx (Debian's) serving the same JSON
# document on a Unix socket. Keep-alive clients at 1, 16 and 64 connections (requests/s,
# p50, p99), then the RSS of each server idle and holding 1000 waiting connections
# (podmeta: blocking queries; nginx: idle keep-alive connections, it has no blocking queries).
#
#   bench/socket.sh                 # 5 s per run
#   RUN_SECONDS=10 REPEAT=3 bench/socket.sh   # the median of 3 runs (by requests/s)
#
# Both servers get one thread/process; the load generator is one thread, so on a 2-core
# machine each side has a core. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS=${RUN_SECONDS:-5}
REPEAT=${REPEAT:-1}
IDLE_COUNT=${IDLE_COUNT:-1000}
command -v nginx >/dev/null || { echo "bench/socket.sh: nginx is not installed (apt-get install nginx-light)" >&2; exit 2; }

# bench/run.sh passes the binary it built (static, in .build-release) instead.
if [ -n "${PODMETA_BENCH_SOCKET_BIN:-}" ]; then
    BIN="$PODMETA_BENCH_SOCKET_BIN"
else
    swift build -c release --product PodmetaBenchSocket >&2
    BIN="$(swift build -c release --show-bin-path)/PodmetaBenchSocket"
fi
WORK="$(mktemp -d /tmp/pmbench.XXXXXX)"
PODMETA_PID=""
NGINX_PID=""
cleanup() {
    exec 7>&- 2>/dev/null || true
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    [ -n "$PODMETA_PID" ] && wait "$PODMETA_PID" 2>/dev/null || true
    [ -n "$NGINX_PID" ] && wait "$NGINX_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 8192

"$BIN" document > "$WORK/snapshot.json"

# podmeta's server, held open by fd 7 (closing it shuts the server down).
mkfifo "$WORK/hold"
"$BIN" serve --socket "$WORK/podmeta.sock" --max-connections $((IDLE_COUNT + 100)) < "$WORK/hold" > "$WORK/serve.out" &
PODMETA_PID=$!
exec 7>"$WORK/hold"

cat > "$WORK/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections $((IDLE_COUNT + 100)); }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 600s;
    client_body_temp_path $WORK/nginx-body;
    proxy_temp_path $WORK/nginx-proxy;
    fastcgi_temp_path $WORK/nginx-fastcgi;
    uwsgi_temp_path $WORK/nginx-uwsgi;
    scgi_temp_path $WORK/nginx-scgi;
    server {
        listen unix:$WORK/nginx.sock;
        location = /v1/snapshot {
            default_type application/json;
            alias $WORK/snapshot.json;
        }
    }
}
CONF
nginx -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
NGINX_PID=$!

for _ in $(seq 100); do
    [ -S "$WORK/podmeta.sock" ] && [ -S "$WORK/nginx.sock" ] && grep -q ready "$WORK/serve.out" && break
    sleep 0.1
done
[ -S "$WORK/podmeta.sock" ] && [ -S "$WORK/nginx.sock" ] || { echo "bench/socket.sh: a server did not start" >&2; exit 1; }
SERVER_PID=$(awk '{print $2}' "$WORK/serve.out")

field() { sed -n "s/.*\"$1\": \([0-9-]*\).*/\1/p"; }

declare -A IDLE_RSS
for name in podmeta nginx; do
    pid=$([ $name = podmeta ] && echo "$SERVER_PID" || echo "$NGINX_PID")
    IDLE_RSS[$name]=$("$BIN" rss --pid "$pid")
done

echo "| server | connections | requests/s | p50 µs | p99 µs |"
echo "|---|---:|---:|---:|---:|"
for connections in 1 16 64; do
    for name in podmeta nginx; do
        runs=()
        for _ in $(seq "$REPEAT"); do
            result=$("$BIN" load --socket "$WORK/$name.sock" --path /v1/snapshot --connections "$connections" --seconds "$RUN_SECONDS")
            failures=$(echo "$result" | field failures)
            [ "$failures" = 0 ] || echo "bench/socket.sh: $name answered $failures non-200 responses" >&2
            runs+=("$(echo "$result" | field rps) $(echo "$result" | field p50_us) $(echo "$result" | field p99_us)")
        done
        read -r rps p50 p99 <<< "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(( (REPEAT + 1) / 2 ))p")"
        echo "| $name | $connections | $rps | $p50 | $p99 |"
    done
done

echo
echo "| server | RSS idle | RSS with $IDLE_COUNT waiting connections | per connection |"
echo "|---|---:|---:|---:|"
for name in podmeta nginx; do
    pid=$([ $name = podmeta ] && echo "$SERVER_PID" || echo "$NGINX_PID")
    mode=$([ $name = podmeta ] && echo --blocking || echo "")
    result=$("$BIN" idle --socket "$WORK/$name.sock" --count "$IDLE_COUNT" --pid "$pid" $mode)
    after=$(echo "$result" | field rss_after_kib)
    idle=${IDLE_RSS[$name]}
    echo "| $name | $((idle / 1024)).$(( (idle % 1024) * 10 / 1024 )) MiB | $((after / 1024)).$(( (after % 1024) * 10 / 1024 )) MiB | $(( (after - idle) * 1024 / IDLE_COUNT )) bytes |"
done
