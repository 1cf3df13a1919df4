-- POST /api/admin/user-admin/reset-password (a write transaction: the user's older tokens expired,
-- a new one stored, an audit event), each request for the next of BENCH_USER_COUNT seeded users
-- from user<BENCH_FIRST_USER>@bench.test on, so no user is asked for twice within the per-user
-- minute (BENCH_START: where in that range this run begins). BENCH_ADMIN_TOKEN authorizes it.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local first = tonumber(os.getenv("BENCH_FIRST_USER"))
local count = tonumber(os.getenv("BENCH_USER_COUNT"))
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = os.getenv("BENCH_ADMIN_TOKEN"),
}
local n = 0

function init(args)
  assert(first and count and count > 0, "BENCH_FIRST_USER and BENCH_USER_COUNT are needed")
  n = tonumber(os.getenv("BENCH_START") or "0") + id * 7919
end

function request()
  n = n + 1
  local body = string.format('{"id":"user%d@bench.test"}', first + n % count)
  return wrk.format("POST", "/api/admin/user-admin/reset-password", headers, body)
end
