#!/usr/bin/env bash
# The CLI end to end on a small world: generate at 1 and 2 ranks gives identical files; run commits
# stages and skips them when nothing changed; a changed input or config reruns them; inspect describes
# the world, the run directory and a TSV file.
source "$(dirname "$0")/lib.sh"

sets=(--set world.scale=0.02 --set "world.dir=$WORK/world" --set "run.dir=$WORK/run")
expect_ok "generate at 2 ranks" -- mpirun -np 2 "$KEREC" generate "${sets[@]}"
expect_ok "generate at 1 rank" -- "$KEREC" generate --set world.scale=0.02 --set "world.dir=$WORK/world1"
for f in items.tsv bills.tsv exposures.tsv entities.tsv truth/complements.tsv truth/mentions.tsv; do
  check "world file $f identical at 1 and 2 ranks" cmp -s "$WORK/world/$f" "$WORK/world1/$f"
done

out=$(mpirun -np 2 "$KEREC" run "${sets[@]}" 2>&1)
check "run commits ingest" test -f "$WORK/run/ingest/report.json"
check "run prints the stage summary" grep -q "ingest: .* rows read, 0 skipped" <<<"$out"
check "manifest records ingest" grep -q '"ingest"' "$WORK/run/manifest.json"
check "effective config written" grep -q "scale = 0.02" "$WORK/run/config.toml"
check "every rank has a log file" test -f "$WORK/run/logs/rank-1.log"
exposures=$(($(wc -l <"$WORK/world/exposures.tsv") - 1))
check "ingest counts every exposure" grep -q "\"rows\": $exposures" "$WORK/run/ingest/report.json"

out=$(mpirun -np 2 "$KEREC" run "${sets[@]}" 2>&1)
check "second run skips the up-to-date stage" grep -q "ingest: up to date" <<<"$out"
out=$(mpirun -np 2 "$KEREC" run "${sets[@]}" --force 2>&1)
check "--force reruns" grep -q "ingest: running" <<<"$out"
out=$("$KEREC" run "${sets[@]}" --set input.on_bad_row=skip 2>&1)
check "a changed config table reruns the stage" grep -q "ingest: running" <<<"$out"
out=$("$KEREC" run "${sets[@]}" --set input.on_bad_row=skip --set log.progress_interval_s=5 2>&1)
check "a config table the stage does not read does not" grep -q "ingest: up to date" <<<"$out"
touch "$WORK/world/bills.tsv"
out=$("$KEREC" run "${sets[@]}" --set input.on_bad_row=skip 2>&1)
check "a touched input file reruns the stage" grep -q "ingest: running" <<<"$out"
check "no staging folders left" bash -c "! ls -d '$WORK/run/'*.staging-* 2>/dev/null"

out=$("$KEREC" inspect "$WORK/world" 2>&1)
check "inspect world shows sizes" grep -q "exposures" <<<"$out"
check "inspect world shows sample rows" grep -q "item_id" <<<"$out"
out=$("$KEREC" inspect "$WORK/run" 2>&1)
check "inspect run shows the stage" grep -q "ingest: committed" <<<"$out"
check "inspect renders a nested report as indented, aligned lines" grep -qE "^      rows +[0-9]+$" <<<"$out"
expect_fail "inspect a missing path" 1 "does not exist" -- "$KEREC" inspect "$WORK/nothing"
finish
