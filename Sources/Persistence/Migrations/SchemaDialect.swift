/// The DDL words that differ between databases. Migrations are written once with these.
///
/// - Important: What a released migration produces for a database must never change (its
///   checksum is recorded); a new dialect may only add its own branch.
struct SchemaDialect: Sendable {
    let kind: DatabaseKind

    var uuid: String {
        switch kind {
        case .postgres: "UUID"
        case .sqlite: "TEXT"
        case .mysql: "VARCHAR(36) CHARACTER SET ascii COLLATE ascii_bin"
        }
    }

    var timestamp: String {
        switch kind {
        case .postgres: "TIMESTAMPTZ"
        case .sqlite: "INTEGER"
        case .mysql: "DATETIME(6)"
        }
    }

    var day: String { kind == .sqlite ? "TEXT" : "DATE" }

    var json: String {
        switch kind {
        case .postgres: "JSONB"
        case .sqlite: "TEXT"
        case .mysql: "JSON"
        }
    }

    var boolean: String { kind == .sqlite ? "INTEGER" : "BOOLEAN" }
    var bigint: String { kind == .sqlite ? "INTEGER" : "BIGINT" }

    /// Text that is part of an index: MySQL indexes only bounded strings, so there it is a
    /// `VARCHAR` of at most `length` characters (the domain bounds every such value).
    func indexedText(_ length: Int) -> String {
        kind == .mysql ? "VARCHAR(\(length))" : "TEXT"
    }

    /// An identifier-like key compared exactly, byte for byte (event ids, message ids, consumer
    /// groups, idempotency keys): on MySQL a `VARBINARY` of `length` characters' worth of UTF-8,
    /// since text collations ignore case, and even the binary ones trailing spaces, which would
    /// make different keys collide.
    func keyText(_ length: Int) -> String {
        kind == .mysql ? "VARBINARY(\(length * 4))" : "TEXT"
    }

    /// A column compared byte-wise, so that prefix ranges (`>= 'ana' AND < 'anb'`) use the index
    /// the same way on every database, whatever the server's locale.
    func binaryText(_ length: Int) -> String {
        switch kind {
        case .postgres: "TEXT COLLATE \"C\""
        case .sqlite: "TEXT"
        case .mysql: "VARCHAR(\(length)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        }
    }

    /// An auto-incrementing 64-bit primary key.
    var autoIncrementPrimaryKey: String {
        switch kind {
        case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .mysql: "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
        }
    }

    var trueLiteral: String { kind == .postgres ? "TRUE" : "1" }

    /// A column's reference to another table, written inline on PostgreSQL and SQLite. MySQL 8
    /// parses and ignores inline references, so there it is a table constraint
    /// (``tableReference(_:to:onDeleteCascade:)``) instead.
    func inlineReference(to table: String, onDeleteCascade: Bool = false) -> String {
        kind == .mysql ? "" : " REFERENCES \(table) (id)" + (onDeleteCascade ? " ON DELETE CASCADE" : "")
    }

    func tableReference(_ column: String, to table: String, onDeleteCascade: Bool = false) -> String {
        kind == .mysql ? ",\n    FOREIGN KEY (\(column)) REFERENCES \(table) (id)" + (onDeleteCascade ? " ON DELETE CASCADE" : "") : ""
    }

    /// Storage engine and character set for every table on MySQL: InnoDB, 4-byte UTF-8.
    var tableOptions: String {
        kind == .mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci" : ""
    }

    /// An index over the rows matching `predicate`. MySQL has no partial indexes: there the index
    /// covers every row (`fallbackColumns`).
    func partialIndex(_ name: String, on table: String, columns: String, where predicate: String, unique: Bool = false) -> [String] {
        let create = unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX"
        return ["\(create) \(name) ON \(table) (\(columns))" + (kind == .mysql ? "" : " WHERE \(predicate)")]
    }

    /// Claims and releases change only unindexed columns; on PostgreSQL, free space in each page
    /// lets those updates stay on the page (HOT) without touching any index.
    func outboxStorageTuning(_ names: SchemaNames) -> [String] {
        kind == .postgres ? ["ALTER TABLE \(names.outbox) SET (fillfactor = 70)"] : []
    }
}
