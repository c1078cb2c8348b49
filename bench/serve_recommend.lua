-- wrk script for bench/serve_bench.sh: POST /v1/recommend for users drawn uniformly from
-- KEREC_USERS ids ("0" .. users-1, the synthetic world's user ids), k = KEREC_K.
local users = tonumber(os.getenv("KEREC_USERS") or "20000")
local k = tonumber(os.getenv("KEREC_K") or "50")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local failed = 0

function request()
  local body = string.format('{"user_id":"%d","k":%d,"scene":"post_payment"}', math.random(0, users - 1), k)
  return wrk.format(nil, "/v1/recommend", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then failed = failed + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("KEREC requests=%d errors_status=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
