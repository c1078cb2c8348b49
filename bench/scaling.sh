#!/usr/bin/env bash
# The whole pipeline at several world scales and rank counts: wall time and peak memory (the
# largest rank's, since the stage started) of every stage, from each stage's report.json. Ranks
# beyond the machine's cores are oversubscribed (mpirun --oversubscribe): memory figures hold,
# times then include waiting for a core. Judging runs against the simulator with a 2 ms median
# latency and a pair budget, so the LLM is not what is measured. See bench/README.md, "Scaling".
#   bench/scaling.sh "SCALES" "RANKS" [MAX_PAIRS] [extra kerec args]
#   bench/scaling.sh "1 5" "1 2 4" 1000000
# KEREC (default build/kerec) is the binary; KEEP_DIR, when set, keeps the worlds and runs there.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/mpi-env.sh
source scripts/mpi-env.sh
kerec=${KEREC:-build/kerec}
scales=${1:-1 5}
ranks=${2:-1 2 4}
max_pairs=${3:-1000000}
shift 3 || shift $#
out=${KEEP_DIR:-$(mktemp -d)}
[[ -n "${KEEP_DIR:-}" ]] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out"
table() {  # RUN_DIR SCALE RANKS: one markdown row per stage
  /usr/bin/python3 - "$@" <<'PY'
import json, os, sys
run, scale, ranks = sys.argv[1:4]
order = "ingest extract popularity pairs judge graph train integrate export ab".split()
done = json.load(open(os.path.join(run, "manifest.json")))["stages"]
for name in sorted(done, key=lambda s: order.index(s) if s in order else len(order)):
    r = json.load(open(os.path.join(run, name, "report.json")))
    print(f"| {scale} | {ranks} | {name} | {r['wall_s']:.1f} | {r['peak_rss_mb_max_rank']:.0f} |")
PY
}
echo "| scale | ranks | stage | wall s | peak MiB per rank |"
echo "|---|---|---|---|---|"
for scale in $scales; do
  world=(--set "world.dir=$out/world-$scale" --set "world.scale=$scale")
  [[ -f "$out/world-$scale/world.json" ]] ||
    mpirun --oversubscribe -np 2 "$kerec" generate "${world[@]}" "$@" >"$out/generate-$scale.log" 2>&1
  for np in $ranks; do
    run="$out/run-$scale-$np"
    rm -rf "$run"
    mpirun --oversubscribe -np "$np" "$kerec" run "${world[@]}" --set "run.dir=$run" \
      --set "pairs.max_pairs=$max_pairs" --set 'llm.simulator_args=["--latency-median-ms","2"]' \
      "$@" >"$run.log" 2>&1 || { echo "scale $scale, $np ranks failed: $run.log" >&2; tail "$run.log" >&2; exit 1; }
    table "$run" "$scale" "$np"
  done
done
