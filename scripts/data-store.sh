#!/usr/bin/env bash
# The main job: the data-store service of the tutorial
# (examples/data-store/), as a svc.yml and as a C++ program built with keel's
# API. Installs what is missing, builds, checks the spec and shows the deploy
# plan: two meta-data nodes before three data nodes. Then `keel run` deploys
# it on a local cluster (real processes, volumes, HTTP API) and the script
# shows the plans and pods over the API, restarts data-0 as the tutorial's
# recovery section does, and stops everything again (KEEP_RUNNING=1 leaves
# the cluster and the scheduler running). State lives in build/data-store-run/.
#
# Configure it as the tutorial does, through the environment, e.g.
#   DATA_COUNT=5 scripts/data-store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
scripts/setup.sh >/dev/null

export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target keel data-store keel-executor >/dev/null

example="$root/examples/data-store"
export METADATA_URI="${METADATA_URI:-file://$example/meta-data}"
export DATA_URI="${DATA_URI:-file://$example/data}"
# The C++ program reads its configuration from the environment only.
set -a
# shellcheck disable=SC1091
source <(grep -E '^[A-Z_]+=' "$example/data-store.env" | while IFS='=' read -r k v; do
  [ -n "${!k:-}" ] || echo "$k=$v"
done)
set +a

echo "== keel validate examples/data-store/svc.yml"
build/src/cli/keel validate "$example/svc.yml" --env-file "$example/data-store.env" --strict
echo
echo "== keel plan preview examples/data-store/svc.yml"
build/src/cli/keel plan preview "$example/svc.yml" --env-file "$example/data-store.env" --strict
echo
echo "== examples/data-store (the C++ program)"
build/examples/data-store/data-store --preview

keel="$root/build/src/cli/keel"
run="$root/build/data-store-run"
export KEEL_HOME="$run/home" KEEL_CLUSTER_DIR="$run/cluster"
url_file="$KEEL_HOME/services/data-store/scheduler.url"

# Polls `$@` every 0.2 s until it succeeds; fails after $1 seconds.
wait_for() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
http_code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
plan_complete() { [ "$(http_code "$(cat "$url_file")/v1/plans/$1")" = 200 ]; }
recovered() { curl -s "$(cat "$url_file")/v1/plans/recovery" | grep -q '"name":"data-0","status":"COMPLETE"'; }

stop_all() {
  if [ -n "${scheduler:-}" ]; then
    kill -TERM "$scheduler" 2>/dev/null || true
    wait "$scheduler" 2>/dev/null || true
  else  # a scheduler left by KEEP_RUNNING=1: the pid its lock file names
    local pid
    pid="$(tr -dc 0-9 <"$KEEL_HOME/services/data-store/lock" 2>/dev/null || true)"
    if [ -n "$pid" ] && grep -qa "keel" "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid" && wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || true
    fi
  fi
  for agent in $("$keel" cluster status 2>/dev/null | grep -o '[0-9a-f-]*-S[0-9]*' | sort -u); do
    "$keel" cluster agent down "$agent" >/dev/null 2>&1 || true
  done
  "$keel" cluster stop >/dev/null 2>&1 || true
}

# A fresh service and cluster each run (a KEEP_RUNNING=1 run is stopped first).
stop_all
rm -rf "$run"
mkdir -p "$run"
echo
echo "== keel run examples/data-store/svc.yml (scheduler log: $run/scheduler.log)"
"$keel" run "$example/svc.yml" --env-file "$example/data-store.env" >"$run/scheduler.log" 2>&1 &
scheduler=$!
[ "${KEEP_RUNNING:-0}" = 1 ] || trap stop_all EXIT
wait_for 90 test -s "$url_file" || { tail -20 "$run/scheduler.log"; exit 1; }
api="$(cat "$url_file")"
echo "scheduler API: $api"
wait_for 180 plan_complete deploy || { curl -s "$api/v1/plans/deploy"; exit 1; }
echo "GET /v1/plans/deploy"
curl -s "$api/v1/plans/deploy"
echo
echo "GET /v1/pod/status"
curl -s "$api/v1/pod/status"
echo
echo
echo "== POST /v1/pod/data-0/restart: data-0 relaunches in place (RecoveryType: TRANSIENT)"
curl -s -X POST -d '' "$api/v1/pod/data-0/restart"
echo
wait_for 60 recovered || { curl -s "$api/v1/plans/recovery"; exit 1; }
echo "GET /v1/plans/recovery"
curl -s "$api/v1/plans/recovery"
echo
if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  echo
  echo "Still running: scheduler pid $scheduler ($api), cluster in $KEEL_CLUSTER_DIR."
  echo "Stop with: kill $scheduler; KEEL_CLUSTER_DIR=$KEEL_CLUSTER_DIR $keel cluster stop"
fi
