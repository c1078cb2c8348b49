#!/usr/bin/env bash
# The bad-input table: every kind of bad config or input file gives a clear message naming the
# file, line, column or key, and a non-zero exit, at 1 and 2 ranks; with on_bad_row = "skip" the
# good rows are all kept and the bad ones counted.
source "$(dirname "$0")/lib.sh"

good_inputs() {  # DIR: a small valid input set
  mkdir -p "$1"
  printf 'entity_id\tname\taliases\tcategory\ne1\tphone\tcellphone|mobile\tphones\ne2\tphone case\t\tphones\n' >"$1/entities.tsv"
  printf 'item_id\ttitle\tcategory\tprice\tcreated_at\ni1\tAcme phone 128GB\tphones\t399.5\t1700000000\ni2\tBlack phone case\tphones\t9.9\t1700000100\n' >"$1/items.tsv"
  printf 'user_id\tts\ttext\tamount\nu1\t1700001000\tPOS ACME phone\t399.5\n' >"$1/bills.tsv"
  printf 'user_id\tts\titem_id\tscene\tclicked\tconverted\tamount\nu1\t1700002000\ti2\thome\t1\t0\t0\nu1\t1700002100\ti1\thome\t0\t0\t0\n' >"$1/exposures.tsv"
}

job() {  # DIR EXTRA_TOML: a job file reading DIR
  printf '[run]\ndir = "%s/run"\n[input]\ndir = "%s"\n%s\n' "$1" "$1" "${2:-}" >"$1/job.toml"
  echo "$1/job.toml"
}

for np in 1 2; do
  run=(mpirun -np "$np" "$KEREC")
  d=$WORK/np$np

  good_inputs "$d/good"
  expect_ok "np$np good inputs ingest" -- "${run[@]}" ingest --config "$(job "$d/good")"
  check "np$np report counts rows" grep -q '"rows": 7' "$d/good/run/ingest/report.json"

  good_inputs "$d/badint"
  printf 'u2\tnot-a-time\tcoffee\t3.5\n' >>"$d/badint/bills.tsv"
  expect_fail "np$np non-integer field" 1 "bills.tsv:3: column 'ts'" -- "${run[@]}" ingest --config "$(job "$d/badint")"

  good_inputs "$d/utf8"
  printf 'u2\t1700003000\tcaf\xe9 beans\t3.5\n' >>"$d/utf8/bills.tsv"
  expect_fail "np$np invalid UTF-8" 1 "bills.tsv:3: column 'text'" -- "${run[@]}" ingest --config "$(job "$d/utf8")"

  good_inputs "$d/fields"
  printf 'i3\tshort row\tphones\n' >>"$d/fields/items.tsv"
  expect_fail "np$np missing fields" 1 "items.tsv:4:" -- "${run[@]}" ingest --config "$(job "$d/fields")"

  good_inputs "$d/column"
  printf 'user_id\tts\ttext\nu1\t1\tx\n' >"$d/column/bills.tsv"
  expect_fail "np$np missing column" 1 "missing column 'amount'" -- "${run[@]}" ingest --config "$(job "$d/column")"

  good_inputs "$d/empty"
  : >"$d/empty/exposures.tsv"
  expect_fail "np$np empty file" 1 "exposures.tsv: empty file" -- "${run[@]}" ingest --config "$(job "$d/empty")"

  good_inputs "$d/missing"
  rm "$d/missing/items.tsv"
  expect_fail "np$np missing input file" 1 "items.tsv" -- "${run[@]}" ingest --config "$(job "$d/missing")"

  good_inputs "$d/skip"
  printf 'u2\tnot-a-time\tcoffee\t3.5\nu3\t1700003000\tcroissant\t2.5\n' >>"$d/skip/bills.tsv"
  expect_ok "np$np skip keeps good rows" -- "${run[@]}" ingest --config "$(job "$d/skip" 'on_bad_row = "skip"')"
  check "np$np skip counts the bad row" grep -q '"skipped_rows": 1' "$d/skip/run/ingest/report.json"
  check "np$np skip keeps both good bills" bash -c "grep -A3 '\"bills.tsv\"' '$d/skip/run/ingest/report.json' | grep -q '\"rows\": 2'"
  expect_fail "np$np skip budget" 1 "max_bad_rows" -- "${run[@]}" ingest --config "$(job "$d/skip" $'on_bad_row = "skip"\nmax_bad_rows = 0')"

  good_inputs "$d/cfg"
  printf '[run]\ndir = "%s/run"\n[input]\ndir = "%s"\nbad_key = 1\n' "$d/cfg" "$d/cfg" >"$d/cfg/unknown.toml"
  expect_fail "np$np unknown config key" 2 "unknown.toml:5: key 'input.bad_key' is not a known key" -- "${run[@]}" ingest --config "$d/cfg/unknown.toml"
  printf '[input]\non_bad_row = 3\n' >"$d/cfg/type.toml"
  expect_fail "np$np wrong config type" 2 "type.toml:2: key 'input.on_bad_row' must be a string" -- "${run[@]}" ingest --config "$d/cfg/type.toml"
  expect_fail "np$np out-of-range override" 2 "--set world.scale=-1: key 'world.scale'" -- "${run[@]}" ingest --set world.scale=-1
done
expect_fail "missing config file" 2 "nope.toml" -- "$KEREC" run --config "$WORK/nope.toml"
expect_fail "unknown stage" 2 "unknown stage 'nope'" -- "$KEREC" run --stages nope --config "$(job "$WORK/np1/good")"
expect_fail "unknown stage at 2 ranks, agreed" 2 "unknown stage 'nope'" -- mpirun -np 2 "$KEREC" run --stages nope --config "$(job "$WORK/np1/good")"
finish
