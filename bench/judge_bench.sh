#!/usr/bin/env bash
# Judge throughput against the ideal L·k·ranks/latency, and the client's CPU time per request.
#
#   bench/judge_bench.sh [BUILD_DIR] [RANKS] [K] [L] [LATENCY_MS]     (defaults: build 2 10 8 50)
#
# Generates a demo-scale world, writes a fixture run directory (pairs = the true complements plus as
# many random pairs; tests/unit/llm/judge_fixture_test), starts kerec-llm-sim with a lognormal
# latency of the given median (sigma 0.1, no faults) and runs `kerec judge` on RANKS ranks. Prints
# the report's pairs/s, the ideal from the nominal median and from the measured mean latency, and
# the CPU milliseconds per request of the whole client process and of its event-loop thread.
set -euo pipefail
BUILD=${1:-build}
NP=${2:-2}
K=${3:-10}
L=${4:-8}
LAT=${5:-50}
SRC=$(cd "$(dirname "$0")/.." && pwd)
source "$SRC/scripts/mpi-env.sh"
WORK=$(mktemp -d)
SIM_PID=
trap '[[ -n $SIM_PID ]] && kill $SIM_PID; rm -rf "$WORK"' EXIT

"$BUILD/kerec" generate --set "world.dir=$WORK/world" >/dev/null 2>&1
KEREC_FIXTURE_WORLD="$WORK/world" KEREC_FIXTURE_RUN="$WORK/run" KEREC_FIXTURE_OWNERS="$NP" \
  "$BUILD/tests/unit_llm_tests" --gtest_filter=JudgeFixture.Write >/dev/null
"$BUILD/kerec-llm-sim" --world "$WORK/world" --port 0 --quiet --latency-median-ms "$LAT" --latency-sigma 0.1 \
  --max-concurrency 4096 >"$WORK/sim.out" &
SIM_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/sim.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$WORK/sim.out")

mpirun -np "$NP" "$BUILD/kerec" judge --set "world.dir=$WORK/world" --set "run.dir=$WORK/run" \
  --set "llm.prompt_file=$SRC/data/prompts/judge_v1.txt" --set "llm.base_url=$URL" \
  --set llm.pairs_per_request="$K" --set llm.in_flight_per_rank="$L" --set log.level=warn --force
python3 - "$WORK/run/judge/report.json" "$NP" "$K" "$L" "$LAT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
np_, k, l, lat = (float(x) for x in sys.argv[2:])
nominal = l * k * np_ / (lat / 1000)
print(f"ranks {np_:.0f}, k {k:.0f}, L {l:.0f}, median latency {lat:.0f} ms: {r['pairs']} pairs, {r['calls']} calls")
print(f"  pairs/s               {r['pairs_per_s']:.0f}")
print(f"  ideal (median {lat:.0f} ms) {nominal:.0f}  -> {r['pairs_per_s'] / nominal:.1%}")
print(f"  ideal (mean {r['mean_latency_ms']:.1f} ms)  {r['ideal_pairs_per_s']:.0f}  -> {r['throughput_vs_ideal']:.1%}")
print(f"  client CPU per request {r['client_cpu_ms_per_request']:.3f} ms (event-loop thread {r['loop_cpu_ms_per_request']:.3f} ms)")
PY
