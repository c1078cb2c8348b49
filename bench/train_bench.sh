#!/usr/bin/env bash
# Training throughput: kerec at 1 and 2 ranks, and the PyTorch reference of the same model at 1
# thread per rank, in one run on the same machine; prints each result and the ratio. See
# bench/README.md, sections "Training (ranker)" and "E-E-I model".
#   bench/train_bench.sh BUILD_DIR [STEPS] [MODEL]     MODEL: ranker (default) or eei
set -euo pipefail
BUILD=${1:-build}
STEPS=${2:-200}
MODEL=${3:-ranker}
case $MODEL in
  ranker) BIN=train_bench; REF=train_bench.py ;;
  eei) BIN=eei_bench; REF=eei_bench.py ;;
  *) echo "train_bench.sh: MODEL must be ranker or eei, not '$MODEL'" >&2; exit 2 ;;
esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
source "$SRC/scripts/mpi-env.sh"
export OMP_NUM_THREADS=1
one=$(mpirun -np 1 "$BUILD/bench/$BIN" --steps "$STEPS")
two=$(mpirun -np 2 "$BUILD/bench/$BIN" --steps "$STEPS")
torch=$(/usr/bin/python3 "$SRC/bench/$REF" --steps "$STEPS" --threads 1)
echo "$one"; echo "$two"; echo "$torch"
/usr/bin/python3 -c "
import json, sys
one, two, torch = (json.loads(x) for x in sys.argv[1:])
print('kerec/torch samples/s ratio at 1 thread: %.2f' % (one['samples_per_s_per_rank'] / torch['samples_per_s']))
print('exchange share of the step at 2 ranks: %.1f%%' % (100 * two['exchange_share']))" "$one" "$two" "$torch"
