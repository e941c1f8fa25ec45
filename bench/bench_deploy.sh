#!/usr/bin/env bash
# Deploying a pod of COUNT instances (default 1,000) with a parallel strategy
# on the local cluster, end to end (issue 4 section 5). Not a Google
# Benchmark: it starts `keel cluster run` with AGENTS agents (default 100;
# the default agent size, 2 cpus / 2048 MB / 20000 MB, holds 18 instances of
# 0.01 cpus + the executor's 0.1 cpus), generates a svc.yml (a `sleep` task,
# tiny cpus/mem, a parallel deploy phase), runs `keel run` on it and measures
# the wall time from starting `keel run` until GET /v1/plans/deploy answers
# 200 (the plan is COMPLETE). Everything lives in a temporary directory
# (KEEL_HOME, the cluster's and the scheduler's state) removed at the end.
#
# At the end the scheduler gets SIGTERM, every agent is taken down (its
# executors and tasks killed, their cgroups removed), the cluster gets
# SIGTERM; then every process
# whose working directory or command line lies under the temporary directory
# (keel-executor processes and their `sleep` tasks) gets SIGKILL, and the
# script waits (with a deadline) until none is left. It prints the number of
# keel-executor processes before and after.
#
# Usage: ninja -C build keel keel-executor && bench/bench_deploy.sh
#   env: COUNT (1000), AGENTS (100), KEEL (build/src/cli/keel), TIMEOUT (600 s)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KEEL=${KEEL:-$ROOT/build/src/cli/keel}
COUNT=${COUNT:-1000}
AGENTS=${AGENTS:-100}
TIMEOUT=${TIMEOUT:-600}

[[ -x $KEEL ]] || { echo "no keel binary at $KEEL (build the keel and keel-executor targets)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/keel-bench-deploy-XXXXXX")
export KEEL_HOME=$TMP/home KEEL_CLUSTER_DIR=$TMP/cluster
CLUSTER_PID="" RUN_PID=""
EXECUTORS_BEFORE=$(pgrep -c -x keel-executor || true)

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# Pids of processes whose cwd or command line is under $TMP (ours).
ours() {
  local p cwd
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" ]] && continue
    cwd=$(readlink "/proc/$p/cwd" 2>/dev/null || true)
    if [[ $cwd == "$TMP"* ]] || { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -qF "$TMP"; then
      echo "$p"
    fi
  done
}

cleanup() {
  local status=$? deadline pids
  [[ -n $RUN_PID ]] && kill -TERM "$RUN_PID" 2>/dev/null && wait "$RUN_PID" 2>/dev/null || true
  # Agents down first: the cluster kills their executors and tasks and
  # removes their cgroups (a task cgroup left behind costs every later CPU
  # quota write on the machine).
  if [[ -n $CLUSTER_PID ]] && kill -0 "$CLUSTER_PID" 2>/dev/null; then
    local agent
    for agent in $("$KEEL" cluster status 2>/dev/null | grep -o '[0-9a-f-]*-S[0-9]*' | sort -u); do
      "$KEEL" cluster agent down "$agent" >/dev/null 2>&1 || true
    done
  fi
  [[ -n $CLUSTER_PID ]] && kill -TERM "$CLUSTER_PID" 2>/dev/null && wait "$CLUSTER_PID" 2>/dev/null || true
  deadline=$((SECONDS + 60))
  while pids=$(ours) && [[ -n $pids ]]; do
    if ((SECONDS > deadline)); then
      echo "processes still alive under $TMP after 60 s:" $pids >&2
      break
    fi
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2  # polling for the kills to land, bounded by the deadline
  done
  echo "keel-executor processes: $EXECUTORS_BEFORE before, $(pgrep -c -x keel-executor || true) after"
  if ((status != 0)) && [[ -f $TMP/run.log ]]; then
    cp "$TMP/run.log" "${TMPDIR:-/tmp}/bench_deploy_run.log" && echo "scheduler log kept: ${TMPDIR:-/tmp}/bench_deploy_run.log"
  fi
  rm -rf "$TMP"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$TMP/svc.yml" <<EOF
name: bench-deploy
pods:
  app:
    count: $COUNT
    tasks:
      server:
        goal: RUNNING
        cmd: sleep 100000
        cpus: 0.01
        memory: 8
plans:
  deploy:
    strategy: serial
    phases:
      app:
        strategy: parallel
        pod: app
EOF

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); count=$COUNT agents=$AGENTS"
"$KEEL" cluster run --state-dir "$KEEL_CLUSTER_DIR" --agents "$AGENTS" >"$TMP/cluster.log" 2>&1 &
CLUSTER_PID=$!
t=$(now)
until "$KEEL" cluster status --state-dir "$KEEL_CLUSTER_DIR" >/dev/null 2>&1; do
  kill -0 "$CLUSTER_PID" 2>/dev/null || { echo "cluster died:"; tail "$TMP/cluster.log"; exit 1; }
  (($(echo "$(elapsed "$t") > 60" | bc))) && { echo "cluster not up after 60 s" >&2; exit 1; }
  sleep 0.1
done
echo "cluster up in $(elapsed "$t") s"

t0=$(now)
LOG_LEVEL=${LOG_LEVEL:-info} "$KEEL" run "$TMP/svc.yml" --state-dir "$TMP/svc" >"$TMP/run.log" 2>&1 &
RUN_PID=$!
url="" code=000 last="" next_report=30
while :; do
  kill -0 "$RUN_PID" 2>/dev/null || { echo "keel run died:"; tail "$TMP/run.log"; exit 1; }
  (($(echo "$(elapsed "$t0") > $TIMEOUT" | bc))) && { echo "deploy not COMPLETE after $TIMEOUT s: $last" >&2; exit 1; }
  if [[ -z $url && -s $TMP/svc/scheduler.url ]]; then
    url=$(cat "$TMP/svc/scheduler.url")
    echo "scheduler API at $url after $(elapsed "$t0") s"
  fi
  if [[ -n $url ]]; then
    code=$(curl -s -o "$TMP/plan.json" -w '%{http_code}' "$url/v1/plans/deploy" || true)
    [[ $code == 200 ]] && break
    done_steps=$(grep -o '"status": *"COMPLETE"' "$TMP/plan.json" | wc -l || true)
    last="API answers $code; $done_steps COMPLETE statuses in the answer"
    if (($(echo "$(elapsed "$t0") > $next_report" | bc))); then
      echo "after ${next_report} s: $last; $(grep -c 'accepted for' "$TMP/run.log" || true) launches accepted (scheduler log)"
      next_report=$((next_report + 30))
    fi
  fi
  sleep 0.1
done
total=$(elapsed "$t0")
running=$(curl -s "$url/v1/pod/status" | grep -o '"status": *"RUNNING"' | wc -l || true)
echo "deploy COMPLETE: $COUNT instances in $total s (from starting keel run; $running tasks TASK_RUNNING)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -c '"ACCEPT\|accepted for' "$TMP/run.log" | sed 's/^/scheduler log lines "accepted for": /' || true
