#!/usr/bin/env bash
# The extract stage from the CLI: bad Entity Dicts fail naming the line (or are resolved by a policy
# and counted), and on a small synthetic world the stage writes its artifacts and evaluation at 1 and
# 2 ranks with the same mention tables.
source "$(dirname "$0")/lib.sh"

inputs() {  # DIR ENTITY_ROWS: a small input set with the given dictionary rows
  mkdir -p "$1"
  printf 'entity_id\tname\taliases\tcategory\n%b' "$2" >"$1/entities.tsv"
  printf 'item_id\ttitle\tcategory\tprice\tcreated_at\ni1\tAcme Phone 128GB\tphones\t399.5\t1700000000\ni2\tBlack phone-case\tphones\t9.9\t1700000100\n' >"$1/items.tsv"
  printf 'user_id\tts\ttext\tamount\nu1\t1700001000\tPOS ACME cellphone\t399.5\n' >"$1/bills.tsv"
  printf 'user_id\tts\titem_id\tscene\tclicked\tconverted\tamount\nu1\t1700002000\ti2\thome\t1\t0\t0\n' >"$1/exposures.tsv"
}

job() {  # DIR EXTRA_TOML
  printf '[run]\ndir = "%s/run"\n[input]\ndir = "%s"\n[extract]\nmax_iterations = 10\n%b\n' "$1" "$1" "${2:-}" >"$1/job.toml"
  echo "$1/job.toml"
}

good='e1\tphone\tcellphone|mobile\tphones\ne2\tphone case\t\tphones\n'
for np in 1 2; do
  run=(mpirun -np "$np" "$KEREC")
  d=$WORK/np$np

  inputs "$d/dup" "${good}e1\tcharger\t\tphones\n"
  expect_fail "np$np duplicate id" 1 "entities.tsv:4: column 'entity_id': duplicate id 'e1'" -- \
    "${run[@]}" run --stages ingest,extract --config "$(job "$d/dup")"
  expect_ok "np$np duplicate id keep_first" -- \
    "${run[@]}" run --stages ingest,extract --config "$(job "$d/dup" 'dict_duplicate_id = "keep_first"')"
  check "np$np duplicate counted" grep -q '"duplicate_ids_dropped": 1' "$d/dup/run/extract/report.json"

  inputs "$d/shared" "${good}e3\tcharger\tMobile\tphones\n"
  expect_fail "np$np shared alias" 1 "entities.tsv:4: column 'aliases': 'Mobile' is already a name or alias of entity 'e1'" -- \
    "${run[@]}" run --stages ingest,extract --config "$(job "$d/shared")"

  inputs "$d/empty" "${good}e3\t--\t\tphones\n"
  expect_fail "np$np empty name" 1 "entities.tsv:4: column 'name': empty name" -- \
    "${run[@]}" run --stages ingest,extract --config "$(job "$d/empty")"

  inputs "$d/utf8" "${good}e3\tch\xffrger\t\tphones\n"
  expect_fail "np$np invalid UTF-8" 1 "entities.tsv:4" -- "${run[@]}" run --stages ingest,extract --config "$(job "$d/utf8")"

  inputs "$d/good" "$good"
  expect_ok "np$np good dictionary" -- "${run[@]}" run --stages ingest,extract --config "$(job "$d/good")"
  for f in entities.h5 items.h5 bills.h5 tagger.bin unknown_mentions.tsv report.json; do
    check "np$np writes $f" test -s "$d/good/run/extract/$f"
  done
  check "np$np dictionary mentions" grep -q '"dict_mentions": 3' "$d/good/run/extract/report.json"
done

# A small synthetic world: evaluation present, and the same mention tables at 1 and 2 ranks.
"$KEREC" generate --set "world.dir=$WORK/world" --set world.scale=0.02 >/dev/null
for np in 1 2; do
  expect_ok "world np$np" -- mpirun -np "$np" "$KEREC" run --stages ingest,extract --set "world.dir=$WORK/world" \
    --set "run.dir=$WORK/run$np" --set extract.max_iterations=15
  check "world np$np has f1_dict" grep -q '"f1_dict"' "$WORK/run$np/extract/report.json"
done
for ds in /items/mention_offsets /mentions/entity /mentions/begin /mentions/end /mentions/source; do
  check "same $ds at 1 and 2 ranks" bash -c "diff <(h5dump -d $ds -y $WORK/run1/extract/items.h5 | grep -v HDF5) \
    <(h5dump -d $ds -y $WORK/run2/extract/items.h5 | grep -v HDF5) >/dev/null"
done
# Alias mining: the same rules and aliases at 1 and 2 ranks, and they are used.
check "same mined aliases at 1 and 2 ranks" cmp "$WORK/run1/extract/mined_aliases.tsv" "$WORK/run2/extract/mined_aliases.tsv"
check "mined aliases found" test "$(wc -l <"$WORK/run1/extract/mined_aliases.tsv")" -gt 1
check "aliases of phrase rules found" grep -qP '\tphrase\t' "$WORK/run1/extract/mined_aliases.tsv"
check "mined alias mentions counted" grep -Eq '"mined_alias_mentions": [1-9]' "$WORK/run1/extract/report.json"
# LLM linking (the simulator answers): questions asked, aliases of provenance llm, the same at 1 and
# 2 ranks (the cmp above); a forced re-run answers every question from the journal.
link() {  # RUN KEY: the value of link.KEY in the run's extract report
  /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['link'][sys.argv[2]])" \
    "$1/extract/report.json" "$2"
}
check "LLM linking asked questions" test "$(link "$WORK/run1" asked)" -gt 0
check "... and made aliases of provenance llm" grep -qP '\tllm\t' "$WORK/run1/extract/mined_aliases.tsv"
check "... about unknown mentions, doubtful tagger links and texts" /usr/bin/python3 -c "
import json, sys
q = json.load(open(sys.argv[1]))['link']['questions']
assert all(q[k] > 0 for k in ('unknown', 'doubtful', 'text')), q
" "$WORK/run1/extract/report.json"
cp "$WORK/run1/extract/mined_aliases.tsv" "$WORK/aliases-before.tsv"
expect_ok "a forced re-run of extract" -- "$KEREC" extract --force --set "world.dir=$WORK/world" \
  --set "run.dir=$WORK/run1" --set extract.max_iterations=15
check "... asks nothing" test "$(link "$WORK/run1" asked)" = 0
check "... answers every question from the journal" test "$(link "$WORK/run1" from_journal)" -gt 0
check "... and makes the same aliases" cmp "$WORK/aliases-before.tsv" "$WORK/run1/extract/mined_aliases.tsv"
# The loud stop: a model whose answers cannot be read ends the stage, quoting one.
expect_fail "unreadable link answers stop the stage" 1 "linking: the answers of model 'kerec-sim-1'" -- \
  "$KEREC" run --stages ingest,extract --set "world.dir=$WORK/world" --set "run.dir=$WORK/runu" \
  --set extract.max_iterations=15 --set llm.stop_min_pairs=20 --set 'llm.simulator_args=["--rate-malformed","1"]'
# Batch API: a fresh run exports the questions instead of asking them, the requests run against the
# simulator (scripts/run_batch.py), the import journals the answers, and a run without the export
# key asks nothing and makes the live run's aliases.
b=(--set "world.dir=$WORK/world" --set "run.dir=$WORK/runb" --set extract.max_iterations=15)
expect_ok "ingest for the batch run" -- "$KEREC" run --stages ingest "${b[@]}"
expect_ok "extract --export-batch" -- "$KEREC" extract --export-batch "$WORK/link-requests.jsonl" "${b[@]}"
check "... asks nothing" test "$(link "$WORK/runb" asked)" = 0
check "... exports the questions" test "$(link "$WORK/runb" exported)" = "$(link "$WORK/run1" from_journal)"
check "... one request per line" test "$(wc -l <"$WORK/link-requests.jsonl")" -gt 0
"$(dirname "$KEREC")/kerec-llm-sim" --world "$WORK/world" --port 0 --quiet >"$WORK/sim.out" 2>&1 &
sim=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/sim.out" 2>/dev/null && break; sleep 0.1; done
expect_ok "the batch runs against the simulator" -- /usr/bin/python3 "$SRC/scripts/run_batch.py" \
  "$WORK/link-requests.jsonl" "$WORK/link-results.jsonl" --base-url "$(sed -n 's/^listening on //p' "$WORK/sim.out")"
kill "$sim"
expect_ok "extract --import-batch" -- "$KEREC" extract --import-batch "$WORK/link-results.jsonl" "${b[@]}"
expect_ok "extract without the export key" -- "$KEREC" run --stages extract "${b[@]}"
check "... asks nothing" test "$(link "$WORK/runb" asked)" = 0
check "... answers every question from the imported journal" test "$(link "$WORK/runb" from_journal)" = "$(link "$WORK/run1" from_journal)"
check "... and makes the live run's aliases" cmp "$WORK/aliases-before.tsv" "$WORK/runb/extract/mined_aliases.tsv"
out=$("$KEREC" run --stages popularity,pairs,judge --set "world.dir=$WORK/world" --set "run.dir=$WORK/run1" \
  --set extract.max_iterations=15 --set 'llm.simulator_args=["--latency-median-ms","1"]' 2>&1)
check "the judge's report sets linking's tokens beside its own" grep -q '"tokens_vs_judging"' "$WORK/run1/judge/report.json"
check "... and its summary says so" grep -q "LLM linking (extract) spent" <<<"$out"
# The extract stage's fingerprint holds only the [llm] keys that change linking's answers.
x=(--set "world.dir=$WORK/world" --set "run.dir=$WORK/run1" --set extract.max_iterations=15)
"$KEREC" run --stages extract "${x[@]}" >/dev/null 2>&1
out=$("$KEREC" run --stages extract "${x[@]}" --set llm.in_flight_per_rank=3 --set llm.max_attempts=2 2>&1)
check "a judge-only [llm] key leaves extract up to date" grep -q "0 stage(s) ran, 1 up to date" <<<"$out"
out=$("$KEREC" run --stages extract "${x[@]}" --set llm.temperature=0.3 2>&1)
check "an [llm] key that changes linking's answers reruns it" grep -q "1 stage(s) ran, 0 up to date" <<<"$out"
out=$("$KEREC" run --stages extract "${x[@]}" --set extract.llm_link=false 2>&1)
out=$("$KEREC" run --stages extract "${x[@]}" --set extract.llm_link=false --set llm.temperature=0.7 2>&1)
check "without linking no [llm] key counts" grep -q "0 stage(s) ran, 1 up to date" <<<"$out"
finish
