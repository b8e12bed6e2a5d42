import Foundation
import CustomerAPI
import HTTPTypes
import Logging
import Synchronization
import TestSupport
import Testing

@testable import customerflow

/// The whole log of a scenario — every level, the libraries' lines included — holds no e-mail,
/// phone or tax document of the customers it handled.
@Suite("Personal data in logs")
struct PersonalDataLogTests {
    /// Redaction off: the service itself must not write personal data (redaction is the net under it).
    @Test("a full scenario at trace level logs no e-mail, phone or document", arguments: TestDatabase.all)
    func scenarioLogsNoPersonalData(database: TestDatabase) async throws {
        let output = LogOutput()
        var logger = Logger(label: "customerflow") { label in
            LogLineHandler(label: label, level: .trace, format: .json, output: output, redacting: false)
        }
        logger.logLevel = .trace
        let email = "maria.pii@example.com"
        try await withApp(database, logger: logger) { client in
            let created = try await client.register(
                #"{"name": "Maria Pii", "email": "\#(email)", "phone": "+55 (21) 99876-1234", "document": {"type": "cpf", "number": "529.982.247-25"}, "birthDate": "1980-01-02"}"#)
            let id = try #require(created["id"] as? String)
            _ = try await client.send(.get, "/v1/customers?email=\(email)&document=52998224725&q=maria")
            _ = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"phone": "+55 21 98888-7777"}"#)
            _ = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "not-an-email-\#(email)x"}"#)
            _ = try await client.send(.post, "/v1/customers", json: #"{"name": "Other", "email": "\#(email)"}"#)
            _ = try await client.send(.post, "/v1/customers", json: #"{"name": "Doc", "email": "doc@example.com", "document": {"type": "cpf", "number": "529.982.247-26"}}"#)
            _ = try await client.send(.delete, "/v1/customers/\(id)")
            _ = try await client.send(.get, "/v1/customers/\(id)/history")
        }
        let log = output.lines.joined()
        #expect(!output.lines.isEmpty)
        for secret in [email, "maria.pii", "99876-1234", "998761234", "98888-7777", "988887777", "529.982.247", "52998224725", "52998224726"] {
            #expect(!log.contains(secret), "\(secret) was logged")
        }
    }

    @Test("a scenario with tokens, webhooks and failures logs no personal datum, no token and no secret", arguments: TestDatabase.all)
    func securedScenarioLogsNoSecrets(database: TestDatabase) async throws {
        let output = LogOutput()
        var logger = Logger(label: "customerflow") { label in
            LogLineHandler(label: label, level: .trace, format: .json, output: output, redacting: false)
        }
        logger.logLevel = .trace
        let scenarioLogger = logger
        let databasePassword = try database.url().description.contains("***")
            ? URLComponents(string: ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_\(database.rawValue.uppercased())_URL"] ?? "")?.password
            : nil
        let tokens = Mutex<[String]>([])
        let webhookSecrets = Mutex<[String]>([])
        try await WebhookReceiver.run { receiver, base in
            try await withApp(database, file: true, configure: {
                AuthorizationAPITests.configureAuth(&$0)
                $0.limits.requestsPerSecond = 1000
                $0.limits.burst = 1000
                $0.webhooks.retrySchedule = [.milliseconds(100)]
                $0.webhooks.pollInterval = .milliseconds(50)
            }, logger: scenarioLogger) { client in
                let token = try await AuthorizationAPITests.allScopes()
                let readOnly = try #require(try await AuthorizationAPITests.token(.scope(.customersRead)))
                let expired = try #require(try await AuthorizationAPITests.token(.expired))
                tokens.withLock { $0 += [token, readOnly, expired] }
                let auth: HTTPFields = [.authorization: "Bearer \(token)"]
                let good = try await WebhooksAPITests.subscribe(client, "\(base)/hooks/good", auth: auth)
                let bad = try await WebhooksAPITests.subscribe(client, "\(base)/hooks/bad", auth: auth)
                receiver.secret("good", good.secret)
                receiver.secret("bad", bad.secret)
                receiver.plan("bad", .failFirst(1_000_000))
                webhookSecrets.withLock { $0 += [good.secret, bad.secret] }

                let created = try await client.send(.post, "/v1/customers", json: #"{"name": "Lia Secreta", "email": "lia.pii@example.com", "phone": "+55 (31) 91234-5678", "document": {"type": "cpf", "number": "529.982.247-25"}, "birthDate": "1979-09-09", "addresses": [{"street": "Rua Privada", "number": "1", "city": "Belo Horizonte", "postalCode": "30000-000", "country": "br"}]}"#, headers: auth)
                let id = try #require(created.object["id"] as? String)
                // Failures of every kind: validation, conflict, bad tokens, missing scope, not found.
                _ = try await client.send(.post, "/v1/customers", json: #"{"name": "", "email": "lia.pii@example.com"}"#, headers: auth)
                _ = try await client.send(.post, "/v1/customers", json: #"{"name": "Twin", "email": "lia.pii@example.com"}"#, headers: auth)
                _ = try await client.send(.get, "/v1/customers?email=lia.pii@example.com", headers: [.authorization: "Bearer \(expired)"])
                _ = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"phone": "+55 31 95555-4444"}"#, headers: [.authorization: "Bearer \(readOnly)"])
                _ = try await client.send(.get, "/v1/customers?document=52998224725", headers: [.authorization: "Bearer not-a-token-lia.pii@example.com"])
                _ = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"phone": "+55 31 95555-4444"}"#, contentType: "application/merge-patch+json", headers: auth)
                _ = try await client.send(.get, "/v1/customers/\(id)/export", headers: auth)
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline, receiver.bodies("good").count < 2 || receiver.received("bad").count < 3 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(receiver.bodies("good").count >= 2)
                #expect(try await client.send(.delete, "/v1/customers/\(id)", headers: auth).status == .noContent)
            }
        }
        let log = output.lines.joined()
        #expect(log.contains("webhook"), "the scenario's webhook work was logged")
        var secrets = ["lia.pii", "Lia Secreta", "91234-5678", "912345678", "95555-4444", "955554444", "529.982.247", "52998224725", "Rua Privada", AuthorizationAPITests.secret]
        secrets += tokens.withLock { $0 } + webhookSecrets.withLock { $0 }
        if let databasePassword, !databasePassword.isEmpty { secrets.append(":\(databasePassword)@") }
        for secret in secrets {
            #expect(!log.contains(secret), "\(secret.prefix(24)) was logged")
        }
    }
}
