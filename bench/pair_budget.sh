#!/usr/bin/env bash
# The pair budget (pairs.max_pairs, include/kerec/pairs/budget.h): truth coverage of the pairs kept
# for the judge against the budget, on a synthetic world. Runs ingest → pairs once without a budget,
# then the pairs stage again for each budget, a share of the unbudgeted pair count. See
# bench/README.md, "Pair budget".
#   bench/pair_budget.sh [KEREC_BINARY] [RANKS] [extra kerec args, e.g. --set world.scale=5]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/mpi-env.sh
kerec=${1:-build/kerec}
np=${2:-2}
shift 2 || shift $#
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sets=(--set "world.dir=$out/world" --set "run.dir=$out/run" "$@")
mpirun -np "$np" "$kerec" generate "${sets[@]}" >/dev/null 2>&1
mpirun -np "$np" "$kerec" run --stages ingest,extract,popularity,pairs "${sets[@]}" >/dev/null 2>&1
report() {  # BUDGET_SHARE: one line of the table from pairs/report.json
  /usr/bin/python3 - "$out/run/pairs/report.json" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); b = r["budget"]
print(f"| {sys.argv[2]} | {b['max_pairs'] or 'none'} | {r['pairs_kept']:,} | {b['cooccur_kept']:,} | "
      f"{r['truth_coverage_weighted']:.4f} | {r['truth_coverage_unweighted']:.4f} | {r['seconds']:.2f} |")
PY
}
echo "| budget share | pairs.max_pairs | pairs kept | with co-occurrence | coverage weighted | unweighted | pairs stage s |"
echo "|---|---|---|---|---|---|---|"
report 1.0
total=$(/usr/bin/python3 -c "import json; print(json.load(open('$out/run/pairs/report.json'))['pairs_kept'])")
for share in 0.5 0.3 0.2 0.1 0.05; do
  budget=$(/usr/bin/python3 -c "print(int($total * $share))")
  mpirun -np "$np" "$kerec" pairs --force "${sets[@]}" --set "pairs.max_pairs=$budget" >/dev/null 2>&1
  report "$share"
done
