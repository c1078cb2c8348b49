#!/usr/bin/env bash
# The cost of verifying upstream artifacts before a stage reads them (docs/operations.md,
# "Damaged artifacts"). On a run directory of the demo job: every stage is rerun alone with
# --force, so that it verifies its whole upstream closure (size, then XXH64 of every file), and the
# table gives per stage the bytes verified, verify_upstream_s from its report, the stage's wall
# time, their ratio, and the verification throughput against plain read(2) of the same files from
# the page cache (`cat > /dev/null`), its bound.
#
#   bench/verify_bench.sh [BUILD_DIR] [RUN_DIR]     (default build, runs/demo; the run must be complete)
set -euo pipefail
BUILD=${1:-build}
RUN=${2:-runs/demo}
source "$(dirname "$0")/../scripts/mpi-env.sh"
stages=(extract popularity pairs judge graph train integrate export ab)
mpirun -np 2 "$BUILD/kerec" run --set "run.dir=$RUN" --set log.level=warn >/dev/null  # all committed, with files
printf '%-11s %10s %10s %10s %8s %11s %11s\n' stage upstream_MB verify_s wall_s share verify_GB/s read_GB/s
for stage in "${stages[@]}"; do
  mpirun -np 2 "$BUILD/kerec" run --set "run.dir=$RUN" --set log.level=warn --stages "$stage" --force >/dev/null
  /usr/bin/python3 - "$RUN" "$stage" <<'PY'
import json, os, subprocess, sys, time
run, stage = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(run, "manifest.json")))["stages"]
closure, todo = set(), list(m[stage].get("upstream", []))
while todo:
    s = todo.pop()
    if s not in closure:
        closure.add(s)
        todo += m[s].get("upstream", [])
files = [os.path.join(run, s, f) for s in closure for f in m[s].get("files", {})]
size = sum(os.path.getsize(f) for f in files)
r = json.load(open(os.path.join(run, stage, "report.json")))
def read_s():
    start = time.perf_counter()
    subprocess.run(["cat"] + files, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
best = min(read_s() for _ in range(3))
v, w = r["verify_upstream_s"], r["wall_s"]
print(f"{stage:11s} {size / 1e6:10.1f} {v:10.3f} {w:10.2f} {100 * v / w:7.2f}% {size / 1e9 / max(v, 1e-9):11.2f} {size / 1e9 / best:11.2f}")
PY
done
