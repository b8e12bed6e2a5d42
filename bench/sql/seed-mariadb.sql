-- bench/seed on MariaDB: COUNT customers with one address and their registration in the history,
-- in bulk (no API), into the tables with prefix PREFIX_ (bench/run replaces both words). The same
-- rows as seed-postgres.sql: customer n gets the id 00000000-0000-7000-8000-<n in hex>, the e-mail
-- seed-<n>@example.com and the name "Seed Customer n". The numbers come from MariaDB's SEQUENCE
-- engine (seq_1_to_COUNT).
SET time_zone = '+00:00';
SET unique_checks = 0, foreign_key_checks = 0;
START TRANSACTION;
INSERT INTO PREFIX_customers (id, name, search_name, email, phone, document_type, document_number, birth_date, status,
    deactivation_reason, version, created_at, updated_at)
SELECT CONCAT('00000000-0000-7000-8000-', LPAD(LOWER(HEX(seq)), 12, '0')), CONCAT('Seed Customer ', seq), CONCAT('seed customer ', seq),
    CONCAT('seed-', seq, '@example.com'), '+5511987654321', NULL, NULL, DATE '1990-05-17', 'active', NULL, 1,
    TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq * 1000 MICROSECOND, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq * 1000 MICROSECOND
FROM seq_1_to_COUNT;
INSERT INTO PREFIX_customer_addresses (id, customer_id, ordinal, label, street, number, complement, district, city, state,
    postal_code, country, is_primary)
SELECT CONCAT('00000000-0000-7000-9000-', LPAD(LOWER(HEX(seq)), 12, '0')), CONCAT('00000000-0000-7000-8000-', LPAD(LOWER(HEX(seq)), 12, '0')),
    0, 'home', 'Rua A', '10', NULL, NULL, 'Recife', 'PE', '50000-000', 'BR', TRUE
FROM seq_1_to_COUNT;
INSERT INTO PREFIX_customer_history (customer_id, version, type, occurred_at, data, actor)
SELECT CONCAT('00000000-0000-7000-8000-', LPAD(LOWER(HEX(seq)), 12, '0')), 1, 'customer.registered',
    TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq * 1000 MICROSECOND,
    JSON_OBJECT('name', CONCAT('Seed Customer ', seq), 'email', CONCAT('seed-', seq, '@example.com')), 'seed'
FROM seq_1_to_COUNT;
COMMIT;
SET unique_checks = 1, foreign_key_checks = 1;
ANALYZE TABLE PREFIX_customers, PREFIX_customer_addresses, PREFIX_customer_history;
