-- POST /v1/customers with one address and a unique e-mail per request.
package.path = "bench/wrk/?.lua;" .. package.path
local lib = require("lib")
local thread_counter = 0
setup = function(thread)
    thread_counter = thread_counter + 1
    thread:set("tag", tostring(thread_counter) .. "-" .. tostring(math.random(1, 1000000000)))
end
local counter = 0
request = function()
    counter = counter + 1
    local body = '{"name":"Bench Customer ' .. counter .. '","email":"bench-' .. tag .. '-' .. counter .. '@example.com",'
        .. '"phone":"+55 11 98765-4321","birthDate":"1990-05-17","addresses":[{"street":"Rua A","number":"10",'
        .. '"city":"Recife","postalCode":"50000-000","country":"BR"}]}'
    return wrk.format("POST", "/v1/customers", lib.with({["Content-Type"] = "application/json"}), body)
end
