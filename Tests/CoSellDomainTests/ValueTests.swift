import CoSellDomain
import Foundation
import Testing

@Suite("Money")
struct MoneyTests {
    struct Parsed: Sendable, CustomTestStringConvertible {
        var text: String
        var currency: String
        var minorUnits: Int64
        var printed: String
        var testDescription: String { "\(text) \(currency)" }
    }

    @Test(arguments: [
        Parsed(text: "125000", currency: "USD", minorUnits: 12_500_000, printed: "125000.00"),
        Parsed(text: "125000.5", currency: "USD", minorUnits: 12_500_050, printed: "125000.50"),
        Parsed(text: "0.05", currency: "EUR", minorUnits: 5, printed: "0.05"),
        Parsed(text: "-3.25", currency: "GBP", minorUnits: -325, printed: "-3.25"),
        Parsed(text: " 42 ", currency: "usd", minorUnits: 4_200, printed: "42.00"),
        Parsed(text: "1500", currency: "JPY", minorUnits: 1_500, printed: "1500"),
        Parsed(text: "0", currency: "KRW", minorUnits: 0, printed: "0"),
        Parsed(text: "1.234", currency: "BHD", minorUnits: 1_234, printed: "1.234"),
        Parsed(text: "7.5", currency: "KWD", minorUnits: 7_500, printed: "7.500"),
        Parsed(text: "0.0001", currency: "CLF", minorUnits: 1, printed: "0.0001"),
        Parsed(
            text: "99999999999999.99", currency: "USD", minorUnits: 9_999_999_999_999_999,
            printed: "99999999999999.99"),
    ])
    func parsesInTheCurrencysMinorUnits(_ c: Parsed) throws {
        let currency = try #require(Currency(code: c.currency))
        let money = try Money(amount: c.text, currency: currency)
        #expect(money.minorUnits == c.minorUnits)
        #expect(money.currency.code == c.currency.uppercased())
        #expect(money.amountString == c.printed)
        #expect(try Money(amount: money.amountString, currency: currency) == money)
    }

    @Test(arguments: [
        ("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("BHD", 3), ("KWD", 3), ("CLF", 4),
    ])
    func currenciesKnowTheirMinorDigits(_ code: String, _ digits: Int) throws {
        #expect(try #require(Currency(code: code)).minorDigits == digits)
    }

    @Test(arguments: ["", "US", "USDX", "XXX", "ABC", "€"])
    func unknownCurrencyCodesAreRefused(_ code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test(arguments: [
        ("1.5", "JPY", 0), ("100.00", "JPY", 0), ("1.234", "USD", 2), ("1.2345", "BHD", 3),
        ("0.00001", "CLF", 4),
    ])
    func tooManyDecimalsAreRefused(_ text: String, _ code: String, _ allowed: Int) throws {
        let currency = try #require(Currency(code: code))
        #expect(throws: MoneyError.tooManyDecimals(text, currency: code, allowed: allowed)) {
            try Money(amount: text, currency: currency)
        }
    }

    @Test(arguments: [
        "", " ", "-", "abc", "1,000", "1.", ".5", "1.2.3", "1e5", "+5", "--5", "5-", "１２", "1 000",
        "0x10", "NaN",
    ])
    func badInputIsNotANumber(_ text: String) {
        #expect(throws: MoneyError.notANumber(text)) {
            try Money(amount: text, currency: Currency(code: "USD")!)
        }
    }

    @Test(arguments: [
        ("100000000000000000", "JPY"), ("1000000000000000", "USD"), ("99999999999999999999", "USD"),
    ])
    func amountsThatDoNotFitAreOutOfRange(_ text: String, _ code: String) {
        #expect(throws: MoneyError.outOfRange(text)) {
            try Money(amount: text, currency: Currency(code: code)!)
        }
    }

    @Test func moneyRoundTripsThroughJSONAsADecimalString() throws {
        let money = try Money(amount: "1.5", currency: Currency(code: "BHD")!)
        let data = try JSONEncoder().encode(money)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object == ["amount": "1.500", "currency": "BHD"])
        #expect(try JSONDecoder().decode(Money.self, from: data) == money)
    }

    @Test(arguments: [
        #"{"amount": "1.5", "currency": "JPY"}"#, #"{"amount": "10", "currency": "usd"}"#,
        #"{"amount": true, "currency": "USD"}"#, #"{"amount": "1", "currency": "ZZZ"}"#,
    ])
    func badMoneyJSONIsRefused(_ json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Money.self, from: Data(json.utf8))
        }
    }
}

@Suite("LocalDate")
struct LocalDateTests {
    @Test(arguments: [
        ("2024-02-29", 2024, 2, 29), ("2000-02-29", 2000, 2, 29), ("2026-12-31", 2026, 12, 31),
        ("0001-01-01", 1, 1, 1), ("9999-12-31", 9999, 12, 31), ("2026-04-30", 2026, 4, 30),
    ])
    func validDatesParseAndPrintTheSame(_ text: String, _ y: Int, _ m: Int, _ d: Int) throws {
        let date = try #require(LocalDate(text))
        #expect(date.year == y && date.month == m && date.day == d)
        #expect(date.description == text)
        #expect(LocalDate(year: y, month: m, day: d) == date)
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-01-00", "0000-01-01",
        "2026-1-05", "26-01-05", "2026-01-5", "2026/01/05", "2026-01-05T00:00:00Z", "", "2026-01",
        "2026-01-05-",
        "abcd-ef-gh", "+202-01-05", "2026-+1-05", "2026-01-+5", "2026--1-05", " 2026-01-05",
        "２０２６-01-05",
    ])
    func invalidDatesAreRefused(_ text: String) {
        #expect(LocalDate(text) == nil, "\(text) parsed")
    }

    @Test func leapYearsFollowTheGregorianRules() {
        for (year, leap) in [
            (2024, true), (2023, false), (1900, false), (2000, true), (2100, false), (2400, true),
        ] {
            #expect((LocalDate(year: year, month: 2, day: 29) != nil) == leap, "\(year)")
        }
    }

    @Test func datesOrderByDayAndCodeAsText() throws {
        #expect(LocalDate("2025-12-31")! < LocalDate("2026-01-01")!)
        #expect(LocalDate("2026-01-09")! < LocalDate("2026-01-10")!)
        #expect(!(LocalDate("2026-01-10")! < LocalDate("2026-01-10")!))
        let data = try JSONEncoder().encode([LocalDate("2026-03-01")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-03-01"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([LocalDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }

    @Test func aDateFallsOnItsUTCDay() {
        #expect(LocalDate(Date(timeIntervalSince1970: 1_767_225_599)) == LocalDate("2025-12-31"))
        #expect(LocalDate(Date(timeIntervalSince1970: 1_767_225_600)) == LocalDate("2026-01-01"))
        #expect(LocalDate("2026-01-01")!.startOfDay == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(LocalDate(Fixture.t0) == LocalDate("2026-01-05"))
    }

    @Test func wholeDaysRoundDown() {
        #expect(wholeDays(from: Fixture.t0, to: Fixture.t0.addingTimeInterval(86_399)) == 0)
        #expect(wholeDays(from: Fixture.t0, to: Fixture.day(1)) == 1)
        #expect(wholeDays(from: Fixture.day(1), to: Fixture.t0) == -1)
    }
}

@Suite("Playbook validation")
struct PlaybookTests {
    @Test func theStandardPlaybookIsTheSpecificationsFiveStages() throws {
        let p = Fixture.playbook
        try p.validate()
        #expect(p.stages.map(\.exitCriterion.kind) == CriterionKind.allCases)
        #expect(p.stages.map(\.key) == CriterionKind.allCases.map(\.rawValue))
        #expect(
            p.stages.map(\.name) == [
                "Target account selection", "The door-opener move", "Joint discovery",
                "Joint pursuit and proof",
                "Close, register and review",
            ])
        #expect(p.stages.allSatisfy { !$0.moves.isEmpty && $0.stallLimitDays > 0 })
        #expect(
            p.stages[1].moves.contains { $0.side == .doorOpener }, "the door-opener move is explicit")
        #expect(p.stageIndex(forKey: "joint_pursuit") == 3)
        #expect(p.stageIndex(forKey: "negotiation") == nil)
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var name: String
        var field: String
        var edit: @Sendable (inout Playbook) -> Void
        var testDescription: String { name }
    }

    @Test(arguments: [
        Broken(name: "stages swapped", field: "stages") { $0.stages.swapAt(1, 2) },
        Broken(name: "stage missing", field: "stages") { $0.stages.removeLast() },
        Broken(name: "stage doubled", field: "stages") { $0.stages.append($0.stages[4]) },
        Broken(name: "no stages", field: "stages") { $0.stages = [] },
        Broken(name: "empty name", field: "name") { $0.name = "  \n" },
        Broken(name: "empty wording", field: "stages[2].exit_criterion.wording") {
            $0.stages[2].exitCriterion.wording = " "
        },
        Broken(name: "empty stage name", field: "stages[0].name") { $0.stages[0].name = "" },
        Broken(name: "duplicate stage key", field: "stages[1].key") {
            $0.stages[1].key = $0.stages[0].key
        },
        Broken(name: "empty stage key", field: "stages[3].key") { $0.stages[3].key = "" },
        Broken(name: "stall limit 0", field: "stages[1].stall_limit_days") {
            $0.stages[1].stallLimitDays = 0
        },
        Broken(name: "stall limit 366", field: "stages[4].stall_limit_days") {
            $0.stages[4].stallLimitDays = 366
        },
        Broken(name: "inactivity 0", field: "inactivity_limit_days") { $0.inactivityLimitDays = 0 },
        Broken(name: "inactivity 366", field: "inactivity_limit_days") { $0.inactivityLimitDays = 366 },
        Broken(name: "move due -1", field: "stages[0].moves[1].due_after_days") {
            $0.stages[0].moves[1].dueAfterDays = -1
        },
        Broken(name: "move due 366", field: "stages[2].moves[0].due_after_days") {
            $0.stages[2].moves[0].dueAfterDays = 366
        },
        Broken(name: "empty move description", field: "stages[3].moves[0].description") {
            $0.stages[3].moves[0].description = " "
        },
        Broken(name: "duplicate move key", field: "stages[1].moves[1].key") {
            $0.stages[1].moves[1].key = $0.stages[1].moves[0].key
        },
    ])
    func invalidPlaybooksAreRefusedNamingTheField(_ c: Broken) {
        var p = Fixture.playbook
        c.edit(&p)
        do {
            try p.validate()
            Issue.record("\(c.name) was accepted")
        } catch {
            if case .invalid(let field, _) = error { #expect(field == c.field) }
        }
    }

    @Test(arguments: [1, 365])
    func limitsAtTheEdgesAreAccepted(_ days: Int) throws {
        var p = Fixture.playbook
        p.inactivityLimitDays = days
        for i in p.stages.indices { p.stages[i].stallLimitDays = days }
        p.stages[0].moves[0].dueAfterDays = days == 1 ? 0 : 365
        try p.validate()
    }

    @Test func aPlaybookRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(Fixture.playbook)
        #expect(try JSONDecoder().decode(Playbook.self, from: data) == Fixture.playbook)
    }
}

@Suite("Orders")
struct OrderTests {
    /// A deterministic spread of ids: random bytes, and ids that differ only in one byte, so that
    /// each position of the 16 bytes decides some comparison.
    static func ids() -> [UUID] {
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var out: [UUID] = []
        for _ in 0..<400 {
            out.append(
                UUID(
                    uuid: (
                        next(), next(), next(), next(), next(), next(), next(), next(), next(), next(), next(), next(),
                        next(), next(), next(), next()
                    )))
        }
        let base = UUID(uuidString: "7F000000-0000-4000-8000-0000000000A0")!
        for position in 0..<16 {
            for value: UInt8 in [0x00, 0x09, 0x0A, 0x7F, 0x80, 0xFF] {
                var u = base.uuid
                withUnsafeMutableBytes(of: &u) { $0[position] = value }
                out.append(UUID(uuid: u))
            }
        }
        return out
    }

    @Test func uuidOrderSortsLikeTheUUIDString() {
        let ids = Self.ids()
        let byString = ids.sorted { $0.uuidString < $1.uuidString }
        let byOrder = ids.sorted { $0.order < $1.order }
        #expect(byOrder == byString)
        for (a, b) in zip(ids, ids.reversed()) {
            #expect((a.order < b.order) == (a.uuidString < b.uuidString))
            #expect((a.order == b.order) == (a == b))
        }
    }

    @Test func sortingByAKeyIsStableAndComputesEachKeyOnce() {
        let words = ["pear", "fig", "apple", "kiwi", "plum", "date", "lime", "yuzu"]
        var computed = 0
        let sorted = words.sorted(
            byKey: { w -> Int in
                computed += 1
                return w.count
            }, <)
        // Equal lengths keep the order they were given in.
        #expect(sorted == ["fig", "pear", "kiwi", "plum", "date", "lime", "yuzu", "apple"])
        #expect(computed == words.count)
        let descending = words.sorted(byKey: { $0.count }, >)
        #expect(descending == ["apple", "pear", "kiwi", "plum", "date", "lime", "yuzu", "fig"])
    }
}
