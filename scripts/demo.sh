#!/usr/bin/env bash
# The main job on the embedded demo config, from a fresh Debian 12 machine: installs what is missing,
# builds, generates the demo world, runs the pipeline under `mpirun -np 2` and prints a summary.
# Arguments go to both `kerec generate` and `kerec run`, e.g. --config jobs/x.toml --set world.scale=0.1
# KEREC_NP sets the rank count (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/mpi-env.sh
KEREC_BUILD_TARGETS="kerec kerec-llm-sim" scripts/build.sh  # only the programs the demo runs
np=${KEREC_NP:-2}
mpirun -np "$np" build/kerec generate "$@"
mpirun -np "$np" build/kerec run "$@"
run_dir=$(build/kerec config "$@" | sed -n '/^\[run\]/,/^\[/s/^dir = "\(.*\)"/\1/p')
echo
build/kerec inspect "$run_dir"
echo
echo "report: $(build/kerec report "$run_dir")"
