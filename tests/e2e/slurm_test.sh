#!/usr/bin/env bash
# kerec on a real Slurm: slurm/local/up.sh starts a single-node cluster (munged, slurmctld, slurmd
# under a temporary directory), then
#   - the demo job (small world, longer training) at 2 tasks completes, and its
#     run directory verifies;
#   - the same job, sent the warning signal in the middle of training, checkpoints, requeues itself,
#     resumes, and produces the same model as the uninterrupted job;
#   - a job with a bad config fails with its exit code, is not requeued, and names the cause;
#   - KEREC_LAUNCHER=mpirun runs the ranks with mpirun inside the allocation;
#   - a sweep as a job array after a base job (afterok), gathered by a dependent job;
#   - sbatch --test-only accepts every script in slurm/, and shellcheck passes on them;
# then slurm/local/down.sh stops the cluster. Skipped (exit 77) only when Slurm is not installed.
source "$(dirname "$0")/lib.sh"
for tool in slurmctld slurmd munged sbatch shellcheck; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/install-deps.sh installs slurm-wlm, munge, shellcheck)"; exit 77; }
done
CLUSTER=$WORK/cluster
trap '"$SRC/slurm/local/down.sh" "$CLUSTER" || true; rm -rf "$WORK"' EXIT
eval "$("$SRC/slurm/local/up.sh" "$CLUSTER")"
export KEREC

check "shellcheck passes on slurm/" shellcheck "$SRC"/slurm/*.sbatch "$SRC"/slurm/local/*.sh
for script in "$SRC"/slurm/*.sbatch; do
  check "sbatch --test-only accepts $(basename "$script")" sbatch --test-only "$script" "$SRC/jobs/demo.toml"
done

"$KEREC" generate --set world.scale=0.02 --set "world.dir=$WORK/world" >/dev/null 2>&1
job=(--set world.scale=0.02 --set "world.dir=$WORK/world" --set 'llm.simulator_args=["--latency-median-ms","1"]'
     --set train.epochs=30 --set train.early_stop_patience=100 --set train.checkpoint_every_steps=10)
submit() { sbatch --parsable --ntasks-per-node=2 --output="$WORK/%j.out" --error="$WORK/%j.err" "$@"; }
state() { scontrol show job "$1" | grep -o "$2=[^ ]*" | cut -d= -f2; }
# Polls every 0.5 s until the job ends (sbatch --wait polls up to every 10 s or more), then exits
# with the job's exit code.
finished() {
  for _ in $(seq 1200); do
    [[ $(state "$1" JobState) =~ ^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY)$ ]] && break
    [[ $(state "$1" Reason) == DependencyNeverSatisfied ]] && { scancel "$1"; return 1; }
    sleep 0.5
  done
  local code; code=$(state "$1" ExitCode); return "${code%%:*}"
}
echo "$(date +%T) cluster up"

# The demo job, uninterrupted.
id=$(submit "$SRC/slurm/kerec.sbatch" "$SRC/jobs/demo.toml" "${job[@]}" --set "run.dir=$WORK/a")
expect_ok "sbatch: the demo job at 2 tasks completes" -- finished "$id"
echo "$(date +%T) demo job done"
check "... every stage committed" test "$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['stages']))" "$WORK/a/manifest.json")" = 10
check "... and the run directory verifies" bash -c "'$KEREC' inspect '$WORK/a' | grep -q 'file(s) verified' && ! '$KEREC' inspect '$WORK/a' | grep -q DAMAGED"
check "... at 2 ranks" grep -q '"ranks": 2' "$WORK/a/train/report.json"

# The same job, warned in the middle of training: checkpoint, requeue, resume.
id=$(submit "$SRC/slurm/kerec.sbatch" "$SRC/jobs/demo.toml" "${job[@]}" --set "run.dir=$WORK/b")
for _ in $(seq 600); do grep -q "train: running" "$WORK/b/logs/rank-0.log" 2>/dev/null && break; sleep 0.2; done
sleep 3
scancel --signal=USR1 --batch "$id"
# A requeued job becomes eligible only after a delay Slurm sets (BeginTime); the test makes it
# eligible at once instead of waiting.
for _ in $(seq 600); do [[ $(state "$id" Restarts) == 1 && $(state "$id" JobState) == PENDING ]] && break; sleep 0.2; done
scontrol update JobId="$id" StartTime=now
finished "$id" || true
echo "$(date +%T) warned job done"
check "warned job: completed (state $(state "$id" JobState))" test "$(state "$id" JobState)" = COMPLETED
check "... after one requeue" test "$(state "$id" Restarts)" = 1
check "... training checkpointed with exit 75" grep -q "checkpointed at step .* exit code 75" "$WORK/$id.err"
check "... and resumed from the checkpoint" grep -q "train: resumed from" "$WORK/$id.err"
same_model() {
  /usr/bin/python3 - "$WORK/a" "$WORK/b" <<'PY'
import h5py, numpy as np, sys
for name in ["train/ranker.h5", "integrate/ranker.h5", "integrate/eei.h5"]:
    with h5py.File(f"{sys.argv[1]}/{name}") as a, h5py.File(f"{sys.argv[2]}/{name}") as b:
        names = []
        a.visit(lambda n: names.append(n) if isinstance(a[n], h5py.Dataset) else None)
        bad = [n for n in names if not np.array_equal(a[n][()], b[n][()])]
        assert not bad, f"{name}: {bad}"
PY
}
check "... and the same models as the uninterrupted job" same_model

# A real error is not requeued; its cause is in the error file.
id=$(submit "$SRC/slurm/kerec.sbatch" "$SRC/jobs/demo.toml" --set world.scale=many --set "run.dir=$WORK/c")
finished "$id" || true
check "bad config: the job failed with exit 2 ($(state "$id" ExitCode))" test "$(state "$id" ExitCode)" = 2:0
check "... was not requeued" test "$(state "$id" Restarts)" = 0
check "... and names the key" grep -q "kerec: error: .*world.scale" "$WORK/$id.err"

# mpirun inside the allocation.
id=$(KEREC_LAUNCHER=mpirun submit "$SRC/slurm/kerec.sbatch" "$SRC/jobs/demo.toml" "${job[@]}" \
  --set "run.dir=$WORK/m" --stages ingest,extract)
expect_ok "KEREC_LAUNCHER=mpirun" -- finished "$id"
check "... ran both stages at 2 ranks" grep -q '"ranks": 2' "$WORK/m/extract/report.json"

# A pipeline as dependent jobs and a sweep as a job array: the stages before the judge once, then
# two array tasks (the simulator's false-positive rate 0 and 0.5) from a copy of that run each,
# then a job that gathers the tasks' reports into one table.
sw=$WORK/sweep
base=$(submit "$SRC/slurm/kerec.sbatch" "$SRC/jobs/demo.toml" "${job[@]}" --set "run.dir=$sw/base" \
       --stages ingest,extract,popularity,pairs)
sim='llm.simulator_args=["--latency-median-ms","1","--fp-rate","%s"]'
# shellcheck disable=SC2059  # the format is ours
array=$(KEREC_SWEEP="$(printf "$sim" 0);$(printf "$sim" 0.5)" KEREC_SWEEP_DIR=$sw KEREC_SWEEP_BASE=$sw/base \
        submit --array=0-1 --dependency="afterok:$base" "$SRC/slurm/kerec.sbatch" "$SRC/jobs/demo.toml" "${job[@]}" \
        --stages judge,graph)
gather=$(sbatch --parsable --dependency="afterok:$array" --output="$WORK/gather.out" \
         --wrap "/usr/bin/python3 $SRC/scripts/sweep_table.py $sw")
expect_ok "sweep: base job, job array and gathering job (afterok) complete" -- finished "$gather"
check "... one row per task" test "$(grep -c '^| task-' "$WORK/gather.out")" = 2
check "... a judge answering yes to non-complements has the lower precision" /usr/bin/python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows[0]['yes_precision'] > rows[1]['yes_precision'], rows
" "$sw/sweep_table.json"
finish
