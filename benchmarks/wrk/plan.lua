-- Send the requests listed in $WRK_PLAN_FILE in turn, one line each:
--   METHOD <tab> PATH <tab> CONTENT-TYPE or "-" <tab> ACCEPT or "-" <tab> BODY or "-"
-- Counts every answer outside 2xx, and prints one WRK_JSON line for benchmarks/serving.py.

local plan = {}
local plan_file = assert(os.getenv("WRK_PLAN_FILE"), "set WRK_PLAN_FILE")
for line in io.lines(plan_file) do
  local method, path, content_type, accept, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
  local headers = {}
  if content_type ~= "-" then headers["Content-Type"] = content_type end
  if accept ~= "-" then headers["Accept"] = accept end
  if body == "-" then body = nil end
  table.insert(plan, wrk.format(method, path, headers, body))
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
  next_request = offset  -- each thread starts at its own place in the plan
end

function request()
  next_request = next_request % #plan + 1
  return plan[next_request]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_2xx")
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, bad, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
