import CoreMetrics
import EventBus
import Logging
import Persistence

/// The event bus parts of one process: the transport, the relay and its wake-up signal, the
/// consumers, and retention; assembled from configuration.
struct EventBusComponents: Sendable {
    let transport: any Transport
    let signal: RelaySignal
    let outbox: SQLOutboxStore
    let inbox: SQLInboxStore
    let relay: OutboxRelay
    let consumer: EventConsumer
    let retention: EventRetention

    init(
        settings: CustomerFlowConfiguration.EventBusSettings,
        database: any DatabaseClient,
        names: SchemaNames,
        transport: (any Transport)? = nil,
        subscriptions: [Subscription] = [],
        logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) throws {
        let transport = try transport ?? Self.makeTransport(settings, logger: logger, metrics: metrics)
        // The in-process queues exist before any service starts, so that the relay cannot publish
        // the rows left pending by the last run before this process's consumers are listening.
        // (A broker's durable queues outlive the process; only a group's very first start can
        // miss what was published before it bound.)
        if let memory = transport as? InMemoryTransport {
            for subscription in subscriptions { memory.declare(group: subscription.group, bindings: subscription.patterns) }
        }
        let signal = RelaySignal()
        let outbox = SQLOutboxStore(client: database, names: names)
        let inbox = SQLInboxStore(client: database, names: names)
        self.transport = transport
        self.signal = signal
        self.outbox = outbox
        self.inbox = inbox
        self.relay = OutboxRelay(
            store: outbox,
            transport: transport,
            configuration: .init(
                batchSize: settings.batchSize,
                pollInterval: settings.pollInterval,
                lease: settings.lease,
                retry: RetryPolicy(maxAttempts: settings.maxAttempts)
            ),
            signal: signal,
            logger: logger,
            metrics: metrics
        )
        self.consumer = EventConsumer(
            transport: transport, inbox: inbox, subscriptions: subscriptions,
            configuration: .init(prefetch: settings.prefetch), logger: logger, metrics: metrics
        )
        self.retention = EventRetention(
            outbox: outbox, inbox: inbox,
            configuration: .init(publishedRetention: settings.publishedRetention, failedRetention: settings.failedRetention),
            logger: logger
        )
    }

    static func makeTransport(_ settings: CustomerFlowConfiguration.EventBusSettings, logger: Logger, metrics: any MetricsFactory) throws -> any Transport {
        switch settings.transport {
        case .memory:
            return InMemoryTransport()
        case .rabbitmq:
            #if RabbitMQ
            return try RabbitMQTransport(url: settings.rabbitMQURL, exchange: settings.exchange, logger: logger, metrics: metrics)
            #else
            throw ConfigurationError("eventBus.transport is rabbitmq, but this build has no RabbitMQ support: build with --traits RabbitMQ")
            #endif
        }
    }
}
