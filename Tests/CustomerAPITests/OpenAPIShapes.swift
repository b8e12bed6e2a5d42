import CustomerAPI
import Foundation
import Testing

/// Checks response bodies against the schemas of the served OpenAPI document: the same members,
/// required ones present, JSON types as declared. (Full schema fuzzing is schemathesis's job.)
enum OpenAPIShapes {
    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))) as? [String: Any] ?? [:]
    }

    static func schema(_ name: String) -> [String: Any] {
        ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    static func expect(_ object: [String: Any], matches name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let schema = schema(name)
        let properties = schema["properties"] as? [String: Any] ?? [:]
        let required = Set(schema["required"] as? [String] ?? [])
        #expect(!properties.isEmpty, "no schema \(name)", sourceLocation: sourceLocation)
        for key in required {
            #expect(object[key] != nil, "\(name).\(key) is required but missing", sourceLocation: sourceLocation)
        }
        if schema["additionalProperties"] as? Bool == false {
            for key in object.keys {
                #expect(properties[key] != nil, "\(name).\(key) is not in the document", sourceLocation: sourceLocation)
            }
        }
        for (key, value) in object {
            guard let property = properties[key] as? [String: Any] else { continue }
            let types = (property["type"] as? [String]) ?? (property["type"] as? String).map { [$0] } ?? []
            if types.isEmpty { continue }
            #expect(types.contains(jsonType(of: value)), "\(name).\(key) is \(jsonType(of: value)), documented \(types)", sourceLocation: sourceLocation)
            if let items = property["items"] as? [String: Any], let reference = items["$ref"] as? String, let array = value as? [[String: Any]] {
                for element in array { try expect(element, matches: String(reference.split(separator: "/").last!), sourceLocation: sourceLocation) }
            }
        }
    }

    static func jsonType(of value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let number as NSNumber:
            // JSONSerialization marks booleans with the Objective-C type code "c".
            switch String(cString: number.objCType) {
            case "c": return "boolean"
            case "d", "f": return number.doubleValue.rounded() == number.doubleValue ? "integer" : "number"
            default: return "integer"
            }
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }
}
