import Foundation

/// An ISO 8601 week, written `2026-W48`: Monday 00:00 UTC to the next Monday 00:00 UTC. Week 1 of a
/// week-year is the week holding that year's first Thursday, so 2026-W53 runs from Monday 28 December
/// 2026 to Monday 4 January 2027, and 2027-W01 starts that Monday.
public struct ISOWeek: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// Nil when `week` is not a week of `year` (1...52 or 1...53).
    public init?(year: Int, week: Int) {
        guard (1...9998).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` exactly (e.g. `2026-W48`, `2027-W01`); nil for anything else.
    public init?(_ text: String) {
        let chars = Array(text)
        guard chars.count == 8, chars[4] == "-", chars[5] == "W",
            chars[0..<4].allSatisfy({ $0.isASCII && $0.isNumber }),
            chars[6..<8].allSatisfy({ $0.isASCII && $0.isNumber }),
            let y = Int(String(chars[0..<4])), let w = Int(String(chars[6..<8]))
        else { return nil }
        self.init(year: y, week: w)
    }

    /// The week in which `date` falls (in UTC).
    public init(containing date: Date) {
        let day = LocalDate(date)
        let weekday = ISOWeek.weekday(of: day)  // 1 = Monday ... 7 = Sunday
        // The Thursday of the same week decides the week-year.
        let thursday = ISOWeek.dayNumber(day) - (weekday - 1) + 3
        let thursdayDate = ISOWeek.date(fromDayNumber: thursday)
        let firstThursdayWeekStart = ISOWeek.mondayOfWeekOne(thursdayDate.year)
        self.year = thursdayDate.year
        self.week = (thursday - 3 - firstThursdayWeekStart) / 7 + 1
    }

    /// Monday 00:00 UTC, the first instant of the week.
    public var start: Date { ISOWeek.date(fromDayNumber: mondayNumber).startOfDay }
    /// The next Monday 00:00 UTC, the first instant after the week.
    public var end: Date { ISOWeek.date(fromDayNumber: mondayNumber + 7).startOfDay }
    /// The Monday and the Sunday of the week.
    public var monday: LocalDate { ISOWeek.date(fromDayNumber: mondayNumber) }
    public var sunday: LocalDate { ISOWeek.date(fromDayNumber: mondayNumber + 6) }

    public var previous: ISOWeek { ISOWeek(containing: start.addingTimeInterval(-86_400)) }
    public var next: ISOWeek { ISOWeek(containing: end) }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    public var description: String { String(format: "%04d-W%02d", year, week) }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    /// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a
    /// Wednesday.
    public static func weeks(in year: Int) -> Int {
        let jan1 = weekday(of: LocalDate(year: year, month: 1, day: 1)!)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let w = ISOWeek(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an ISO week such as 2026-W48"))
        }
        self = w
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    // MARK: day arithmetic (days since 1970-01-01, proleptic Gregorian)

    private var mondayNumber: Int { ISOWeek.mondayOfWeekOne(year) + (week - 1) * 7 }

    static func dayNumber(_ d: LocalDate) -> Int {
        Int((d.startOfDay.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    static func date(fromDayNumber n: Int) -> LocalDate {
        LocalDate(Date(timeIntervalSince1970: Double(n) * 86_400))
    }

    /// 1 = Monday ... 7 = Sunday. 1970-01-01 was a Thursday.
    static func weekday(of d: LocalDate) -> Int {
        let n = dayNumber(d)
        return ((n + 3) % 7 + 7) % 7 + 1
    }

    /// The day number of the Monday of week 1: the week holding 4 January.
    static func mondayOfWeekOne(_ year: Int) -> Int {
        let jan4 = LocalDate(year: year, month: 1, day: 4)!
        return dayNumber(jan4) - (weekday(of: jan4) - 1)
    }
}

/// Why a text is not an ISO week.
public struct ISOWeekError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension ISOWeek {
    /// Parses `YYYY-Www`, with a message saying what is wrong otherwise.
    public static func parse(_ text: String) throws(ISOWeekError) -> ISOWeek {
        switch check(text) {
        case .success(let w): return w
        case .failure(let e): throw e
        }
    }

    /// The week `text` names, or what is wrong with it.
    public static func check(_ text: String) -> Result<ISOWeek, ISOWeekError> {
        if let w = ISOWeek(text) { return .success(w) }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        let chars = Array(text)
        if chars.count == 8, chars[4] == "-", chars[5] == "W",
            chars[0..<4].allSatisfy({ $0.isASCII && $0.isNumber }),
            chars[6..<8].allSatisfy({ $0.isASCII && $0.isNumber }),
            let y = Int(String(chars[0..<4])), (1...9998).contains(y)
        {
            return .failure(
                ISOWeekError(
                    message:
                        "\(y) has \(weeks(in: y)) ISO weeks (\(y)-W01 to \(y)-W\(weeks(in: y))); \"\(shown)\" is not one of them."
                ))
        }
        return .failure(ISOWeekError(message: "\"\(shown)\" is not an ISO week such as 2026-W48 (YYYY-Www)."))
    }
}
