#!/usr/bin/env bash
# Builds keel and runs every test under CTest. One command on a fresh Debian 12
# machine: installs what is missing first.
#   scripts/test.sh                 # the normal build, in build/
#   KEEL_SANITIZE=1 scripts/test.sh # ASan + UBSan, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

build_dir=build
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${KEEL_SANITIZE:-0}" = 1 ]; then
  build_dir=build-asan
  cmake_args+=(-DKEEL_SANITIZE=ON -DKEEL_BUILD_BENCH=OFF)
fi

export CCACHE_BASEDIR="$PWD"
export CCACHE_NOHASHDIR=1
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 300
