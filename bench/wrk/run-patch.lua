-- PATCH /v1/customers/{id} (merge patch of the phone) of a random seeded customer.
package.path = "bench/wrk/?.lua;" .. package.path
local lib = require("lib")
local counter = 0
request = function()
    counter = counter + 1
    local body = '{"phone":"+55 11 9' .. string.format("%04d", counter % 10000) .. '-4321"}'
    return wrk.format("PATCH", "/v1/customers/" .. lib.customer_id(lib.random_customer()),
        lib.with({["Content-Type"] = "application/merge-patch+json"}), body)
end
