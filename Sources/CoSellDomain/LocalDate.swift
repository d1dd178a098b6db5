import Foundation

/// A calendar day without a time zone (close dates, due dates, decision dates), written `YYYY-MM-DD`.
public struct LocalDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= LocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC day on which `date` falls.
    public init(_ date: Date) {
        let c = LocalDate.utc.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Midnight UTC at the start of this day.
    public var startOfDay: Date {
        LocalDate.utc.date(from: DateComponents(year: year, month: month, day: day))!
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\""))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Why a typed date was refused, in words that say how to write it.
public struct DateInputError: Error, Equatable, Sendable {
    /// The text as typed (trimmed).
    public var text: String
    public var message: String

    public init(text: String, message: String) {
        self.text = text
        self.message = message
    }
}

extension LocalDate {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Reads a date typed into a form: ISO 8601 `YYYY-MM-DD` (a one-digit month or day is accepted,
    /// `2026-1-5`). Anything else is refused with a message saying how to write it; a day-month order
    /// like `12/03/2026` names both days it could be. (`init?(_:)` stays the strict reader of stored dates.)
    public init(typed text: String) throws(DateInputError) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let example = "2026-12-03"
        func refuse(_ message: String) -> DateInputError { DateInputError(text: t, message: message) }
        if t.isEmpty { throw refuse("Enter a date as YYYY-MM-DD, e.g. \(example).") }
        let fields = t.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" || $0 == "." }
        let numbers = fields.map { f in f.allSatisfy({ $0.isASCII && $0.isNumber }) && !f.isEmpty ? Int(f) : nil }
        guard fields.count == 3, numbers.allSatisfy({ $0 != nil }) else {
            throw refuse("Write the date as YYYY-MM-DD, e.g. \(example).")
        }
        let n = numbers.map { $0! }
        let yearFirst = fields[0].count == 4 && fields[1].count <= 2 && fields[2].count <= 2
        if yearFirst && t.allSatisfy({ $0 != "/" && $0 != "." }) {
            guard (1...12).contains(n[1]) else {
                throw refuse(
                    "\(t) is not a date: the month must be 01 to 12. Write the date as YYYY-MM-DD, e.g. \(example).")
            }
            guard let date = LocalDate(year: n[0], month: n[1], day: n[2]) else {
                let days = LocalDate.daysIn(month: n[1], year: n[0])
                throw refuse(
                    "\(t) is not a date: \(LocalDate.monthNames[n[1] - 1]) \(n[0]) has \(days) days.")
            }
            self = date
            return
        }
        if yearFirst {
            // 2026/12/03: the order is clear, only the separators differ.
            let hint = LocalDate(year: n[0], month: n[1], day: n[2])?.description ?? example
            throw refuse("Write the date as YYYY-MM-DD, e.g. \(hint).")
        }
        guard fields[2].count == 4 || fields[2].count == 2, fields[0].count <= 2, fields[1].count <= 2 else {
            throw refuse("Write the date as YYYY-MM-DD, e.g. \(example).")
        }
        let year = fields[2].count == 2 ? 2000 + n[2] : n[2]
        // Month first (12/03 is 3 December) and day first (12/03 is 12 March).
        let monthFirst = LocalDate(year: year, month: n[0], day: n[1])
        let dayFirst = LocalDate(year: year, month: n[1], day: n[0])
        func words(_ d: LocalDate) -> String { "\(d.day) \(LocalDate.monthNames[d.month - 1])" }
        switch (monthFirst, dayFirst) {
        case (let a?, let b?) where a != b:
            throw refuse("Write the date as YYYY-MM-DD, e.g. \(a): \(t) could be \(words(a)) or \(words(b)).")
        case (let a?, _), (nil, let a?):
            throw refuse("Write the date as YYYY-MM-DD, e.g. \(a).")
        case (nil, nil):
            throw refuse("Write the date as YYYY-MM-DD, e.g. \(example): \(t) is not a date.")
        }
    }
}
