#!/usr/bin/env bash
# A catalogue as users bring it: string ids (spaces, '/', '@', non-ASCII) and ISO 8601 times in
# several forms, mixed row by row with unix seconds (tests/fixtures/real_inputs.py). Its meaning is
# the demo world's, so ingest → graph must give the same bill times, mentions, popularity, pairs,
# verdicts and edges as the world's own files; a date that does not exist fails naming
# file:line:column.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

# The tagger's training sample is keyed by the text, not the id, so it is the same tagger.
sets=(--set world.scale=0.03 --set "world.dir=$WORK/world")
mpirun -np 2 "$KEREC" generate "${sets[@]}" >/dev/null 2>&1
check "rewrite the world's inputs with string ids and ISO times" \
  $PY "$SRC/tests/fixtures/real_inputs.py" "$WORK/world" "$WORK/real"
check "the rewritten bills use ISO times" grep -q $'\t20[0-9][0-9]-[01][0-9]-[0-3][0-9]T' "$WORK/real/bills.tsv"
stages=ingest,extract,popularity,pairs,judge,graph
for input in world real; do
  expect_ok "pipeline through graph on the $input inputs" -- mpirun -np 2 "$KEREC" run "${sets[@]}" \
    --set "input.dir=$WORK/$input" --set "run.dir=$WORK/run-$input" --stages "$stages"
done

same() {  # FILE DATASET...: equal in both runs
  local file=$1
  shift
  $PY - "$WORK/run-world/$file" "$WORK/run-real/$file" "$@" <<'PYEOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
bad = [d for d in sys.argv[3:] if not np.array_equal(a[d][()], b[d][()])]
print("differ:", bad) if bad else None
sys.exit(1 if bad else 0)
PYEOF
}
check "bill times and mentions are the same" same extract/bills.h5 bills/ts bills/mention_offsets mentions/entity
check "item mentions are the same" same extract/items.h5 items/mention_offsets mentions/entity
check "popularity is the same" same popularity/popularity.h5 popularity/bills popularity/exposures popularity/clicks
check "pairs are the same" same pairs/pairs.h5 pairs/a pairs/b
check "verdicts are the same" same judge/verdicts.h5 verdicts/a verdicts/b verdicts/verdict
check "complementary edges are the same" same graph/graph.h5 complementary/row_offsets complementary/target
check "the graph carries the string ids" $PY -c "
import h5py, sys
ids = h5py.File('$WORK/run-real/graph/graph.h5')['entities/entity_id'].asstr()[:]
sys.exit(0 if ids[0] == 'ent/0-ß' else 1)"

cp -r "$WORK/real" "$WORK/baddate"
lines=$(($(wc -l <"$WORK/baddate/bills.tsv") + 1))
printf 'user:1@example.com\t2026-02-30T10:00:00Z\tcoffee\t3.5\n' >>"$WORK/baddate/bills.tsv"
expect_fail "a day that does not exist names file, line and column" 1 \
  "bills.tsv:$lines: column 'ts': not a time: '2026-02-30T10:00:00Z'; expected unix seconds" -- \
  mpirun -np 2 "$KEREC" ingest --set "input.dir=$WORK/baddate" --set "run.dir=$WORK/run-bad"
finish
