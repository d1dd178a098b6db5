import Foundation

/// How many reporting-currency units one unit of a currency buys, held exactly as a decimal:
/// `significand / 10^scale` (at most 18 significant digits, at most 15 decimal places, above zero).
public struct ExchangeRate: Codable, Sendable, Hashable, CustomStringConvertible {
    public let significand: UInt64
    public let scale: Int

    public static let maxScale = 15
    public static let maxDigits = 18
    public static let one = ExchangeRate(uncheckedSignificand: 1, scale: 0)

    init(uncheckedSignificand: UInt64, scale: Int) {
        self.significand = uncheckedSignificand
        self.scale = scale
    }

    /// Parses a plain positive decimal such as `1.0845`, `0.0062` or `150`; nil for anything else
    /// (signs, exponents, zero, too many digits).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
            whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var fraction = parts.count == 2 ? Substring(parts[1]) : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        guard fraction.count <= ExchangeRate.maxScale else { return nil }
        let digits = (whole + fraction).drop { $0 == "0" }
        guard !digits.isEmpty, digits.count <= ExchangeRate.maxDigits, let value = UInt64(digits) else { return nil }
        self.init(uncheckedSignificand: value, scale: fraction.count)
    }

    /// The rate as a plain decimal, e.g. `1.0845`.
    public var description: String {
        guard scale > 0 else { return String(significand) }
        let s = String(significand)
        let padded = String(repeating: "0", count: max(0, scale + 1 - s.count)) + s
        return String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let r = ExchangeRate(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a positive decimal rate"))
        }
        self = r
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// One row of an exchange-rate table: on `date`, one unit of `currency` bought `rate` reporting units.
public struct ExchangeRateEntry: Codable, Sendable, Equatable {
    public var date: LocalDate
    public var currency: Currency
    public var rate: ExchangeRate

    public init(date: LocalDate, currency: Currency, rate: ExchangeRate) {
        self.date = date
        self.currency = currency
        self.rate = rate
    }
}

/// The rates an organization maintains, per currency per day, into one reporting currency.
/// A lookup uses the latest rate on or before the day asked for; the reporting currency converts at 1.
public struct ExchangeRateTable: Codable, Sendable, Equatable {
    public let reportingCurrency: Currency
    /// Per currency code, the entries in ascending date order (one per day).
    public let series: [String: [ExchangeRateEntry]]

    /// Builds a table; when two entries name the same currency and day, the later one in `entries` wins.
    public init(reportingCurrency: Currency, entries: [ExchangeRateEntry]) {
        self.reportingCurrency = reportingCurrency
        var byCode: [String: [LocalDate: ExchangeRateEntry]] = [:]
        for e in entries { byCode[e.currency.code, default: [:]][e.date] = e }
        series = byCode.mapValues { $0.values.sorted { $0.date < $1.date } }
    }

    /// Every entry, by currency code then date.
    public var entries: [ExchangeRateEntry] {
        series.keys.sorted().flatMap { series[$0]! }
    }

    enum CodingKeys: String, CodingKey { case reportingCurrency, entries }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            reportingCurrency: try c.decode(Currency.self, forKey: .reportingCurrency),
            entries: try c.decode([ExchangeRateEntry].self, forKey: .entries))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reportingCurrency, forKey: .reportingCurrency)
        try c.encode(entries, forKey: .entries)
    }

    /// The entry in force for `currency` on `date`: the latest on or before it. Nil when the table has
    /// none that early. Not used for the reporting currency itself (see `rate(for:on:)`).
    public func entry(for currency: Currency, on date: LocalDate) -> ExchangeRateEntry? {
        guard let list = series[currency.code], !list.isEmpty else { return nil }
        // Binary search for the first entry after `date`.
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].date <= date { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : list[lo - 1]
    }

    /// The rate for `currency` on `date`: 1 for the reporting currency, else the latest on or before it.
    public func rate(for currency: Currency, on date: LocalDate) -> ExchangeRate? {
        currency == reportingCurrency ? .one : entry(for: currency, on: date)?.rate
    }

    /// Converts `money` at the rate in force on `date`; nil when there is no rate or the result does
    /// not fit in minor units.
    public func convert(_ money: Money, on date: LocalDate) -> Money? {
        guard let rate = rate(for: money.currency, on: date) else { return nil }
        return Reports.convert(money, rate: rate, to: reportingCurrency)
    }

    /// Parses CSV text with the header `date,currency,rate_to_reporting` and one row per currency and
    /// day: `2026-11-30,EUR,1.0845` means one euro bought 1.0845 units of `reportingCurrency` that day.
    /// Blank lines are ignored; fields may be quoted; CRLF and a byte-order mark are accepted. A row
    /// for the reporting currency itself must have the rate 1. Errors name the 1-based line.
    public static func parseCSV(
        _ text: String, reportingCurrency: Currency
    ) throws(ExchangeRateCSVError)
        -> ExchangeRateTable
    {
        var entries: [ExchangeRateEntry] = []
        var seen: [String: Int] = [:]
        var sawHeader = false
        var lineNumber = 0
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character in Swift: split on either form.
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { f -> String in
                var s = f.trimmingCharacters(in: .whitespaces)
                if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") {
                    s = String(s.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                }
                return s
            }
            if !sawHeader {
                guard fields.map({ $0.lowercased() }) == ["date", "currency", "rate_to_reporting"] else {
                    throw .init(
                        line: lineNumber, message: "expected the header \"date,currency,rate_to_reporting\"")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 3 else {
                throw .init(
                    line: lineNumber,
                    message: "expected 3 fields (date,currency,rate_to_reporting), got \(fields.count)")
            }
            guard let date = LocalDate(fields[0]) else {
                throw .init(line: lineNumber, message: "\"\(fields[0])\" is not a date as YYYY-MM-DD")
            }
            guard let currency = Currency(code: fields[1]) else {
                throw .init(line: lineNumber, message: "\"\(fields[1])\" is not an active ISO 4217 currency code")
            }
            guard let rate = ExchangeRate(fields[2]) else {
                throw .init(
                    line: lineNumber,
                    message:
                        "\"\(fields[2])\" is not a positive decimal rate (at most \(ExchangeRate.maxDigits) digits, "
                        + "\(ExchangeRate.maxScale) decimal places)"
                )
            }
            if currency == reportingCurrency && rate != .one {
                throw .init(
                    line: lineNumber,
                    message: "\(currency.code) is the reporting currency: its rate must be 1, not \(fields[2])")
            }
            let key = "\(date) \(currency.code)"
            if let first = seen[key] {
                throw .init(
                    line: lineNumber,
                    message: "a second rate for \(currency.code) on \(date) (the first is on line \(first))")
            }
            seen[key] = lineNumber
            entries.append(ExchangeRateEntry(date: date, currency: currency, rate: rate))
        }
        guard sawHeader else {
            throw .init(line: 1, message: "expected the header \"date,currency,rate_to_reporting\"")
        }
        return ExchangeRateTable(reportingCurrency: reportingCurrency, entries: entries)
    }
}

/// A line of an exchange-rate CSV that could not be read.
public struct ExchangeRateCSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number in the text.
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

extension Reports {
    /// `money` times `rate`, in `target`'s minor units, rounded half-even (a tie goes to the even
    /// minor unit). Nil when the result does not fit in Int64 minor units. Same currency: unchanged.
    public static func convert(_ money: Money, rate: ExchangeRate, to target: Currency) -> Money? {
        if money.currency == target && rate == .one { return money }
        // result = minor × significand × 10^targetDigits / 10^(scale + sourceDigits)
        let exponent = rate.scale + money.currency.minorDigits - target.minorDigits
        let magnitude = money.minorUnits.magnitude
        let (high, low) = magnitude.multipliedFullWidth(by: rate.significand)
        var quotient: UInt64
        if exponent <= 0 {
            guard high == 0 else { return nil }
            let (product, overflow) = low.multipliedReportingOverflow(by: powerOfTen(-exponent))
            guard !overflow else { return nil }
            quotient = product
        } else {
            let divisor = powerOfTen(exponent)
            guard high < divisor else { return nil }
            let (q, remainder) = divisor.dividingFullWidth((high, low))
            quotient = q
            let rest = divisor - remainder
            if remainder > rest || (remainder == rest && quotient & 1 == 1) {
                let (up, overflow) = quotient.addingReportingOverflow(1)
                guard !overflow else { return nil }
                quotient = up
            }
        }
        guard quotient <= UInt64(Int64.max) else { return nil }
        let units = Int64(quotient)
        return Money(minorUnits: money.minorUnits < 0 ? -units : units, currency: target)
    }

    /// 10^n for 0 ≤ n ≤ 19.
    static func powerOfTen(_ n: Int) -> UInt64 {
        var p: UInt64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }
}
