"""Checks of a running `kerec serve` (driven by serve_test.sh): recommendations, bill events,
explanations against graph.h5 and eei.h5, bad requests, hot reload under load, refusal of a
damaged serving.h5. Prints one "ok"/"FAIL" line per check; exits 1 when any failed."""
import http.client
import json
import os
import shutil
import sys
import threading
import time

import h5py
import numpy as np

port, serving, alt_serving, graph_h5, eei_h5, known_user, work = sys.argv[1:8]
port = int(port)
failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)[:800]))
    failures += 0 if ok else 1


def call(method, path, body=None, raw=None, conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    c.request(method, path, body=data, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    text = r.read()
    if conn is None:
        c.close()
    return r.status, json.loads(text)


def recommend(**body):
    return call("POST", "/v1/recommend", body)


# The graph and the learned weights as the files hold them.
with h5py.File(graph_h5) as g:
    ids = g["entities/entity_id"].asstr()[:]
    names = g["entities/name"].asstr()[:]
    rows, targets = g["complementary/row_offsets"][:], g["complementary/target"][:]
    roff, rbytes = g["complementary/reason_offsets"][:], g["complementary/reason_bytes"][:].tobytes()
    graph_reason = {}
    for a in range(len(ids)):
        for k in range(rows[a], rows[a + 1]):
            graph_reason[(ids[a], ids[targets[k]])] = rbytes[roff[k]:roff[k + 1]].decode()
with h5py.File(eei_h5) as e:
    learned = {(ids[s], ids[t]): w for s, t, w in zip(e["edges/source"][:], e["edges/target"][:], e["edges/weight"][:])}
with h5py.File(serving) as s:
    graph_version = int(s.attrs["graph_version"])
    config_sha = s.attrs["config_sha256"]
    served_items = set(s["items/id"].asstr()[:])
explained = []


def collect(items):
    explained.extend(i["explanation"] for i in items if "explanation" in i)


# Health and metadata (KServe v2 paths).
check("live", call("GET", "/v2/health/live") == (200, {"live": True}))
check("ready", call("GET", "/v2/health/ready") == (200, {"ready": True}))
st, meta = call("GET", "/v2/models/kerec")
p = meta.get("parameters", {})
check("metadata names the artifact's graph version and config hash",
      st == 200 and meta["versions"] == [str(graph_version)] and p["config_sha256"] == config_sha, meta)

# Known and unknown users.
st, r = recommend(user_id=known_user, k=20)
item_ids = [i["item_id"] for i in r.get("items", [])]
check("a known user gets k distinct served items", st == 200 and r["known_user"] and len(item_ids) == 20 and
      len(set(item_ids)) == 20 and set(item_ids) <= served_items, r)
collect(r.get("items", []))
st, r = recommend(user_id="serve-test-nobody", k=7, scene="post_payment")
check("an unknown user gets k items (no complementary ones: no bills)", st == 200 and not r["known_user"] and
      len(r["items"]) == 7 and all(i["channel"] != "u2e2i" for i in r["items"]), r)

# A bill event moves the next recommendation toward the bill's complements.
a = int(np.argmax(np.diff(rows)))  # the entity with the most complements
user = "serve-test-payer"
st, before = recommend(user_id=user, k=50)
st2, ev = call("POST", "/v1/bills", {"user_id": user, "text": names[a], "amount": 12.5})
check("the bill event's text is extracted to its entity", st2 == 200 and ids[a] in [x["entity_id"] for x in ev["entities"]], ev)
st, after = recommend(user_id=user, k=50)
comp = [i for i in after.get("items", []) if i["channel"] == "u2e2i"]
check("before the bill no complementary item, after it complements of the bill's entity",
      not any(i["channel"] == "u2e2i" for i in before["items"]) and comp and
      all(i["explanation"]["bill_entity"]["entity_id"] == ids[a] and
          (ids[a], i["explanation"]["complement"]["entity_id"]) in graph_reason for i in comp), (before, after))
collect(after.get("items", []))
st, r = recommend(user_id="serve-test-explicit", k=50, bills=[{"entity_id": ids[a], "age_h": 2.0}])
check("explicit bills in the request drive the complementary channel",
      st == 200 and any(i["channel"] == "u2e2i" for i in r["items"]), r)
collect(r.get("items", []))
st, r = recommend(user_id=user, k=50, u2e2i=False)
check("u2e2i=false: the baseline channels only", st == 200 and all(i["channel"] != "u2e2i" for i in r["items"]), r)

# Every explanation is a graph.h5 edge with its reason and the learned weight of eei.h5.
bad = [x for x in explained
       if graph_reason.get((x["bill_entity"]["entity_id"], x["complement"]["entity_id"])) != x["reason"] or
       abs(learned[(x["bill_entity"]["entity_id"], x["complement"]["entity_id"])] - x["weight"]) > 1e-6]
check(f"{len(explained)} explanations match graph.h5's reasons and eei.h5's weights", explained and not bad, bad[:3])

# Bad requests: a 4xx JSON error each, and the server still answers.
cases = [
    ("malformed JSON", b'{"user_id": "x",', 400),
    ("not an object", b'[1, 2]', 400),
    ("unknown field", json.dumps({"user_id": "x", "kk": 1}).encode(), 400),
    ("negative k", json.dumps({"user_id": "x", "k": -1}).encode(), 422),
    ("huge k", json.dumps({"user_id": "x", "k": 10**12}).encode(), 422),
    ("k of the wrong type", json.dumps({"user_id": "x", "k": "5"}).encode(), 400),
    ("missing user_id", json.dumps({"k": 5}).encode(), 400),
    ("invalid UTF-8", b'{"user_id": "\xff\xfe"}', 400),
    ("unknown bill entity", json.dumps({"user_id": "x", "bills": [{"entity_id": "no-such", "age_h": 1}]}).encode(), 422),
    ("oversized body", b'{"user_id": "' + b"a" * 200000 + b'"}', 413),
]
for name, raw, want in cases:
    st, r = call("POST", "/v1/recommend", raw=raw)
    check(f"bad request: {name} -> {want}", st == want and r.get("status") == want and r.get("error"), (st, r))
st, r = call("POST", "/v1/bills", {"user_id": "x", "text": ""})
check("bad bill event: empty text -> 422", st == 422 and "text" in r["error"], r)
st, r = call("GET", "/v1/no-such-route")
check("unknown route -> 404 JSON", st == 404 and r["status"] == 404, r)
st, r = call("GET", "/%FF%FE")
check("a route that decodes to invalid UTF-8 -> 404 JSON", st == 404 and r["status"] == 404, r)
check("the server still answers after the bad requests", recommend(user_id=known_user, k=3)[0] == 200)

# Hot reload under load: no request fails while a new serving.h5 is swapped in.
statuses, stop = [], threading.Event()


def load(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while not stop.is_set():
        try:
            st, _ = call("POST", "/v1/recommend", {"user_id": f"load-{n}-{i % 50}", "k": 20}, conn=conn)
        except Exception as e:  # a dropped connection is a failed request
            st = repr(e)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        statuses.append(st)
        i += 1


threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
for t in threads:
    t.start()
time.sleep(0.5)
identity_before = call("GET", "/v1/stats")[1]["file_identity"]
shutil.copy(alt_serving, serving + ".new")
os.replace(serving + ".new", serving)
st, r = call("POST", "/v1/reload")
time.sleep(0.5)
stop.set()
for t in threads:
    t.join()
stats = call("GET", "/v1/stats")[1]
failed = [s for s in statuses if s != 200]
check(f"hot reload under load: {len(statuses)} requests, none failed", st == 200 and r["reloaded"] and statuses and
      not failed and stats["reloads"] == 1 and stats["file_identity"] != identity_before, (st, r, failed[:5], stats))

# A damaged serving.h5 is refused; the loaded one keeps serving.
with h5py.File(serving) as s:
    offset = s["complements/weight"].id.get_offset()
shutil.copy(serving, serving + ".bad")
with open(serving + ".bad", "r+b") as f:
    f.seek(offset)
    f.write(b"\0" * 64)
os.replace(serving + ".bad", serving)
st, r = call("POST", "/v1/reload")
check("a damaged serving.h5 is refused, naming the dataset", st == 409 and "complements/weight" in (r["error"] or ""), r)
stats = call("GET", "/v1/stats")[1]
st, r2 = recommend(user_id=known_user, k=5)
check("... and the previous model keeps serving", st == 200 and len(r2["items"]) == 5 and stats["reload_failures"] == 1
      and "complements/weight" in stats["last_reload_error"], (r2, stats))
sys.exit(1 if failures else 0)
