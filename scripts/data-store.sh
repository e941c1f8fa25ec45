#!/usr/bin/env bash
# The main job: deploys the tutorial's data-store service
# (examples/data-store/, built with keel's C++ API) on keel's local cluster,
# waits until its deploy plan is COMPLETE (two meta-data nodes, then three
# data nodes, each data node on its own agent writing into its persistent
# volume) and prints where to look. The service keeps running afterwards.
#
#   scripts/data-store.sh          start (or restart) the scheduler, wait for COMPLETE
#   DATA_COUNT=5 scripts/data-store.sh
#                                  the tutorial's scale-up: the scheduler restarts
#                                  with the new environment and adds data-3, data-4
#   DATA_COUNT=3 DATA_ALLOW_DECOMMISSION=true scripts/data-store.sh
#                                  scale down: the decommission plan kills data-4, then
#                                  data-3, destroys their volumes, releases their
#                                  reservations and erases their state (without
#                                  DATA_ALLOW_DECOMMISSION=true the change is refused)
#   scripts/data-store.sh status   the plan, pods and endpoints of the running service
#   scripts/data-store.sh stop     stop the scheduler and the local cluster (the
#                                  tasks keep running and are re-adopted, volumes and
#                                  state are kept for the next start)
#   scripts/data-store.sh uninstall
#                                  the tutorial's "Uninstall", in one command: `keel
#                                  uninstall` makes the scheduler kill the tasks, destroy
#                                  the volumes, release the reservations, tear the
#                                  framework down, delete its state and exit (the local
#                                  cluster keeps running, with nothing of data-store left)
#   scripts/data-store.sh clean    stop everything, tasks included, and delete the
#                                  service's and the cluster's state
#
# Where things live: $KEEL_HOME (default ~/.keel): cluster/ (the local
# cluster: its log, state.db, agents/<id>/ work dirs with sandboxes and
# volumes) and services/data-store/ (the scheduler: state.db, scheduler.log,
# scheduler.url).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
action="${1:-deploy}"

export KEEL_HOME="${KEEL_HOME:-$HOME/.keel}"
export KEEL_CLUSTER_DIR="${KEEL_CLUSTER_DIR:-$KEEL_HOME/cluster}"
service_dir="$KEEL_HOME/services/data-store"
keel="$root/build/src/cli/keel"
program="$root/build/examples/data-store/data-store"
example="$root/examples/data-store"
deadline_s="${DEPLOY_TIMEOUT:-300}"

build() {
  scripts/setup.sh >/dev/null
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j "$(nproc)" --target keel keel-executor data-store >/dev/null
}

# The data-store program reads its configuration from the environment only:
# data-store.env gives the defaults, the caller's environment wins.
load_env() {
  export METADATA_URI="${METADATA_URI:-file://$example/meta-data}"
  export DATA_URI="${DATA_URI:-file://$example/data}"
  local k v
  while IFS='=' read -r k v; do
    [ -n "${!k:-}" ] || export "$k=$v"
  done < <(grep -E '^[A-Z_]+=' "$example/data-store.env")
}

scheduler_pid() {
  local pid
  pid="$(cat "$service_dir/scheduler.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

stop_scheduler() {
  local pid
  pid="$(scheduler_pid)"
  [ -n "$pid" ] || return 0
  echo "== stopping the data-store scheduler (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "the scheduler did not exit within 30 s; see $service_dir/scheduler.log" >&2
  return 1
}

start_cluster() {
  if "$keel" cluster status >/dev/null 2>&1; then
    echo "== local cluster already running"
  else
    echo "== keel cluster start"
    "$keel" cluster start
  fi
}

start_scheduler() {
  mkdir -p "$service_dir"
  echo "== starting the data-store scheduler (DATA_COUNT=$DATA_COUNT, METADATA_COUNT=$METADATA_COUNT)"
  rm -f "$service_dir/scheduler.url"
  setsid "$program" >>"$service_dir/scheduler.log" 2>&1 </dev/null &
  echo $! >"$service_dir/scheduler.pid"
}

validate() {
  echo "== keel validate examples/data-store/svc.yml"
  "$keel" validate "$example/svc.yml" --env-file "$example/data-store.env" --strict
  echo
}

# GET /v1/plans/deploy: 200 once the plan is COMPLETE, 202 while it runs,
# 417 when it has errors (e.g. a refused configuration change).
plan_code() {
  local url
  url="$(cat "$service_dir/scheduler.url" 2>/dev/null)" || return 0
  curl -s -o /dev/null -w '%{http_code}' "$url/v1/plans/deploy" || true
}

# Polls the deploy plan until it is COMPLETE, the scheduler dies, or the
# deadline passes.
wait_complete() {
  local end=$((SECONDS + deadline_s)) pid
  echo "== waiting for the deploy plan to be COMPLETE (at most ${deadline_s} s)"
  while [ $SECONDS -lt $end ]; do
    pid="$(scheduler_pid)"
    if [ -z "$pid" ]; then
      echo "the scheduler exited; the end of $service_dir/scheduler.log:" >&2
      tail -n 30 "$service_dir/scheduler.log" >&2
      return 1
    fi
    case "$(plan_code)" in
      200) return 0 ;;
      417)
        "$keel" plan status deploy --service data-store >&2 || true
        echo >&2
        echo "the deploy plan has errors (above). A refused configuration change leaves" >&2
        echo "the service running its previous configuration; fix the environment and" >&2
        echo "run scripts/data-store.sh again." >&2
        return 1
        ;;
    esac
    sleep 0.5
  done
  echo "deploy did not complete within ${deadline_s} s:" >&2
  "$keel" plan status deploy --service data-store >&2 || true
  return 1
}

# After a scale down: waits until the decommission plan (present only when
# pod instances are being removed) is COMPLETE and shows it.
wait_decommission() {
  local url code end=$((SECONDS + deadline_s))
  url="$(cat "$service_dir/scheduler.url" 2>/dev/null)" || return 0
  code="$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/plans/decommission" || true)"
  [ "$code" = 404 ] && return 0
  echo "== waiting for the decommission plan to be COMPLETE (at most ${deadline_s} s)"
  while [ $SECONDS -lt $end ]; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/plans/decommission" || true)"
    if [ "$code" = 200 ]; then
      "$keel" plan status decommission --service data-store
      echo
      return 0
    fi
    sleep 0.5
  done
  echo "decommission did not complete within ${deadline_s} s:" >&2
  "$keel" plan status decommission --service data-store >&2 || true
  return 1
}

show() {
  echo "== keel plan status"
  "$keel" plan status deploy --service data-store
  echo
  echo "== keel pod status"
  "$keel" pod status --service data-store
  echo
  echo "== keel endpoints"
  "$keel" endpoints --service data-store || true
  echo
  echo "== where to look"
  echo "scheduler API:   $(cat "$service_dir/scheduler.url" 2>/dev/null)   (curl \$url/v1/plan/status)"
  echo "scheduler log:   $service_dir/scheduler.log"
  echo "scheduler state: $service_dir/state.db"
  echo "cluster:         $("$keel" cluster status 2>/dev/null | head -n 1)"
  echo "cluster log:     $KEEL_CLUSTER_DIR/cluster.log"
  echo "volumes:"
  find "$KEEL_CLUSTER_DIR/agents" -path '*/volumes/*' -name output -type f 2>/dev/null |
    sed 's/^/  /' || true
  echo
  echo "stop with: scripts/data-store.sh stop"
}

clean() {
  stop_scheduler
  if "$keel" cluster status >/dev/null 2>&1; then
    local agent
    for agent in $("$keel" cluster status | grep -o '[0-9a-f-]*-S[0-9]*' | sort -u); do
      "$keel" cluster agent down "$agent" >/dev/null || true
    done
    "$keel" cluster stop
  fi
  rm -rf "$service_dir" "$KEEL_CLUSTER_DIR"
  echo "removed $service_dir and $KEEL_CLUSTER_DIR"
}

# `keel uninstall` waits until the scheduler tore the framework down and
# exited; then nothing of data-store is left on the cluster.
uninstall() {
  local pid
  pid="$(scheduler_pid)"
  if [ -z "$pid" ]; then
    echo "no data-store scheduler is running (start it with scripts/data-store.sh)" >&2
    return 1
  fi
  echo "== keel uninstall --service data-store"
  "$keel" uninstall --service data-store
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "the scheduler (pid $pid) did not exit; see $service_dir/scheduler.log" >&2
    return 1
  fi
  echo "== the end of the scheduler's log"
  grep -E 'uninstall' "$service_dir/scheduler.log" | tail -n 5 || true
  # The scheduler deleted its state; what is left here is this script's.
  rm -f "$service_dir/scheduler.log" "$service_dir/scheduler.pid"
  rmdir "$service_dir" 2>/dev/null || true
  echo "== keel cluster status (no framework, reservation or volume of data-store)"
  "$keel" cluster status
  echo "data-store volumes left: $(find "$KEEL_CLUSTER_DIR"/agents/*/volumes/roles/data-store-role \
    -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
}

case "$action" in
  deploy)
    build
    load_env
    validate
    start_cluster
    stop_scheduler
    start_scheduler
    wait_complete
    wait_decommission
    show
    ;;
  status)
    show
    ;;
  stop)
    stop_scheduler
    if "$keel" cluster status >/dev/null 2>&1; then "$keel" cluster stop; fi
    ;;
  uninstall)
    uninstall
    ;;
  clean)
    clean
    ;;
  *)
    echo "usage: scripts/data-store.sh [deploy|status|stop|uninstall|clean]" >&2
    exit 2
    ;;
esac
