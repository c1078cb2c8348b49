#!/usr/bin/env bash
# `kerec ab` on a small world (the pipeline through the LLM simulator first): every arm is in the
# report with its requests, sampled and expected totals; the A/A interval covers 0; pairing narrows
# the interval; the figures are the same at 1, 2 and 4 ranks; a run on data that is not the
# synthetic world is refused with a config error.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

sets=(--set world.scale=0.1 --set "world.dir=$WORK/world" --set ab.bootstrap_replicates=200)
"$KEREC" generate "${sets[@]}" >/dev/null
expect_ok "pipeline through ab at 2 ranks" -- mpirun -np 2 "$KEREC" run "${sets[@]}" --set "run.dir=$WORK/r2"
report="$WORK/r2/ab/report.json"
check "every arm simulated, sampled totals near the expected ones" $PY -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert set(r['arms']) == {'baseline', 'baseline_aa', 'llm_kerec', 'no_u2e2i', 'raw_edges', 'truth_graph'}, r['arms'].keys()
for name, a in r['arms'].items():
    t = a['totals']['all']
    assert a['requests'] > 500 and a['items_shown'] > 2000, (name, a)
    assert abs(t['clicks'] / t['expected_clicks'] - 1) < 0.1, (name, t)
    split = a['totals']['with_recent_bill']['expected_clicks'] + a['totals']['without_recent_bill']['expected_clicks']
    assert abs(split - t['expected_clicks']) < 1e-6 * t['expected_clicks'], (name, split, t)
assert r['arms']['llm_kerec']['slates_with_u2e2i'] > 0 and r['arms']['baseline']['slates_with_u2e2i'] == 0
assert 0 < r['decomposition']['share_of_requests_with_recent_bill'] <= 1
" "$report"
check "the A/A interval covers 0; pairing narrows the interval" $PY -c "
import json, sys
u = json.load(open(sys.argv[1]))['uplift']
for m in ('clicks', 'conversions', 'gmv'):
    lo, hi = u['baseline_aa']['all'][m]['paired']
    assert lo <= 0 <= hi, (m, lo, hi)
for m in ('expected_clicks', 'expected_conversions', 'conversions'):
    x = u['llm_kerec']['all'][m]
    assert x['paired'][1] - x['paired'][0] < x['unpaired'][1] - x['unpaired'][0], (m, x)
    assert x['paired'][0] <= x['uplift'] <= x['paired'][1], (m, x)
" "$report"
for np in 1 4; do
  cp -r "$WORK/r2" "$WORK/r$np"
  expect_ok "ab at $np rank(s)" -- mpirun --oversubscribe -np "$np" "$KEREC" ab "${sets[@]}" --set "run.dir=$WORK/r$np" --force
done
check "the same figures at 1, 2 and 4 ranks" $PY -c "
import json, sys
rs = [json.load(open(p)) for p in sys.argv[1:]]
def walk(a, b, path):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            if k not in ('simulation_s', 'requests_per_s_per_rank', 'bill_texts_extracted'): walk(a[k], b[k], path + '/' + k)
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)): walk(x, y, path + f'[{i}]')
    elif isinstance(a, float):
        assert abs(a - b) <= 1e-9 * max(1.0, abs(a)), (path, a, b)
    else:
        assert a == b, (path, a, b)
for r in rs[1:]:
    walk(rs[0]['arms'], r['arms'], 'arms')
    walk(rs[0]['uplift'], r['uplift'], 'uplift')
" "$WORK/r1/ab/report.json" "$WORK/r2/ab/report.json" "$WORK/r4/ab/report.json"
# The run report: HTML and Markdown with the A/B figures of ab/report.json, opened headless.
expect_ok "kerec report writes the run's report" -- "$KEREC" report "$WORK/r2"
check "the report's A/B table holds ab/report.json's figures" $PY -c "
import json, sys
u = json.load(open(sys.argv[1]))['uplift']['llm_kerec']['all']
want = f\"{100 * u['conversions']['uplift']:+.1f}% [{100 * u['conversions']['paired'][0]:+.1f}, {100 * u['conversions']['paired'][1]:+.1f}]\"
for f in sys.argv[2:]:
    text = open(f).read()
    assert want in text, (f, want)
    assert 'Simulated online A/B test' in text and 'test AUC by slice' in text, f
" "$report" "$WORK/r2/report/report.html" "$WORK/r2/report/report.md"
check "the report opens in headless chromium with both plots decoded" bash -c \
  "timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom '$WORK/r2/report/report.html' 2>/dev/null |
   grep -q 'data-images-decoded=\"2\"'"
expect_fail "kerec report on a directory that is not a run" 1 "not a run directory" -- "$KEREC" report "$WORK/world"
expect_fail "the A/B test refuses data that is not the synthetic world" 2 "input.dir must be empty" -- \
  "$KEREC" ab "${sets[@]}" --set "run.dir=$WORK/r1" --set "input.dir=$WORK/world" --force
expect_fail "... and a world generated with another seed" 2 "was not generated with this job's [world]" -- \
  "$KEREC" ab "${sets[@]}" --set "run.dir=$WORK/r1" --set world.seed=43 --force
finish
