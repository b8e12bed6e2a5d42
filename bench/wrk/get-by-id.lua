-- GET /v1/customers/{id} for ids read from $BENCH_IDS (one per line), round robin per thread.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", "/v1/customers/" .. ids[(counter % #ids) + 1])
end
