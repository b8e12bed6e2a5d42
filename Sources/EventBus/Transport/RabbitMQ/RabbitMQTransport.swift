#if RabbitMQ
import CRabbitMQ
import Foundation
import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import Resilience
import Synchronization

/// The RabbitMQ transport, on rabbitmq-c.
///
/// Publishing: a durable topic exchange (declared at connect; an existing one with the same
/// properties is fine), routing key = event type, persistent messages with the CloudEvents
/// attributes and trace context as headers, `mandatory` set so that an unroutable message comes
/// back and counts as rejected, and publisher confirms awaited for the whole batch.
///
/// Consuming: each consumer group has its own durable queue, `<exchange>.<group>`, bound to the
/// exchange with the group's patterns; acknowledgements are manual, after the handler committed.
///
/// A lost or refused connection surfaces as ``TransportUnavailable``; the next call reconnects.
public final class RabbitMQTransport: Transport {
    public var messagingSystem: String { "rabbitmq" }

    let location: AMQPLocation
    let exchange: String
    let logger: Logger
    private let publisher: AMQPConnection
    /// Delivery tags of the publisher's channel; touched only on its queue.
    private let nextTag = Mutex<UInt64>(0)
    /// Whether the publisher's connection is open, as its own queue last saw it: probes read it
    /// without queueing behind a batch that waits for confirms.
    private let connected = Mutex(false)
    /// How long to wait for the confirms of a batch before giving the connection up.
    let confirmTimeout: TimeInterval
    /// Around every publish (and the connect it may need): see ``publishPipeline(logger:metrics:)``.
    let resilience: ResiliencePipeline

    /// - Parameter resilience: the publish pipeline; by default ``publishPipeline(logger:metrics:)``.
    public init(
        url: String, exchange: String = "customerflow.events", confirmTimeout: TimeInterval = 30, resilience: ResiliencePipeline? = nil,
        logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory
    ) throws {
        self.location = try AMQPLocation(url)
        self.exchange = exchange
        self.logger = logger
        self.confirmTimeout = confirmTimeout
        self.publisher = AMQPConnection(label: "publisher")
        self.resilience = resilience ?? Self.publishPipeline(logger: logger, metrics: metrics)
    }

    /// The default publish pipeline: a circuit breaker over broker outages (half of at least 5
    /// publishes failing within 30 s opens it for 5 s, during which publishes fail at once as
    /// ``TransportUnavailable`` and the relay backs off without hammering the broker), around one
    /// quick retry of a publish whose connection dropped (a fresh connection usually takes it).
    ///
    /// Only outages count and are retried: a message the broker refuses is a ``PublishResult``,
    /// not an error.
    public static func publishPipeline(logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory) -> ResiliencePipeline {
        let telemetry = ResilienceTelemetry(pipeline: "rabbitmq.publish", logger: logger, metrics: metrics)
        return ResiliencePipeline(name: "rabbitmq.publish", strategies: [
            CircuitBreaker(
                .init(failureRatio: 0.5, samplingDuration: .seconds(30), minimumThroughput: 5, breakDuration: .seconds(5), isFailure: { $0 is TransportUnavailable }),
                telemetry: telemetry),
            RetryStrategy(
                .init(maxAttempts: 2, backoff: .exponential(.milliseconds(200)), jitter: .full, shouldRetry: { $0 is TransportUnavailable }),
                telemetry: telemetry),
        ])
    }

    // MARK: - Publishing

    public func publish(_ messages: [OutboundMessage]) async throws -> [PublishResult] {
        guard !messages.isEmpty else { return [] }
        do {
            return try await resilience.execute { try await self.publishOnce(messages) }
        } catch let open as BrokenCircuit {
            throw TransportUnavailable("publishing paused after repeated broker failures (\(open))")
        }
    }

    private func publishOnce(_ messages: [OutboundMessage]) async throws -> [PublishResult] {
        try await publisher.perform { [self] connection in
            do {
                let results = try publishBatch(messages, on: connection)
                connected.withLock { $0 = connection.isOpen }
                return results
            } catch {
                connected.withLock { $0 = connection.isOpen }
                throw error
            }
        }
    }

    /// A TCP connection to the broker, opened and closed at once (1 s timeout): whether the broker
    /// is back, without the publisher's connection, its serial queue or an AMQP login.
    public func isReachable() async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1))
                .connect(host: location.host, port: location.port).get()
            channel.close(promise: nil)
            return true
        } catch {
            return false
        }
    }

    /// The publisher's connection, opened (exchange declared, confirms on) if it was not: what a
    /// publish would need, so a probe that passes means the next publish can go out.
    /// A connection the publisher holds open answers at once; otherwise the probe connects (on the
    /// publisher's queue, as a publish would).
    public func checkConnection() async throws {
        if connected.withLock({ $0 }) { return }
        try await publisher.perform { [self] connection in
            do {
                try connectIfNeeded(connection)
                connected.withLock { $0 = true }
            } catch {
                connected.withLock { $0 = false }
                throw error
            }
        }
    }

    private func connectIfNeeded(_ connection: AMQPConnection) throws {
        guard !connection.isOpen else { return }
        try connection.open(location)
        try connection.declareExchange(exchange)
        amqp_confirm_select(try connection.connection(), connection.channel)
        try connection.checkReply("confirm.select")
        nextTag.withLock { $0 = 0 }
        logger.info("connected to RabbitMQ", metadata: ["broker": "\(location)", "exchange": "\(exchange)"])
    }

    private func publishBatch(_ messages: [OutboundMessage], on connection: AMQPConnection) throws -> [PublishResult] {
        try connectIfNeeded(connection)
        let state = try connection.connection()
        var indexByTag: [UInt64: Int] = [:]
        var indexByID: [String: Int] = [:]
        let contentType = strdup("application/cloudevents+json")!
        defer { free(contentType) }
        for (index, message) in messages.enumerated() {
            indexByID[message.id] = index
            let table = AMQPHeaderTable(message.headers)
            let status: Int32 = exchange.withCString { exchangeName in
                message.routingKey.withCString { routingKey in
                    message.id.withCString { messageID in
                        message.body.withUnsafeBytes { body in
                            var properties = amqp_basic_properties_t()
                            properties._flags = amqp_flags_t(
                                AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG)
                            properties.content_type = amqp_cstring_bytes(contentType)
                            properties.delivery_mode = 2
                            properties.message_id = amqp_cstring_bytes(messageID)
                            properties.headers = table.table
                            let bytes = amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress))
                            return amqp_basic_publish(
                                state, connection.channel, amqp_cstring_bytes(exchangeName), amqp_cstring_bytes(routingKey), 1, 0, &properties, bytes)
                        }
                    }
                }
            }
            guard status == Int32(AMQP_STATUS_OK.rawValue) else {
                connection.abandon()
                throw TransportUnavailable("publishing failed: \(String(cString: amqp_error_string2(status)))")
            }
            let tag = nextTag.withLock { tag in
                tag += 1
                return tag
            }
            indexByTag[tag] = index
        }
        return try awaitConfirms(count: messages.count, indexByTag: indexByTag, indexByID: indexByID, on: connection)
    }

    private func awaitConfirms(count: Int, indexByTag: [UInt64: Int], indexByID: [String: Int], on connection: AMQPConnection) throws -> [PublishResult] {
        let state = try connection.connection()
        var results = [PublishResult?](repeating: nil, count: count)
        var returned: [Int: String] = [:]
        var unconfirmed = Set(indexByTag.keys)
        let deadline = Date().addingTimeInterval(confirmTimeout)
        func settle(_ tag: UInt64, multiple: Bool, _ outcome: (Int) -> PublishResult) {
            let tags = multiple ? unconfirmed.filter { $0 <= tag } : (unconfirmed.contains(tag) ? [tag] : [])
            for settled in tags {
                unconfirmed.remove(settled)
                if let index = indexByTag[settled] { results[index] = outcome(index) }
            }
        }
        while !unconfirmed.isEmpty {
            amqp_maybe_release_buffers(state)
            var frame = amqp_frame_t()
            var wait = timeval(tv_sec: 1, tv_usec: 0)
            let status = amqp_simple_wait_frame_noblock(state, &frame, &wait)
            if status == Int32(AMQP_STATUS_TIMEOUT.rawValue) {
                if Date() > deadline {
                    connection.abandon()
                    throw TransportUnavailable("the broker confirmed nothing for \(Int(confirmTimeout)) s")
                }
                continue
            }
            guard status == Int32(AMQP_STATUS_OK.rawValue) else {
                connection.abandon()
                throw TransportUnavailable("connection lost while waiting for confirms: \(String(cString: amqp_error_string2(status)))")
            }
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            let method = frame.payload.method
            switch method.id {
            case AMQP_BASIC_ACK_METHOD:
                let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                settle(ack.delivery_tag, multiple: ack.multiple != 0) { index in
                    returned[index].map(PublishResult.rejected) ?? .confirmed
                }
            case AMQP_BASIC_NACK_METHOD:
                let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                settle(nack.delivery_tag, multiple: nack.multiple != 0) { _ in .rejected("negatively acknowledged by the broker") }
            case AMQP_BASIC_RETURN_METHOD:
                let basicReturn = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
                let reason = "returned by the broker: \(basicReturn.reply_code) \(AMQPConnection.string(basicReturn.reply_text))"
                var message = amqp_message_t()
                let read = amqp_read_message(state, frame.channel, &message, 0)
                guard read.reply_type == AMQP_RESPONSE_NORMAL else {
                    connection.abandon()
                    throw TransportUnavailable("reading a returned message failed: \(AMQPConnection.describe(read))")
                }
                if let index = indexByID[AMQPConnection.string(message.properties.message_id)] { returned[index] = reason }
                amqp_destroy_message(&message)
            case AMQP_CHANNEL_CLOSE_METHOD, AMQP_CONNECTION_CLOSE_METHOD:
                let (code, text) = Self.closeReason(method)
                connection.abandon()
                if code == 406 || code == 403 {
                    // The broker refused what was sent (too large, not allowed): the unconfirmed
                    // messages fail an attempt rather than waiting for an outage to end.
                    for tag in unconfirmed { if let index = indexByTag[tag] { results[index] = .rejected("refused by the broker: \(code) \(text)") } }
                    return results.map { $0 ?? .rejected("refused by the broker: \(code) \(text)") }
                }
                throw TransportUnavailable("closed by the broker: \(code) \(text)")
            default:
                continue
            }
        }
        return results.map { $0 ?? .rejected("no confirm") }
    }

    static func closeReason(_ method: amqp_method_t) -> (UInt16, String) {
        if method.id == AMQP_CHANNEL_CLOSE_METHOD {
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return (close.reply_code, AMQPConnection.string(close.reply_text))
        }
        let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
        return (close.reply_code, AMQPConnection.string(close.reply_text))
    }

    // MARK: - Consuming

    /// The queue of a consumer group.
    public func queueName(group: String) -> String { "\(exchange).\(group)" }

    public func consume(
        group: String,
        bindings: [String],
        prefetch: Int,
        handler: @escaping @Sendable (Delivery) async throws -> Void
    ) async throws {
        let connection = AMQPConnection(label: "consumer.\(group)")
        let queue = queueName(group: group)
        let location = self.location
        let exchange = self.exchange
        do {
            try await connection.perform { connection in
                try connection.open(location)
                try connection.declareExchange(exchange)
                let state = try connection.connection()
                queue.withCString { queueName in
                    _ = amqp_queue_declare(state, connection.channel, amqp_cstring_bytes(queueName), 0, 1, 0, 0, amqp_empty_table)
                }
                try connection.checkReply("declaring queue \(queue)")
                for binding in bindings {
                    queue.withCString { queueName in
                        exchange.withCString { exchangeName in
                            binding.withCString { pattern in
                                _ = amqp_queue_bind(
                                    state, connection.channel, amqp_cstring_bytes(queueName), amqp_cstring_bytes(exchangeName),
                                    amqp_cstring_bytes(pattern), amqp_empty_table)
                            }
                        }
                    }
                    try connection.checkReply("binding \(queue) to \(binding)")
                }
                _ = amqp_basic_qos(state, connection.channel, 0, UInt16(clamping: prefetch), 0)
                try connection.checkReply("basic.qos")
                queue.withCString { queueName in
                    _ = amqp_basic_consume(state, connection.channel, amqp_cstring_bytes(queueName), amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
                }
                try connection.checkReply("basic.consume")
            }
            logger.info("consuming", metadata: ["queue": "\(queue)", "bindings": "\(bindings)"])
            while !Task.isCancelled {
                guard let received = try await connection.perform({ try Self.nextDelivery(on: $0) }) else { continue }
                let tag = received.tag
                try await handler(
                    Delivery(body: received.body, routingKey: received.routingKey, headers: received.headers, redelivered: received.redelivered) {
                        _ = try? await connection.perform { connection in
                            let status = amqp_basic_ack(try connection.connection(), connection.channel, tag, 0)
                            if status != Int32(AMQP_STATUS_OK.rawValue) { connection.abandon() }
                        }
                    }
                )
            }
            _ = try? await connection.perform { $0.close() }
        } catch {
            // Unacknowledged deliveries go back to the queue when the connection goes.
            _ = try? await connection.perform { $0.abandon() }
            throw error
        }
    }

    struct Received: Sendable {
        let tag: UInt64
        let body: Data
        let routingKey: String
        let headers: [String: String]
        let redelivered: Bool
    }

    /// Waits up to a second for the next delivery; `nil` when none came.
    static func nextDelivery(on connection: AMQPConnection) throws -> Received? {
        let state = try connection.connection()
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var wait = timeval(tv_sec: 1, tv_usec: 0)
        let reply = amqp_consume_message(state, &envelope, &wait, 0)
        if reply.reply_type == AMQP_RESPONSE_NORMAL {
            defer { amqp_destroy_envelope(&envelope) }
            var headers = AMQPHeaderTable.read(envelope.message.properties.headers)
            if envelope.message.properties._flags & amqp_flags_t(AMQP_BASIC_MESSAGE_ID_FLAG) != 0 {
                headers["message-id"] = AMQPConnection.string(envelope.message.properties.message_id)
            }
            return Received(
                tag: envelope.delivery_tag,
                body: AMQPConnection.data(envelope.message.body),
                routingKey: AMQPConnection.string(envelope.routing_key),
                headers: headers,
                redelivered: envelope.redelivered != 0
            )
        }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == Int32(AMQP_STATUS_TIMEOUT.rawValue) {
            return nil
        }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == Int32(AMQP_STATUS_UNEXPECTED_STATE.rawValue) {
            // Something other than a delivery arrived: a close means the channel is gone.
            var frame = amqp_frame_t()
            guard amqp_simple_wait_frame(state, &frame) == Int32(AMQP_STATUS_OK.rawValue) else {
                connection.abandon()
                throw TransportUnavailable("connection lost")
            }
            if frame.frame_type == UInt8(AMQP_FRAME_METHOD),
               frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD || frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD {
                let (code, text) = closeReason(frame.payload.method)
                connection.abandon()
                throw TransportUnavailable("closed by the broker: \(code) \(text)")
            }
            return nil
        }
        let reason = AMQPConnection.describe(reply)
        connection.abandon()
        throw TransportUnavailable("consuming failed: \(reason)")
    }

    public func shutdown() async {
        _ = try? await publisher.perform { $0.close() }
    }
}
#endif
