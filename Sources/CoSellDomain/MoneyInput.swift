import Foundation

extension Money {
    /// Reads an amount as people type it into a form, in the deal's `currency`:
    /// `$310,000`, `310k`, `1.2M`, `€ 45.000,50`, `45.000,50 €`, `USD 310,000`, `310 000`, `310,000.50`,
    /// `125000`, `CHF 1'250.00`.
    ///
    /// - A currency symbol or code, before or after the number, must be the deal's currency ("$" is
    ///   any dollar, "kr" any crown, "¥" yen or yuan); another one is refused, naming both.
    /// - `k` and `M` (either case) after the number multiply it by a thousand and a million.
    /// - Spaces and apostrophes group thousands. With both "." and ",", the last one is the decimal
    ///   separator and may appear once; a separator that appears more than once groups thousands.
    /// - A single "." or "," followed by exactly three digits, after one to three digits other than a
    ///   lone 0, groups thousands: "45.000" and "45,000" are both forty-five thousand, in every currency,
    ///   and "1,250k" is 1,250 thousand. Any other single "." or "," is the decimal separator ("45,5",
    ///   "0.500", "1234.567", "1.2M"); so is one in a number grouped by spaces or apostrophes ("1 250,5").
    /// - Trailing zeros of the decimals do not count against the currency's minor digits ("¥100.00").
    /// - A leading "-" makes the amount negative, refused unless `allowNegative`.
    public init(typed text: String, currency: Currency, allowNegative: Bool = false) throws(MoneyError) {
        let input = MoneyInput(text)
        let trimmed = text.trimmingCharacters(in: MoneyInput.blanks)
        guard !trimmed.isEmpty else { throw .empty }
        guard let parts = input.split() else { throw .notANumber(trimmed) }
        for mark in parts.marks {
            guard let meaning = MoneyInput.currencyMark(mark) else { throw .unknownCurrency(trimmed, mark: mark) }
            if !meaning.codes.contains(currency.code) {
                throw .currencyMismatch(
                    trimmed, typed: meaning.codes[0], symbol: meaning.isSymbol ? mark : nil, expected: currency.code)
            }
        }
        if parts.negative && !allowNegative { throw .negative(trimmed) }
        let (whole, fraction) = try MoneyInput.digits(parts.number, text: trimmed)
        // Shift the decimal point by the multiplier's exponent.
        var intDigits = whole
        var fracDigits = fraction
        for _ in 0..<parts.exponent {
            if fracDigits.isEmpty {
                intDigits += "0"
            } else {
                intDigits.append(fracDigits.removeFirst())
            }
        }
        while fracDigits.last == "0" { fracDigits.removeLast() }
        intDigits = String(intDigits.drop { $0 == "0" })
        if intDigits.isEmpty { intDigits = "0" }
        guard fracDigits.count <= currency.minorDigits else {
            throw .tooManyDecimals(trimmed, currency: currency.code, allowed: currency.minorDigits)
        }
        do {
            self = try Money(
                amount: (parts.negative ? "-" : "") + intDigits + (fracDigits.isEmpty ? "" : "." + fracDigits),
                currency: currency)
        } catch {
            throw .outOfRange(trimmed)
        }
    }
}

/// The pieces of a typed amount: its currency marks, sign, number and multiplier.
struct MoneyInput {
    var text: String

    init(_ text: String) { self.text = text }

    /// Spaces people type, including the no-break and thin spaces that copied numbers carry.
    static let blanks = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{A0}\u{202F}\u{2009}"))
    static let groupingMarks: Set<Character> = [" ", "\u{A0}", "\u{202F}", "\u{2009}", "'", "\u{2019}"]
    static let minusSigns: Set<Character> = ["-", "\u{2212}"]

    struct Parts {
        var marks: [String] = []
        var negative = false
        /// Digits and separators only.
        var number = ""
        /// 3 for `k`, 6 for `M`, else 0.
        var exponent = 0
    }

    static func isNumberChar(_ c: Character) -> Bool {
        (c.isASCII && c.isNumber) || c == "." || c == "," || groupingMarks.contains(c)
    }

    /// Splits the text into marks before and after the number, the sign and the multiplier; nil when
    /// it holds no number, or text in the middle of it.
    func split() -> Parts? {
        var p = Parts()
        var chars = Array(text)
        func isBlank(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy { MoneyInput.blanks.contains($0) } }
        func isWordChar(_ c: Character) -> Bool {
            !isBlank(c) && !MoneyInput.isNumberChar(c) && !MoneyInput.minusSigns.contains(c) && c != "+"
        }
        // Front: blanks, a sign, currency marks.
        var start = 0
        while start < chars.count {
            let c = chars[start]
            if isBlank(c) {
                start += 1
            } else if MoneyInput.minusSigns.contains(c) || c == "+" {
                if MoneyInput.minusSigns.contains(c) {
                    if p.negative { return nil }
                    p.negative = true
                }
                start += 1
            } else if isWordChar(c) {
                var end = start
                while end < chars.count, isWordChar(chars[end]) { end += 1 }
                p.marks.append(String(chars[start..<end]))
                start = end
            } else {
                break
            }
        }
        chars = Array(chars[start...])
        // Back: blanks, currency marks and one multiplier right after the number.
        var end = chars.count
        while end > 0 {
            let c = chars[end - 1]
            if isBlank(c) {
                end -= 1
            } else if isWordChar(c) {
                var begin = end
                while begin > 0, isWordChar(chars[begin - 1]) { begin -= 1 }
                let word = String(chars[begin..<end])
                let beforeIsNumber = begin > 0 && MoneyInput.isNumberChar(chars[begin - 1])
                if p.exponent == 0, ["k", "K", "m", "M"].contains(word),
                    beforeIsNumber || (begin > 0 && isBlank(chars[begin - 1]))
                {
                    p.exponent = word.lowercased() == "k" ? 3 : 6
                } else {
                    if p.exponent != 0 { return nil }  // "310k USD" reads from the back: the mark first
                    p.marks.append(word)
                }
                end = begin
            } else {
                break
            }
        }
        let number = String(chars[..<end]).trimmingCharacters(in: MoneyInput.blanks)
        guard number.contains(where: { $0.isASCII && $0.isNumber }), number.allSatisfy(MoneyInput.isNumberChar) else {
            return nil
        }
        p.number = number
        return p
    }

    /// What a currency mark names: the currencies it may mean (the one it names first) and whether it is
    /// a symbol rather than a code.
    static func currencyMark(_ mark: String) -> (codes: [String], isSymbol: Bool)? {
        if mark.count == 3, mark.allSatisfy(\.isLetter), let c = Currency(code: mark) { return ([c.code], false) }
        switch mark {
        case "$": return (["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD"], true)
        case "US$": return (["USD"], true)
        case "A$", "AU$": return (["AUD"], true)
        case "C$", "CA$": return (["CAD"], true)
        case "NZ$": return (["NZD"], true)
        case "S$": return (["SGD"], true)
        case "HK$": return (["HKD"], true)
        case "R$": return (["BRL"], true)
        case "€": return (["EUR"], true)
        case "£": return (["GBP"], true)
        case "¥", "￥": return (["JPY", "CNY"], true)
        case "₹": return (["INR"], true)
        case "₩": return (["KRW"], true)
        case "₽": return (["RUB"], true)
        case "₺": return (["TRY"], true)
        case "₪": return (["ILS"], true)
        case "zł": return (["PLN"], true)
        case "kr", "kr.": return (["SEK", "NOK", "DKK", "ISK"], true)
        case "Fr.", "fr.", "Fr": return (["CHF"], true)
        default: return nil
        }
    }

    /// The number's whole and fraction digits, its separators read as the initializer documents.
    static func digits(_ number: String, text: String) throws(MoneyError) -> (String, String) {
        let dots = number.filter { $0 == "." }.count
        let commas = number.filter { $0 == "," }.count
        let otherGrouping = number.contains { groupingMarks.contains($0) }
        var decimal: Character? = nil
        var grouping: Set<Character> = groupingMarks
        if dots > 0 && commas > 0 {
            let last: Character = number.lastIndex(of: ".")! > number.lastIndex(of: ",")! ? "." : ","
            if (last == "." ? dots : commas) > 1 { throw .ambiguousSeparators(text) }
            decimal = last
            grouping.insert(last == "." ? "," : ".")
        } else if dots + commas > 1 {
            grouping.insert(dots > 0 ? "." : ",")
        } else if dots + commas == 1 {
            let sep: Character = dots == 1 ? "." : ","
            let halves = number.split(separator: sep, omittingEmptySubsequences: false)
            let before = halves[0]
            let after = halves[1]
            let thousands =
                !otherGrouping && after.count == 3 && after.allSatisfy(\.isNumber)
                && (1...3).contains(before.count) && before.allSatisfy(\.isNumber) && before != "0"
            if thousands { grouping.insert(sep) } else { decimal = sep }
        }
        var whole = Substring(number)
        var fraction = Substring("")
        if let decimal, let i = number.firstIndex(of: decimal) {
            whole = number[..<i]
            fraction = number[number.index(after: i)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw (dots > 0 && commas > 0) ? .ambiguousSeparators(text) : .notANumber(text)
            }
        }
        // Groups of the whole part: the first of one to three digits (or none before a decimal
        // separator: ".5"), the others of three (two are allowed in between, for lakh-style 3,10,000).
        let groups = whole.split(omittingEmptySubsequences: false) { grouping.contains($0) }
        if groups.count > 1 {
            let ok =
                (1...3).contains(groups[0].count) && groups.last!.count == 3
                && groups.dropFirst().dropLast().allSatisfy { (2...3).contains($0.count) }
                && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
            if !ok { throw .ambiguousSeparators(text) }
        } else if !whole.allSatisfy({ $0.isASCII && $0.isNumber }) || (whole.isEmpty && fraction.isEmpty) {
            throw .notANumber(text)
        }
        return (groups.joined(), String(fraction))
    }
}
