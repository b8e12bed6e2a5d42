/// One step of the schema, applied once and recorded in the migrations table.
///
/// - Important: Migrations are additive and never edited after release: a released migration's
///   statements are what existing databases ran. Change the schema with a new migration.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    let statements: @Sendable (SchemaDialect, SchemaNames) -> [String]

    init(version: Int, name: String, statements: @escaping @Sendable (SchemaDialect, SchemaNames) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// The SQL this migration runs on a database of `kind`.
    public func sql(for kind: DatabaseKind, names: SchemaNames) -> [String] {
        statements(SchemaDialect(kind: kind), names)
    }
}
