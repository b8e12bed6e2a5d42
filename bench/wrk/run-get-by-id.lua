-- GET /v1/customers/{id} of a random seeded customer.
package.path = "bench/wrk/?.lua;" .. package.path
local lib = require("lib")
request = function()
    return wrk.format("GET", "/v1/customers/" .. lib.customer_id(lib.random_customer()), lib.with())
end
