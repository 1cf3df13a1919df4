-- A fixed JSON POST (validate-password): the body is BENCH_BODY. Kept static (no request()
-- hook) so that wrk sends a pre-built request and spends as little of the shared CPU as it can.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

wrk.method = "POST"
wrk.body = assert(os.getenv("BENCH_BODY"), "BENCH_BODY is not set")
wrk.headers["Content-Type"] = "application/json"
