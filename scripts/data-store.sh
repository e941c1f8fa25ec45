#!/usr/bin/env bash
# The main job: the data-store service of the tutorial
# (examples/data-store/), as a svc.yml and as a C++ program built with keel's
# API. Installs what is missing, builds, checks the spec and shows the deploy
# plan: two meta-data nodes before three data nodes.
#
# Configure it as the tutorial does, through the environment, e.g.
#   DATA_COUNT=5 scripts/data-store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
scripts/setup.sh >/dev/null

export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target keel data-store >/dev/null

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
echo
echo "The scheduler and the local cluster are not built yet: this run stops at the plan."
