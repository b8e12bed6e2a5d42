import SQLKit

extension SQLDatabase {
    /// Whether this is MySQL or MariaDB, whose SQL differs most from the others'.
    var isMySQL: Bool { dialect.name == "mysql" }

    /// Runs an `UPDATE` or `DELETE` and returns how many rows it matched.
    ///
    /// PostgreSQL and SQLite count the rows of a `RETURNING` clause; MySQL has none, and its
    /// driver reports the matched rows instead (connections use `CLIENT_FOUND_ROWS`, so a row
    /// set to the values it already had counts too, as on the others).
    func matchedRows(_ statement: SQLQueryString) async throws -> Int {
        #if MySQL
        if isMySQL {
            guard let row = try await raw(statement).first() else { return 0 }
            return try row.decode(column: MariaDBSQLDatabase.affectedRowsColumn, as: Int.self)
        }
        #endif
        return try await raw("\(statement) RETURNING 1 AS matched").all().count
    }
}
