#!/usr/bin/env bash
# Configures and builds kerec into build/ (Release with debug info). Extra arguments go to cmake.
# KEREC_BUILD_TARGETS (space-separated) builds only those targets, e.g. "kerec kerec-llm-sim".
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${KEREC_BUILD_JOBS:-$(nproc)}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >build-configure.log || { cat build-configure.log; exit 1; }
targets=()
for t in ${KEREC_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build build -j "$jobs" "${targets[@]}"
