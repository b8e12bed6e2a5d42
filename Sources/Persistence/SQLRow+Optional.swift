import SQLKit

extension SQLRow {
    /// The column's value, or `nil` when it is SQL NULL.
    func decodeOptional<T: Decodable>(column: String, as type: T.Type = T.self) throws -> T? {
        if try decodeNil(column: column) { return nil }
        return try decode(column: column, as: T.self)
    }
}

/// A bound value, or the literal `NULL` for `nil`: binding an `Optional` directly would lose the
/// column type on PostgreSQL.
func nullable(_ value: (any Encodable & Sendable)?) -> any SQLExpression {
    guard let value else { return SQLLiteral.null }
    return SQLBind(value)
}
