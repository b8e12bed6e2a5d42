import Logging
import NIOCore
import SQLKit

/// A database that wraps another and changes only how statements run (translated errors, spans,
/// a liveness check): everything else — logger, event loop, version, dialect, query log level —
/// is the wrapped database's.
protocol SQLDatabaseWrapper: SQLDatabase {
    var base: any SQLDatabase { get }
}

extension SQLDatabaseWrapper {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }
}
