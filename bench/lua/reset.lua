-- POST /auth/reset/password, each request with a different seeded token (BENCH_TOKENS: one per
-- line). Thread `id` of BENCH_THREADS takes tokens id+1, id+1+T, ... so no token is sent twice.
-- When a thread runs out it stops; the few requests still asked of it then are GET /health
-- fillers, counted apart as "filler" (told apart by the body) and not as resets. wrk calls
-- request() once more on thread 0 to check the script, which spends (does not send) one token.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local tokens, position, step, password, filler

function init(args)
  tokens = read_lines(os.getenv("BENCH_TOKENS"))
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  position = id + 1 - step
  password = assert(os.getenv("BENCH_PASSWORD"), "BENCH_PASSWORD is not set")
  filler = wrk.format("GET", "/health")
end

function request()
  position = position + step
  if position > #tokens then
    wrk.thread:stop()
    return filler
  end
  local body = string.format('{"token":"%s","password":"%s"}', tokens[position], password)
  return wrk.format("POST", "/auth/reset/password", json_headers, body)
end

count_statuses(function(status, body)
  if status == 200 and body and body:find("GOOD", 1, true) then
    return "filler"
  end
end)
