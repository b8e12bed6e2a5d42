import CoreMetrics
import FeatureFlags
import Logging
import Mediator
import Validation

/// Wires every customer use case into a ``Mediator``: the behaviours in pipeline order, each
/// command and query with its validator and handler, and the in-process domain event handlers.
public enum CustomerUseCases {
    /// What the use cases need from the outside world.
    public struct Dependencies: Sendable {
        public var transactions: any TransactionRunner
        public var queries: any CustomerQueries
        public var clock: any WallClock
        /// The CloudEvents `source` of emitted integration events.
        public var eventSource: String
        public var cursors: CustomerListCursorCodec
        public var logger: Logger
        public var maxCommandAttempts: Int
        /// Where request durations are recorded; `nil` records nothing.
        public var metrics: (any MetricsFactory)?
        /// Gates requests behind feature flags; `nil` lets every request through.
        public var features: FeatureFlagEvaluator?
        /// The messages naming a customer, for exports; `nil` exports none.
        public var records: (any PersonalDataRecords)?
        /// Queries on the primary database, for exports (``queries`` may read a replica).
        public var primaryQueries: (any CustomerQueries)?

        public init(
            transactions: any TransactionRunner,
            queries: any CustomerQueries,
            clock: any WallClock = SystemWallClock(),
            eventSource: String = "/customerflow",
            cursors: CustomerListCursorCodec,
            logger: Logger,
            maxCommandAttempts: Int = 3,
            metrics: (any MetricsFactory)? = nil,
            features: FeatureFlagEvaluator? = nil,
            records: (any PersonalDataRecords)? = nil,
            primaryQueries: (any CustomerQueries)? = nil
        ) {
            self.features = features
            self.records = records
            self.primaryQueries = primaryQueries
            self.transactions = transactions
            self.queries = queries
            self.clock = clock
            self.eventSource = eventSource
            self.cursors = cursors
            self.logger = logger
            self.maxCommandAttempts = maxCommandAttempts
            self.metrics = metrics
        }
    }

    /// The validators of every request, by request type.
    public static func validators(clock: any WallClock) -> ValidatorRegistry {
        var validators = ValidatorRegistry()
        validators.register(RegisterCustomerValidator.make(clock: clock))
        validators.register(UpdateCustomerProfileValidator.make(clock: clock))
        validators.register(ChangeCustomerEmailValidator.validator)
        validators.register(AddCustomerAddressValidator.validator)
        validators.register(UpdateCustomerAddressValidator.validator)
        validators.register(DeactivateCustomerValidator.validator)
        validators.register(ListCustomersValidator.validator)
        return validators
    }

    /// Builds the mediator.
    ///
    /// - Parameter customize: adds behaviours or handlers after the standard ones (tests use it
    ///   to add a failing domain event handler, later features to add their own).
    public static func mediator(
        _ dependencies: Dependencies,
        customize: (inout MediatorBuilder) -> Void = { _ in }
    ) throws -> Mediator {
        let clock = dependencies.clock
        var builder = MediatorBuilder()
        if let metrics = dependencies.metrics { builder.addBehavior(MetricsBehavior(factory: metrics)) }
        builder.addBehavior(LoggingBehavior(logger: dependencies.logger))
        builder.addBehavior(TracingBehavior())
        if let features = dependencies.features { builder.addBehavior(FeatureGateBehavior(flags: features)) }
        builder.addBehavior(ValidationBehavior(validators: validators(clock: clock)))
        builder.addBehavior(
            UnitOfWorkBehavior(
                transactions: dependencies.transactions,
                clock: clock,
                maxAttempts: dependencies.maxCommandAttempts,
                logger: dependencies.logger
            )
        )

        builder.register(RegisterCustomerHandler(clock: clock))
        builder.register(UpdateCustomerProfileHandler(clock: clock))
        builder.register(ChangeCustomerEmailHandler(clock: clock))
        builder.register(AddCustomerAddressHandler(clock: clock))
        builder.register(UpdateCustomerAddressHandler(clock: clock))
        builder.register(RemoveCustomerAddressHandler(clock: clock))
        builder.register(DeactivateCustomerHandler(clock: clock))
        builder.register(ReactivateCustomerHandler(clock: clock))
        builder.register(EraseCustomerHandler(clock: clock))
        builder.register(GetCustomerHandler(queries: dependencies.queries))
        builder.register(ListCustomersHandler(queries: dependencies.queries, cursors: dependencies.cursors))
        builder.register(GetCustomerHistoryHandler(queries: dependencies.queries))
        builder.register(ExportCustomerDataHandler(
            queries: dependencies.primaryQueries ?? dependencies.queries, records: dependencies.records ?? NoHeldRecords(), clock: clock))

        builder.register(notificationHandler: RedactPersonalDataOnErasure())
        builder.register(notificationHandler: PublishCustomerIntegrationEvents(source: dependencies.eventSource))
        customize(&builder)
        return try builder.build()
    }
}
