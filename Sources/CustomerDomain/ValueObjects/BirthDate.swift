import Foundation

/// A calendar date of birth, `YYYY-MM-DD`, between 1900-01-01 and today (UTC).
public struct BirthDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let earliest = CalendarDay(year: 1900, month: 1, day: 1)

    public let day: CalendarDay

    /// - Parameters:
    ///   - input: the date as `YYYY-MM-DD`.
    ///   - today: the moment that counts as now; the date may not be after its UTC day.
    public init(_ input: String, today: Date) throws {
        guard let day = CalendarDay(iso8601: input.trimmingCharacters(in: .whitespaces)) else {
            throw CustomerDomainError(.invalidBirthDate, "Birth date must be a real date written YYYY-MM-DD.")
        }
        try self.init(day, today: today)
    }

    public init(_ day: CalendarDay, today: Date) throws {
        guard day >= Self.earliest else {
            throw CustomerDomainError(.invalidBirthDate, "Birth date must not be before 1900-01-01.")
        }
        guard day <= CalendarDay(utcDayOf: today) else {
            throw CustomerDomainError(.invalidBirthDate, "Birth date must not be in the future.")
        }
        self.day = day
    }

    /// Restores a date read back from storage, where it was validated when written.
    public init(stored day: CalendarDay) { self.day = day }

    public var description: String { day.description }

    public static func < (lhs: BirthDate, rhs: BirthDate) -> Bool { lhs.day < rhs.day }
}

/// A day of the proleptic Gregorian calendar, without time or zone.
public struct CalendarDay: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; `nil` for anything else, including dates that do not exist
    /// such as `2023-02-29`.
    public init?(iso8601 text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = utf8[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC calendar day of an instant.
    public init(utcDayOf date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(iso8601: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a YYYY-MM-DD date"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
