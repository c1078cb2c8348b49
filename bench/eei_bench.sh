#!/usr/bin/env bash
# Encoder + E-E-I training throughput: kerec at 1 and 2 ranks, and the PyTorch reference at 1
# thread per rank, in one run on the same machine; prints each result and the ratio. See
# bench/README.md, section "E-E-I model".
#   bench/eei_bench.sh BUILD_DIR [STEPS]
set -euo pipefail
BUILD=${1:-build}
STEPS=${2:-300}
SRC=$(cd "$(dirname "$0")/.." && pwd)
source "$SRC/scripts/mpi-env.sh"
export OMP_NUM_THREADS=1
one=$(mpirun -np 1 "$BUILD/bench/eei_bench" --steps "$STEPS")
two=$(mpirun -np 2 "$BUILD/bench/eei_bench" --steps "$STEPS")
torch=$(/usr/bin/python3 "$SRC/bench/eei_bench.py" --steps "$STEPS" --threads 1)
echo "$one"; echo "$two"; echo "$torch"
/usr/bin/python3 -c "
import json, sys
one, two, torch = (json.loads(x) for x in sys.argv[1:])
print('kerec/torch samples/s ratio at 1 thread: %.2f' % (one['samples_per_s_per_rank'] / torch['samples_per_s']))
print('exchange share of the step at 2 ranks: %.1f%%' % (100 * two['exchange_share']))" "$one" "$two" "$torch"
