import Foundation
import Logging
import Testing

@testable import customerflow

@Suite("Log lines")
struct LogLineHandlerTests {
    private func logger(_ format: LogLineHandler.Format, _ output: LogOutput) -> Logger {
        Logger(label: "test") { label in LogLineHandler(label: label, level: .trace, format: format, output: output) }
    }

    @Test("a JSON line has time, level, message, logger and the metadata, with the request id as request_id")
    func jsonLine() throws {
        let output = LogOutput()
        var logger = logger(.json, output)
        logger[metadataKey: "hb.request.id"] = "abc123"
        logger.info("handled \"quoted\"\nline", metadata: ["request": "RegisterCustomerCommand", "attempts": .stringConvertible(2)])
        let line = try #require(output.lines.first)
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["message"] as? String == "handled \"quoted\"\nline")
        #expect(object["logger"] as? String == "test")
        #expect(object["request_id"] as? String == "abc123")
        #expect(object["request"] as? String == "RegisterCustomerCommand")
        #expect(object["attempts"] as? String == "2")
        let time = try #require(object["time"] as? String)
        #expect(time.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil)
    }

    @Test("e-mails, phones and CPF/CNPJ numbers are masked in messages and metadata; customer ids are not")
    func personalDataIsMasked() throws {
        let output = LogOutput()
        let logger = logger(.json, output)
        let id = "01950000-1234-7000-8000-123456789012"
        logger.error(
            "duplicate key: Key (email)=(ana.souza@example.com) exists; phone +5511987654321, (11) 98765-4321",
            metadata: [
                "detail": "cpf 529.982.247-25 / 52998224725, cnpj 11.222.333/0001-81 and 11222333000181, 12.ABC.345/01DE-35",
                "contact": "joão.silva@exemplo.com.br, 11.98765.4321",
                "customer": .string(id),
            ])
        let line = try #require(output.lines.first)
        for secret in [
            "ana.souza@example.com", "5511987654321", "98765-4321", "529.982.247-25", "52998224725", "11.222.333/0001-81", "11222333000181",
            "12.ABC.345/01DE-35", "joão.silva", "98765.4321",
        ] {
            #expect(!line.contains(secret), "\(secret) in \(line)")
        }
        #expect(line.contains(id))
        #expect(line.contains("[redacted]"))
    }

    @Test("the text format is one readable line with the metadata as key=value")
    func textLine() throws {
        let output = LogOutput()
        logger(.text, output).warning("relay waiting", metadata: ["wait": "1s"])
        let line = try #require(output.lines.first)
        #expect(line.contains("WARNING test: relay waiting wait=1s"))
    }
}
