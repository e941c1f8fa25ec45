#!/usr/bin/env bash
# GET /v1/plans/deploy under wrk on loopback, during a (simulated) deploy.
#
# Starts bench_http_server (the API server over a fake scheduler holding a
# STEPS-step data-store deploy plan that advances one step status every
# DEPLOY_INTERVAL_MS), runs wrk against it for DURATION, prints wrk's
# requests/s and latency percentiles, and stops the server.
#
# usage: bench/http_wrk.sh [build-dir]            (default: build)
# env:   DURATION=10s CONNECTIONS=8 WRK_THREADS=1 SERVER_THREADS=8 STEPS=1000
#        DEPLOY_INTERVAL_MS=10 PATH_UNDER_TEST=/v1/plans/deploy
#        LOG_LEVEL=warn (info: the access log line per request, to a file)
# needs: wrk (Debian package wrk; scripts/setup.sh installs it); this script
#        installs nothing. Build first: ninja -C <build-dir> bench_http_server
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
server="$build/bench/bench_http_server"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-8}"
wrk_threads="${WRK_THREADS:-1}"
server_threads="${SERVER_THREADS:-8}"
steps="${STEPS:-1000}"
interval="${DEPLOY_INTERVAL_MS:-10}"
path="${PATH_UNDER_TEST:-/v1/plans/deploy}"
log_level="${LOG_LEVEL:-warn}"

command -v wrk >/dev/null || { echo "http_wrk: wrk not found (apt-get install wrk)" >&2; exit 2; }
[ -x "$server" ] || { echo "http_wrk: $server not built (ninja -C $build bench_http_server)" >&2; exit 2; }
if [ "$connections" -gt "$server_threads" ]; then
  echo "http_wrk: warning: more connections than server threads; each keep-alive connection holds a thread" >&2
fi

out="$(mktemp)"
"$server" --steps "$steps" --threads "$server_threads" --deploy-interval-ms "$interval" \
  --log-level "$log_level" >"$out" 2>"$out.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out" "$out.log"' EXIT

port=""
for _ in $(seq 100); do
  port="$(sed -n 's/^port=\([0-9]*\).*/\1/p' "$out")"
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "http_wrk: server exited" >&2; cat "$out.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "http_wrk: server did not report its port" >&2; exit 1; }

url="http://127.0.0.1:$port$path"
bytes="$(curl -s "$url" | wc -c)"
echo "server: $(head -1 "$out") body=${bytes}B"
echo "wrk: -t$wrk_threads -c$connections -d$duration $url"

# CPU seconds (user+system) the server used: /proc/<pid>/stat fields 14, 15.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
before="$(cpu)"
result="$(mktemp)"
TIMEFORMAT="wrk-cpu %U %S"
{ time wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$url" >"$result"; } 2>"$result.time"
after="$(cpu)"
cat "$result"
requests="$(awk '/ requests in /{print $1}' "$result")"
read -r _ wrk_user wrk_sys <"$result.time"
rm -f "$result" "$result.time"
# CPU per request says what the load cost, whatever else the machine ran.
awk -v r="$requests" -v b="$before" -v a="$after" -v wu="$wrk_user" -v ws="$wrk_sys" 'BEGIN {
  printf "cpu per request: server %.1f us, wrk %.1f us (machine load: %s)\n",
         (a - b) * 1e6 / r, (wu + ws) * 1e6 / r, "'"$(cut -d' ' -f1-3 /proc/loadavg)"'"
}'
