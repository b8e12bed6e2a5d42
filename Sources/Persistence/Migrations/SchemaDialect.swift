/// The DDL words that differ between databases. Migrations are written once with these.
struct SchemaDialect: Sendable {
    let kind: DatabaseKind

    var uuid: String { kind == .postgres ? "UUID" : "TEXT" }
    var timestamp: String { kind == .postgres ? "TIMESTAMPTZ" : "INTEGER" }
    var day: String { kind == .postgres ? "DATE" : "TEXT" }
    var json: String { kind == .postgres ? "JSONB" : "TEXT" }
    var boolean: String { kind == .postgres ? "BOOLEAN" : "INTEGER" }
    var bigint: String { kind == .postgres ? "BIGINT" : "INTEGER" }
    /// A column compared byte-wise, so that prefix ranges (`>= 'ana' AND < 'anb'`) use the index
    /// the same way on every database, whatever the server's locale.
    var binaryText: String { kind == .postgres ? "TEXT COLLATE \"C\"" : "TEXT" }
    /// An auto-incrementing 64-bit primary key.
    var autoIncrementPrimaryKey: String {
        kind == .postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
    }
    var trueLiteral: String { kind == .postgres ? "TRUE" : "1" }

    /// Claims and releases change only unindexed columns; on PostgreSQL, free space in each page
    /// lets those updates stay on the page (HOT) without touching any index.
    func outboxStorageTuning(_ names: SchemaNames) -> [String] {
        kind == .postgres ? ["ALTER TABLE \(names.outbox) SET (fillfactor = 70)"] : []
    }
}
