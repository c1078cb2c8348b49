#!/usr/bin/python3
"""Upper bound on how well click feedback can rank the LLM graph's complementary edges by their true
strength, on a synthetic world (docs/models.md, "Reading the figures").

    /usr/bin/python3 scripts/edge_ceiling.py WORLD_DIR RUN_DIR

Uses the world's TRUE no-complement click probability (truth/exposures.tsv) as a perfect base
model, so what is left is click noise, trigger attribution and coverage; compares the per-edge
uplift, the LLM's confidence and the learned weights (RUN_DIR/integrate/eei.h5) with the true
strengths. Triggers follow docs/models.md (most recent of the 5 newest bills, at most 168 h old),
bills and items mapped to entities by the world's gold mentions. Evaluation only: reads truth.
"""
import bisect
import json
import sys

import h5py
import numpy as np

if len(sys.argv) != 3:
    sys.exit("usage: edge_ceiling.py WORLD_DIR RUN_DIR")
W = sys.argv[1]
G = sys.argv[2] + "/graph/graph.h5"
E = sys.argv[2] + "/integrate/eei.h5"
WINDOW_H = 168.0
MAX_BILLS = 5
HALF_LIFE_H = 48.0


def rankdata(x):
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    ranks = np.empty(len(x), dtype=float)
    i = 0
    n = len(x)
    # average ranks for ties
    diff = np.concatenate(([True], xs[1:] != xs[:-1], [True]))
    starts = np.flatnonzero(diff)
    for s, e in zip(starts[:-1], starts[1:]):
        ranks[order[s:e]] = 0.5 * (s + e - 1) + 1.0
    return ranks


def spearman(a, b):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    if len(a) < 3:
        return float("nan")
    ra, rb = rankdata(a), rankdata(b)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def auc(score, label):
    """P(score_true > score_false), ties 1/2 (Mann-Whitney)."""
    label = np.asarray(label, bool)
    r = rankdata(score)
    n1 = label.sum()
    n0 = len(label) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    return float((r[label].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


# ---------- truth ----------
beh = json.load(open(f"{W}/truth/behaviour.json"))
train_end = beh["train_end_ts"]

item_ent = {}
with open(f"{W}/truth/item_entities.tsv") as f:
    next(f)
    for line in f:
        i, e = line.split("\t")
        item_ent[int(i)] = int(e)

bill_ent = {}  # line number -> entity
with open(f"{W}/truth/mentions.tsv") as f:
    next(f)
    for line in f:
        p = line.rstrip("\n").split("\t")
        if p[0] == "bill":
            k = int(p[1])
            assert k not in bill_ent, "bill with two mentions"
            bill_ent[k] = int(p[4])

truth = {}
with open(f"{W}/truth/complements.tsv") as f:
    next(f)
    for line in f:
        a, b, s = line.split("\t")
        truth[(int(a), int(b))] = float(s)

# bills per user: ts list, entity list
bills_by_user = {}
with open(f"{W}/bills.tsv") as f:
    next(f)
    for ln, line in enumerate(f, start=2):
        p = line.split("\t")
        u, ts = int(p[0]), int(p[1])
        d = bills_by_user.setdefault(u, ([], []))
        d[0].append(ts)
        d[1].append(bill_ent[ln])
for u, (ts, en) in bills_by_user.items():
    assert all(ts[i] <= ts[i + 1] for i in range(len(ts) - 1))

# ---------- graph ----------
with h5py.File(G, "r") as g:
    ids = g["entities/entity_id"].asstr()[:].astype(int)
    ro = g["complementary/row_offsets"][:]
    tgt = g["complementary/target"][:]
    conf = g["complementary/confidence"][:].astype(float)
N = len(ids)
assert len(ro) == N + 1 and ro[-1] == len(tgt), "row_offsets is not global CSR"
src_idx = np.repeat(np.arange(N), np.diff(ro))
src = ids[src_idx]
dst = ids[tgt]
M = len(tgt)
edge_of = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(src, dst))}
# out-neighbour sets by source entity for a fast check
out = {}
for (a, b), k in edge_of.items():
    out.setdefault(a, {})[b] = k

with h5py.File(E, "r") as e:
    es, et = e["edges/source"][:], e["edges/target"][:]
    assert (es == src_idx).all() and (et == tgt).all(), "eei edge order differs from graph CSR"
    w_learned = e["edges/weight"][:].astype(float)
    w_table = e["tables/edge"][:, 0].astype(float)

strength = np.array([truth.get((int(a), int(b)), 0.0) for a, b in zip(src, dst)])

# ---------- triggered exposures ----------
n = np.zeros(M)
clicks = np.zeros(M)
resid = np.zeros(M)     # sum(y - p0)
fisher = np.zeros(M)    # sum p0(1-p0)
resid_r = np.zeros(M)   # sum r*(y - p0)
fisher_r = np.zeros(M)  # sum r^2 p0(1-p0)
sig_true = np.zeros(M)  # sum of true signal (diagnostic)
n_train = 0
n_trig = 0
n_boosted_train = 0
n_boosted_trig = 0

with open(f"{W}/exposures.tsv") as fe, open(f"{W}/truth/exposures.tsv") as ft:
    next(fe)
    next(ft)
    for le, lt in zip(fe, ft):
        pe = le.split("\t")
        ts = int(pe[1])
        if ts >= train_end:
            continue
        pt = lt.split("\t")
        u = int(pe[0])
        item = int(pe[2])
        assert pt[0] == pe[0] and pt[1] == pe[1] and pt[2] == pe[2]
        n_train += 1
        sig = float(pt[6])
        if sig > 0:
            n_boosted_train += 1
        bu = bills_by_user.get(u)
        if bu is None:
            continue
        b_ent = item_ent[item]
        bts, ben = bu
        j = bisect.bisect_left(bts, ts)  # bills with ts < exposure ts are [0, j)
        k_edge = -1
        age_h = 0.0
        for q in range(j - 1, max(j - MAX_BILLS, 0) - 1, -1):
            age_h = (ts - bts[q]) / 3600.0
            if age_h > WINDOW_H:
                break
            o = out.get(ben[q])
            if o is not None and b_ent in o:
                k_edge = o[b_ent]
                break
        if k_edge < 0:
            continue
        n_trig += 1
        if sig > 0:
            n_boosted_trig += 1
        y = int(pe[4])
        p0 = float(pt[5])
        r = 0.5 ** (age_h / HALF_LIFE_H)
        v = p0 * (1 - p0)
        n[k_edge] += 1
        clicks[k_edge] += y
        resid[k_edge] += y - p0
        fisher[k_edge] += v
        resid_r[k_edge] += r * (y - p0)
        fisher_r[k_edge] += r * r * v
        sig_true[k_edge] += sig

with np.errstate(invalid="ignore", divide="ignore"):
    uplift = np.where(fisher > 0, resid / fisher, 0.0)
    uplift_r = np.where(fisher_r > 0, resid_r / fisher_r, 0.0)  # estimate of boost*strength (age-corrected)

# ---------- report ----------
outl = []
P = outl.append
P(f"train exposures: {n_train}, triggered by an LLM-graph edge: {n_trig} "
  f"({n_trig / n_train:.3%}); truly boosted (signal>0) in train: {n_boosted_train}, "
  f"of which triggered: {n_boosted_trig} ({n_boosted_trig / max(n_boosted_train, 1):.1%})")
P(f"graph edges: {M}; true complements in truth: {len(truth)}; graph edges that are true: "
  f"{int((strength > 0).sum())}; false share: {(strength == 0).mean():.3f}; "
  f"recall of truth: {(strength > 0).sum() / len(truth):.3f}")
P("")
P("Spearman vs true strength (0 for false edges)")
hdr = f"{'group':<8}{'edges':>7}{'true%':>7}{'mean s':>8}{'mean n':>8}" \
      f"{'oracle':>8}{'orac_r':>8}{'conf':>8}{'learned':>8}{'tbl_edge':>9}{'n':>7}"
P(hdr)
groups = [("all", np.ones(M, bool)), ("n>=1", n >= 1), ("n>=10", n >= 10), ("n>=50", n >= 50)]
for name, m in groups:
    P(f"{name:<8}{int(m.sum()):>7}{(strength[m] > 0).mean():>7.1%}{strength[m].mean():>8.3f}"
      f"{n[m].mean():>8.1f}"
      f"{spearman(uplift[m], strength[m]):>8.3f}{spearman(uplift_r[m], strength[m]):>8.3f}"
      f"{spearman(conf[m], strength[m]):>8.3f}{spearman(w_learned[m], strength[m]):>8.3f}"
      f"{spearman(w_table[m], strength[m]):>9.3f}{spearman(n[m], strength[m]):>7.3f}")
P("(oracle = sum(y-p0)/sum(p0(1-p0)); orac_r = recency-weighted sum(r(y-p0))/sum(r^2 p0(1-p0)), "
  "r=0.5^(age/48); conf = LLM confidence; learned = eei edges/weight; tbl_edge = eei tables/edge; "
  "n = exposure count itself)")
P("")
P("Spearman restricted to TRUE edges only (strength>0): magnitude recovery")
for name, m0 in groups:
    m = m0 & (strength > 0)
    P(f"  {name:<6} edges={int(m.sum()):>5}  oracle={spearman(uplift[m], strength[m]):.3f}  "
      f"orac_r={spearman(uplift_r[m], strength[m]):.3f}  conf={spearman(conf[m], strength[m]):.3f}  "
      f"learned={spearman(w_learned[m], strength[m]):.3f}")
P("")
P("True-vs-false AUC (P[score(true edge) > score(false edge)])")
for name, m in groups:
    P(f"  {name:<6} oracle={auc(uplift[m], strength[m] > 0):.3f}  orac_r={auc(uplift_r[m], strength[m] > 0):.3f}  "
      f"conf={auc(conf[m], strength[m] > 0):.3f}  learned={auc(w_learned[m], strength[m] > 0):.3f}")
P("")
P("Shrunken oracle uplift over ALL edges (no samples -> 0)")
for k in (5, 20, 50):
    sh = resid / (fisher + k)
    sh_r = resid_r / (fisher_r + k)
    P(f"  k={k:<3} spearman={spearman(sh, strength):.3f}  (recency-weighted: {spearman(sh_r, strength):.3f})"
      f"  AUC true/false={auc(sh, strength > 0):.3f}")
# combination: confidence prior + shrunken feedback (illustrative)
P("")
P("Mean oracle uplift among edges with n>=10")
m = n >= 10
for lab, mm in (("true", m & (strength > 0)), ("false", m & (strength == 0))):
    P(f"  {lab:<5} edges={int(mm.sum()):>5}  mean uplift={uplift[mm].mean():.3f}  "
      f"median={np.median(uplift[mm]) if mm.any() else float('nan'):.3f}  "
      f"mean orac_r={uplift_r[mm].mean():.3f}  mean strength={strength[mm].mean():.3f}")
P("  (expected logit boost for a true edge ~ 2.5 * strength * mean recency factor)")
P("")
P("Coverage by true strength bucket (graph edges)")
bins = [(0, 0), (0.0001, 0.2), (0.2, 0.5), (0.5, 1.0)]
for lo, hi in bins:
    mm = (strength == 0) if hi == 0 else ((strength >= lo) & (strength <= hi) & (strength > 0))
    P(f"  s in {'{0}' if hi == 0 else f'[{lo:.1f},{hi:.1f}]':<10} edges={int(mm.sum()):>5}  "
      f"n>=1: {(n[mm] >= 1).mean():.1%}  n>=10: {(n[mm] >= 10).mean():.1%}  "
      f"n>=50: {(n[mm] >= 50).mean():.1%}  mean n={n[mm].mean():.1f}")
P("")
# noise: standard error of the oracle uplift ~ 1/sqrt(fisher)
mm = n >= 10
P(f"median fisher info sum p(1-p) for n>=10 edges: {np.median(fisher[mm]):.2f} "
  f"(SE of uplift ~ {1 / np.sqrt(np.median(fisher[mm])):.2f} logit) vs typical true boost "
  f"2.5*s*r ~ {2.5 * np.median(strength[mm & (strength > 0)]) * 0.7:.2f}")

txt = "\n".join(outl)
print(txt)
print(txt)

# ---------- extra diagnostics: counts and confidence x feedback combinations ----------
outl2 = []
Q = outl2.append
Q("")
Q("Extra: other per-edge feedback statistics and confidence x feedback combinations, Spearman vs strength")
for name, m in groups:
    Q(f"  {name:<6} n={spearman(n[m], strength[m]):.3f}  clicks={spearman(clicks[m], strength[m]):.3f}  "
      f"sum(y-p0)={spearman(resid[m], strength[m]):.3f}  true-signal-sum(not observable)={spearman(sig_true[m], strength[m]):.3f}")
ceiling = conf * (strength > 0)
Q(f"  conf * 1[edge true] (perfect false-edge filter, ceiling for conf-based scores): all={spearman(ceiling, strength):.3f}")
for k in (5, 20):
    sh = resid / (fisher + k)
    for c in (1.0, 3.0):
        comb = conf * (1.0 / (1.0 + np.exp(-c * (sh * 10))))
        Q(f"  conf * sigmoid({c:g}*10*shrunk_k{k}) all={spearman(comb, strength):.3f}")
    for t in (0.0, 0.02):
        comb = conf * (sh > t) + 1e-3 * conf * (n == 0)
        Q(f"  conf * 1[shrunk_k{k} > {t}] (+tiny conf for unseen) all={spearman(comb, strength):.3f}")
Q(f"  conf * log1p(clicks) all={spearman(conf * np.log1p(clicks), strength):.3f}   "
  f"conf * log1p(n) all={spearman(conf * np.log1p(n), strength):.3f}")
txt2 = "\n".join(outl2)
print(txt2)
print(txt2)
extra = (f"  AUC true/false over all edges: n={auc(n, strength > 0):.3f}  clicks={auc(clicks, strength > 0):.3f}  "
         f"conf*log1p(n)={auc(conf * np.log1p(n), strength > 0):.3f}\n"
         f"  conf percentiles 5/25/50/75/95: true {np.percentile(conf[strength > 0], [5, 25, 50, 75, 95]).round(3)}  "
         f"false {np.percentile(conf[strength == 0], [5, 25, 50, 75, 95]).round(3)}")
print(extra)
print(extra)
