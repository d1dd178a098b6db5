import CoSellDomain
import Foundation
import Testing

private let usd = Currency(code: "USD")!
private let eur = Currency(code: "EUR")!
private let chf = Currency(code: "CHF")!
private let jpy = Currency(code: "JPY")!

@Suite("Amounts and dates as people type them")
struct TypedInputTests {
    struct Typed: Sendable, CustomTestStringConvertible {
        var text: String
        var currency: String
        var minorUnits: Int64
        var testDescription: String { "\(text) in \(currency)" }
    }

    @Test(arguments: [
        Typed(text: "$310,000", currency: "USD", minorUnits: 31_000_000),
        Typed(text: "310k", currency: "USD", minorUnits: 31_000_000),
        Typed(text: "310K", currency: "USD", minorUnits: 31_000_000),
        Typed(text: "1.2M", currency: "USD", minorUnits: 120_000_000),
        Typed(text: "1.2m", currency: "USD", minorUnits: 120_000_000),
        Typed(text: "€ 45.000,50", currency: "EUR", minorUnits: 4_500_050),
        Typed(text: "45.000,50 €", currency: "EUR", minorUnits: 4_500_050),
        Typed(text: "USD 310,000", currency: "USD", minorUnits: 31_000_000),
        Typed(text: "310 000", currency: "EUR", minorUnits: 31_000_000),
        Typed(text: "310,000.50", currency: "USD", minorUnits: 31_000_050),
        Typed(text: "125000", currency: "USD", minorUnits: 12_500_000),
        Typed(text: "CHF 1'250.00", currency: "CHF", minorUnits: 125_000),
        // A group of exactly three digits after a single separator is a thousands group.
        Typed(text: "45.000", currency: "EUR", minorUnits: 4_500_000),
        Typed(text: "45,000", currency: "USD", minorUnits: 4_500_000),
        // Otherwise a single separator is the decimal one.
        Typed(text: "45,5", currency: "EUR", minorUnits: 4_550),
        Typed(text: "0.500", currency: "USD", minorUnits: 50),
        Typed(text: "1,250k", currency: "USD", minorUnits: 125_000_000),
        Typed(text: "1.250.000", currency: "EUR", minorUnits: 125_000_000),
        Typed(text: "12,34,567.00", currency: "USD", minorUnits: 123_456_700),
        Typed(text: " US$ 2.5k ", currency: "USD", minorUnits: 250_000),
        Typed(text: "$310k", currency: "CAD", minorUnits: 31_000_000),
        Typed(text: "¥100.00", currency: "JPY", minorUnits: 100),
        Typed(text: "310k usd", currency: "USD", minorUnits: 31_000_000),
        Typed(text: ".5", currency: "USD", minorUnits: 50),
        Typed(text: "1\u{202F}250\u{A0}000", currency: "EUR", minorUnits: 125_000_000),
    ])
    func amountsAreReadAsTyped(_ c: Typed) throws {
        let money = try Money(typed: c.text, currency: Currency(code: c.currency)!)
        #expect(money == Money(minorUnits: c.minorUnits, currency: Currency(code: c.currency)!))
    }

    @Test func anotherCurrencyIsRefusedNamingBoth() {
        for (text, error) in [
            ("€ 45.000,50", MoneyError.currencyMismatch("€ 45.000,50", typed: "EUR", symbol: "€", expected: "USD")),
            ("45.000,50 €", .currencyMismatch("45.000,50 €", typed: "EUR", symbol: "€", expected: "USD")),
            ("GBP 310,000", .currencyMismatch("GBP 310,000", typed: "GBP", symbol: nil, expected: "USD")),
            ("CHF 1'250.00", .currencyMismatch("CHF 1'250.00", typed: "CHF", symbol: nil, expected: "USD")),
        ] {
            #expect(throws: error) { try Money(typed: text, currency: usd) }
        }
        #expect(
            MoneyError.currencyMismatch("€ 45.000,50", typed: "EUR", symbol: "€", expected: "USD").message
                == "The amount is in EUR (€) but this deal is in USD.")
        #expect(
            MoneyError.currencyMismatch("$310k", typed: "USD", symbol: "$", expected: "EUR").message
                == "The amount is in USD ($) but this deal is in EUR.")
        #expect(throws: MoneyError.currencyMismatch("$310k", typed: "USD", symbol: "$", expected: "EUR")) {
            try Money(typed: "$310k", currency: eur)
        }
        #expect(throws: MoneyError.unknownCurrency("310 bananas", mark: "bananas")) {
            try Money(typed: "310 bananas", currency: usd)
        }
    }

    @Test(arguments: ["1.234.56", "1,234.5.6", "1.234,56.7", "1.2,3", "1,2,3", "12 34"])
    func separatorsThatCannotBeReadAreRefused(_ text: String) {
        #expect(throws: MoneyError.ambiguousSeparators(text)) { try Money(typed: text, currency: usd) }
        #expect(
            MoneyError.ambiguousSeparators(text).message
                == "\"\(text)\" cannot be read: its separators are neither thousands separators nor one decimal separator. Write it like 310,000.50 or 310000.50."
        )
    }

    @Test func moreDecimalsThanTheCurrencyHasAreRefused() {
        #expect(throws: MoneyError.tooManyDecimals("1234.567", currency: "USD", allowed: 2)) {
            try Money(typed: "1234.567", currency: usd)
        }
        #expect(throws: MoneyError.tooManyDecimals("¥1,5", currency: "JPY", allowed: 0)) {
            try Money(typed: "¥1,5", currency: jpy)
        }
        #expect(throws: MoneyError.tooManyDecimals("1.234567k", currency: "USD", allowed: 2)) {
            try Money(typed: "1.234567k", currency: usd)
        }
    }

    @Test func negativeAmountsOnlyWhereTheCallerAllowsThem() throws {
        #expect(throws: MoneyError.negative("-$310")) { try Money(typed: "-$310", currency: usd) }
        #expect(MoneyError.negative("-$310").message == "\"-$310\" is negative; the amount must not be negative.")
        #expect(try Money(typed: "-$310", currency: usd, allowNegative: true).minorUnits == -31_000)
        #expect(try Money(typed: "$-1.5k", currency: usd, allowNegative: true).minorUnits == -150_000)
    }

    @Test(arguments: ["", "   ", "\u{A0}"])
    func emptyTextIsRefused(_ text: String) {
        #expect(throws: MoneyError.empty) { try Money(typed: text, currency: usd) }
        #expect(MoneyError.empty.message == "Enter an amount, e.g. 310,000 or 310k.")
    }

    @Test(arguments: ["abc", "$", "310.", "1..2", "--5", "3l0", "99999999999999999999"])
    func textThatIsNoAmountIsRefused(_ text: String) {
        #expect(throws: MoneyError.self) { try Money(typed: text, currency: usd) }
    }

    @Test func theStrictParserIsUnchanged() {
        #expect(throws: MoneyError.notANumber("310,000")) { try Money(amount: "310,000", currency: usd) }
        #expect((try? Money(amount: "1250.00", currency: chf))?.minorUnits == 125_000)
    }

    // MARK: dates

    @Test func isoDatesAreRead() throws {
        #expect(try LocalDate(typed: "2026-12-03") == LocalDate(year: 2026, month: 12, day: 3))
        #expect(try LocalDate(typed: " 2026-1-5 ") == LocalDate(year: 2026, month: 1, day: 5))
    }

    @Test(arguments: [
        ("12/03/2026", "Write the date as YYYY-MM-DD, e.g. 2026-12-03: 12/03/2026 could be 3 December or 12 March."),
        ("03.12.2026", "Write the date as YYYY-MM-DD, e.g. 2026-03-12: 03.12.2026 could be 12 March or 3 December."),
        ("25/12/2026", "Write the date as YYYY-MM-DD, e.g. 2026-12-25."),
        ("05/05/26", "Write the date as YYYY-MM-DD, e.g. 2026-05-05."),
        ("13/13/2026", "Write the date as YYYY-MM-DD, e.g. 2026-12-03: 13/13/2026 is not a date."),
        ("2026/12/03", "Write the date as YYYY-MM-DD, e.g. 2026-12-03."),
        ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days."),
        (
            "2026-13-01",
            "2026-13-01 is not a date: the month must be 01 to 12. Write the date as YYYY-MM-DD, e.g. 2026-12-03."
        ),
        ("next Tuesday", "Write the date as YYYY-MM-DD, e.g. 2026-12-03."),
        ("", "Enter a date as YYYY-MM-DD, e.g. 2026-12-03."),
    ])
    func otherDatesAreRefusedSayingHowToWriteThem(_ text: String, _ message: String) {
        #expect(throws: DateInputError(text: text.trimmingCharacters(in: .whitespaces), message: message)) {
            try LocalDate(typed: text)
        }
    }

    @Test func storedDatesAreReadAsBefore() {
        #expect(LocalDate("2026-1-5") == nil)
        #expect(LocalDate("12/03/2026") == nil)
        #expect(LocalDate("2026-12-03") == LocalDate(year: 2026, month: 12, day: 3))
    }
}
