-- A plain GET of the URL given to wrk (health, token validation); only the shared summary.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
