#if MySQL
import CustomerDomain
import Foundation

/// A value bound to, or read from, a MariaDB/MySQL statement.
enum MariaDBValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case bytes([UInt8])
    case date(CalendarDay)
    /// Microseconds since the Unix epoch, UTC.
    case datetime(Int64)

    /// The value of a bind from SQLKit.
    static func from(_ value: any Encodable & Sendable) throws -> MariaDBValue {
        try convert(value)
    }

    private static func convert(_ value: any Encodable) throws -> MariaDBValue {
        if let optional = value as? any OptionalConvertible {
            guard let wrapped = optional.wrappedValue else { return .null }
            return try convert(wrapped)
        }
        switch value {
        case let value as any MariaDBBindable: return value.mariaDBValue
        case let value as String: return .text(value)
        case let value as Int: return .integer(Int64(value))
        case let value as Int64: return .integer(value)
        case let value as Int32: return .integer(Int64(value))
        case let value as Int16: return .integer(Int64(value))
        case let value as Int8: return .integer(Int64(value))
        case let value as UInt32: return .integer(Int64(value))
        case let value as UInt16: return .integer(Int64(value))
        case let value as UInt8: return .integer(Int64(value))
        case let value as Bool: return .integer(value ? 1 : 0)
        case let value as Double: return .double(value)
        case let value as Float: return .double(Double(value))
        case let value as Data: return .bytes(Array(value))
        case let value as [UInt8]: return .bytes(value)
        case let value as UUID: return .text(value.uuidString.lowercased())
        case let value as Date: return .datetime(Timestamp.microseconds(value))
        default:
            // Anything else travels as JSON text, the way SQLKit's other drivers store it.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return .text(String(decoding: try encoder.encode(value), as: UTF8.self))
        }
    }
}

/// A Swift type with its own MariaDB representation (the persistence layer's column types).
protocol MariaDBBindable {
    var mariaDBValue: MariaDBValue { get }
}

/// Lets `from(_:)` see through an `Optional` hidden behind `any Encodable`.
protocol OptionalConvertible {
    var wrappedValue: (any Encodable)? { get }
}

extension Optional: OptionalConvertible where Wrapped: Encodable {
    var wrappedValue: (any Encodable)? { self }
}

extension DatabaseUUID: MariaDBBindable {
    var mariaDBValue: MariaDBValue { .text(value.uuidString.lowercased()) }
}

extension DatabaseTimestamp: MariaDBBindable {
    var mariaDBValue: MariaDBValue { .datetime(microseconds) }
}

extension DatabaseDay: MariaDBBindable {
    var mariaDBValue: MariaDBValue { .date(day) }
}

extension DatabaseJSON: MariaDBBindable {
    var mariaDBValue: MariaDBValue { .text(String(decoding: data, as: UTF8.self)) }
}

/// Decodes one column value with `Decodable`: a single-value container over a `MariaDBValue`, so
/// that SQLKit rows decode `Optional`s, the column types above and plain Swift values alike.
struct MariaDBValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: MariaDBValue
    let column: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw mismatch("a structured value (read JSON columns as text)")
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw mismatch("a structured value (read JSON columns as text)")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch value {
        case .integer(let number): return number != 0
        case .text(let text) where text == "1" || text == "0": return text == "1"
        default: throw mismatch("a boolean")
        }
    }

    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .text(let text): return text
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .integer(let number): return String(number)
        case .double(let number): return String(number)
        case .date(let day): return day.description
        case .datetime(let micros): return Timestamp.rfc3339(microseconds: micros)
        case .null: throw mismatch("a string")
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let number): return number
        case .integer(let number): return Double(number)
        case .text(let text): if let number = Double(text) { return number }
        default: break
        }
        throw mismatch("a number")
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int64.Type) throws -> Int64 {
        switch value {
        case .integer(let number): return number
        case .datetime(let micros): return micros
        case .double(let number): if let exact = Int64(exactly: number) { return exact }
        case .text(let text): if let number = Int64(text) { return number }
        default: break
        }
        throw mismatch("an integer")
    }

    func decode(_ type: Int.Type) throws -> Int { Int(try decode(Int64.self)) }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(decode(Int64.self)) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(decode(Int64.self)) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(decode(Int64.self)) }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow(decode(Int64.self)) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(decode(Int64.self)) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(decode(Int64.self)) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(decode(Int64.self)) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(decode(Int64.self)) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Data.Type:
            switch value {
            case .bytes(let bytes): return Data(bytes) as! T
            case .text(let text): return Data(text.utf8) as! T
            default: throw mismatch("bytes")
            }
        case is UUID.Type:
            guard let uuid = UUID(uuidString: try decode(String.self)) else { throw mismatch("a UUID") }
            return uuid as! T
        case is Date.Type:
            switch value {
            case .datetime(let micros): return Timestamp.date(microseconds: micros) as! T
            case .date(let day): return Timestamp.date(microseconds: Timestamp.microseconds(year: day.year, month: day.month, day: day.day)) as! T
            default: throw mismatch("a date")
            }
        default:
            return try T(from: self)
        }
    }

    private func narrow<T: FixedWidthInteger>(_ value: Int64) throws -> T {
        guard let narrowed = T(exactly: value) else { throw mismatch("\(T.self)") }
        return narrowed
    }

    private func mismatch(_ expected: String) -> DecodingError {
        DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "column \(column) holds \(value), not \(expected)"))
    }
}
#endif
