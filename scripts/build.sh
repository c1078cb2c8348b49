#!/usr/bin/env bash
# Configures and builds kerec into build/ (Release with debug info). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${KEREC_BUILD_JOBS:-$(nproc)}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >build-configure.log || { cat build-configure.log; exit 1; }
cmake --build build -j "$jobs"
