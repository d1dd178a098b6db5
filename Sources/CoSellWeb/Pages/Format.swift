import CoSellDomain
import Foundation

/// Dates and money in the reader's locale (from `Accept-Language`), amounts in the deal's own
/// currency. Times are shown in UTC, and say so.
public final class DisplayFormat {
    public let locale: Locale
    private var money: [String: NumberFormatter] = [:]
    private lazy var day: DateFormatter = {
        let f = DateFormatter()
        f.locale = locale
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateStyle = .medium
        f.timeStyle = .none
        return f
    }()
    private lazy var moment: DateFormatter = {
        let f = DateFormatter()
        f.locale = locale
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateStyle = .medium
        f.timeStyle = .short
        return f
    }()
    private lazy var integer: NumberFormatter = {
        let f = NumberFormatter()
        f.locale = locale
        f.numberStyle = .decimal
        return f
    }()

    public init(localeIdentifier: String) {
        locale = Locale(identifier: localeIdentifier)
    }

    /// The first well-formed language tag of an `Accept-Language` header, or en-US.
    public static func localeIdentifier(acceptLanguage: String?) -> String {
        guard let header = acceptLanguage else { return "en-US" }
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard (2...20).contains(tag.count), tag != "*",
                tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { continue }
            return tag
        }
        return "en-US"
    }

    public func format(_ m: Money) -> String {
        let f: NumberFormatter
        if let cached = money[m.currency.code] {
            f = cached
        } else {
            f = NumberFormatter()
            f.locale = locale
            f.numberStyle = .currency
            f.currencyCode = m.currency.code
            f.minimumFractionDigits = m.currency.minorDigits
            f.maximumFractionDigits = m.currency.minorDigits
            money[m.currency.code] = f
        }
        let value = NSDecimalNumber(
            mantissa: UInt64(m.minorUnits.magnitude), exponent: Int16(-m.currency.minorDigits),
            isNegative: m.minorUnits < 0)
        return f.string(from: value) ?? "\(m.amountString) \(m.currency.code)"
    }

    public func format(_ d: LocalDate) -> String { day.string(from: d.startOfDay) }
    public func format(_ d: Date) -> String { moment.string(from: d) + " UTC" }
    public func format(_ n: Int) -> String { integer.string(from: NSNumber(value: n)) ?? String(n) }
}
