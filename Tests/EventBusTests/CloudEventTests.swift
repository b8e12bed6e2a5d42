import EventBus
import Foundation
import Testing

@Suite("CloudEvent")
struct CloudEventTests {
    @Test("the structured JSON carries every required attribute and embeds data verbatim")
    func structuredJSON() throws {
        let event = CloudEvent(
            id: "e-1", source: "/customerflow", type: "customer.registered.v1", subject: "c-1",
            time: "2026-11-29T10:00:00.000000Z", data: Data(#"{"b":1,"a":[true,null]}"#.utf8))
        let text = String(decoding: event.jsonData(), as: UTF8.self)
        #expect(text.hasSuffix(#""data":{"b":1,"a":[true,null]}}"#))
        let json = try #require(try JSONSerialization.jsonObject(with: event.jsonData()) as? [String: Any])
        #expect(json["specversion"] as? String == "1.0")
        #expect(json["id"] as? String == "e-1")
        #expect(json["source"] as? String == "/customerflow")
        #expect(json["type"] as? String == "customer.registered.v1")
        #expect(json["subject"] as? String == "c-1")
        #expect(json["datacontenttype"] as? String == "application/json")
    }

    @Test("attribute values are escaped as JSON strings")
    func escapesAttributes() throws {
        let event = CloudEvent(id: "quote\"back\\slash\nline\u{1}", source: "s", type: "t", subject: "x", time: "t", data: Data("{}".utf8))
        let json = try #require(try JSONSerialization.jsonObject(with: event.jsonData()) as? [String: Any])
        #expect(json["id"] as? String == "quote\"back\\slash\nline\u{1}")
    }
}
