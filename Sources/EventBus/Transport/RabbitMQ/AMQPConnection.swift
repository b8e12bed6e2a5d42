#if RabbitMQ
import CRabbitMQ
import Dispatch
import Foundation

/// Where a broker is: `amqp://user:password@host:port/vhost` (vhost URL-encoded, `%2F` for `/`).
struct AMQPLocation: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var password: String
    var vhost: String

    init(_ url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "amqp", let host = components.host, !host.isEmpty else {
            throw TransportConfigurationError("eventBus.rabbitmq.url must look like amqp://user:password@host:5672/vhost")
        }
        self.host = host
        self.port = components.port ?? 5672
        self.user = components.user.map { $0.removingPercentEncoding ?? $0 } ?? "guest"
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 } ?? "guest"
        let path = String(components.percentEncodedPath.drop(while: { $0 == "/" }))
        self.vhost = path.isEmpty ? "/" : (path.removingPercentEncoding ?? path)
    }

    var description: String { "amqp://\(user)@\(host):\(port)/\(vhost)" }
}

/// A transport setting that cannot work.
public struct TransportConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One AMQP connection with one channel, driven by rabbitmq-c's blocking calls.
///
/// Every call runs on the connection's own serial dispatch queue: never on a NIO event loop or on
/// Swift's cooperative pool, where a blocking socket read would stall unrelated work. Callers
/// use ``perform(_:)`` from async code.
final class AMQPConnection: @unchecked Sendable {
    // @unchecked: `state` is touched only on `queue`.
    private let queue: DispatchQueue
    private var state: amqp_connection_state_t?
    let channel: amqp_channel_t = 1

    init(label: String) {
        self.queue = DispatchQueue(label: "customerflow.amqp.\(label)")
    }

    /// Runs `body` on the connection's queue with the connection state.
    func perform<T: Sendable>(_ body: @escaping @Sendable (AMQPConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self) })
            }
        }
    }

    var isOpen: Bool { state != nil }

    /// The open connection; throws when it is not (for use inside ``perform(_:)``).
    func connection() throws -> amqp_connection_state_t {
        guard let state else { throw TransportUnavailable("not connected") }
        return state
    }

    /// Opens the socket, logs in and opens the channel (on the queue).
    func open(_ location: AMQPLocation, timeout: TimeInterval = 5) throws {
        close()
        guard let state = amqp_new_connection() else { throw TransportUnavailable("cannot allocate a connection") }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            throw TransportUnavailable("cannot create a socket")
        }
        var time = timeval(tv_sec: Int(timeout), tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, location.host, Int32(location.port), &time)
        guard status == Int32(AMQP_STATUS_OK.rawValue) else {
            amqp_destroy_connection(state)
            throw TransportUnavailable("cannot connect to \(location.host):\(location.port): \(String(cString: amqp_error_string2(status)))")
        }
        _ = amqp_set_handshake_timeout(state, &time)
        _ = amqp_set_rpc_timeout(state, &time)
        let login = customerflow_amqp_login_plain(state, location.vhost, 0, location.user, location.password)
        guard login.reply_type == AMQP_RESPONSE_NORMAL else {
            let reason = Self.describe(login)
            amqp_destroy_connection(state)
            throw TransportUnavailable("login to \(location) failed: \(reason)")
        }
        amqp_channel_open(state, channel)
        let reply = amqp_get_rpc_reply(state)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            amqp_destroy_connection(state)
            throw TransportUnavailable("cannot open a channel: \(Self.describe(reply))")
        }
        self.state = state
    }

    /// Closes channel and connection politely, then frees everything (on the queue).
    func close() {
        guard let state else { return }
        self.state = nil
        _ = amqp_channel_close(state, channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
    }

    /// Drops the connection without the closing handshake, after an error made it unusable.
    func abandon() {
        guard let state else { return }
        self.state = nil
        amqp_destroy_connection(state)
    }

    /// Checks the reply of the last synchronous call; a failure closes the connection.
    func checkReply(_ what: String) throws {
        let reply = amqp_get_rpc_reply(try connection())
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            let reason = Self.describe(reply)
            abandon()
            throw TransportUnavailable("\(what) failed: \(reason)")
        }
    }

    func declareExchange(_ name: String) throws {
        let state = try connection()
        name.withCString { exchange in
            "topic".withCString { type in
                _ = amqp_exchange_declare(state, channel, amqp_cstring_bytes(exchange), amqp_cstring_bytes(type), 0, 1, 0, 0, amqp_empty_table)
            }
        }
        try checkReply("declaring exchange \(name)")
    }

    static func describe(_ reply: amqp_rpc_reply_t) -> String {
        switch reply.reply_type {
        case AMQP_RESPONSE_NONE:
            return "no reply"
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return String(cString: amqp_error_string2(reply.library_error))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            switch reply.reply.id {
            case AMQP_CONNECTION_CLOSE_METHOD:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "connection closed by the broker: \(close.reply_code) \(string(close.reply_text))"
            case AMQP_CHANNEL_CLOSE_METHOD:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "channel closed by the broker: \(close.reply_code) \(string(close.reply_text))"
            default:
                return "broker error (method \(reply.reply.id))"
            }
        default:
            return "unknown reply"
        }
    }

    static func string(_ bytes: amqp_bytes_t) -> String {
        guard let pointer = bytes.bytes, bytes.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: bytes.len), as: UTF8.self)
    }

    static func data(_ bytes: amqp_bytes_t) -> Data {
        guard let pointer = bytes.bytes, bytes.len > 0 else { return Data() }
        return Data(bytes: pointer, count: bytes.len)
    }
}

/// C strings for an AMQP headers table, freed together after the call that needs them.
struct AMQPHeaderTable: ~Copyable {
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private let entries: UnsafeMutablePointer<amqp_table_entry_t>
    private let count: Int

    init(_ headers: [String: String]) {
        count = headers.count
        entries = .allocate(capacity: max(1, headers.count))
        for (index, (name, value)) in headers.sorted(by: { $0.key < $1.key }).enumerated() {
            let key = strdup(name)!
            let text = strdup(value)!
            strings.append(key)
            strings.append(text)
            var field = amqp_field_value_t()
            field.kind = UInt8(ascii: "S")
            field.value.bytes = amqp_cstring_bytes(text)
            entries.advanced(by: index).initialize(to: amqp_table_entry_t(key: amqp_cstring_bytes(key), value: field))
        }
    }

    var table: amqp_table_t { amqp_table_t(num_entries: Int32(count), entries: entries) }

    deinit {
        for string in strings { free(string) }
        entries.deinitialize(count: count)
        entries.deallocate()
    }

    /// Reads a received table's UTF-8 string values.
    static func read(_ table: amqp_table_t) -> [String: String] {
        var result: [String: String] = [:]
        guard let entries = table.entries else { return result }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            if entry.value.kind == UInt8(ascii: "S") {
                result[AMQPConnection.string(entry.key)] = AMQPConnection.string(entry.value.value.bytes)
            }
        }
        return result
    }
}
#endif
