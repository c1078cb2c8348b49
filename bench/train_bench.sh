#!/usr/bin/env bash
# Ranker training throughput: kerec at 1 and 2 ranks, and the PyTorch reference at 1 thread per
# rank, in one run on the same machine; prints each result and the ratio. See bench/README.md.
#   bench/train_bench.sh BUILD_DIR [STEPS]
set -euo pipefail
BUILD=${1:-build}
STEPS=${2:-200}
SRC=$(cd "$(dirname "$0")/.." && pwd)
source "$SRC/scripts/mpi-env.sh"
export OMP_NUM_THREADS=1
one=$(mpirun -np 1 "$BUILD/bench/train_bench" --steps "$STEPS")
two=$(mpirun -np 2 "$BUILD/bench/train_bench" --steps "$STEPS")
torch=$(/usr/bin/python3 "$SRC/bench/train_bench.py" --steps "$STEPS" --threads 1)
echo "$one"; echo "$two"; echo "$torch"
/usr/bin/python3 -c "
import json, sys
one, two, torch = (json.loads(x) for x in sys.argv[1:])
print('kerec/torch samples/s ratio at 1 thread: %.2f' % (one['samples_per_s_per_rank'] / torch['samples_per_s']))
print('exchange share of the step at 2 ranks: %.1f%%' % (100 * two['exchange_share']))" "$one" "$two" "$torch"
