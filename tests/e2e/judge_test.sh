#!/usr/bin/env bash
# The judge stage end to end against kerec-llm-sim on free ports, on a fixture run directory
# (extract/entities.h5 and pairs/pairs.h5 written by judge_fixture_test from a small world):
# a clean run; a re-run over the finished journal makes zero HTTP calls (the simulator's count);
# k and the rank count do not change the verdicts; injected faults leave every pair judged or
# unjudged with a cause, none lost or doubled; kill -9 midway and resume gives the clean run's
# verdicts with no pair asked twice except those in flight; fatal errors stop with a clear message;
# llm.base_url = "simulator" starts and stops the simulator itself.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$KEREC")
SIM=$BUILD/kerec-llm-sim
FIXTURE=$BUILD/tests/unit_llm_tests  # JudgeFixture.* write and check judge runs
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

"$KEREC" generate --set world.scale=0.05 --set "world.dir=$WORK/world" >/dev/null 2>&1

# start_sim NAME ARGS...: starts the simulator, sets URL_<NAME>.
start_sim() {
  local name=$1; shift
  "$SIM" --world "$WORK/world" --port 0 --quiet "$@" >"$WORK/sim-$name.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$WORK/sim-$name.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "URL_$name" '%s' "$(sed -n 's/^listening on //p' "$WORK/sim-$name.out" | head -1)"
}
stat_of() { curl -s "$1/stats" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
report() { sed -n "s/^  \"$2\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$1/judge/report.json"; }
fixture() { KEREC_FIXTURE_WORLD="$WORK/world" KEREC_FIXTURE_RUN="$1" "$FIXTURE" --gtest_filter=JudgeFixture.Write >/dev/null; }
check_run() { KEREC_FIXTURE_RUN="$1" KEREC_FIXTURE_DIGEST="$2" "$FIXTURE" --gtest_filter=JudgeFixture.Check >"$WORK/check.out" 2>&1 \
              || { cat "$WORK/check.out"; return 1; }; }
# judge RUN NP --set ...: the judge stage on NP ranks (--force: the fixture manifest never records judge).
judge() {
  local run=$1 np=$2; shift 2
  local launch=(); [[ $np -gt 1 ]] && launch=(mpirun -np "$np")
  "${launch[@]}" "$KEREC" judge --set "world.dir=$WORK/world" --set "run.dir=$run" \
    --set "llm.prompt_file=$SRC/data/prompts/judge_v1.txt" --set llm.backoff_base_ms=20 --set llm.backoff_max_ms=200 \
    --force "$@"
}

start_sim clean --latency-median-ms 2
pairs_run() { fixture "$1"; echo $(( $(wc -l <"$WORK/world/truth/complements.tsv") * 2 - 2 )); }
N=$(pairs_run "$WORK/a")

# A clean run at 2 ranks.
expect_ok "clean run at 2 ranks" -- judge "$WORK/a" 2 --set "llm.base_url=$URL_clean"
check "one verdict per pair, sorted" check_run "$WORK/a" "$WORK/a.digest"
check "report: every pair judged" test "$(report "$WORK/a" judged)" = "$N"
check "report: none unjudged" test "$(report "$WORK/a" unjudged)" = 0
check "report: yes precision against the truth" test -n "$(report "$WORK/a" yes_precision)"
check "report: tokens counted" test "$(report "$WORK/a" tokens_in)" -gt 0
calls=$(stat_of "$URL_clean" chat_requests)
check "report calls = simulator's count" test "$(report "$WORK/a" calls)" = "$calls"

# A re-run over the finished journal asks nothing.
expect_ok "re-run over the journal" -- judge "$WORK/a" 2 --set "llm.base_url=$URL_clean"
check "re-run: zero HTTP calls (simulator count unchanged)" test "$(stat_of "$URL_clean" chat_requests)" = "$calls"
check "re-run: every pair from the journal" test "$(report "$WORK/a" from_journal)" = "$N"

# k = 3 on one rank gives the same verdicts.
fixture "$WORK/b"
expect_ok "k=3 at 1 rank" -- judge "$WORK/b" 1 --set "llm.base_url=$URL_clean" --set llm.pairs_per_request=3
check_run "$WORK/b" "$WORK/b.digest"
check "same verdicts for another k and rank count" cmp -s "$WORK/a.digest" "$WORK/b.digest"

# Answers as chat models write them (30% sloppy: prose and fences, capitalised words, string
# numbers, numeric ids, missing reasons): every pair judged, the clean run's verdicts, and the report
# counts what was accepted leniently.
start_sim sloppy --latency-median-ms 2 --sloppy-rate 0.3
fixture "$WORK/sl"
expect_ok "sloppy answers at 2 ranks" -- judge "$WORK/sl" 2 --set "llm.base_url=$URL_sloppy" --set llm.response_format=none
check_run "$WORK/sl" "$WORK/sl.digest"
check "sloppy answers: the clean run's verdicts" cmp -s "$WORK/a.digest" "$WORK/sl.digest"
check "sloppy answers: none unjudged" test "$(report "$WORK/sl" unjudged)" = 0
check "sloppy answers: counted per kind in the report" /usr/bin/python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))['lenient_parsing']
assert {'json_in_prose', 'verdict_word', 'number_as_string', 'id_as_number', 'reason_missing'} <= set(r), r
" "$WORK/sl/judge/report.json"

# Response modes: a server that takes no response_format. The judge asks json_schema, is refused,
# falls back to json_object, is refused again, and asks the rest in none: the clean run's verdicts,
# and the report says which mode was used. With the fallback off, the refusal stops the judge.
start_sim plain --latency-median-ms 2 --response-formats none
fixture "$WORK/m"
expect_ok "response_format fallback to none at 2 ranks" -- judge "$WORK/m" 2 --set "llm.base_url=$URL_plain"
check_run "$WORK/m" "$WORK/m.digest"
check "fallback: the clean run's verdicts" cmp -s "$WORK/a.digest" "$WORK/m.digest"
check "fallback: the report names the mode used and the fallbacks" /usr/bin/python3 -c "
import json, sys
f = json.load(open(sys.argv[1]))['response_format']
assert f['configured'] == 'json_schema' and f['used'] == 'none' and f['fallbacks'] == 4 and f['rejected_requests'] >= 4, f
" "$WORK/m/judge/report.json"
check "fallback: the simulator refused both JSON modes" /usr/bin/python3 -c "
import json, sys
s = json.loads(sys.argv[1]); assert set(s['format_rejected']) == {'json_schema', 'json_object'}, s
" "$(curl -s "$URL_plain/stats")"
fixture "$WORK/m2"
expect_fail "with llm.response_format_fallback = false the refusal stops the judge" 1 \
  "rejected response_format 'json_schema'" -- judge "$WORK/m2" 1 --set "llm.base_url=$URL_plain" \
  --set llm.response_format_fallback=false
expect_fail "the retired key llm.json_schema names its replacement" 2 "llm.response_format" -- \
  judge "$WORK/m2" 1 --set "llm.base_url=$URL_plain" --set llm.json_schema=false

# kerec judge --probe: one request, the raw answer, how it was read, the verdicts; in each mode.
probe() { "$KEREC" judge --probe --set "world.dir=$WORK/world" --set "run.dir=$WORK/a" \
            --set "llm.prompt_file=$SRC/data/prompts/judge_v1.txt" "$@"; }
for mode in json_schema json_object none; do
  expect_ok_output "probe in $mode" "read 10 of 10 pairs" -- probe --set "llm.base_url=$URL_sloppy" --set "llm.response_format=$mode"
done
expect_ok_output "probe shows the raw answer and the verdicts" "raw answer:" -- probe --set "llm.base_url=$URL_clean"
expect_ok_output "probe: a refused mode, then the one the judge falls back to" \
  "result: readable with response_format none" -- probe --set "llm.base_url=$URL_plain"

# Faults: 10% 429, 5% 5xx, 2% malformed, 1% stalled, 1% closed connections.
start_sim faults --latency-median-ms 2 --rate-429 0.1 --retry-after-ms 30 --rate-500 0.025 --rate-503 0.025 \
  --rate-malformed 0.02 --rate-stall 0.01 --stall-ms 3000 --rate-close 0.01
fixture "$WORK/f"
expect_ok "run with faults" -- judge "$WORK/f" 2 --set "llm.base_url=$URL_faults" \
  --set llm.request_timeout_ms=1000 --set llm.max_attempts=8
check "faults: one row per pair of the pairs file" check_run "$WORK/f" "$WORK/f.digest"
j=$(report "$WORK/f" judged); u=$(report "$WORK/f" unjudged)
check "faults: judged + unjudged = pairs" test $((j + u)) = "$N"
y=$(report "$WORK/f" yes); n=$(report "$WORK/f" no); q=$(report "$WORK/f" uncertain)
check "faults: yes + no + uncertain = judged" test $((y + n + q)) = "$j"
causes=$(python3 -c "import json,sys; r=json.load(open('$WORK/f/judge/report.json')); print(sum(r['unjudged_by_cause'].values()), sum(r['retries_by_cause'].values()), r['retries'], sorted(r['retries_by_cause']))")
read -r ucause rcause retries _ <<<"$causes"
check "faults: unjudged by cause adds up" test "$ucause" = "$u"
check "faults: retries by cause add up" test "$rcause" = "$retries"
# Each kind of fault the simulator injected (its own count) was met by a retry of the matching cause.
# Which requests draw a fault depends on arrival order, so the kinds present vary from run to run.
injected=$(curl -s "$URL_faults/stats")
retried_as_injected() {
  /usr/bin/python3 - "$WORK/f/judge/report.json" "$injected" <<'PY'
import json, sys
retries = json.load(open(sys.argv[1]))["retries_by_cause"]
faults = json.loads(sys.argv[2])["faults"]
expect = {"429": "http_429", "500": "http_5xx", "503": "http_5xx", "stall": "timeout", "close": "connection"}
missing = [f"{f}->{c}" for f, c in expect.items() if faults.get(f, 0) > 0 and retries.get(c, 0) == 0]
print("injected", {f: faults.get(f, 0) for f in expect}, "retried", retries, "missing", missing)
sys.exit(1 if missing or sum(faults.get(f, 0) for f in ("429", "500", "503")) == 0 else 0)
PY
}
check "faults: every injected 429, 5xx, stall and closed connection was retried" retried_as_injected
check "faults: malformed answers were re-asked" test "$(report "$WORK/f" reasks)" -gt 0
check "faults: judged pairs agree with the clean run" \
  bash -c "awk '\$3 != 3' '$WORK/f.digest' | grep -vxFf '$WORK/a.digest' | wc -l | grep -qx 0"

# kill -9 midway, then resume.
start_sim slow --latency-median-ms 20 --latency-sigma 0.1
fixture "$WORK/r"
sets=(--set "world.dir=$WORK/world" --set "run.dir=$WORK/r" --set "llm.prompt_file=$SRC/data/prompts/judge_v1.txt"
      --set "llm.base_url=$URL_slow" --set llm.pairs_per_request=2 --set llm.in_flight_per_rank=2 --set llm.journal_flush_ms=0)
setsid mpirun -np 2 "$KEREC" judge "${sets[@]}" >"$WORK/killed.out" 2>&1 &
group=$!
for _ in $(seq 300); do
  [[ $(cat "$WORK/r/journal/judge/"rank-*.jsonl 2>/dev/null | wc -l) -ge $((N / 3)) ]] && break; sleep 0.05
done
# mpirun's ranks are in process groups of their own: SIGKILL mpirun and every descendant at once.
tree() { local p; for p in $(pgrep -P "$1"); do echo "$p"; tree "$p"; done; }
kill -9 "$group" $(tree "$group") 2>/dev/null; wait "$group" 2>/dev/null || true
done_before=$(cat "$WORK/r/journal/judge/"rank-*.jsonl | wc -l)
check "killed midway" test "$done_before" -lt "$N" -a ! -e "$WORK/r/judge/verdicts.h5"
expect_ok "resume after kill -9" -- mpirun -np 2 "$KEREC" judge "${sets[@]}"
check "resume: one verdict per pair" check_run "$WORK/r" "$WORK/r.digest"
check "resume: the clean run's verdicts" cmp -s "$WORK/a.digest" "$WORK/r.digest"
repeated=$(stat_of "$URL_slow" pairs_repeated)
check "resume: no pair asked twice except the 8 in flight (asked again: $repeated)" test "$repeated" -le 8
check "resume: answered pairs came from the journal" test "$(report "$WORK/r" from_journal)" -ge "$done_before"

# Fatal errors stop the job with a clear message.
fixture "$WORK/w"
expect_fail "wrong endpoint path stops at once" 1 "check llm.base_url" -- \
  judge "$WORK/w" 1 --set "llm.base_url=${URL_clean%/v1}/v2"
expect_fail "missing API key for a remote endpoint" 2 "OPENAI_API_KEY" -- \
  env -u OPENAI_API_KEY "$KEREC" judge --set "world.dir=$WORK/world" --set "run.dir=$WORK/a" \
  --set "llm.prompt_file=$SRC/data/prompts/judge_v1.txt" --set llm.base_url=https://api.example.invalid/v1 --force

# The loud stop: an endpoint whose every answer is unreadable stops the judge within the first few
# hundred pairs, quoting an answer; with the stop turned off every pair ends unjudged, and the graph
# stage then refuses the verdicts.
start_sim garbage --latency-median-ms 2 --rate-malformed 1
fixture "$WORK/g"
expect_fail "unreadable answers stop the judge, quoting one" 1 "One answer: <<Sure! Here are the verdicts" -- \
  judge "$WORK/g" 2 --set "llm.base_url=$URL_garbage" --set llm.stop_min_pairs=50
check "... long before every pair was asked" test "$(stat_of "$URL_garbage" pairs_asked)" -lt 400
check "... and the journal keeps the raw text of every unreadable answer" \
  bash -c "grep -h '\"unreadable\"' '$WORK/g/journal/judge/'rank-*.jsonl | grep -c 'Sure! Here are the verdicts' | grep -qv '^0\$'"
expect_fail "probe: unreadable answers exit 1" 1 "NOT readable" -- probe --set "llm.base_url=$URL_garbage"
sets_g=(--set world.scale=0.05 --set "world.dir=$WORK/world" --set "run.dir=$WORK/gr"
        --set 'llm.simulator_args=["--latency-median-ms","2","--rate-malformed","1"]' --set llm.stop_unparsable_share=1
        --set llm.backoff_base_ms=20 --set llm.backoff_max_ms=200)
expect_ok "with the stop off, the judge finishes with every pair unjudged" -- \
  "$KEREC" run "${sets_g[@]}" --stages ingest,extract,popularity,pairs,judge
expect_fail "the graph stage refuses all-unjudged verdicts" 1 "verdicts are unjudged" -- "$KEREC" graph "${sets_g[@]}"

# llm.base_url = "simulator": every rank starts its own simulator and stops it.
fixture "$WORK/s"
expect_ok "base_url = simulator at 2 ranks" -- judge "$WORK/s" 2 --set llm.base_url=simulator \
  --set 'llm.simulator_args=["--latency-median-ms", "2", "--seed", "7"]'
check_run "$WORK/s" "$WORK/s.digest"
check "simulator mode: the same verdicts" cmp -s "$WORK/a.digest" "$WORK/s.digest"
check "simulator mode: no simulator left running" bash -c "! pgrep -f '[k]erec-llm-sim --world $WORK/world --port 0 --quiet --latency-median-ms 2 --seed 7\$' >/dev/null"
# Batch API: the requests of a fresh run as JSONL, one custom_id per request, through the CLI.
fixture "$WORK/batch"
expect_ok "judge --export-batch" -- "$KEREC" judge --set "world.dir=$WORK/world" --set "run.dir=$WORK/batch" \
  --set "llm.prompt_file=$SRC/data/prompts/judge_v1.txt" --export-batch "$WORK/batch.jsonl"
check "batch file has one request per line" test "$(grep -c '"custom_id"' "$WORK/batch.jsonl")" -eq "$(wc -l <"$WORK/batch.jsonl")"
check "batch requests cover every pair" test "$(wc -l <"$WORK/batch.jsonl")" -gt 0
finish
