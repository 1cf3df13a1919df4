-- POST /auth/reset/password-email, cycling over addresses (BENCH_EMAILS: one per line). The first
-- request for an address issues a token and queues a mail; repeats within 60 s answer the same
-- 200 and run the same transaction, rolled back.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local requests, next_index

function init(args)
  requests = {}
  for _, email in ipairs(read_lines(os.getenv("BENCH_EMAILS"))) do
    local body = string.format('{"email":"%s"}', email)
    table.insert(requests, wrk.format("POST", "/auth/reset/password-email", json_headers, body))
  end
  assert(#requests > 0, "no addresses in BENCH_EMAILS")
  next_index = (id * 7919) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
