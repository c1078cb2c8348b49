#!/usr/bin/env bash
# HTTP throughput and latency of `kerec serve` with wrk (Debian's wrk): POST /v1/recommend, K = 50,
# users drawn uniformly, keep-alive connections, at 8 and 64 connections. Also the server's load
# time and resident memory. The server gets one worker thread per connection (cpp-httplib serves
# a keep-alive connection on one worker), and wrk runs on the same machine: on 2 cores the client
# takes a share of the CPU the server would otherwise have.
#
#   bench/serve_bench.sh BUILD_DIR SERVING_H5 [SECONDS]
set -euo pipefail
BUILD=$1
SERVING=$2
SECONDS_EACH=${3:-10}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
USERS=$(/usr/bin/python3 -c "import h5py,sys; print(h5py.File(sys.argv[1])['users/key'].shape[0])" "$SERVING")
OUT=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$OUT"' EXIT

for conns in 8 64; do
  start=$(date +%s.%N)
  "$BUILD/kerec" serve "$SERVING" --port 0 --threads "$conns" --reload-poll-ms 0 >"$OUT/out" 2>"$OUT/err" &
  PID=$!
  until grep -q listening "$OUT/out" 2>/dev/null; do sleep 0.01; kill -0 "$PID"; done
  loaded=$(date +%s.%N)
  PORT=$(sed -n 's#.*:\([0-9]*\)$#\1#p' "$OUT/out")
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  KEREC_USERS=$USERS KEREC_K=50 wrk -t2 -c"$conns" -d"${SECONDS_EACH}s" -s "$HERE/serve_recommend.lua" \
    "http://127.0.0.1:$PORT" >"$OUT/wrk"
  rss_after_kb=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  line=$(grep '^KEREC' "$OUT/wrk")
  printf "connections=%-3d load_s=%.2f rss_mib_loaded=%.0f rss_mib_after=%.0f %s\n" "$conns" \
    "$(echo "$loaded - $start" | bc)" "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$rss_after_kb / 1024" | bc -l)" \
    "${line#KEREC }"
  kill -TERM "$PID"
  wait "$PID"
done
