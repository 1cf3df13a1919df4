-- POST /auth/simple/login with valid credentials, cycling over the seeded users
-- (BENCH_USERS: one e-mail per line; all have the password BENCH_PASSWORD). Each thread starts at
-- a different place in the list.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local requests, next_index

function init(args)
  local password = assert(os.getenv("BENCH_PASSWORD"), "BENCH_PASSWORD is not set")
  requests = {}
  for _, email in ipairs(read_lines(os.getenv("BENCH_USERS"))) do
    local body = string.format('{"username":"%s","password":"%s"}', email, password)
    table.insert(requests, wrk.format("POST", "/auth/simple/login", json_headers, body))
  end
  assert(#requests > 0, "no users in BENCH_USERS")
  next_index = (id * 7919) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

count_statuses()
