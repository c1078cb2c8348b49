#!/usr/bin/env bash
# The graph stage end to end on a small world: graph.h5 has identical edge arrays at 1, 2 and 4
# ranks (and identical shards for a fixed graph.shards); h5dump and h5py open it; the h5py example
# of docs/artifacts.md prints what `kerec inspect --entity` prints; a refresh without new verdicts
# keeps the edge set and raises the version; damaged and foreign files are refused with a message.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
COMPARE="$SRC/tests/fixtures/graph_compare.py"

sets=(--set world.scale=0.03 --set "world.dir=$WORK/world")
mpirun -np 2 "$KEREC" generate "${sets[@]}" >/dev/null 2>&1
expect_ok "pipeline through graph at 2 ranks" -- mpirun -np 2 "$KEREC" run "${sets[@]}" --set "run.dir=$WORK/run" \
  --stages ingest,extract,popularity,pairs,judge,graph
G=$WORK/run/graph/graph.h5
check "graph.h5 committed" test -f "$G"
edges=$(sed -n 's/^  "complementary_edges": \([0-9]*\),$/\1/p' "$WORK/run/graph/report.json")
check "the graph has complementary edges ($edges)" test "${edges:-0}" -gt 20

# The same inputs at 1 and 4 ranks: copy the upstream stages and rerun only the graph.
for np in 1 4; do
  cp -r "$WORK/run" "$WORK/run$np"
  expect_ok "graph at $np rank(s)" -- mpirun -np "$np" "$KEREC" graph "${sets[@]}" --set "run.dir=$WORK/run$np" --force
  check "edge arrays at $np and 2 ranks are identical" $PY "$COMPARE" "$WORK/run$np/graph/graph.h5" "$G" --except-shards
  expect_ok "graph at $np rank(s), 3 shards" -- mpirun -np "$np" "$KEREC" graph "${sets[@]}" --set "run.dir=$WORK/run$np" \
    --set graph.shards=3 --force
done
check "with graph.shards = 3, every dataset at 1 and 4 ranks is identical" \
  $PY "$COMPARE" "$WORK/run1/graph/graph.h5" "$WORK/run4/graph/graph.h5"

check "h5dump opens graph.h5" bash -c "h5dump -H '$G' >/dev/null"
out=$("$KEREC" inspect "$G" 2>&1)
check "inspect shows the version and edges" grep -q "graph version 1 .* entities" <<<"$out"
check "inspect verifies the shards" grep -q "shards: 2 (checksums verified)" <<<"$out"
check "inspect lists the strongest edges" grep -q "strongest complementary edges" <<<"$out"

# The docs example, with its path and entity replaced, against the C++ reader.
sed -n '/^### graph/,/^### train/p' "$SRC/docs/artifacts.md" | awk '/^```python/{f=1;next} /^```/{if(f)exit} f' >"$WORK/example.py"
check "docs/artifacts.md has the graph example" grep -q "complementary/row_offsets" "$WORK/example.py"
sources=$($PY -c "
import h5py, numpy as np
f = h5py.File('$G'); r = f['complementary/row_offsets'][:]; ids = f['entities/entity_id'].asstr()[:]
print(' '.join(ids[e] for e in np.flatnonzero(np.diff(r) > 0)[:3]))")
for id in $sources; do
  sed -e "s|runs/demo/graph/graph.h5|$G|" -e "s|index(\"0\")|index(\"$id\")|" "$WORK/example.py" >"$WORK/example-$id.py"
  $PY "$WORK/example-$id.py" >"$WORK/py-$id.txt"
  "$KEREC" inspect "$G" --entity "$id" >"$WORK/cpp-$id.txt"
  check "h5py example and C++ reader agree on entity $id" bash -c "test -s '$WORK/py-$id.txt' && cmp -s '$WORK/py-$id.txt' '$WORK/cpp-$id.txt'"
done
expect_fail "inspect --entity with an unknown id" 1 "entity_id 'no-such-entity' is not in" -- "$KEREC" inspect "$G" --entity no-such-entity

# Refresh with the same verdicts: same edges, version 2.
cp "$G" "$WORK/previous.h5"
expect_ok "refresh" -- mpirun -np 2 "$KEREC" graph "${sets[@]}" --set "run.dir=$WORK/run" --set "graph.previous=$WORK/previous.h5" --force
check "refreshed graph has version 2" grep -q '"graph_version": 2' "$WORK/run/graph/report.json"
check "every edge kept or updated, none added" grep -q '"added": 0' "$WORK/run/graph/report.json"
check "complementary edges identical after the refresh" $PY "$COMPARE" "$G" "$WORK/previous.h5" --only complementary

# Damaged and foreign files.
cp "$WORK/previous.h5" "$WORK/flipped.h5"
$PY - "$WORK/flipped.h5" <<'PYEOF'
import sys, h5py
path = sys.argv[1]
with h5py.File(path, "r") as f:
    offset = f["complementary/confidence"].id.get_offset()  # contiguous, uncompressed
with open(path, "r+b") as out:
    out.seek(offset + 5); byte = out.read(1); out.seek(offset + 5); out.write(bytes([byte[0] ^ 0x10]))
PYEOF
expect_fail "a flipped byte is caught by the shard checksum" 1 "checksum mismatch" -- "$KEREC" inspect "$WORK/flipped.h5"
head -c 30000 "$WORK/previous.h5" >"$WORK/truncated.h5"
expect_fail "a truncated file is refused" 1 "truncated" -- "$KEREC" inspect "$WORK/truncated.h5" --entity x
expect_fail "graph.previous of another schema is refused" 1 "schema is 'pairs', expected 'graph'" -- \
  "$KEREC" graph "${sets[@]}" --set "run.dir=$WORK/run" --set "graph.previous=$WORK/run/pairs/pairs.h5" --force
check "the refused refresh left the committed graph" $PY "$COMPARE" "$G" "$WORK/previous.h5" --only complementary
finish
