import CoSellDomain
import Foundation
import Testing

private typealias F = ReportsFixture

@Suite("Reports: percentiles, exchange rates and rounding")
struct ReportsRatesTests {
    @Test func percentilesOnOddAndEvenCounts() {
        // Odd: 1 2 3 4 5 → median 3; p90 h = 4·0.9 = 3.6 → 4 + 0.6·1 = 4.6.
        #expect(Reports.percentile(sorted: [1, 2, 3, 4, 5], percent: 50) == 3)
        #expect(Reports.percentile(sorted: [1, 2, 3, 4, 5], percent: 90) == 4.6)
        // Even: 1 2 3 4 → median (2 + 3) / 2 = 2.5; p90 h = 2.7 → 3 + 0.7 = 3.7.
        #expect(Reports.percentile(sorted: [1, 2, 3, 4], percent: 50) == 2.5)
        #expect(Reports.percentile(sorted: [1, 2, 3, 4], percent: 90) == 3.7)
        // Ten values 10…100: p90 h = 8.1 → 90 + 0.1·10 = 91.
        #expect(Reports.percentile(sorted: Array(stride(from: 10, through: 100, by: 10)), percent: 90) == 91)
        #expect(Reports.percentile(sorted: [7], percent: 50) == 7)
        #expect(Reports.percentile(sorted: [7], percent: 90) == 7)
        #expect(Reports.percentile(sorted: [], percent: 50) == nil)
        // Unsorted input is sorted by DayStatistics: 30 0 10 20 → 0 10 20 30: median 15, p90 27.
        #expect(DayStatistics(days: [30, 0, 10, 20]) == DayStatistics(count: 4, median: 15, p90: 27))
        #expect(DayStatistics(days: []) == DayStatistics(count: 0, median: nil, p90: nil))
    }

    @Test func dayNumbersMatchTheCalendar() {
        #expect(Reports.dayNumber(F.date("1970-01-01")) == 0)
        #expect(Reports.dayNumber(F.date("2026-01-01")) == 20_454)
        #expect(Reports.dayNumber(F.date("2024-03-01")) - Reports.dayNumber(F.date("2024-02-28")) == 2)
        #expect(Reports.dayNumber(F.date("2100-03-01")) - Reports.dayNumber(F.date("2100-02-28")) == 1)
        for text in ["1999-12-31", "2000-02-29", "2026-07-15", "2038-01-19"] {
            let d = F.date(text)
            #expect(Reports.dayNumber(d) == Reports.dayNumber(d.startOfDay))
        }
        #expect(Reports.dayNumber(F.day(0.99)) == 20_454)
    }

    @Test func ratesParseExactly() {
        #expect(ExchangeRate("1.0845")?.description == "1.0845")
        #expect(ExchangeRate("0.0062")?.description == "0.0062")
        #expect(ExchangeRate("150")?.description == "150")
        #expect(ExchangeRate("1.50")?.description == "1.5")
        #expect(ExchangeRate("001.25") == ExchangeRate("1.25"))
        #expect(ExchangeRate("0.000000000000001")?.description == "0.000000000000001")
        for bad in [
            "", "0", "0.000", "-1", "+1", "1e3", "1.", ".5", "1,5", "abc", "0.0000000000000001", "1234567890123456789",
        ] {
            #expect(ExchangeRate(bad) == nil, "\(bad)")
        }
    }

    @Test func conversionRoundsHalfEvenToTheTargetsMinorUnits() {
        func convert(_ amount: String, _ from: Currency, _ rate: String, _ to: Currency) -> Money? {
            Reports.convert(F.money(amount, from), rate: ExchangeRate(rate)!, to: to)
        }
        // 5 cents × 1.5 = 7.5 → 8; 15 × 1.5 = 22.5 → 22; 25 × 1.5 = 37.5 → 38 (ties to even).
        #expect(convert("0.05", F.eur, "1.5", F.usd) == F.money("0.08", F.usd))
        #expect(convert("0.15", F.eur, "1.5", F.usd) == F.money("0.22", F.usd))
        #expect(convert("0.25", F.eur, "1.5", F.usd) == F.money("0.38", F.usd))
        // Not a tie: 1 × 1.26 = 1.26 → 1; 3 × 1.25 = 3.75 → 4.
        #expect(convert("0.01", F.eur, "1.26", F.usd) == F.money("0.01", F.usd))
        #expect(convert("0.03", F.eur, "1.25", F.usd) == F.money("0.04", F.usd))
        // Negative amounts round symmetrically: −7.5 → −8.
        #expect(convert("-0.05", F.eur, "1.5", F.usd) == F.money("-0.08", F.usd))
        // From a currency without minor units: JPY 1000 × 0.0067 = USD 6.70.
        #expect(convert("1000", F.jpy, "0.0067", F.usd) == F.money("6.70", F.usd))
        // Into one: USD 1.00 × 150.5 = 150.5 JPY → 150; USD 3.00 × 150.5 = 451.5 → 452.
        #expect(convert("1.00", F.usd, "150.5", F.jpy) == F.money("150", F.jpy))
        #expect(convert("3.00", F.usd, "150.5", F.jpy) == F.money("452", F.jpy))
        // Into three digits: USD 1.00 × 0.3075 = KWD 0.3075 → 0.308 (307.5 fils → 308).
        #expect(convert("1.00", F.usd, "0.3075", F.kwd) == F.money("0.308", F.kwd))
        // Large amounts stay exact: 99,999,999,999,999.99 × 1.000000000000001.
        #expect(
            convert("99999999999999.99", F.eur, "1.000000000000001", F.usd)
                == F.money("100000000000000.09", F.usd))
        // Too large for Int64 minor units: no result rather than a wrong one.
        #expect(convert("99999999999999.99", F.eur, "1000000", F.usd) == nil)
        // The reporting currency itself is unchanged.
        #expect(convert("12.34", F.usd, "1", F.usd) == F.money("12.34", F.usd))
    }

    @Test func theLatestRateOnOrBeforeTheDayIsUsed() {
        let table = ExchangeRateTable(
            reportingCurrency: F.usd,
            entries: [
                ExchangeRateEntry(date: F.date("2026-01-10"), currency: F.eur, rate: ExchangeRate("1.2")!),
                ExchangeRateEntry(date: F.date("2026-01-01"), currency: F.eur, rate: ExchangeRate("1.1")!),
                ExchangeRateEntry(date: F.date("2026-01-20"), currency: F.eur, rate: ExchangeRate("1.3")!),
            ])
        #expect(table.rate(for: F.eur, on: F.date("2025-12-31")) == nil)
        #expect(table.rate(for: F.eur, on: F.date("2026-01-01")) == ExchangeRate("1.1"))
        #expect(table.rate(for: F.eur, on: F.date("2026-01-09")) == ExchangeRate("1.1"))
        #expect(table.rate(for: F.eur, on: F.date("2026-01-10")) == ExchangeRate("1.2"))
        #expect(table.rate(for: F.eur, on: F.date("2026-01-19")) == ExchangeRate("1.2"))
        #expect(table.rate(for: F.eur, on: F.date("2027-01-01")) == ExchangeRate("1.3"))
        #expect(table.rate(for: F.gbp, on: F.date("2026-01-10")) == nil)
        #expect(table.rate(for: F.usd, on: F.date("1999-01-01")) == .one)
    }

    @Test func aTableRoundTripsThroughJSON() throws {
        let table = try ExchangeRateTable.parseCSV(
            "date,currency,rate_to_reporting\n2026-01-02,EUR,1.0845\n2026-01-01,EUR,1.08\n2026-01-01,JPY,0.0067\n",
            reportingCurrency: F.usd)
        let data = try JSONEncoder().encode(table)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"1.0845\""))
        let back = try JSONDecoder().decode(ExchangeRateTable.self, from: data)
        #expect(back == table)
        #expect(back.entries.map(\.date.description) == ["2026-01-01", "2026-01-02", "2026-01-01"])
    }

    @Test func parsesTheCSV() throws {
        let text =
            "\u{FEFF}Date,Currency,Rate_To_Reporting\r\n2026-11-30,EUR,1.0845\r\n\r\n\"2026-11-30\", gbp ,\"1.27\"\r\n2026-11-30,USD,1\r\n"
        let table = try ExchangeRateTable.parseCSV(text, reportingCurrency: F.usd)
        #expect(table.reportingCurrency == F.usd)
        #expect(
            table.entries == [
                ExchangeRateEntry(date: F.date("2026-11-30"), currency: F.eur, rate: ExchangeRate("1.0845")!),
                ExchangeRateEntry(date: F.date("2026-11-30"), currency: F.gbp, rate: ExchangeRate("1.27")!),
                ExchangeRateEntry(date: F.date("2026-11-30"), currency: F.usd, rate: .one),
            ])
        // A header alone is an empty table.
        #expect(
            try ExchangeRateTable.parseCSV("date,currency,rate_to_reporting", reportingCurrency: F.usd).entries == [])
    }

    @Test(arguments: [
        ("", 1, "expected the header"),
        ("\n\n", 1, "expected the header"),
        ("2026-11-30,EUR,1.08\n", 1, "expected the header"),
        ("date,currency,rate\n", 1, "expected the header"),
        ("date,currency,rate_to_reporting\n2026-11-30,EUR\n", 2, "expected 3 fields"),
        (
            "date,currency,rate_to_reporting\n2026-11-30,EUR,1.08\n2026-11-31,EUR,1.08\n", 3,
            "\"2026-11-31\" is not a date"
        ),
        ("date,currency,rate_to_reporting\n\n2026-11-30,XYZ,1.08\n", 3, "\"XYZ\" is not an active ISO 4217"),
        ("date,currency,rate_to_reporting\n2026-11-30,EUR,-1.08\n", 2, "\"-1.08\" is not a positive decimal rate"),
        ("date,currency,rate_to_reporting\n2026-11-30,EUR,0\n", 2, "\"0\" is not a positive decimal rate"),
        ("date,currency,rate_to_reporting\n2026-11-30,EUR,1,08\n", 2, "expected 3 fields"),
        ("date,currency,rate_to_reporting\n2026-11-30,USD,1.01\n", 2, "USD is the reporting currency"),
        (
            "date,currency,rate_to_reporting\r\n2026-11-30,EUR,1.08\r\n2026-12-01,EUR,1.09\r\n2026-11-30,eur,1.08\r\n",
            4,
            "a second rate for EUR on 2026-11-30 (the first is on line 2)"
        ),
    ])
    func csvErrorsNameTheLine(text: String, line: Int, message: String) {
        do {
            _ = try ExchangeRateTable.parseCSV(text, reportingCurrency: F.usd)
            Issue.record("expected an error for \(text.debugDescription)")
        } catch {
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.description.hasPrefix("line \(line): "))
        }
    }
}
