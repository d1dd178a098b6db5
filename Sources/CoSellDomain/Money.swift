import Foundation

/// An amount in an ISO 4217 currency, held exactly in the currency's minor units.
public struct Money: Codable, Sendable, Equatable, Hashable {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Parses a decimal amount such as `125000`, `125000.5` or `-3.25`; refuses more fraction digits
    /// than the currency has and amounts that do not fit.
    public init(amount text: String, currency: Currency) throws(MoneyError) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw .notANumber(text) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else {
            throw .notANumber(text)
        }
        guard fraction.count <= currency.minorDigits else {
            throw .tooManyDecimals(text, currency: currency.code, allowed: currency.minorDigits)
        }
        let padded = fraction + String(repeating: "0", count: currency.minorDigits - fraction.count)
        guard whole.count + padded.count <= 17, let units = Int64(whole + padded) else {
            throw .outOfRange(text)
        }
        self.minorUnits = negative ? -units : units
        self.currency = currency
    }

    /// The amount as a plain decimal string with the currency's digits, e.g. `125000.00`.
    public var amountString: String {
        let digits = currency.minorDigits
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard digits > 0 else { return sign + String(magnitude) }
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let fraction = String(magnitude % scale)
        return sign + String(magnitude / scale) + "."
            + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    public var isNegative: Bool { minorUnits < 0 }

    enum CodingKeys: String, CodingKey { case amount, currency }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try c.decode(Currency.self, forKey: .currency)
        let text: String
        if let s = try? c.decode(String.self, forKey: .amount) {
            text = s
        } else if let i = try? c.decode(Int64.self, forKey: .amount) {
            text = String(i)
        } else if let d = try? c.decode(Decimal.self, forKey: .amount) {
            text = "\(d)"
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(
                    codingPath: c.codingPath + [CodingKeys.amount],
                    debugDescription: "expected a decimal amount such as \"125000.00\""))
        }
        do {
            self = try Money(amount: text, currency: currency)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath + [CodingKeys.amount], debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(amountString, forKey: .amount)
        try c.encode(currency, forKey: .currency)
    }
}

public enum MoneyError: Error, Equatable, Sendable {
    case notANumber(String)
    case tooManyDecimals(String, currency: String, allowed: Int)
    case outOfRange(String)
    /// Nothing was typed.
    case empty
    /// The text names another currency than the deal's: `typed` is its code (the first a symbol may
    /// mean), `symbol` the symbol as typed, when it was one.
    case currencyMismatch(String, typed: String, symbol: String?, expected: String)
    /// A word next to the number that is neither a currency code or symbol nor `k` or `M`.
    case unknownCurrency(String, mark: String)
    /// Thousands and decimal separators that cannot be told apart ("1.234.56", "1,234.5.6").
    case ambiguousSeparators(String)
    /// A negative amount where the caller allows none.
    case negative(String)

    public var message: String {
        switch self {
        case .notANumber(let t): return "\"\(t)\" is not a decimal amount"
        case .tooManyDecimals(let t, let code, let n):
            return "\"\(t)\" has more than \(n) decimal places, the most \(code) allows"
        case .outOfRange(let t): return "\"\(t)\" is too large"
        case .empty: return "Enter an amount, e.g. 310,000 or 310k."
        case .currencyMismatch(_, let typed, let symbol, let expected):
            return "The amount is in \(typed)\(symbol.map { " (\($0))" } ?? "") but this deal is in \(expected)."
        case .unknownCurrency(let t, let mark):
            return
                "\"\(t)\": \"\(mark)\" is not a currency code or symbol; write the number alone, e.g. 310,000, or with k or M, e.g. 310k."
        case .ambiguousSeparators(let t):
            return
                "\"\(t)\" cannot be read: its separators are neither thousands separators nor one decimal separator. Write it like 310,000.50 or 310000.50."
        case .negative(let t): return "\"\(t)\" is negative; the amount must not be negative."
        }
    }
}

/// An active ISO 4217 currency code with its number of minor-unit digits.
public struct Currency: Codable, Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let minorDigits: Int

    public init?(code: String) {
        let upper = code.uppercased()
        guard upper.count == 3, let digits = Currency.table[upper] else { return nil }
        self.code = upper
        self.minorDigits = digits
    }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let c = Currency(code: text), text == c.code else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "\"\(text)\" is not an active ISO 4217 currency code (upper case, e.g. USD)"))
        }
        self = c
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(code)
    }

    /// Active ISO 4217 codes and their minor units (list 1, as published by the maintenance agency).
    static let table: [String: Int] = {
        var t: [String: Int] = [:]
        let two = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD \
            CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD \
            GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD \
            MDL MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR \
            PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT \
            TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG
            """
        for c in two.split(separator: " ") { t[String(c)] = 2 }
        for c in [
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF",
            "XOF", "XPF",
        ] {
            t[c] = 0
        }
        for c in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { t[c] = 3 }
        t["CLF"] = 4
        t["UYW"] = 4
        return t
    }()
}
