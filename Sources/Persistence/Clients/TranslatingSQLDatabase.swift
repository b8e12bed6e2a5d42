import Logging
import NIOCore
import SQLKit

/// Wraps a driver's SQLKit database so that every statement's error is already translated
/// (``DatabaseErrorTranslator``) when it reaches a repository: a repository can then catch a
/// ``UniqueViolation`` without knowing the driver.
struct TranslatingSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow).flatMapErrorThrowing { error in
            throw DatabaseErrorTranslator.translate(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        do {
            try await base.execute(sql: query, onRow)
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }
}

extension SQLDatabase {
    /// This database with driver errors translated statement by statement.
    var translatingErrors: any SQLDatabase { TranslatingSQLDatabase(base: self) }
}
