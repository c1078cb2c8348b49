#!/usr/bin/python3
"""Gathers a parameter sweep's run directories (DIR/task-N, as slurm/kerec.sbatch writes them for a
job array with KEREC_SWEEP) into one table: per task its overrides (task-N/sweep_sets.txt) and the
figures of its reports that a sweep compares — the judge's precision and recall against the truth,
the graph's complementary edges, and the A/B uplift of llm_kerec over the baseline. A stage a task
did not run leaves its columns empty.

  scripts/sweep_table.py DIR      writes DIR/sweep_table.json and DIR/sweep_table.md, prints the table
"""
import glob
import json
import os
import sys


def report(task, stage):
    path = os.path.join(task, stage, "report.json")
    return json.load(open(path)) if os.path.exists(path) else {}


def row(task):
    sets_file = os.path.join(task, "sweep_sets.txt")
    judge, graph, ab = report(task, "judge"), report(task, "graph"), report(task, "ab")
    uplift = ab.get("uplift", {}).get("llm_kerec", {}).get("all", {})
    pick = lambda metric: uplift.get(metric, {}).get("uplift")
    return {"task": os.path.basename(task),
            "sets": open(sets_file).read().strip() if os.path.exists(sets_file) else "",
            "yes_precision": judge.get("yes_precision"), "yes_recall": judge.get("yes_recall"),
            "complementary_edges": graph.get("complementary_edges"),
            "conversions_uplift": pick("conversions"), "expected_conversions_uplift": pick("expected_conversions")}


def cell(value, percent=False):
    if value is None:
        return ""
    return f"{100 * value:+.1f}%" if percent else (f"{value:.3f}" if isinstance(value, float) else str(value))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    tasks = sorted(glob.glob(os.path.join(out, "task-*")), key=lambda t: int(t.rsplit("-", 1)[1]))
    if not tasks:
        sys.exit(f"sweep_table: no task-N directories in {out}")
    rows = [row(t) for t in tasks]
    lines = ["| task | overrides | judge precision | judge recall | edges | conversions | expected conversions |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['task']} | `{r['sets']}` | {cell(r['yes_precision'])} | {cell(r['yes_recall'])} | "
                     f"{cell(r['complementary_edges'])} | {cell(r['conversions_uplift'], True)} | "
                     f"{cell(r['expected_conversions_uplift'], True)} |")
    json.dump(rows, open(os.path.join(out, "sweep_table.json"), "w"), indent=1)
    open(os.path.join(out, "sweep_table.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
