-- GET /v1/customers?email= of a random seeded customer (seed-<n>@example.com).
package.path = "bench/wrk/?.lua;" .. package.path
local lib = require("lib")
request = function()
    return wrk.format("GET", "/v1/customers?email=seed-" .. lib.random_customer() .. "%40example.com", lib.with())
end
