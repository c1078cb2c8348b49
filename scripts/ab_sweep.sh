#!/usr/bin/env bash
# How good must the LLM be? The A/B test's uplift against the judge's quality (docs/ab.md, "LLM
# quality sweep"). For each point of the simulator's error rates (false-positive rate: "yes" for a
# non-complement; false-negative rate: "no" for a complement), a copy of a base run directory is
# rerun from the judge on (judge -> graph -> integrate -> export -> ab; the stages before the judge
# are shared), then one table gathers the judge's precision and recall and the A/B uplifts.
#
#   scripts/ab_sweep.sh [BUILD_DIR] [OUT_DIR] [NP] [-- extra kerec options, e.g. --set world.scale=0.5]
# Points: "FP:FN" pairs in $KEREC_SWEEP_POINTS (default "0:0 0.02:0.10 0.10:0.30 0.25:0.50").
set -euo pipefail
BUILD=${1:-build}
OUT=${2:-runs/sweep}
NP=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
[[ ${1:-} == "--" ]] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/mpi-env.sh
source "$HERE/mpi-env.sh"
POINTS=${KEREC_SWEEP_POINTS:-"0:0 0.02:0.10 0.10:0.30 0.25:0.50"}
mkdir -p "$OUT"
base=(--config "$HERE/../jobs/demo.toml" "$@")
# The simulator's answers without the demo's slow-network settings: latency does not change verdicts.
sim_args() { printf '["--latency-median-ms","2","--fp-rate","%s","--fn-rate","%s"]' "$1" "$2"; }

echo "ab_sweep: base run (every stage up to the judge) in $OUT/base"
mpirun -np "$NP" "$BUILD/kerec" run "${base[@]}" --set "run.dir=$OUT/base" \
  --stages ingest,extract,popularity,pairs,train >/dev/null
for point in $POINTS; do
  fp=${point%%:*} fn=${point##*:}
  dir="$OUT/fp${fp}_fn${fn}"
  echo "ab_sweep: fp-rate $fp, fn-rate $fn -> $dir"
  rm -rf "$dir"
  cp -r "$OUT/base" "$dir"
  mpirun -np "$NP" "$BUILD/kerec" run "${base[@]}" --set "run.dir=$dir" \
    --set "llm.simulator_args=$(sim_args "$fp" "$fn")" >"$dir.log" 2>&1 || { tail -20 "$dir.log"; exit 1; }
done
# shellcheck disable=SC2086  # the points are words
/usr/bin/python3 - "$OUT" $POINTS <<'PY'
import json, sys
out, points = sys.argv[1], sys.argv[2:]
rows = []
for p in points:
    fp, fn = p.split(":")
    d = f"{out}/fp{fp}_fn{fn}"
    judge = json.load(open(f"{d}/judge/report.json"))
    graph = json.load(open(f"{d}/graph/report.json"))
    ab = json.load(open(f"{d}/ab/report.json"))
    u = ab["uplift"]["llm_kerec"]["all"]
    rows.append({"fp_rate": float(fp), "fn_rate": float(fn), "yes_precision": judge.get("yes_precision"),
                 "yes_recall": judge.get("yes_recall"), "complementary_edges": graph["complementary_edges"],
                 "uplift": {m: u[m] for m in ("conversions", "gmv", "expected_conversions", "expected_gmv")},
                 "no_u2e2i_expected_conversions": ab["uplift"]["no_u2e2i"]["all"]["expected_conversions"]["uplift"]
                 if "no_u2e2i" in ab["uplift"] else None})
json.dump(rows, open(f"{out}/sweep.json", "w"), indent=1)
pct = lambda x: f"{100 * x:+.1f}%"
iv = lambda x: f"{pct(x['uplift'])} [{100 * x['paired'][0]:+.1f}, {100 * x['paired'][1]:+.1f}]"
lines = ["| fp rate | fn rate | judge precision | judge recall | edges | conversions | GMV | expected conversions | expected GMV | no_u2e2i expected conversions |",
         "|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    u = r["uplift"]
    lines.append(f"| {r['fp_rate']} | {r['fn_rate']} | {r['yes_precision']:.3f} | {r['yes_recall']:.3f} | "
                 f"{r['complementary_edges']} | {iv(u['conversions'])} | {iv(u['gmv'])} | {iv(u['expected_conversions'])} | "
                 f"{iv(u['expected_gmv'])} | {pct(r['no_u2e2i_expected_conversions']) if r['no_u2e2i_expected_conversions'] is not None else '-'} |")
open(f"{out}/sweep.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
