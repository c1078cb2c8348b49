#!/usr/bin/env bash
# Extraction throughput of two kerec binaries on one world, runs alternated so that both see the
# same machine state: titles/s per rank (bench/README.md, "Entity extraction"). Prints one line
# per run and the median of each binary.
#   bench/extract_ab.sh OLD_KEREC NEW_KEREC [RUNS] [extra kerec args, e.g. --set world.language=zh]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/mpi-env.sh
old=$1 new=$2
runs=${3:-3}
shift 3 || shift $#
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$new" generate --set "world.dir=$out/world" "$@" >/dev/null 2>&1
for ((i = 0; i < runs; i++)); do
  for which in old new; do
    bin=$old
    [[ $which == new ]] && bin=$new
    mpirun -np 1 "$bin" run --stages ingest,extract --force --set "world.dir=$out/world" \
      --set "run.dir=$out/run-$which" "$@" >/dev/null 2>&1
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sys.argv[2], round(r['titles_per_s']))" \
      "$out/run-$which/extract/report.json" "$which" | tee -a "$out/rates"
  done
done
python3 - "$out/rates" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    which, r = line.split()
    rates.setdefault(which, []).append(float(r))
old, new = statistics.median(rates["old"]), statistics.median(rates["new"])
print(f"median titles/s per rank: old {old:.0f}, new {new:.0f}, new/old {new / old:.3f}")
PY
