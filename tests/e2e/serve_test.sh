#!/usr/bin/env bash
# `kerec serve` over a small run's serving.h5: the HTTP API (tests/e2e/serve_checks.py: users, bill
# events, explanations against graph.h5 and eei.h5, bad requests, hot reload under load, a damaged
# file refused), refusal to start on a damaged or missing file, and SIGTERM draining to exit 0.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

sets=(--set world.scale=0.1 --set "world.dir=$WORK/world" --set "run.dir=$WORK/run")
"$KEREC" generate "${sets[@]}" >/dev/null
expect_ok "pipeline through export at 2 ranks" -- mpirun -np 2 "$KEREC" run "${sets[@]}"
cp -r "$WORK/run" "$WORK/alt"
expect_ok "a second serving.h5 (another popular list) for the reload" -- \
  "$KEREC" export "${sets[@]}" --set "run.dir=$WORK/alt" --set export.popular_items=300 --force
cp "$WORK/run/export/serving.h5" "$WORK/serving.h5"

start_server() {  # FILE: starts kerec serve on a free port; sets PID and PORT
  "$KEREC" serve "$1" --port 0 --threads 8 --reload-poll-ms 0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
  PID=$!
  for _ in $(seq 100); do
    PORT=$(sed -n 's#^listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$WORK/serve.out")
    [[ -n $PORT ]] && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "kerec serve did not start:"; cat "$WORK/serve.err"; return 1
}

start_server "$WORK/serving.h5"
known=$(awk -F'\t' 'NR == 2 {print $1}' "$WORK/world/bills.tsv")
check "the HTTP API (serve_checks.py)" $PY "$SRC/tests/e2e/serve_checks.py" "$PORT" "$WORK/serving.h5" \
  "$WORK/alt/export/serving.h5" "$WORK/run/graph/graph.h5" "$WORK/run/integrate/eei.h5" "$known" "$WORK"

# SIGTERM: the server drains and exits 0 (while a client keeps asking).
(for _ in $(seq 200); do curl -s -o /dev/null -XPOST "localhost:$PORT/v1/recommend" -d '{"user_id":"u"}' || true; done) &
LOADER=$!
sleep 0.3
kill -TERM "$PID"
rc=0
timeout 20 tail --pid="$PID" -f /dev/null || rc=$?
wait "$PID" || rc=$?
kill "$LOADER" 2>/dev/null || true
wait "$LOADER" 2>/dev/null || true
check "SIGTERM drains and exits 0" test "$rc" -eq 0
check "... saying so" grep -q "SIGTERM: draining" "$WORK/serve.err"

# SIGTERM at once, while the model is still loading: the server still stops (exit 0 once its
# signal mask is set; 143 if the signal beat even that), it never hangs. The kill waits for the exec:
# a signal to the shell's fork before it would run this script's EXIT trap.
"$KEREC" serve "$WORK/run/export/serving.h5" --port 0 >/dev/null 2>"$WORK/early.err" &
EARLY=$!
for _ in $(seq 500); do [[ $(cat "/proc/$EARLY/comm" 2>/dev/null) == kerec ]] && break; sleep 0.005; done
sleep 0.04  # past main()'s first line, into the loading
kill -TERM "$EARLY"
stopped=0
timeout 30 tail --pid="$EARLY" -f /dev/null || stopped=$?
rc=0
wait "$EARLY" || rc=$?
check "SIGTERM during loading stops the server (exit $rc)" test "$stopped" -eq 0 -a \( "$rc" -eq 0 -o "$rc" -eq 143 \)

# Refusals at start.
expect_fail "a damaged serving.h5 is refused at start" 1 "does not match its checksum" -- "$KEREC" serve "$WORK/serving.h5"
expect_fail "a missing serving.h5 is refused at start" 1 "no-such.h5" -- "$KEREC" serve "$WORK/no-such.h5"
expect_fail "an unknown option is a usage error" 2 "--bogus" -- "$KEREC" serve "$WORK/serving.h5" --bogus
finish
