-- The transaction POST /v1/customers runs on MariaDB (one address): the customer, its address, the
-- history row and the outbox row, in one transaction, each statement prepared once per connection:
--   sysbench --db-driver=mysql … bench/sql/create.sysbench.lua --prefix=P run
sysbench.cmdline.options = {
    prefix = {"table prefix", ""},
}

local V = sysbench.sql.type.VARCHAR

function thread_init()
    drv = sysbench.sql.driver()
    con = drv:connect()
    con:query("SET time_zone = '+00:00'")
    local p = sysbench.opt.prefix
    customer = con:prepare("INSERT INTO " .. p .. "customers (id, name, search_name, email, phone, document_type, "
        .. "document_number, birth_date, status, deactivation_reason, version, created_at, updated_at) VALUES "
        .. "(?, 'Bench Customer', 'bench customer', ?, '+5511987654321', NULL, NULL, DATE '1990-05-17', 'active', NULL, 1, "
        .. "NOW(6), NOW(6))")
    customer_id = customer:bind_create(V, 36)
    customer_email = customer:bind_create(V, 64)
    customer:bind_param(customer_id, customer_email)
    address = con:prepare("INSERT INTO " .. p .. "customer_addresses (id, customer_id, ordinal, label, street, number, "
        .. "complement, district, city, state, postal_code, country, is_primary) VALUES "
        .. "(?, ?, 0, NULL, 'Rua A', '10', NULL, NULL, 'Recife', NULL, '50000-000', 'BR', TRUE)")
    address_id = address:bind_create(V, 36)
    address_customer = address:bind_create(V, 36)
    address:bind_param(address_id, address_customer)
    history = con:prepare("INSERT INTO " .. p .. "customer_history (customer_id, version, type, occurred_at, data, actor) "
        .. "VALUES (?, 1, 'customer.registered', NOW(6), '{\"name\": \"Bench Customer\", \"email\": \"bench@example.com\", "
        .. "\"phone\": \"+5511987654321\", \"birthDate\": \"1990-05-17\", \"addresses\": [{\"street\": \"Rua A\", "
        .. "\"number\": \"10\", \"city\": \"Recife\", \"postalCode\": \"50000-000\", \"country\": \"BR\", \"primary\": true}]}', NULL)")
    history_customer = history:bind_create(V, 36)
    history:bind_param(history_customer)
    outbox = con:prepare("INSERT INTO " .. p .. "outbox (id, subject, sequence, type, payload, headers, created_at) "
        .. "VALUES (?, ?, 1, 'customer.registered.v1', '{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/customerflow\","
        .. "\"type\":\"customer.registered.v1\",\"subject\":\"s\",\"time\":\"2026-01-01T00:00:00Z\","
        .. "\"datacontenttype\":\"application/json\",\"data\":{\"name\":\"Bench Customer\",\"email\":\"bench@example.com\"}}', "
        .. "NULL, NOW(6))")
    outbox_id = outbox:bind_create(V, 64)
    outbox_subject = outbox:bind_create(V, 36)
    outbox:bind_param(outbox_id, outbox_subject)
    -- Unique per thread and per run: the thread number and a random tag in the ids and e-mails.
    tag = string.format("%04x", sysbench.rand.uniform(0, 65535))
    counter = 0
end

function thread_done()
    con:disconnect()
end

function event()
    counter = counter + 1
    local suffix = string.format("%04x-%012d", sysbench.tid, counter)
    local id = "10000000-0000-" .. tag .. "-" .. suffix
    customer_id:set(id)
    customer_email:set("my-" .. tag .. "-" .. suffix .. "@example.com")
    address_id:set("10000000-0001-" .. tag .. "-" .. suffix)
    address_customer:set(id)
    history_customer:set(id)
    outbox_id:set("my-" .. tag .. "-" .. suffix)
    outbox_subject:set(id)
    con:query("BEGIN")
    customer:execute()
    address:execute()
    history:execute()
    outbox:execute()
    con:query("COMMIT")
end
