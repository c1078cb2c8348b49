#!/usr/bin/env bash
# `kerec integrate` and `kerec export` end to end on a small world (full pipeline through the LLM
# simulator): the report carries every slice with the oracle ceilings and the edge-weight figures,
# eei.h5 and ranker.h5 are written; the metrics at 1, 2 and 4 ranks agree within 0.005 AUC; SIGTERM
# during the E-E-I training exits 75 and the rerun repeats the per-step losses; no E-E-I sample, a
# truth graph without a world and another model's checkpoint are clear messages. serving.h5 is
# written, docs/artifacts.md's h5py example reads it, and the offline recall does not depend on the
# rank count.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

sets=(--set world.scale=0.1 --set "world.dir=$WORK/world" --set train.checkpoint_every_steps=20)
"$KEREC" generate "${sets[@]}" >/dev/null
expect_ok "pipeline through integrate at 2 ranks" -- mpirun -np 2 "$KEREC" run "${sets[@]}" --set "run.dir=$WORK/r2"
report="$WORK/r2/integrate/report.json"
check "eei.h5 and ranker.h5 written" test -s "$WORK/r2/integrate/eei.h5" -a -s "$WORK/r2/integrate/ranker.h5"
check "every slice with both models and the oracles" $PY -c "
import json, sys
r = json.load(open(sys.argv[1]))
want = {'all', 'graph_complementary', 'cold_start', 'complementary', 'complementary_channel', 'cold_start_with_signal'}
assert set(r['slices']) == want, r['slices'].keys()
for name, s in r['slices'].items():
    assert set(s['models']) == {'baseline', 'integrated'}, name
    assert s['oracle_auc'] >= s['no_complement_oracle_auc'] - 0.02, name
    assert 0.5 < s['oracle_auc'] <= 1, name
assert r['exposure_truth_unmatched'] == 0
assert r['variants']['integrated']['samples']['train'] > 0
assert -1 <= r['edge_weights']['spearman_learned'] <= 1
" "$report"
check "the integrated ranker is not below the baseline overall" $PY -c "
import json, sys
s = json.load(open(sys.argv[1]))['slices']
sys.exit(0 if s['all']['models']['integrated']['auc'] >= s['all']['models']['baseline']['auc'] - 0.002 else 1)" "$report"
check "h5py reads the learned edge weights" $PY -c "
import h5py, sys
with h5py.File(sys.argv[1]) as f:
    assert f.attrs['schema'] == 'eei' and f['edges/weight'].shape == f['edges/source'].shape
    assert (f['edges/weight'][:] >= 0).all()
" "$WORK/r2/integrate/eei.h5"

# Export: serving.h5, the documented h5py example, offline recall at 1 and 2 ranks.
check "serving.h5 written" test -s "$WORK/r2/export/serving.h5"
awk '/^### export/{on=1} on && /^```python/{code=1; next} on && code && /^```/{exit} on && code' "$SRC/docs/artifacts.md" |
  sed "s#runs/demo/export/serving.h5#$WORK/r2/export/serving.h5#" >"$WORK/example.py"
check "docs/artifacts.md's serving.h5 example runs and prints an edge with its reason" \
  bash -c "$PY '$WORK/example.py' | grep -q -- '->'"
cp -r "$WORK/r2" "$WORK/x1"
expect_ok "export at 1 rank" -- "$KEREC" export "${sets[@]}" --set "run.dir=$WORK/x1" --force
check "offline recall identical at 1 and 2 ranks, every figure in [0, 1]" $PY -c "
import json, sys
a, b = (json.load(open(p + '/export/report.json'))['recall'] for p in sys.argv[1:])
assert a['requests'] == b['requests'] > 0, (a['requests'], b['requests'])
assert 0 < a['conversions']['requests'] == b['conversions']['requests'] < a['requests']
for x, y in ((a, b), (a['conversions'], b['conversions'])):
    for group in ('all', 'with_recent_bill'):
        for lst, m in x[group].items():
            for key, v in m.items():
                assert 0 <= v <= 1 and abs(v - y[group][lst][key]) < 1e-9, (group, lst, key, v, y[group][lst][key])
" "$WORK/r2" "$WORK/x1"

# Rank counts: the same stage on copies of the run directory.
for np in 1 4; do
  cp -r "$WORK/r2" "$WORK/r$np"
  rm -rf "$WORK/r$np/model/eei-"* "$WORK/r$np/model/ranker-integrated-"*
  expect_ok "integrate at $np rank(s)" -- mpirun -np $np "$KEREC" integrate "${sets[@]}" --set "run.dir=$WORK/r$np" --force
done
check "slice AUCs at 1, 2 and 4 ranks within 0.005" $PY -c "
import json, sys
rs = [json.load(open(p + '/integrate/report.json'))['slices'] for p in sys.argv[1:]]
worst = max(abs(r[s]['models'][m]['auc'] - rs[0][s]['models'][m]['auc'])
            for r in rs for s in rs[0] for m in ('baseline', 'integrated'))
print('     largest AUC difference across rank counts: %.5f' % worst)
sys.exit(0 if worst <= 0.005 else 1)" "$WORK/r1" "$WORK/r2" "$WORK/r4"

# SIGTERM during the E-E-I training, then resume.
losses() { $PY -c "
import json, sys
print(' '.join(repr(e['loss']) for e in map(json.loads, open(sys.argv[1])) if e['event'] == 'step' and e['model'] == 'eei'))" "$1/integrate/metrics.jsonl"; }
cp -r "$WORK/r2" "$WORK/s"
rm -rf "$WORK/s/model/eei-"* "$WORK/s/model/ranker-integrated-"* "$WORK/s/integrate"
mpirun -np 2 "$KEREC" integrate "${sets[@]}" --set "run.dir=$WORK/s" >"$WORK/s.out" 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  compgen -G "$WORK/s/model/eei-*/LATEST" >/dev/null && break
  sleep 0.05
done
kill -TERM "$(pgrep -P "$launcher" | tail -1)"
rc=0
wait "$launcher" || rc=$?
check "SIGTERM during E-E-I training: exit code 75" test "$rc" -eq 75
expect_ok "resumed integrate completes" -- mpirun -np 2 "$KEREC" integrate "${sets[@]}" --set "run.dir=$WORK/s"
check "the resumed run started from the checkpoint" grep -q '"resumed_from_step": [1-9]' "$WORK/s/integrate/report.json"
check "per-step E-E-I losses identical to the uninterrupted run" test "$(losses "$WORK/s")" = "$(losses "$WORK/r2")"

# Bad input.
out=$(mpirun -np 2 "$KEREC" integrate "${sets[@]}" --set "run.dir=$WORK/r2" --set eei.trigger_window_h=0 2>&1)
check "no E-E-I sample: a warning, and the ranker still trains" grep -q "no E-E-I samples" <<<"$out"
check "no E-E-I sample: the stage completes" grep -q '"train": 0' "$WORK/r2/integrate/report.json"
expect_fail "truth graph without a world" 2 "truth/complements.tsv" -- "$KEREC" integrate "${sets[@]}" \
  --set "run.dir=$WORK/r2" --set "input.dir=$WORK/world" --set eei.graph=truth
eei_dir=$(compgen -G "$WORK/r1/model/eei-*" | head -1)
ranker_ckpt=$(compgen -G "$WORK/r1/model/ranker-integrated-*/step-*.ckpt" | head -1)
cp "$ranker_ckpt" "$eei_dir/"
basename "$ranker_ckpt" >"$eei_dir/LATEST"
expect_fail "another model's checkpoint" 1 "is for model 'ranker', not 'eei'" -- "$KEREC" integrate "${sets[@]}" \
  --set "run.dir=$WORK/r1" --force
finish
