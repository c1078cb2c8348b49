"""The run report (`kerec report RUN_DIR`; docs/ab.md "The run report"): one self-contained HTML
page and the same as Markdown, from the stages' report.json files, with matplotlib plots.

    /usr/bin/python3 scripts/report.py RUN_DIR OUT_DIR [--sweep SWEEP_JSON]

Every number printed is read from a report.json and formatted here, nowhere else; a stage that has
not run is listed as such. Writes OUT_DIR/report.html (images inline), OUT_DIR/report.md and the
PNG files it links."""
import base64
import html
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STAGES = ["ingest", "extract", "popularity", "pairs", "judge", "graph", "train", "integrate", "export", "ab"]


def pct(x, digits=1):
    return "-" if x is None else f"{100 * x:+.{digits}f}%"


def interval(u):
    if not u:
        return "-"
    if u["paired"][0] is None:  # too few replicates with a non-zero baseline
        return f"{pct(u['uplift'])} [-]"
    return f"{pct(u['uplift'])} [{100 * u['paired'][0]:+.1f}, {100 * u['paired'][1]:+.1f}]"


class Report:
    def __init__(self, run_dir, out_dir):
        self.run, self.out = run_dir, out_dir
        self.blocks = []  # ("h", text) | ("p", text) | ("table", header, rows) | ("img", file, caption)
        self.reports = {}
        for s in STAGES:
            path = os.path.join(run_dir, s, "report.json")
            if os.path.exists(path):
                with open(path) as f:
                    self.reports[s] = json.load(f)

    def h(self, text):
        self.blocks.append(("h", text))

    def p(self, text):
        self.blocks.append(("p", text))

    def table(self, header, rows):
        self.blocks.append(("table", header, [[str(c) for c in r] for r in rows]))

    def img(self, fig, name, caption):
        path = os.path.join(self.out, name)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)
        self.blocks.append(("img", name, caption))

    def markdown(self):
        out = []
        for b in self.blocks:
            if b[0] == "h":
                out.append(("# " if not out else "## ") + b[1])
            elif b[0] == "p":
                out.append(b[1])
            elif b[0] == "table":
                out.append("| " + " | ".join(b[1]) + " |\n|" + "---|" * len(b[1]))
                out[-1] += "".join("\n| " + " | ".join(r) + " |" for r in b[2])
            else:
                out.append(f"![{b[2]}]({b[1]})")
        return "\n\n".join(out) + "\n"

    def html(self):
        body = []
        for b in self.blocks:
            if b[0] == "h":
                body.append(f"<h{1 if not body else 2}>{html.escape(b[1])}</h{1 if not body else 2}>")
            elif b[0] == "p":
                body.append(f"<p>{html.escape(b[1])}</p>")
            elif b[0] == "table":
                head = "".join(f"<th>{html.escape(c)}</th>" for c in b[1])
                rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in b[2])
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            else:
                with open(os.path.join(self.out, b[1]), "rb") as f:
                    data = base64.b64encode(f.read()).decode()
                body.append(f'<figure><img alt="{html.escape(b[2])}" src="data:image/png;base64,{data}">'
                            f"<figcaption>{html.escape(b[2])}</figcaption></figure>")
        style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}"
                 "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;"
                 "text-align:right}th{background:#f3f3f3}img{max-width:100%}")
        # After loading, the page records how many of its images decoded (tests read it headless).
        check = ("<script>window.addEventListener('load',function(){var n=0;for(const i of document.images)"
                 "{if(i.complete&&i.naturalWidth>0)n++;}document.body.dataset.imagesDecoded=n;});</script>")
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kerec run report</title>"
                f"<style>{style}</style>{check}</head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def overview(r):
    r.h(f"kerec run report: {os.path.abspath(r.run)}")
    rows = [[s, "ran" if s in r.reports else "not run",
             f"{r.reports[s]['wall_s']:.1f}" if s in r.reports and "wall_s" in r.reports[s] else "-"] for s in STAGES]
    r.table(["stage", "status", "wall s"], rows)
    if "ingest" in r.reports:
        files = r.reports["ingest"]["files"]
        r.p("Input rows: " + ", ".join(f"{name} {f['rows']:,}" for name, f in files.items()) + ".")


def extraction_and_pairs(r):
    e, pr, j, g = (r.reports.get(s) for s in ("extract", "pairs", "judge", "graph"))
    r.h("Extraction, pairs, the LLM's judgements and the graph")
    rows = []
    if e:
        rows += [["extraction F1, names and aliases", f"{e.get('f1_dict', 0):.3f}"],
                 ["extraction F1, misspellings", f"{e.get('f1_misspelling', 0):.3f}"],
                 ["extraction F1, unseen aliases", f"{e.get('f1_unseen_alias', 0):.3f}"]]
    if pr:
        rows += [["pairs kept (share of all ordered pairs)", f"{pr['pairs_kept']:,} ({100 * pr['pairs_kept_share']:.1f}%)"],
                 ["true complements covered, traffic-weighted", f"{100 * pr.get('truth_coverage_weighted', 0):.1f}%"]]
    if j:
        rows += [["LLM calls (requests) / from the journal", f"{j['calls']:,} / {j['from_journal']:,} pairs"],
                 ["estimated LLM cost", f"${j['cost_estimate']:.2f}"],
                 ["judge yes precision / recall vs truth", f"{j.get('yes_precision', 0):.3f} / {j.get('yes_recall', 0):.3f}"]]
    if g:
        rows += [["complementary / substitutable edges", f"{g['complementary_edges']:,} / {g['substitutable_edges']:,}"],
                 ["complementary precision / recall vs truth",
                  f"{g['truth']['complementary_precision']:.3f} / {g['truth']['complementary_recall']:.3f}"]]
    r.table(["figure", "value"], rows)


def models(r):
    i = r.reports.get("integrate")
    if not i:
        return
    r.h("Models: test AUC by slice, against the world's oracles")
    names = list(i["slices"])
    rows = []
    for n in names:
        s = i["slices"][n]
        rows.append([n, f"{s['clicks']:,}", f"{s['models']['baseline']['auc']:.4f}", f"{s['models']['integrated']['auc']:.4f}",
                     f"{s['no_complement_oracle_auc']:.4f}", f"{s['oracle_auc']:.4f}"])
    r.table(["slice", "clicks", "baseline AUC", "integrated AUC", "no-complement oracle", "oracle"], rows)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    x = range(len(names))
    for k, (key, label) in enumerate([("baseline", "baseline"), ("integrated", "integrated")]):
        ax.bar([v + 0.27 * (k - 1) for v in x], [i["slices"][n]["models"][key]["auc"] for n in names], 0.27, label=label)
    ax.bar([v + 0.27 for v in x], [i["slices"][n]["oracle_auc"] for n in names], 0.27, label="oracle")
    ax.set_xticks(list(x), names, rotation=20, ha="right")
    ax.set_ylim(0.5, 0.85)
    ax.set_ylabel("test AUC")
    ax.legend(ncol=3)
    r.img(fig, "auc_by_slice.png", "Test AUC by slice: baseline, integrated ranker, oracle")
    w = i["edge_weights"]
    r.p(f"Edge weight vs true strength: Spearman {w['spearman_learned']:.3f} learned, {w['spearman_confidence']:.3f} "
        f"LLM confidence; precision of the top 10% of edges by learned weight {w['precision_top']['10%']:.3f} "
        f"(all edges {w['precision_top']['100%']:.3f}).")


def recall(r):
    x = r.reports.get("export")
    if not x:
        return
    rec = x["recall"]
    k = f"@{rec['k'][-1]}"
    r.h(f"Offline recall (Recall{k}, next click and next conversion)")
    rows = []
    for label, src in (("clicks", rec), ("conversions", rec["conversions"])):
        for group in ("all", "with_recent_bill"):
            rows.append([label, group, f"{src[group]['merged']['recall' + k]:.4f}",
                         f"{src[group]['merged_without_u2e2i']['recall' + k]:.4f}"])
    r.table(["truth", "requests", "merged", "merged without U2E2I"], rows)


def ab(r):
    a = r.reports.get("ab")
    if not a:
        return
    r.h("Simulated online A/B test")
    conf = int(round(100 * a["confidence"]))
    r.p(f"{a['users']:,} users' test period replayed once per arm with common random numbers; uplift over the "
        f"baseline with the {conf}% paired bootstrap interval. The paper (online, one month): conversions "
        f"{pct(a['paper']['conversions'], 2)}, GMV {pct(a['paper']['gmv'], 2)}.")
    rows, arms = [], [n for n in a["arms"] if n in a["uplift"]]
    for n in arms:
        u = a["uplift"][n]["all"]
        rows.append([n, f"{a['arms'][n]['requests']:,}", interval(u["conversions"]), interval(u["gmv"]),
                     interval(u["expected_conversions"]), interval(u["expected_gmv"]), interval(u["clicks"])])
    r.table(["arm", "slates", "conversions", "GMV", "expected conversions", "expected GMV", "clicks"], rows)
    d = a.get("decomposition")
    if d:
        r.p(f"Decomposition (llm_kerec): {100 * d['share_of_requests_with_recent_bill']:.1f}% of requests follow a bill "
            f"within the trigger window, {100 * d['share_of_slates_with_u2e2i']:.1f}% of slates hold a U2E2I item; "
            f"expected-conversion uplift with a recent bill {pct(d['expected_conversions_uplift_with_recent_bill'])}, "
            f"without {pct(d['expected_conversions_uplift_without_recent_bill'])}.")
    fig, ax = plt.subplots(figsize=(8, 3.4))
    for k, (m, label) in enumerate([("conversions", "conversions (sampled)"), ("expected_conversions", "conversions (expected)"),
                                    ("expected_gmv", "GMV (expected)")]):
        ys = [100 * a["uplift"][n]["all"][m]["uplift"] for n in arms]
        lo = [100 * (a["uplift"][n]["all"][m]["uplift"] - a["uplift"][n]["all"][m]["paired"][0]) for n in arms]
        hi = [100 * (a["uplift"][n]["all"][m]["paired"][1] - a["uplift"][n]["all"][m]["uplift"]) for n in arms]
        ax.errorbar([v + 0.2 * (k - 1) for v in range(len(arms))], ys, yerr=[lo, hi], fmt="o", capsize=3, label=label)
    ax.axhline(100 * a["paper"]["conversions"], color="grey", ls="--", lw=1, label="paper: conversions")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xticks(range(len(arms)), arms)
    ax.set_ylabel("uplift over the baseline, %")
    ax.legend(fontsize=8)
    r.img(fig, "ab_uplift.png", "A/B uplift per arm with paired intervals")


def sweep(r, path):
    if not path:
        return
    with open(path) as f:
        rows = json.load(f)
    r.h("How good must the LLM be? (uplift against the simulator's error rates)")
    r.table(["fp rate", "fn rate", "judge precision", "judge recall", "edges", "expected conversions", "expected GMV"],
            [[x["fp_rate"], x["fn_rate"], f"{x['yes_precision']:.3f}", f"{x['yes_recall']:.3f}", f"{x['complementary_edges']:,}",
              interval(x["uplift"]["expected_conversions"]), interval(x["uplift"]["expected_gmv"])] for x in rows])
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.errorbar([x["yes_precision"] for x in rows], [100 * x["uplift"]["expected_conversions"]["uplift"] for x in rows],
                yerr=[[100 * (x["uplift"]["expected_conversions"]["uplift"] - x["uplift"]["expected_conversions"]["paired"][0]) for x in rows],
                      [100 * (x["uplift"]["expected_conversions"]["paired"][1] - x["uplift"]["expected_conversions"]["uplift"]) for x in rows]],
                fmt="o-", capsize=3)
    ax.set_xlabel("judge yes-precision against the truth")
    ax.set_ylabel("expected conversions uplift, %")
    r.img(fig, "sweep.png", "LLM-KERec's expected conversion uplift against the judge's precision")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    run_dir, out_dir = argv[1], argv[2]
    sweep_path = argv[argv.index("--sweep") + 1] if "--sweep" in argv else None
    os.makedirs(out_dir, exist_ok=True)
    r = Report(run_dir, out_dir)
    if not r.reports:
        sys.exit(f"report: no stage report.json under {run_dir}: is it a run directory?")
    overview(r)
    extraction_and_pairs(r)
    models(r)
    recall(r)
    ab(r)
    sweep(r, sweep_path)
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(r.markdown())
    with open(os.path.join(out_dir, "report.html"), "w") as f:
        f.write(r.html())
    print(os.path.join(out_dir, "report.html"))


if __name__ == "__main__":
    main(sys.argv)
