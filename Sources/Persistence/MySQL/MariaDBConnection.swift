#if MySQL
import CMariaDB
import CustomerDomain
import Foundation

/// A server error: its MySQL error number, SQLSTATE and message.
struct MariaDBError: Error, CustomStringConvertible {
    let code: UInt32
    let sqlState: String
    let message: String
    var description: String { "MariaDB error \(code) (\(sqlState)): \(message)" }

    /// The index a duplicate-key error (1062) names: MariaDB says `for key 'name'`, MySQL 8
    /// `for key 'table.name'`.
    var duplicateKeyName: String? {
        guard let range = message.range(of: "for key '", options: .backwards) else { return nil }
        var name = message[range.upperBound...]
        if name.hasSuffix("'") { name = name.dropLast() }
        if let dot = name.lastIndex(of: ".") { name = name[name.index(after: dot)...] }
        return String(name)
    }

    /// The connection is gone or unusable (server gone away, lost, cannot connect).
    var isConnectionLoss: Bool {
        [1053, 1927, 2002, 2003, 2005, 2006, 2013, 2055, 4031].contains(Int(code))
    }
}

/// What a statement produced.
struct MariaDBResult: Sendable {
    let columns: [String]
    let rows: [[MariaDBValue]]
    let affectedRows: UInt64
    let hasResultSet: Bool
}

/// One connection, driven by Connector/C's blocking calls on its own dedicated thread, with the
/// prepared statements it has seen cached by their SQL.
final class MariaDBConnection: @unchecked Sendable {
    // @unchecked: `mysql` and `statements` are touched only from `thread`.
    let thread: DedicatedThread
    private var mysql: UnsafeMutablePointer<MYSQL>?
    private var statements: [String: UnsafeMutablePointer<MYSQL_STMT>] = [:]
    private(set) var isBroken = true
    /// The pool's loss generation when this connection last proved alive (see
    /// ``MariaDBDatabaseClient``): an older one means the server went away since, and the
    /// connection is pinged before it is used.
    var provenGeneration = 0
    /// Statements kept prepared per connection. The server caps prepared statements for all its
    /// clients together (`max_prepared_stmt_count`, 16,382 by default): pool × this must stay well
    /// under it with several replicas.
    private static let maxCachedStatements = 64
    /// Statements with more parameters than this are `IN (…)` lists whose text changes with the
    /// batch: prepared, run and closed, never cached.
    private static let maxCachedParameters = 16

    init(index: Int) {
        self.thread = DedicatedThread(name: "customerflow-mariadb-\(index)")
    }

    // MARK: - Connecting (on `thread`)

    func connect(_ location: MySQLLocation, timeout: UInt32 = 5) throws {
        close()
        guard let handle = mysql_init(nil) else { throw MariaDBError(code: 2008, sqlState: "HY000", message: "out of memory") }
        _ = customerflow_mysql_set_string_option(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        _ = customerflow_mysql_set_uint_option(handle, MYSQL_OPT_CONNECT_TIMEOUT, timeout)
        // Long enough for a migration's DDL on a big table and for the migration lock's wait
        // (120 s); a server that stops answering is given up after this.
        _ = customerflow_mysql_set_uint_option(handle, MYSQL_OPT_READ_TIMEOUT, 900)
        _ = customerflow_mysql_set_uint_option(handle, MYSQL_OPT_WRITE_TIMEOUT, 900)
        switch location.tls {
        case .disabled:
            break
        case .preferred:
            _ = customerflow_mysql_set_bool_option(handle, MYSQL_OPT_SSL_ENFORCE, 0)
        case .required, .verifyCA, .verifyIdentity:
            _ = customerflow_mysql_set_bool_option(handle, MYSQL_OPT_SSL_ENFORCE, 1)
            _ = customerflow_mysql_set_bool_option(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, location.tls == .required ? 0 : 1)
            if let ca = location.certificateAuthority { _ = customerflow_mysql_set_string_option(handle, MYSQL_OPT_SSL_CA, ca) }
        }
        // FOUND_ROWS: an UPDATE reports the rows it matched, like PostgreSQL and SQLite, so an
        // optimistic-concurrency update that changed nothing is not mistaken for a lost race.
        let flags = UInt(CLIENT_FOUND_ROWS)
        guard mysql_real_connect(handle, location.host, location.username, location.password, location.database, UInt32(location.port), nil, flags) != nil else {
            let error = Self.error(of: handle)
            mysql_close(handle)
            throw error
        }
        mysql = handle
        isBroken = false
        // UTC everywhere, strict modes, and the isolation PostgreSQL gives by default. A
        // connection without them is not used.
        do {
            try control(
                "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'")
            try control("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        } catch {
            close()
            throw error
        }
    }

    func close() {
        for statement in statements.values { mysql_stmt_close(statement) }
        statements.removeAll()
        if let mysql { mysql_close(mysql) }
        mysql = nil
        isBroken = true
    }

    // MARK: - Statements (on `thread`)

    /// Runs a statement without parameters over the text protocol: transaction control and
    /// session settings, which MySQL 8 does not accept as prepared statements.
    func control(_ sql: String) throws {
        guard let mysql, !isBroken else { throw MariaDBError(code: 2006, sqlState: "HY000", message: "not connected") }
        let status = sql.withCString { mysql_real_query(mysql, $0, UInt(strlen($0))) }
        guard status == 0 else {
            let error = Self.error(of: mysql)
            if error.isConnectionLoss { markBroken() }
            throw error
        }
        // Statements like these return no rows; drain anything that came back all the same.
        if let result = mysql_store_result(mysql) { mysql_free_result(result) }
    }

    /// Prepares (or reuses) `sql`, binds, executes, and reads every row.
    func execute(_ sql: String, binds: [MariaDBValue]) throws -> MariaDBResult {
        guard let mysql, !isBroken else { throw MariaDBError(code: 2006, sqlState: "HY000", message: "not connected") }
        let cacheable = binds.count <= Self.maxCachedParameters
        let statement = try prepared(sql, on: mysql, cache: cacheable)
        defer { if !cacheable { mysql_stmt_close(statement) } }
        do {
            return try run(statement, binds: binds)
        } catch let error as MariaDBError {
            if error.isConnectionLoss { markBroken() }
            // A statement that failed may be left in a bad state: prepare it again next time.
            if cacheable, let cached = statements.removeValue(forKey: sql) { mysql_stmt_close(cached) }
            throw error
        }
    }

    private func markBroken() {
        isBroken = true
    }

    /// Whether the server still answers on this connection; marks it broken when not.
    func ping() -> Bool {
        guard let mysql, !isBroken else { return false }
        guard mysql_ping(mysql) == 0 else {
            markBroken()
            return false
        }
        return true
    }

    private func prepared(_ sql: String, on mysql: UnsafeMutablePointer<MYSQL>, cache: Bool, retry: Bool = true) throws -> UnsafeMutablePointer<MYSQL_STMT> {
        if cache, let cached = statements[sql] { return cached }
        guard let statement = mysql_stmt_init(mysql) else { throw Self.error(of: mysql) }
        let status = sql.withCString { mysql_stmt_prepare(statement, $0, UInt(strlen($0))) }
        guard status == 0 else {
            let error = Self.error(of: statement)
            mysql_stmt_close(statement)
            if error.isConnectionLoss { markBroken() }
            // The server's cap on prepared statements is reached: give ours back and try once more.
            if error.code == 1461, retry, !statements.isEmpty {
                for cached in statements.values { mysql_stmt_close(cached) }
                statements.removeAll()
                return try prepared(sql, on: mysql, cache: cache, retry: false)
            }
            throw error
        }
        var updateMaxLength: my_bool = 1
        _ = mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength)
        guard cache else { return statement }
        if statements.count >= Self.maxCachedStatements, let (evicted, old) = statements.first {
            mysql_stmt_close(old)
            statements.removeValue(forKey: evicted)
        }
        statements[sql] = statement
        return statement
    }

    private func run(_ statement: UnsafeMutablePointer<MYSQL_STMT>, binds: [MariaDBValue]) throws -> MariaDBResult {
        let parameterCount = Int(mysql_stmt_param_count(statement))
        guard parameterCount == binds.count else {
            throw MariaDBError(code: 2031, sqlState: "HY000", message: "the statement has \(parameterCount) parameters, \(binds.count) values were bound")
        }
        let parameters = ParameterBuffers(binds)
        defer { parameters.free() }
        if parameterCount > 0 {
            guard mysql_stmt_bind_param(statement, parameters.binds) == 0 else { throw Self.error(of: statement) }
        }
        guard mysql_stmt_execute(statement) == 0 else { throw Self.error(of: statement) }
        defer { mysql_stmt_free_result(statement) }

        guard let metadata = mysql_stmt_result_metadata(statement) else {
            return MariaDBResult(columns: [], rows: [], affectedRows: mysql_stmt_affected_rows(statement), hasResultSet: false)
        }
        defer { mysql_free_result(metadata) }
        guard mysql_stmt_store_result(statement) == 0 else { throw Self.error(of: statement) }
        let count = Int(mysql_num_fields(metadata))
        var columns: [String] = []
        var kinds: [(type: enum_field_types, binary: Bool)] = []
        var capacities: [Int] = []
        for index in 0..<count {
            let field = mysql_fetch_field_direct(metadata, UInt32(index))!.pointee
            columns.append(String(cString: field.name))
            kinds.append((field.type, field.flags & UInt32(BINARY_FLAG) != 0 && field.charsetnr == 63))
            // Text and blob columns report their longest value; other types are converted to text,
            // whose length the display width bounds.
            let isLong = [MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB, MYSQL_TYPE_STRING, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR, MYSQL_TYPE_JSON].contains(field.type)
            capacities.append(isLong ? max(Int(field.max_length), 1) : max(Int(field.length), Int(field.max_length), 64))
        }
        let results = ResultBuffers(capacities: capacities)
        defer { results.free() }
        guard mysql_stmt_bind_result(statement, results.binds) == 0 else { throw Self.error(of: statement) }
        var rows: [[MariaDBValue]] = []
        rows.reserveCapacity(Int(mysql_stmt_num_rows(statement)))
        while true {
            let status = mysql_stmt_fetch(statement)
            if status == MYSQL_NO_DATA { break }
            guard status == 0 || status == MYSQL_DATA_TRUNCATED else { throw Self.error(of: statement) }
            var row: [MariaDBValue] = []
            row.reserveCapacity(count)
            for index in 0..<count {
                row.append(Self.value(results.cell(index), kind: kinds[index]))
            }
            rows.append(row)
        }
        return MariaDBResult(columns: columns, rows: rows, affectedRows: mysql_stmt_affected_rows(statement), hasResultSet: true)
    }

    /// Converts a column fetched as text (or bytes) into a value by the column's type.
    static func value(_ cell: [UInt8]?, kind: (type: enum_field_types, binary: Bool)) -> MariaDBValue {
        guard let cell else { return .null }
        let text = { String(decoding: cell, as: UTF8.self) }
        switch kind.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24, MYSQL_TYPE_YEAR:
            return Int64(text()).map(MariaDBValue.integer) ?? .text(text())
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE, MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            let string = text()
            if let integer = Int64(string) { return .integer(integer) }
            return Double(string).map(MariaDBValue.double) ?? .text(string)
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE:
            return CalendarDay(iso8601: text()).map(MariaDBValue.date) ?? .text(text())
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIMESTAMP2:
            return parseDateTime(text()).map(MariaDBValue.datetime) ?? .text(text())
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB, MYSQL_TYPE_STRING, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR:
            return kind.binary ? .bytes(cell) : .text(text())
        default:
            return .text(text())
        }
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC) to microseconds since the epoch.
    static func parseDateTime(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let day = CalendarDay(iso8601: String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ".")
        let fields = clock[0].split(separator: ":").compactMap { Int($0) }
        guard fields.count == 3 else { return nil }
        var micros = 0
        if clock.count == 2 {
            let digits = String(clock[1].prefix(6))
            micros = (Int(digits) ?? 0) * Int(pow(10, Double(6 - digits.count)))
        }
        return Timestamp.microseconds(year: day.year, month: day.month, day: day.day, hour: fields[0], minute: fields[1], second: fields[2], microsecond: micros)
    }

    static func error(of mysql: UnsafeMutablePointer<MYSQL>) -> MariaDBError {
        MariaDBError(code: mysql_errno(mysql), sqlState: String(cString: mysql_sqlstate(mysql)), message: String(cString: mysql_error(mysql)))
    }

    static func error(of statement: UnsafeMutablePointer<MYSQL_STMT>) -> MariaDBError {
        MariaDBError(code: mysql_stmt_errno(statement), sqlState: String(cString: mysql_stmt_sqlstate(statement)), message: String(cString: mysql_stmt_error(statement)))
    }
}

/// C memory for bound parameters, freed after the statement ran.
private final class ParameterBuffers {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private var allocations: [UnsafeMutableRawPointer] = []
    private let count: Int

    init(_ values: [MariaDBValue]) {
        count = values.count
        binds = .allocate(capacity: max(1, values.count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, values.count))
        for (index, value) in values.enumerated() {
            var bind = MYSQL_BIND()
            switch value {
            case .null:
                bind.buffer_type = MYSQL_TYPE_NULL
            case .integer(let number):
                bind.buffer_type = MYSQL_TYPE_LONGLONG
                bind.buffer = store(number)
            case .double(let number):
                bind.buffer_type = MYSQL_TYPE_DOUBLE
                bind.buffer = store(number)
            case .text(let text):
                bind.buffer_type = MYSQL_TYPE_STRING
                let bytes = Array(text.utf8)
                bind.buffer = store(bytes: bytes)
                bind.buffer_length = UInt(bytes.count)
            case .bytes(let bytes):
                bind.buffer_type = MYSQL_TYPE_BLOB
                bind.buffer = store(bytes: bytes)
                bind.buffer_length = UInt(bytes.count)
            case .date(let day):
                bind.buffer_type = MYSQL_TYPE_DATE
                var time = MYSQL_TIME()
                time.year = UInt32(day.year)
                time.month = UInt32(day.month)
                time.day = UInt32(day.day)
                time.time_type = MYSQL_TIMESTAMP_DATE
                bind.buffer = store(time)
            case .datetime(let micros):
                bind.buffer_type = MYSQL_TYPE_DATETIME
                let parts = Timestamp.components(microseconds: micros)
                var time = MYSQL_TIME()
                time.year = UInt32(parts.year)
                time.month = UInt32(parts.month)
                time.day = UInt32(parts.day)
                time.hour = UInt32(parts.hour)
                time.minute = UInt32(parts.minute)
                time.second = UInt32(parts.second)
                time.second_part = UInt(parts.microsecond)
                time.time_type = MYSQL_TIMESTAMP_DATETIME
                bind.buffer = store(time)
            }
            binds[index] = bind
        }
    }

    private func store<T>(_ value: T) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        pointer.storeBytes(of: value, as: T.self)
        allocations.append(pointer)
        return pointer
    }

    private func store(bytes: [UInt8]) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        allocations.append(pointer)
        return pointer
    }

    func free() {
        for allocation in allocations { allocation.deallocate() }
        binds.deinitialize(count: max(1, count))
        binds.deallocate()
    }
}

/// C memory for fetched columns: every column is fetched as text (bytes for binary columns)
/// into a buffer as large as the longest value in the result.
private final class ResultBuffers {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let buffers: [UnsafeMutableRawPointer]
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let count: Int

    init(capacities: [Int]) {
        count = capacities.count
        binds = .allocate(capacity: max(1, count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, count))
        lengths = .allocate(capacity: max(1, count))
        lengths.initialize(repeating: 0, count: max(1, count))
        nulls = .allocate(capacity: max(1, count))
        nulls.initialize(repeating: 0, count: max(1, count))
        buffers = capacities.map { UnsafeMutableRawPointer.allocate(byteCount: $0 + 1, alignment: 1) }
        for index in 0..<count {
            var bind = MYSQL_BIND()
            bind.buffer_type = MYSQL_TYPE_STRING
            bind.buffer = buffers[index]
            bind.buffer_length = UInt(capacities[index] + 1)
            bind.length = lengths.advanced(by: index)
            bind.is_null = nulls.advanced(by: index)
            binds[index] = bind
        }
    }

    func cell(_ index: Int) -> [UInt8]? {
        guard nulls[index] == 0 else { return nil }
        let length = min(Int(lengths[index]), Int(binds[index].buffer_length))
        return Array(UnsafeRawBufferPointer(start: buffers[index], count: length))
    }

    func free() {
        for buffer in buffers { buffer.deallocate() }
        lengths.deallocate()
        nulls.deallocate()
        binds.deinitialize(count: max(1, count))
        binds.deallocate()
    }
}
#endif
