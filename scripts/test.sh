#!/usr/bin/env bash
# Passes the tests from a fresh Debian 12 machine: installs what is missing, builds, runs ctest
# (unit tests, MPI tests at 1, 2 and 4 ranks, end-to-end CLI tests). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/mpi-env.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
