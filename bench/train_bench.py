#!/usr/bin/python3
"""The reference for bench/train_bench.cpp: the same ranker in PyTorch on the CPU (Debian's
python3-torch, bench/install-bench-deps.sh), with the same shapes, batch, optimizer (Adam; SparseAdam
for the embedding tables, i.e. lazy row updates as kerec does) and thread count.

    /usr/bin/python3 bench/train_bench.py [--steps N] [--batch B] [--threads T]
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn


class Ranker(nn.Module):
    def __init__(self, items, entities, users=100000, scenes=16, prices=24, dim=16, hidden=(64, 32)):
        super().__init__()
        self.user = nn.EmbeddingBag(users, dim, mode="sum", sparse=True)
        self.item = nn.EmbeddingBag(items, dim, mode="sum", sparse=True)
        self.item_entity = nn.EmbeddingBag(entities, dim, mode="mean", sparse=True)
        self.price = nn.EmbeddingBag(prices, dim, mode="sum", sparse=True)
        self.scene = nn.EmbeddingBag(scenes, dim, mode="sum", sparse=True)
        self.bill_entity = nn.EmbeddingBag(entities, dim, mode="mean", sparse=True)
        layers, width = [], 6 * dim
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        layers.append(nn.Linear(width, 1))
        self.mlp = nn.Sequential(*layers)

    def forward(self, b):
        one = lambda table, ids: table(ids, torch.arange(len(ids)))
        x = torch.cat([one(self.user, b["user"]), one(self.item, b["item"]), one(self.item_entity, b["item_entity"]),
                       one(self.price, b["price"]), one(self.scene, b["scene"]),
                       self.bill_entity(b["bills"], b["bill_offsets"])], dim=1)
        return self.mlp(x).squeeze(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--batch", type=int, default=2048)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--items", type=int, default=50000)
    p.add_argument("--entities", type=int, default=2000)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(2)
    n = a.steps * a.batch
    item_entity = rng.integers(0, a.entities, a.items)
    price = rng.integers(0, 24, a.items)
    data = {"user": rng.integers(0, 100000, n), "item": rng.integers(0, a.items, n), "scene": rng.integers(0, 3, n),
            "label": (rng.random(n) < 0.1).astype(np.float32)}
    bill_counts = rng.integers(0, 6, n)
    bill_offsets = np.concatenate([[0], np.cumsum(bill_counts)])
    bills = rng.integers(0, a.entities, bill_offsets[-1])
    model = Ranker(a.items, a.entities)
    sparse = [m.weight for m in model.modules() if isinstance(m, nn.EmbeddingBag)]
    dense = list(model.mlp.parameters())
    opt_dense = torch.optim.Adam(dense, lr=0.002)
    opt_sparse = torch.optim.SparseAdam(sparse, lr=0.002)
    loss_fn = nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    for s in range(a.steps):
        lo, hi = s * a.batch, (s + 1) * a.batch
        item = data["item"][lo:hi]
        b = {"user": torch.from_numpy(data["user"][lo:hi]), "item": torch.from_numpy(item),
             "item_entity": torch.from_numpy(item_entity[item]), "price": torch.from_numpy(price[item]),
             "scene": torch.from_numpy(data["scene"][lo:hi]),
             "bills": torch.from_numpy(bills[bill_offsets[lo]:bill_offsets[hi]]),
             "bill_offsets": torch.from_numpy(bill_offsets[lo:hi] - bill_offsets[lo])}
        opt_dense.zero_grad()
        opt_sparse.zero_grad()
        loss = loss_fn(model(b), torch.from_numpy(data["label"][lo:hi]))
        loss.backward()
        opt_dense.step()
        opt_sparse.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"bench": "train_torch", "torch": torch.__version__, "threads": a.threads, "steps": a.steps,
                      "batch": a.batch, "samples_per_s": round(n / seconds), "final_loss": round(loss.item(), 4)}))


if __name__ == "__main__":
    main()
