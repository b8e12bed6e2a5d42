#if MySQL
import SQLKit

/// The SQL of MySQL 8 and MariaDB 10.6+: backquoted identifiers, `?` placeholders, no
/// `RETURNING`, `ON DUPLICATE KEY UPDATE` upserts.
struct MySQLDialect: SQLDialect {
    var name: String { "mysql" }
    var identifierQuote: any SQLExpression { SQLRaw("`") }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    var supportsAutoIncrement: Bool { true }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTO_INCREMENT") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "1" : "0") }
    var literalDefault: any SQLExpression { SQLRaw("DEFAULT") }
    var supportsIfExists: Bool { true }
    var enumSyntax: SQLEnumSyntax { .inline }
    var supportsDropBehavior: Bool { false }
    var supportsReturning: Bool { false }
    var triggerSyntax: SQLTriggerSyntax { .init(create: [.requiresForEachRow, .supportsBody, .supportsOrder], drop: []) }
    var alterTableSyntax: SQLAlterTableSyntax { .init(alterColumnDefinitionClause: SQLRaw("MODIFY COLUMN"), allowsBatch: true) }
    var upsertSyntax: SQLUpsertSyntax { .mysqlLike }
    var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .except, .explicitDistinct, .parenthesizedSubqueries] }
    var sharedSelectLockExpression: (any SQLExpression)? { SQLRaw("LOCK IN SHARE MODE") }
    var exclusiveSelectLockExpression: (any SQLExpression)? { SQLRaw("FOR UPDATE") }
}
#endif
