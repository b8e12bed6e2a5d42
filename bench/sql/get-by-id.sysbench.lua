-- The statement GET /v1/customers/{id} runs on MariaDB (SQLCustomerQueries.customerStatement),
-- prepared once per connection as CustomerFlow's driver prepares it, on a random seeded customer:
--   sysbench --db-driver=mysql … bench/sql/get-by-id.sysbench.lua --count=N --prefix=P run
sysbench.cmdline.options = {
    count = {"customers seeded (ids 1…count)", 10000},
    prefix = {"table prefix", ""},
}

function thread_init()
    drv = sysbench.sql.driver()
    con = drv:connect()
    local p = sysbench.opt.prefix
    stmt = con:prepare("SELECT c.id, c.name, c.email, c.phone, c.document_type, c.document_number, c.birth_date, c.status, "
        .. "c.deactivation_reason, c.version, c.created_at, c.updated_at, a.id AS address_id, a.label AS address_label, "
        .. "a.street AS address_street, a.number AS address_number, a.complement AS address_complement, "
        .. "a.district AS address_district, a.city AS address_city, a.state AS address_state, "
        .. "a.postal_code AS address_postal_code, a.country AS address_country, a.is_primary AS address_is_primary, a.ordinal AS address_ordinal "
        .. "FROM " .. p .. "customers c LEFT JOIN " .. p .. "customer_addresses a ON a.customer_id = c.id "
        .. "WHERE c.id = ?")
    id = stmt:bind_create(sysbench.sql.type.VARCHAR, 36)
    stmt:bind_param(id)
end

function thread_done()
    stmt:close()
    con:disconnect()
end

function event()
    id:set(string.format("00000000-0000-7000-8000-%012x", sysbench.rand.uniform(1, sysbench.opt.count)))
    stmt:execute()
end
