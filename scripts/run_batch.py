#!/usr/bin/env python3
"""Runs an OpenAI Batch API requests file against a live OpenAI-compatible endpoint and writes the
results file the Batch API would write, for endpoints without a batch service (a local vLLM, the
simulator) and for tests.

    scripts/run_batch.py REQUESTS.jsonl RESULTS.jsonl --base-url http://127.0.0.1:8000/v1

Each request line {"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"} is
POSTed to BASE_URL + the url's path after "/v1"; each result line is
{"custom_id", "response": {"status_code", "body"}, "error"} (error set when the call failed).
The key is read from OPENAI_API_KEY when set. Standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import sys
import urllib.error
import urllib.request


def call(base_url, line, timeout_s):
    req = json.loads(line)
    path = req.get("url", "/v1/chat/completions")
    if path.startswith("/v1"):
        path = path[len("/v1"):]
    headers = {"Content-Type": "application/json"}
    if os.environ.get("OPENAI_API_KEY"):
        headers["Authorization"] = "Bearer " + os.environ["OPENAI_API_KEY"]
    data = json.dumps(req["body"]).encode()
    http = urllib.request.Request(base_url.rstrip("/") + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(http, timeout=timeout_s) as r:
            body = json.loads(r.read().decode())
            return {"custom_id": req["custom_id"],
                    "response": {"status_code": r.status, "body": body}, "error": None}
    except urllib.error.HTTPError as e:
        return {"custom_id": req["custom_id"], "response": {"status_code": e.code, "body": None},
                "error": {"message": e.read().decode(errors="replace")[:500]}}
    except (urllib.error.URLError, OSError, ValueError) as e:
        return {"custom_id": req["custom_id"], "response": None, "error": {"message": str(e)}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("requests")
    ap.add_argument("results")
    ap.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000/v1")
    ap.add_argument("--parallel", type=int, default=8, help="calls in flight")
    ap.add_argument("--timeout-s", type=float, default=120.0)
    args = ap.parse_args()
    with open(args.requests, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
        results = list(pool.map(lambda l: call(args.base_url, l, args.timeout_s), lines))
    with open(args.results, "w", encoding="utf-8") as out:
        for r in results:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    failed = sum(1 for r in results if r["error"])
    print(f"run_batch: {len(results)} requests, {failed} failed -> {args.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
