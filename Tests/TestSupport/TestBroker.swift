import EventBus
import Foundation
import Logging

/// The transports the event bus suites run against: the in-memory transport always; RabbitMQ
/// when scripts/test started a node (`CUSTOMERFLOW_TEST_RABBITMQ_URL`) and the build has the
/// `RabbitMQ` trait. `CUSTOMERFLOW_TEST_REQUIRE=…,rabbitmq` makes a missing node fail.
public enum TestBroker: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory
    case rabbitmq

    public var description: String { rawValue }

    public static var all: [TestBroker] {
        let environment = ProcessInfo.processInfo.environment
        let required = Set((environment["CUSTOMERFLOW_TEST_REQUIRE"] ?? "").split(separator: ",").map(String.init))
        var list: [TestBroker] = [.memory]
        if environment["CUSTOMERFLOW_TEST_RABBITMQ_URL"] != nil || required.contains("rabbitmq") {
            list.append(.rabbitmq)
        }
        return list
    }

    public struct NotAvailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static var rabbitMQURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_RABBITMQ_URL"] else {
                throw NotAvailable(description: "RabbitMQ is required but CUSTOMERFLOW_TEST_RABBITMQ_URL is not set: run scripts/test")
            }
            return url
        }
    }

    /// The node reserved for outage tests, which stop and start it
    /// (`CUSTOMERFLOW_TEST_RABBITMQ_OUTAGE_URL`, `…_OUTAGE_CONTROL`): other suites keep running on
    /// the shared node meanwhile.
    public static var outageURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_RABBITMQ_OUTAGE_URL"] else {
                throw NotAvailable(description: "CUSTOMERFLOW_TEST_RABBITMQ_OUTAGE_URL is not set: run scripts/test")
            }
            return url
        }
    }

    /// A transport on a fresh exchange, so that tests never see each other's messages.
    public func makeTransport(exchange: String = "test." + UUID().uuidString.lowercased(), url: String? = nil) throws -> any Transport {
        switch self {
        case .memory:
            return InMemoryTransport()
        case .rabbitmq:
            #if RabbitMQ
            return try RabbitMQTransport(url: try url ?? Self.rabbitMQURL, exchange: exchange, confirmTimeout: 10, logger: .quiet)
            #else
            throw NotAvailable(description: "RabbitMQ is required but this build lacks the RabbitMQ trait: run scripts/test")
            #endif
        }
    }

    /// Stops or starts the outage node (`CUSTOMERFLOW_TEST_RABBITMQ_OUTAGE_CONTROL stop|start`).
    public static func controlOutageNode(_ action: String) async throws {
        guard let script = ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_RABBITMQ_OUTAGE_CONTROL"] else {
            throw NotAvailable(description: "CUSTOMERFLOW_TEST_RABBITMQ_OUTAGE_CONTROL is not set: run scripts/test")
        }
        let status = try await ChildProcess.run("/bin/bash", [script, action])
        guard status == 0 else {
            throw NotAvailable(description: "\(script) \(action) failed with status \(status)")
        }
    }
}

/// A database and a transport to run an event bus suite on.
public struct EventBusSetup: Sendable, CustomStringConvertible {
    public let database: TestDatabase
    public let broker: TestBroker

    public var description: String { "\(database)+\(broker)" }

    public init(database: TestDatabase, broker: TestBroker) {
        self.database = database
        self.broker = broker
    }

    /// SQLite and PostgreSQL with the in-memory transport, and PostgreSQL and SQLite with RabbitMQ
    /// when it runs.
    public static var all: [EventBusSetup] {
        var setups: [EventBusSetup] = []
        for broker in TestBroker.all {
            for database in TestDatabase.all {
                setups.append(EventBusSetup(database: database, broker: broker))
            }
        }
        return setups
    }

    public static var withRabbitMQ: [EventBusSetup] { all.filter { $0.broker == .rabbitmq } }
}
