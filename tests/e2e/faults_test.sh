#!/usr/bin/env bash
# Fault injection (scripts/fault_suite.py): 200 damaged artifacts and inputs and 4 killed jobs on a
# small run must each end in a clear error naming the file or a recovery equal to the undamaged
# run, never a hang, a crash or a wrong result. KEREC_FAULT_CASES / KEREC_FAULT_SEED change the
# size and the seed (the soak: KEREC_FAULT_CASES=2000). Also the case of issue 16 by hand: 64 zero
# bytes in judge/verdicts.h5 end the graph stage at once with a message naming the file; the
# run-directory lock and staging cleanup; a stuck rank ends the job through the watchdog.
source "$(dirname "$0")/lib.sh"

sets=(--set world.scale=0.02 --set "world.dir=$WORK/world" --set "run.dir=$WORK/run"
      --set 'llm.simulator_args=["--latency-median-ms","1"]')
"$KEREC" generate "${sets[@]}" >/dev/null 2>&1
expect_ok "a small run through the graph" -- "$KEREC" run "${sets[@]}" --stages ingest,extract,popularity,pairs,judge,graph
/usr/bin/python3 -c "
import sys
with open(sys.argv[1], 'r+b') as f: f.seek(2000); f.write(bytes(64))" "$WORK/run/judge/verdicts.h5"
start=$(date +%s)
expect_fail "damaged verdicts.h5: the graph stage stops, naming the file" 1 "verdicts.h5 has xxh64" -- \
  timeout 60 "$KEREC" graph "${sets[@]}" --force
check "... within 5 seconds" test $(( $(date +%s) - start )) -le 5
out=$("$KEREC" inspect "$WORK/run" 2>&1)
check "inspect marks the damaged stage" grep -q "DAMAGED: .*verdicts.h5" <<<"$out"
expect_ok "kerec run reruns the damaged stage (from the journal)" -- "$KEREC" run "${sets[@]}" --stages judge,graph
check "... and the run directory verifies again" bash -c "! '$KEREC' inspect '$WORK/run' 2>&1 | grep -q DAMAGED"

# Two jobs on one run directory: the second is refused, naming the first.
/usr/bin/python3 - "$WORK/run/.lock" "$KEREC" "${sets[@]}" >"$WORK/lock.out" 2>&1 <<'PY'
import fcntl, subprocess, sys
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
f.seek(0); f.truncate(); f.write("host test-host, pid 4242, since now\n"); f.flush()
r = subprocess.run([sys.argv[2], "run"] + sys.argv[3:] + ["--stages", "graph"], capture_output=True, text=True)
print("exit", r.returncode, r.stderr)
PY
check "a second job on a locked run directory is refused, naming the holder" \
  grep -q "exit 1 .*is in use by another kerec job (host test-host, pid 4242" "$WORK/lock.out"
mkdir -p "$WORK/run/graph.staging-99999-1-dead"
expect_ok "the next job removes a dead job's staging folder" -- "$KEREC" run "${sets[@]}" --stages graph
check "... which is gone" test ! -e "$WORK/run/graph.staging-99999-1-dead"

# A stuck peer: rank 1 stopped (SIGSTOP) midway through the judge stage. Rank 0 waits in a
# collective until run.stuck_collective_s, then the job ends with exit 1 naming the rank and call.
rm -rf "$WORK/run/journal"
timeout 120 mpirun -np 2 "$KEREC" judge "${sets[@]}" --force --set run.stuck_collective_s=3 \
  --set 'llm.simulator_args=["--latency-median-ms","200"]' >"$WORK/stuck.out" 2>&1 &
job=$!
rank1=""
for _ in $(seq 100); do
  for p in $(pgrep -f "^$KEREC judge" || true); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && rank1=$p
  done
  [[ -n $rank1 ]] && break; sleep 0.1
done
sleep 1
kill -STOP "$rank1"
rc=0; wait "$job" || rc=$?
check "a stuck rank: the job ends with exit 1 (got $rc)" test "$rc" = 1
check "... naming the rank and the collective" grep -q "rank 0: MPI_.* has not returned after 3 s" "$WORK/stuck.out"
check "... and leaves no rank behind" bash -c "! pgrep -f '^$KEREC judge' >/dev/null"

# The suite prints its table (kinds x outcomes) into the test log.
suite_rc=0
/usr/bin/python3 "$SRC/scripts/fault_suite.py" --kerec "$KEREC" --cases "${KEREC_FAULT_CASES:-200}" \
  --seed "${KEREC_FAULT_SEED:-1}" --work "$WORK/suite" || suite_rc=$?
check "the fault suite: no hang, crash, wrong result or unclear error" test "$suite_rc" = 0
finish
