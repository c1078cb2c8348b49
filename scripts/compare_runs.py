#!/usr/bin/python3
"""Compares two run directories artifact by artifact: every file the manifests record, HDF5 files by
content (every dataset's values and every attribute, apart from the provenance attributes that name
the run: created_at, created_by, config_sha256), other files byte for byte, and each report.json
without its timing and memory figures. Prints one line per difference and exits 1 if there is one.

  scripts/compare_runs.py RUN_A RUN_B [--stages extract,graph]

Used to show that a refactor writes the same artifacts (e.g. two builds, or 1 against 4 ranks for the
stages that are rank-count independent).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_suite import file_equal, manifest_files  # noqa: E402

def timing(key):
    """Figures that differ between two runs of the same work: times, rates, shares of time, memory,
    and the checkpoint's path (under the run directory)."""
    return key.endswith("_s") or key in ("throughput_vs_ideal", "exchange_share", "checkpoint") or any(
        t in key for t in ("seconds", "per_s", "peak_rss", "wall", "_ms"))


def untimed(value):
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if not timing(k)}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def report_equal(a, b):
    with open(a) as fa, open(b) as fb:
        return untimed(json.load(fa)) == untimed(json.load(fb))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("--stages", help="comma-separated; default: every stage both runs committed")
    args = p.parse_args()
    files_a, files_b = manifest_files(args.run_a), manifest_files(args.run_b)
    stages = args.stages.split(",") if args.stages else [s for s in files_a if s in files_b]
    differences = compared = 0
    for stage in stages:
        if files_a.get(stage) != files_b.get(stage):
            print(f"{stage}: different file lists: {files_a.get(stage)} / {files_b.get(stage)}")
            differences += 1
            continue
        for f in files_a[stage]:
            a, b = os.path.join(args.run_a, stage, f), os.path.join(args.run_b, stage, f)
            same = report_equal(a, b) if f == "report.json" else file_equal(a, b)
            compared += 1
            if not same:
                print(f"{stage}/{f}: differs")
                differences += 1
    print(f"{compared} files in {len(stages)} stages compared, {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
