#!/usr/bin/python3
"""Fault injection over kerec's artifacts and inputs, in the spirit of SQLite's and leveldb's
corruption tests: every case must end, within the time limit, in a clear error that names the
damaged file, or in a documented recovery whose results equal an undamaged run's.

  scripts/fault_suite.py --kerec build/kerec [--cases 200] [--seed 1] [--timeout 60] [--kills 4]

Builds one small baseline run (world scale 0.02, every stage, 1 rank), then per case copies it,
injects one fault and runs kerec:
  artifact   a file of a committed stage, the manifest, the judge journal or a training checkpoint,
             truncated, with bytes flipped, with a zeroed 4 KiB block, or swapped for another
             stage's file; then either a stage that reads it (`--stages S --force`: a clear error,
             or for the journal a re-ask) or a plain `kerec run` (the damaged stage reruns);
  input      a world TSV with random bytes, invalid UTF-8, an embedded NUL, CRLF line ends, a BOM,
             a 2 MiB line, or no trailing newline; ingest and extract on a fresh run directory
             (on_bad_row fail or skip);
  kill       SIGKILL of the job at a random moment of a stage, then a rerun: the stage's files must
             equal the baseline's.
Outcomes: clear_error, recovered (results equal the baseline), accepted (an input fault the
parser tolerates), and the failures: hang, crash, wrong_result, unclear_error. Prints a table and
exits 1 if any failure occurred. Needs /usr/bin/python3 with h5py and numpy (HDF5 files are compared
by content: their object headers carry times).
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

STAGES = ["ingest", "extract", "popularity", "pairs", "judge", "graph", "train", "integrate", "export", "ab"]
INPUTS = ["items.tsv", "bills.tsv", "exposures.tsv", "entities.tsv"]
FAILURES = ["hang", "crash", "wrong_result", "unclear_error"]


def sets(world, run, extra=()):
    base = ["--set", "world.scale=0.02", "--set", f"world.dir={world}", "--set", f"run.dir={run}",
            "--set", 'llm.simulator_args=["--latency-median-ms","1"]', "--set", "log.level=warn"]
    return base + list(extra)


def run_kerec(kerec, args, timeout):
    """(exit code or 'hang', output). Negative codes are signals."""
    try:
        p = subprocess.run([kerec] + args, capture_output=True, text=True, errors="replace", timeout=timeout,
                           start_new_session=True)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        return "hang", (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else str(e.stdout)


def manifest_files(run):
    m = json.load(open(os.path.join(run, "manifest.json")))
    return {stage: sorted(e.get("files", {})) for stage, e in m["stages"].items()}


def h5_equal(a, b):
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        if sorted(names_a) != sorted(names_b):
            return False
        for name in names_a:
            oa, ob = fa[name], fb[name]
            if isinstance(oa, h5py.Dataset):
                if not isinstance(ob, h5py.Dataset) or oa.shape != ob.shape or not np.array_equal(oa[()], ob[()]):
                    return False
        skip = {"created_at", "created_by", "config_sha256"}  # config_sha256 covers run.dir
        return all(k in skip or np.array_equal(fa.attrs[k], fb.attrs.get(k)) for k in fa.attrs)


def file_equal(a, b):
    if not os.path.exists(b):
        return False
    if a.endswith(".h5"):
        return h5_equal(a, b)
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def stage_equal(baseline, run, stage, files):
    return all(file_equal(os.path.join(baseline, stage, f), os.path.join(run, stage, f))
               for f in files if f != "report.json")


def copy_run(baseline, dest):
    """A copy sharing the immutable artifacts (hard links); files kerec changes in place are copied."""
    subprocess.run(["cp", "-al", baseline, dest], check=True)
    for rel in ["journal", "model"]:
        src = os.path.join(baseline, rel)
        if os.path.isdir(src):
            shutil.rmtree(os.path.join(dest, rel))
            shutil.copytree(src, os.path.join(dest, rel))
    for name in ["manifest.json", ".lock", "config.toml"]:
        if os.path.exists(os.path.join(dest, name)):
            os.unlink(os.path.join(dest, name))
            if name != ".lock":
                shutil.copy2(os.path.join(baseline, name), os.path.join(dest, name))


def unshare(path):
    """Replaces a hard link by a private copy before the file is damaged in place."""
    tmp = path + ".private"
    shutil.copy2(path, tmp)
    os.replace(tmp, path)


def damage(path, kind, rng, other):
    unshare(path)
    size = os.path.getsize(path)
    if kind == "truncate":
        os.truncate(path, rng.randrange(0, max(1, size)))
    elif kind == "flip":
        with open(path, "r+b") as f:
            for _ in range(rng.randint(1, 16)):
                at = rng.randrange(0, max(1, size))
                f.seek(at)
                byte = f.read(1) or b"\0"
                f.seek(at)
                f.write(bytes([byte[0] ^ (1 << rng.randrange(8))]))
    elif kind == "zero":
        with open(path, "r+b") as f:
            f.seek(rng.randrange(0, max(1, size)))
            f.write(b"\0" * 4096)
    elif kind == "swap":
        shutil.copyfile(other, path)


def consumers_of(stage, upstream):
    return [s for s in STAGES if stage in closure(s, upstream)]


def closure(stage, upstream):
    out, todo = set(), list(upstream.get(stage, []))
    while todo:
        s = todo.pop()
        if s not in out:
            out.add(s)
            todo.extend(upstream.get(s, []))
    return out


def artifact_targets(baseline):
    targets = [(stage, os.path.join(stage, f)) for stage, files in manifest_files(baseline).items() for f in files]
    targets.append(("manifest", "manifest.json"))
    targets += [("journal", os.path.join("journal", "judge", f)) for f in os.listdir(os.path.join(baseline, "journal", "judge"))]
    for root, _, files in os.walk(os.path.join(baseline, "model")):
        targets += [("checkpoint", os.path.relpath(os.path.join(root, f), baseline)) for f in files if f.endswith(".ckpt")]
    return targets


def classify_artifact(code, out, name, baseline, run, expect_equal):
    if code == "hang":
        return "hang"
    if code < 0 or code >= 128:
        return "crash"
    if code != 0:
        return "clear_error" if os.path.basename(name) in out or name in out else "unclear_error"
    return "recovered" if expect_equal() else "wrong_result"


def upstream_of(baseline):
    """Each stage's direct upstream stages, as the manifest records them."""
    m = json.load(open(os.path.join(baseline, "manifest.json")))
    return {stage: e.get("upstream", []) for stage, e in m["stages"].items()}


def artifact_case(args, rng, baseline, world, work, targets, files):
    stage, rel = rng.choice(targets)
    kind = rng.choice(["truncate", "flip", "zero", "swap"])
    others = [t for s, t in targets if s != stage and not t.endswith(".jsonl")]
    run = os.path.join(work, "run")
    copy_run(baseline, run)
    damage(os.path.join(run, rel), kind, rng, os.path.join(baseline, rng.choice(others)))
    owner = {"journal": "judge", "checkpoint": "train", "manifest": None}.get(stage, stage)
    readers = consumers_of(owner, upstream_of(baseline)) if owner else []
    if owner in ("judge", "train") and stage in ("journal", "checkpoint"):
        readers = [owner]
    mode = "rerun" if not readers or rng.random() < 0.5 else "consumer"
    if mode == "consumer":
        target_stage = rng.choice(readers)
        code, out = run_kerec(args.kerec, ["run"] + sets(world, run) + ["--stages", target_stage, "--force"], args.timeout)
        check = [target_stage]
    else:
        code, out = run_kerec(args.kerec, ["run"] + sets(world, run), args.timeout)
        check = [s for s in STAGES if s in files]
    outcome = classify_artifact(code, out, rel, baseline, run,
                                lambda: all(stage_equal(baseline, run, s, files[s]) for s in check))
    shutil.rmtree(run, ignore_errors=True)
    return f"artifact/{stage}/{kind}/{mode}", outcome, f"{rel}: exit {code}: {last_line(out)}"


def mutate_input(path, kind, rng):
    data = open(path, "rb").read()
    lines = data.split(b"\n")
    i = rng.randrange(1, max(2, len(lines) - 1))
    if kind == "random_bytes":
        at = rng.randrange(0, len(data))
        data = data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + data[at + 64:]
    elif kind == "invalid_utf8":
        lines[i] = lines[i] + b"\xff\xfe\xc3"
        data = b"\n".join(lines)
    elif kind == "nul":
        lines[i] = lines[i][:3] + b"\0" + lines[i][3:]
        data = b"\n".join(lines)
    elif kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif kind == "long_line":
        lines[i] = lines[i] + b"x" * (2 << 20)
        data = b"\n".join(lines)
    elif kind == "no_trailing_newline":
        data = data.rstrip(b"\n")
    open(path, "wb").write(data)


def input_case(args, rng, baseline_world, work):
    name = rng.choice(INPUTS)
    kind = rng.choice(["random_bytes", "invalid_utf8", "nul", "crlf", "bom", "long_line", "no_trailing_newline"])
    policy = rng.choice(["fail", "skip"])
    world, run = os.path.join(work, "world"), os.path.join(work, "run")
    subprocess.run(["cp", "-al", baseline_world, world], check=True)
    path = os.path.join(world, name)
    unshare(path)
    mutate_input(path, kind, rng)
    code, out = run_kerec(args.kerec, ["run"] + sets(world, run, ["--set", f"input.on_bad_row={policy}"]) +
                          ["--stages", "ingest,extract"], args.timeout)
    if code == "hang":
        outcome = "hang"
    elif code < 0 or code >= 128:
        outcome = "crash"
    elif code == 0:
        outcome = "accepted"
    else:
        outcome = "clear_error" if name in out else "unclear_error"
    shutil.rmtree(world, ignore_errors=True)
    shutil.rmtree(run, ignore_errors=True)
    return f"input/{kind}/{policy}", outcome, f"{name}: exit {code}: {last_line(out)}"


def kill_case(args, rng, baseline, world, work, files):
    stage = rng.choice([s for s in STAGES if s != "ingest"])
    run = os.path.join(work, "run")
    copy_run(baseline, run)
    shutil.rmtree(os.path.join(run, stage))  # not committed: the run must compute it
    p = subprocess.Popen([args.kerec, "run"] + sets(world, run) + ["--stages", stage], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(rng.uniform(0.05, 1.5))
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    code, out = run_kerec(args.kerec, ["run"] + sets(world, run) + ["--stages", stage], args.timeout)
    if code == "hang":
        outcome = "hang"
    elif code != 0:
        outcome = "crash" if code < 0 or code >= 128 else "unclear_error"
    else:
        staging = [d for d in os.listdir(run) if ".staging-" in d]
        outcome = "recovered" if stage_equal(baseline, run, stage, files[stage]) and not staging else "wrong_result"
    shutil.rmtree(run, ignore_errors=True)
    return f"kill/{stage}", outcome, f"exit {code}: {last_line(out)}"


def last_line(text):
    lines = [l for l in (text or "").strip().splitlines() if l.strip()]
    return lines[-1][:300] if lines else ""


def build_baseline(args, work):
    world, run = os.path.join(work, "world"), os.path.join(work, "baseline")
    for cmd in (["generate"], ["run"]):
        code, out = run_kerec(args.kerec, cmd + sets(world, run), 900)
        if code != 0:
            sys.exit(f"fault_suite: the baseline `kerec {cmd[0]}` failed (exit {code}):\n{out}")
    return world, run


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kerec", required=True)
    ap.add_argument("--cases", type=int, default=200, help="artifact and input cases")
    ap.add_argument("--kills", type=int, default=4, help="SIGKILL cases (besides --cases)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60, help="seconds before a case counts as a hang")
    ap.add_argument("--work", help="work directory (default: a temporary one, removed at the end)")
    ap.add_argument("--verbose", action="store_true", help="print every case")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="kerec-faults-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(args.seed)
    start = time.time()
    world, baseline = build_baseline(args, work)
    files = manifest_files(baseline)
    targets = artifact_targets(baseline)
    case_dir = os.path.join(work, "case")
    results = []
    plan = [("artifact" if rng.random() < 0.7 else "input") for _ in range(args.cases)] + ["kill"] * args.kills
    for n, what in enumerate(plan):
        os.makedirs(case_dir, exist_ok=True)
        if what == "artifact":
            r = artifact_case(args, rng, baseline, world, case_dir, targets, files)
        elif what == "input":
            r = input_case(args, rng, world, case_dir)
        else:
            r = kill_case(args, rng, baseline, world, case_dir, files)
        results.append(r)
        if args.verbose or r[1] in FAILURES:
            print(f"{'FAIL' if r[1] in FAILURES else 'ok  '} {n + 1:4d} {r[0]:40s} {r[1]:14s} {r[2]}", flush=True)
    report(results, args, time.time() - start)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if any(r[1] in FAILURES for r in results) else 0)


def report(results, args, seconds):
    by_group = collections.defaultdict(collections.Counter)
    for name, outcome, _ in results:
        by_group[name.split("/")[0]][outcome] += 1
    columns = ["clear_error", "recovered", "accepted"] + FAILURES
    print(f"\nfault suite: {len(results)} cases, seed {args.seed}, {seconds:.0f} s")
    print(f"{'kind':10s} {'cases':>6s} " + " ".join(f"{c:>13s}" for c in columns))
    total = collections.Counter()
    for group in sorted(by_group):
        c = by_group[group]
        total.update(c)
        print(f"{group:10s} {sum(c.values()):6d} " + " ".join(f"{c[k]:13d}" for k in columns))
    print(f"{'all':10s} {sum(total.values()):6d} " + " ".join(f"{total[k]:13d}" for k in columns))


if __name__ == "__main__":
    main()
