-- GET $BENCH_PATH, the same for every request (list pages, a keyset page, a prefix search).
package.path = "bench/wrk/?.lua;" .. package.path
local lib = require("lib")
local path = os.getenv("BENCH_PATH")
request = function()
    return wrk.format("GET", path, lib.with())
end
