#!/usr/bin/env bash
# `kerec generate` at the demo scale (or --set world.scale=S): wall time and peak memory per rank at
# 1 and 2 ranks, best of 3, plus the size of what it wrote. See bench/README.md, "World generation".
#   bench/generate_bench.sh [extra kerec args, e.g. --set world.scale=10]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/mpi-env.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for np in 1 2; do
  best=""
  for rep in 1 2 3; do
    log=$(mpirun -np "$np" build/kerec generate --set "world.dir=$out/world" "$@" 2>&1)
    s=$(sed -n 's/.*written to .* in \([0-9.]*\)s/\1/p' <<<"$log")
    mem=$(sed -n 's/.*peak memory per rank *\([0-9]*\) MiB/\1/p' <<<"$log")
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; best_mem=$mem; fi
  done
  rows=$(($(wc -l <"$out/world/exposures.tsv") - 1))
  echo "ranks=$np generate_s=$best peak_rss_mib_per_rank=$best_mem exposures=$rows bytes=$(du -sb "$out/world" | cut -f1)"
done
