import CoSellDomain
import Foundation
import Testing

/// `Money.readable`: amounts written as people read them, the same on every server, in the
/// timeline's summaries.
@Suite("Money as people read it")
struct MoneyReadableTests {
    static func money(_ minorUnits: Int64, _ code: String) -> Money {
        Money(minorUnits: minorUnits, currency: Currency(code: code)!)
    }

    @Test(
        "a common symbol before the number, else the code after it; commas group the thousands",
        arguments: [
            (money(31_000_000, "USD"), "$310,000.00"),
            (money(4_500_050, "EUR"), "€45,000.50"),
            (money(4_500_050, "CHF"), "45,000.50 CHF"),
            (money(123_456_789, "GBP"), "£1,234,567.89"),
            (money(1_250_000, "JPY"), "¥1,250,000"),
            (money(1_250_500, "KWD"), "1,250.500 KWD"),
            (money(99_900, "CAD"), "CA$999.00"),
            (money(100_000, "AUD"), "A$1,000.00"),
            (money(5, "USD"), "$0.05"),
            (money(0, "SEK"), "0.00 SEK"),
            (money(0, "JPY"), "¥0"),
            (money(-120_000, "USD"), "-$1,200.00"),
            (money(-4_500_050, "CHF"), "-45,000.50 CHF"),
            (money(12_345_678, "CLF"), "1,234.5678 CLF"),
        ])
    func written(_ m: Money, _ text: String) {
        #expect(m.readable == text)
    }

    @Test("the text reads back as the same amount, with a symbol or a code, with two decimals or none")
    func readsBack() throws {
        let amounts: [Int64] = [0, 7, 99_999, 31_000_000, 1_234_567_890, -4_500_050, 12_345_678_901_234_567]
        for code in ["USD", "EUR", "GBP", "JPY", "INR", "KRW", "ILS", "CAD", "AUD", "NZD", "HKD", "BRL", "CHF", "SEK"] {
            for units in amounts {
                let m = Self.money(units, code)
                let back = try Money(typed: m.readable, currency: m.currency, allowNegative: true)
                #expect(back == m, "\(m.readable)")
            }
        }
    }

    @Test("the outcome's summary says the amount as people read it")
    func outcomeSummary() throws {
        let deal = Fixture.deal(
            at: .closeRegisterReview, evidence: Fixture.evidence(through: .jointPursuit), status: .open)
        let (_, changes) = try Fixture.apply(
            .recordOutcome(
                result: .won, finalAmount: Fixture.usd("310000"), closeDate: LocalDate(Fixture.now),
                lossReason: nil),
            to: deal, by: Fixture.hostSeller)
        let logged = try #require(changes.first { $0.kind == "outcome_logged" })
        #expect(logged.summary == "\(Fixture.hostSeller.name) logged the outcome: won, $310,000.00.")
        #expect(!logged.summary.contains("310000.00"))
    }

    @Test("an amended final amount says both amounts as people read them")
    func amendedSummary() throws {
        var completed = Fixture.deal(at: .closeRegisterReview)
        completed.completedAt = Fixture.day(58)
        let (_, changes) = try Fixture.apply(
            .amendOutcome(
                finalAmount: Fixture.usd("260000.5"), closeDate: nil, reason: "The order form says 260,000.50."),
            to: completed, by: Fixture.hostManager)
        let amended = try #require(changes.first { $0.kind == "outcome_amended" })
        #expect(
            amended.summary
                == "\(Fixture.hostManager.name) amended the final amount from $250,000.00 to $260,000.50: The order form says 260,000.50."
        )
    }
}
