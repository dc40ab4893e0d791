-- wrk script of the server bench (bench/sections/server.mjs):
--   wrk -t2 -c32 -d10s -s bench/wrk/bench.lua URL -- MODE [TOKENS]
-- MODE get:     GET the URL as given (GET /api/comments?storyID=…).
-- MODE session: POST /api/session, with the tokens of the file TOKENS (one
--               per line) in turn, each thread starting at its own place.
-- MODE comment: POST /api/comments to story "bench-post", tokens as above.
-- When done, one line `WRK_JSON {…}`: requests, duration (µs), socket
-- errors, non-2xx/3xx answers and latency percentiles (µs).
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local mode, tokens, i = "get", {}, 0
function init(args)
  mode = args[1] or "get"
  if args[2] then
    for line in io.lines(args[2]) do
      if #line > 0 then tokens[#tokens + 1] = line end
    end
  end
  i = (id or 0) * 7919
end

local body = '{"storyID":"bench-post","body":"A comment posted by the bench."}'
function request()
  if mode == "get" then return wrk.format("GET") end
  i = i % #tokens + 1
  local headers = { ["Authorization"] = "Bearer " .. tokens[i] }
  if mode == "session" then
    return wrk.format("POST", "/api/session", headers, nil)
  end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/comments", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration":%d,"socketErrors":%d,"non2xx":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
