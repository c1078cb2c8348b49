#!/usr/bin/python3
"""The reference for bench/eei_bench.cpp: the same encoder + E-E-I model (docs/models.md) in PyTorch
on the CPU (Debian's python3-torch, bench/install-bench-deps.sh), with the same shapes, batch,
contrastive anchors, optimizer (Adam for dense parameters, SparseAdam for the tables, i.e. lazy row
updates as kerec does) and thread count. Random graphs of the same sizes and degree distribution.

    /usr/bin/python3 bench/eei_bench.py [--steps N] [--batch B] [--threads T]
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ITEMS, ENTITIES, USERS, SCENES, PRICES, DIM, HIDDEN, BUCKETS = 50000, 2000, 100000, 16, 24, 16, 32, 10
COMP_EDGES, SUB_EDGES, ANCHORS, TEMPERATURE, CONTRASTIVE_WEIGHT = 12000, 4000, 256, 0.5, 0.05


def random_graph(rng, edges):
    a, b = rng.integers(0, ENTITIES, edges), rng.integers(0, ENTITIES, edges)
    w = 0.5 + 0.5 * rng.random(edges)
    rows = [dict() for _ in range(ENTITIES)]
    for x, y, z in zip(a, b, w):
        rows[x][y] = max(z, rows[x].get(y, 0))
    return rows


def normalised(row):
    total = sum(row.values())
    return {k: v / total for k, v in row.items()}


def views(subs, comps):
    """Per entity: (ids, weights) of the substitutable view and of the two-hop complementary view."""
    sub, two = [], []
    for e in range(ENTITIES):
        s = {k: v for k, v in normalised(subs[e]).items() if k != e} if subs[e] else {}
        t = {}
        for mid, w1 in (normalised(comps[e]) if comps[e] else {}).items():
            for k, w2 in (normalised(comps[mid]) if comps[mid] else {}).items():
                if k != e:
                    t[k] = t.get(k, 0) + w1 * w2
        sub.append(normalised(s) if s else {})
        two.append(normalised(t) if t else {})
    anchors = np.array([e for e in range(ENTITIES) if sub[e] and two[e]])
    return sub, two, anchors


def bag(rows, picked):
    ids = [k for e in picked for k in rows[e]]
    weights = [v for e in picked for v in rows[e].values()]
    offsets = np.concatenate([[0], np.cumsum([len(rows[e]) for e in picked])[:-1]])
    return torch.tensor(ids), torch.tensor(offsets), torch.tensor(weights, dtype=torch.float32)


class Eei(nn.Module):
    def __init__(self, edges):
        super().__init__()
        table = lambda rows, dim=DIM, sd=DIM ** -0.5: nn.Parameter(torch.randn(rows, dim) * sd)
        self.entity, self.item, self.price = table(ENTITIES), table(ITEMS), table(PRICES)
        self.scene, self.user = table(SCENES), table(USERS)
        self.recency, self.beta = table(BUCKETS, 1, 0.0), table(edges, 1, 0.0)
        self.pair = nn.Sequential(nn.Linear(3 * DIM + 1, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))
        self.base = nn.Sequential(nn.Linear(6 * DIM, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))
        self.head_sub, self.head_comp = nn.Linear(DIM, DIM), nn.Linear(DIM, DIM)
        self.kappa = nn.Parameter(torch.zeros(1))

    def tables(self):
        return [self.entity, self.item, self.price, self.scene, self.user, self.recency, self.beta]

    def logits(self, b):
        lookup = lambda t, ids: F.embedding(ids, t, sparse=True)
        ea, eb, eu = lookup(self.entity, b["a"]), lookup(self.entity, b["b"]), lookup(self.user, b["user"])
        gate = self.pair(torch.cat([ea, eb, ea * eb, b["conf"][:, None]], 1)).squeeze(1)
        gate = torch.sigmoid(gate + lookup(self.beta, b["edge"]).squeeze(1) * b["mask"])
        w = F.softplus(self.kappa) * b["conf"] * gate
        r = torch.sigmoid(lookup(self.recency, b["bucket"]).squeeze(1))
        x = torch.cat([eb, lookup(self.item, b["item"]), lookup(self.price, b["price"]), lookup(self.scene, b["scene"]),
                       eu, eu * eb], 1)
        return self.base(x).squeeze(1) + b["mask"] * w * r

    def contrastive(self, sub, two, anchors):
        def agg(rows):
            ids, offsets, weights = bag(rows, anchors)
            return F.embedding_bag(ids, self.entity, offsets, mode="sum", sparse=True, per_sample_weights=weights)
        zs, zc = self.head_sub(agg(sub)), self.head_comp(agg(two))
        return F.cross_entropy(zs @ zc.T / TEMPERATURE, torch.arange(len(anchors)), reduction="sum")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(2)
    comps, subs = random_graph(rng, COMP_EDGES), random_graph(rng, SUB_EDGES)
    sub, two, anchors = views(subs, comps)
    edges = sum(len(r) for r in comps)
    n = a.steps * a.batch
    mask = (rng.random(n) < 0.4).astype(np.float32)
    item = rng.integers(0, ITEMS, n)
    data = {"a": rng.integers(0, ENTITIES, n), "b": rng.integers(0, ENTITIES, n), "edge": rng.integers(0, edges, n),
            "item": item, "price": rng.integers(0, PRICES, ITEMS)[item], "scene": rng.integers(0, 3, n),
            "user": rng.integers(0, USERS, n), "bucket": rng.integers(0, 8, n),
            "conf": (0.5 + 0.5 * rng.random(n)).astype(np.float32) * mask, "mask": mask,
            "label": (rng.random(n) < 0.12).astype(np.float32)}
    model = Eei(edges)
    opt_dense = torch.optim.Adam([q for q in model.parameters() if all(q is not t for t in model.tables())], lr=0.005)
    opt_sparse = torch.optim.SparseAdam(model.tables(), lr=0.005)
    start = time.perf_counter()
    for s in range(a.steps):
        b = {k: torch.from_numpy(v[s * a.batch:(s + 1) * a.batch]) for k, v in data.items()}
        opt_dense.zero_grad()
        opt_sparse.zero_grad()
        picked = rng.choice(anchors, size=min(ANCHORS, len(anchors)), replace=False)
        loss = F.binary_cross_entropy_with_logits(model.logits(b), b["label"], reduction="sum")
        loss = (loss + CONTRASTIVE_WEIGHT * model.contrastive(sub, two, picked)) / a.batch
        loss.backward()
        opt_dense.step()
        opt_sparse.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"bench": "eei_torch", "torch": torch.__version__, "threads": a.threads, "steps": a.steps,
                      "batch": a.batch, "anchors": len(anchors), "samples_per_s": round(n / seconds),
                      "final_loss": round(loss.item(), 4)}))


if __name__ == "__main__":
    main()
