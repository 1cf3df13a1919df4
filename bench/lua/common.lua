-- Shared by every wrk scenario of `make bench` (loaded with dofile; BENCH_LUA is this folder).
--
-- done() prints one machine-readable line that bench/run.sh parses:
--   BENCH requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=..
--         non2xx=N sock_err=N statuses=200:N,401:N
-- `non2xx` is wrk's own count of answers with a status of 400 or more. `statuses` is filled only
-- by scenarios that call count_statuses() (the bcrypt-bound ones, where the response() hook costs
-- nothing measurable); elsewhere it is "-".

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Splits a file into its non-empty lines.
function read_lines(path)
  local lines = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  f:close()
  return lines
end

json_headers = { ["Content-Type"] = "application/json" }

-- Installs a response() hook counting answers per status (per thread; summed in done()).
-- `classify(status, body)` may return another key, e.g. to set filler requests apart.
function count_statuses(classify)
  statuses = {}
  response = function(status, headers, body)
    local key = tostring(status)
    if classify then
      key = classify(status, body) or key
    end
    statuses[key] = (statuses[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local merged, keys = {}, {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if type(s) == "table" then
      for k, v in pairs(s) do
        if merged[k] == nil then
          table.insert(keys, k)
        end
        merged[k] = (merged[k] or 0) + v
      end
    end
  end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    table.insert(parts, k .. ":" .. merged[k])
  end
  local e = summary.errors
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f "
      .. "non2xx=%d sock_err=%d statuses=%s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    ms(50), ms(90), ms(99), latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout,
    #parts > 0 and table.concat(parts, ",") or "-"))
end

-- A paced load (BENCH_DELAY_MS set): each connection waits that long before each request, so the
-- rate stays below the server's capacity and latency measures the server, not wrk's queue.
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pace then
  function delay()
    return pace
  end
end
