-- bench/seed on PostgreSQL: :count customers with one address and their registration in the
-- history, in bulk (no API), into the tables with prefix :prefix. Customer n gets the id
-- 00000000-0000-7000-8000-<n in hex>, the e-mail seed-<n>@example.com and the name "Seed Customer n",
-- so that load scripts address them without reading ids back.
\set ON_ERROR_STOP on
\set customers :prefix customers
\set addresses :prefix customer_addresses
\set history :prefix customer_history
BEGIN;
INSERT INTO :"customers" (id, name, search_name, email, phone, document_type, document_number, birth_date, status,
    deactivation_reason, version, created_at, updated_at)
SELECT CAST('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0') AS uuid), 'Seed Customer ' || n, 'seed customer ' || n,
    'seed-' || n || '@example.com', '+5511987654321', NULL, NULL, DATE '1990-05-17', 'active', NULL, 1,
    TIMESTAMPTZ '2026-01-01 00:00:00+00' + n * INTERVAL '1 millisecond', TIMESTAMPTZ '2026-01-01 00:00:00+00' + n * INTERVAL '1 millisecond'
FROM generate_series(1, :count) AS n;
INSERT INTO :"addresses" (id, customer_id, ordinal, label, street, number, complement, district, city, state,
    postal_code, country, is_primary)
SELECT CAST('00000000-0000-7000-9000-' || lpad(to_hex(n), 12, '0') AS uuid), CAST('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0') AS uuid),
    0, 'home', 'Rua A', '10', NULL, NULL, 'Recife', 'PE', '50000-000', 'BR', true
FROM generate_series(1, :count) AS n;
INSERT INTO :"history" (customer_id, version, type, occurred_at, data, actor)
SELECT CAST('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0') AS uuid), 1, 'customer.registered',
    TIMESTAMPTZ '2026-01-01 00:00:00+00' + n * INTERVAL '1 millisecond',
    jsonb_build_object('name', 'Seed Customer ' || n, 'email', 'seed-' || n || '@example.com'), 'seed'
FROM generate_series(1, :count) AS n;
COMMIT;
ANALYZE :"customers";
ANALYZE :"addresses";
ANALYZE :"history";
