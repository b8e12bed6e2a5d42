-- Shared by the bench/run scenarios: the bearer token ($BENCH_TOKEN) on every request, and the
-- ids of the seeded customers (bench/seed gives customer n the id 00000000-0000-7000-8000-<n in hex>).
local M = {}
-- Each wrk thread loads this file in a state of its own: seed each differently.
math.randomseed(os.time() + math.floor(os.clock() * 1000000) + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003))
M.count = tonumber(os.getenv("BENCH_COUNT") or "10000")
M.headers = {}
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then M.headers["Authorization"] = "Bearer " .. token end

function M.customer_id(n)
    return string.format("00000000-0000-7000-8000-%012x", n)
end

function M.random_customer()
    return math.random(1, M.count)
end

function M.with(extra)
    local headers = {}
    for k, v in pairs(M.headers) do headers[k] = v end
    for k, v in pairs(extra or {}) do headers[k] = v end
    return headers
end

return M
