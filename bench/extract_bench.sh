#!/usr/bin/env bash
# The extract stage on a synthetic world: titles (items + bills) per second per rank with the CRF
# tagger and linking included, the tagger's training time, and the entity-link F1, at 1 and 2 ranks;
# with extract.llm_link (the default), the LLM linking's questions, aliases, tokens and cost (the
# simulator answers). `--set extract.llm_link=false` gives the figures without it.
# See bench/README.md, "Entity extraction".
#   bench/extract_bench.sh [KEREC_BINARY] [extra kerec args, e.g. --set world.language=zh]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/mpi-env.sh
kerec=${1:-build/kerec}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$kerec" generate --set "world.dir=$out/world" "$@" >/dev/null 2>&1
for np in 1 2; do
  mpirun -np "$np" "$kerec" run --stages ingest,extract --set "world.dir=$out/world" --set "run.dir=$out/run$np" \
    "$@" >/dev/null 2>&1
  python3 - "$out/run$np/extract/report.json" "$np" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"ranks={sys.argv[2]} titles_per_s_per_rank={r['titles_per_s']:.0f} texts={r['mentions']['texts']} "
      f"extract_s={r['extract_seconds']:.2f} train_s={r['training']['seconds']:.1f} "
      f"train_iterations={r['training']['iterations']} stage_s={r['seconds']:.1f} "
      f"mining_s={r.get('mining', {}).get('seconds', 0):.2f} mined_mentions={r['mentions'].get('mined_alias_mentions', 0)} "
      f"f1_dict={r.get('f1_dict', float('nan')):.4f} f1_misspelling={r.get('f1_misspelling', float('nan')):.4f} "
      f"f1_unseen_alias={r.get('f1_unseen_alias', float('nan')):.4f}")
l = r.get('link')
if l:
    print(f"  llm_link: questions={sum(v for k, v in l['questions'].items() if k != 'not_asked')} "
          f"asked={l['asked']} from_journal={l['from_journal']} linked={l['linked']} aliases={l['aliases']} "
          f"requests={l['requests']} tokens_in={l['tokens_in']} tokens_out={l['tokens_out']} "
          f"cost={l['cost']:.4f} link_s={l['seconds']:.1f}")
PY
done
