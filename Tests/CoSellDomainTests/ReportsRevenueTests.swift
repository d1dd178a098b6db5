import CoSellDomain
import Foundation
import Testing

private typealias F = ReportsFixture

/// Reporting USD. EUR: 1.10 from 2026-09-30, 1.15 from 2026-10-15, 1.25 from 2026-12-01.
/// GBP: 1.27 from 2026-11-01 only. No JPY.
private let revenueRates = ExchangeRateTable(
    reportingCurrency: F.usd,
    entries: [
        ExchangeRateEntry(date: F.date("2026-12-01"), currency: F.eur, rate: ExchangeRate("1.25")!),
        ExchangeRateEntry(date: F.date("2026-09-30"), currency: F.eur, rate: ExchangeRate("1.10")!),
        ExchangeRateEntry(date: F.date("2026-10-15"), currency: F.eur, rate: ExchangeRate("1.15")!),
        ExchangeRateEntry(date: F.date("2026-11-01"), currency: F.gbp, rate: ExchangeRate("1.27")!),
    ])

///     deal  partner  registration  amount        close        rate                     USD
///     1     P1       sourced       EUR 1000.00   2026-10-20   1.15 (not Dec's 1.25)    1150.00
///     2     P1       sourced       EUR 200.00    2026-11-30   1.15 (day before 1.25)    230.00
///     3     P1       influenced    USD 500.00    2026-10-01   1                         500.00
///     4     P2       sourced       GBP 100.00    2026-10-31   none before 11-01        unconverted
///     5     P2       sourced       EUR 100.00    2026-09-30   1.10 (on the day)         110.00
///     6     P1       —             EUR 100.00    2026-12-05   1.25                     unattributed 125.00
///     7     P1       sourced       lost                                                 —
///     8     P1       —             open                                                 —
private let revenueDeals: [Deal] = [
    F.won(1, F.money("1000.00", F.eur), closedOn: "2026-10-20", attribution: .partnerSourced),
    F.won(2, F.money("200.00", F.eur), closedOn: "2026-11-30", attribution: .partnerSourced),
    F.won(3, F.money("500.00", F.usd), closedOn: "2026-10-01", attribution: .partnerInfluenced),
    F.won(4, F.money("100.00", F.gbp), closedOn: "2026-10-31", attribution: .partnerSourced, partner: F.partnerOrg2),
    F.won(5, F.money("100.00", F.eur), closedOn: "2026-09-30", attribution: .partnerSourced, partner: F.partnerOrg2),
    F.won(6, F.money("100.00", F.eur), closedOn: "2026-12-05", attribution: nil),
    F.deal(
        7, stage: 4, status: .lost, entered: 0,
        outcome: F.outcome(.lost, F.money("900.00", F.eur), closedOn: "2026-10-20"),
        registration: F.registration(.partnerSourced)),
    F.deal(8, stage: 2, entered: 0, amount: F.money("700.00", F.eur)),
]

@Suite("Reports: partner-sourced and partner-influenced revenue")
struct ReportsRevenueTests {
    let report = Reports.partnerRevenue(deals: revenueDeals, rates: revenueRates)

    @Test func rowsByPartnerQuarterAndSideAtTheCloseDatesRate() {
        #expect(report.reportingCurrency == F.usd)
        #expect(
            report.rows == [
                // P1 (…200) Q4: sourced 1150.00 + 230.00 (deals 1, 2); influenced 500.00 (deal 3).
                PartnerRevenueRow(
                    partnerOrganizationID: F.partnerOrg1, quarter: "2026-Q4", attribution: .partnerInfluenced,
                    sourcedBy: .host, deals: 1, amount: F.money("500.00", F.usd)),
                PartnerRevenueRow(
                    partnerOrganizationID: F.partnerOrg1, quarter: "2026-Q4", attribution: .partnerSourced,
                    sourcedBy: .partner, deals: 2, amount: F.money("1380.00", F.usd)),
                // P2 (…201) Q3: deal 5 at the rate dated its close day.
                PartnerRevenueRow(
                    partnerOrganizationID: F.partnerOrg2, quarter: "2026-Q3", attribution: .partnerSourced,
                    sourcedBy: .partner, deals: 1, amount: F.money("110.00", F.usd)),
            ])
        // 500 + 1380 + 110.
        #expect(report.total == F.money("1990.00", F.usd))
    }

    @Test func aMissingRateIsAnExplicitLineNotADrop() {
        // Deal 4's GBP rate starts the day after its close date: it is not converted at a later rate.
        #expect(
            report.unconverted == [
                UnconvertedRevenueLine(
                    dealID: F.id(1_004), partnerOrganizationID: F.partnerOrg2, quarter: "2026-Q4",
                    attribution: .partnerSourced, sourcedBy: .partner, closeDate: F.date("2026-10-31"),
                    amount: F.money("100.00", F.gbp), reason: .noRate)
            ])
    }

    @Test func unregisteredWinsAreListedAsUnattributed() {
        #expect(
            report.unattributed == [
                UnattributedWin(
                    dealID: F.id(1_006), partnershipID: F.partnershipA, partnerOrganizationID: F.partnerOrg1,
                    title: "Deal 6", quarter: "2026-Q4", closeDate: F.date("2026-12-05"),
                    amount: F.money("100.00", F.eur), amountInReportingCurrency: F.money("125.00", F.usd))
            ])
    }

    @Test func conversionUsesTheCloseDateNotALaterRate() {
        // The same deal closed before and after the rate change.
        let before = Reports.partnerRevenue(
            deals: [F.won(1, F.money("100.00", F.eur), closedOn: "2026-11-30", attribution: .partnerSourced)],
            rates: revenueRates)
        let after = Reports.partnerRevenue(
            deals: [F.won(1, F.money("100.00", F.eur), closedOn: "2026-12-01", attribution: .partnerSourced)],
            rates: revenueRates)
        #expect(before.total == F.money("115.00", F.usd))
        #expect(after.total == F.money("125.00", F.usd))
        // Before the first rate of the table: no rate at all.
        let early = Reports.partnerRevenue(
            deals: [F.won(1, F.money("100.00", F.eur), closedOn: "2026-09-29", attribution: .partnerSourced)],
            rates: revenueRates)
        #expect(early.rows.isEmpty)
        #expect(early.total == F.money("0.00", F.usd))
        #expect(early.unconverted.map(\.reason) == [.noRate])
    }

    @Test func eachDealIsRoundedHalfEvenBeforeSumming() {
        // EUR 0.05 × 1.5 = 7.5 cents → 8 (half to even); twice → 16 cents. Converting the sum 0.10 × 1.5
        // would give 15: the rule is per deal. EUR 0.15 × 1.5 = 22.5 → 22 (even).
        let rates = ExchangeRateTable(
            reportingCurrency: F.usd,
            entries: [ExchangeRateEntry(date: F.date("2026-01-01"), currency: F.eur, rate: ExchangeRate("1.5")!)])
        let r = Reports.partnerRevenue(
            deals: [
                F.won(1, F.money("0.05", F.eur), closedOn: "2026-02-01", attribution: .partnerSourced),
                F.won(2, F.money("0.05", F.eur), closedOn: "2026-02-01", attribution: .partnerSourced),
                F.won(3, F.money("0.15", F.eur), closedOn: "2026-02-01", attribution: .partnerInfluenced),
            ], rates: rates)
        #expect(r.rows.map(\.amount) == [F.money("0.22", F.usd), F.money("0.16", F.usd)])
        #expect(r.total == F.money("0.38", F.usd))
    }

    @Test func emptyInput() {
        let r = Reports.partnerRevenue(deals: [], rates: revenueRates)
        #expect(r.rows.isEmpty && r.unconverted.isEmpty && r.unattributed.isEmpty)
        #expect(r.total == F.money("0.00", F.usd))
        #expect(
            r.csv()
                == "line,partner_organization_id,quarter,attribution,sourced_by,deals,amount,reporting_currency,deal_id,close_date,original_amount,original_currency,note\n"
        )
    }

    @Test func csvListsConvertedUnconvertedAndUnattributedLines() {
        let lines = report.csv().split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(
            lines[1]
                == "converted,00000000-0000-0000-0000-000000000200,2026-Q4,partner_influenced,host,1,500.00,USD,,,,,")
        #expect(
            lines[2]
                == "converted,00000000-0000-0000-0000-000000000200,2026-Q4,partner_sourced,partner,2,1380.00,USD,,,,,")
        #expect(
            lines[4]
                == "unconverted,00000000-0000-0000-0000-000000000201,2026-Q4,partner_sourced,partner,1,,USD,00000000-0000-0000-0000-000000001004,2026-10-31,100.00,GBP,no GBP rate on or before 2026-10-31"
        )
        #expect(
            lines[5]
                == "unattributed,00000000-0000-0000-0000-000000000200,2026-Q4,,,1,125.00,USD,00000000-0000-0000-0000-000000001006,2026-12-05,100.00,EUR,not registered: Deal 6"
        )
    }

    @Test func quarters() {
        #expect(Reports.quarter(of: F.date("2026-01-01")) == "2026-Q1")
        #expect(Reports.quarter(of: F.date("2026-03-31")) == "2026-Q1")
        #expect(Reports.quarter(of: F.date("2026-04-01")) == "2026-Q2")
        #expect(Reports.quarter(of: F.date("2026-09-30")) == "2026-Q3")
        #expect(Reports.quarter(of: F.date("2026-12-31")) == "2026-Q4")
    }
}
