import Foundation
import Logging
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
}
