import Foundation

/// The model's rule for time: instants are kept to the microsecond, the finest precision every
/// supported database stores exactly, so a value read back equals the value written.
public enum Timestamp {
    /// Microseconds since 1970-01-01T00:00:00Z, rounded to the nearest microsecond.
    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The instant `microseconds` after the Unix epoch.
    public static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// `date` rounded to the microsecond.
    public static func truncated(_ date: Date) -> Date {
        self.date(microseconds: microseconds(date))
    }

    /// RFC 3339 in UTC with six fractional digits: `2026-11-29T09:30:00.123456Z`.
    public static func rfc3339(_ date: Date) -> String {
        rfc3339(microseconds: microseconds(date))
    }

    public static func rfc3339(microseconds total: Int64) -> String {
        let c = components(microseconds: total)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)).\(pad(c.microsecond, 6))Z"
    }

    /// Parses RFC 3339 (`Z` or an offset, with or without fractional seconds); `nil` when the
    /// text is not a timestamp.
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return truncated(date) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The UTC calendar and clock fields of an instant given in microseconds since the epoch.
    public static func components(microseconds total: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) {
        var seconds = total / 1_000_000
        var micros = total % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        return (Int(year), Int(month), Int(day), Int(secondOfDay / 3600), Int(secondOfDay % 3600 / 60), Int(secondOfDay % 60), Int(micros))
    }

    /// Microseconds since the epoch of a UTC calendar date and time.
    public static func microseconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let m = Int64(month)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return ((days * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * 1_000_000) + Int64(microsecond)
    }

    /// Howard Hinnant's days-from-civil inverse: days since 1970-01-01 to a Gregorian date.
    private static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
