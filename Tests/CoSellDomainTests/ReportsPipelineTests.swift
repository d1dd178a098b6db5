import CoSellDomain
import Foundation
import Testing

private typealias F = ReportsFixture

/// Eight deals, "now" = day 100 (2026-04-11). Stage keys s0…s4 stand for the standard playbook's stages.
///
///     deal  status     stage  passages (days)                            amount      notes
///     A     open       s0     — (entered day 90)                         USD 1000    not stalled (10 days)
///     H     open       s0     — (entered day 50)                         —           stalled; no pitfall
///     B     open       s1     s0 0→10                                    EUR 500     stalled 90 d: wrong account
///     C     open       s1     s0 20→24                                   EUR 300     stalled 76 d: no door-opener
///     D     open       s2     s0 0→6, s1 6→20 (override), s2 from 95     JPY 100000  not stalled (5 days)
///     E     won, done  s4     s0 0→2, s1 2→12, s2 12→40, s3 40→70, s4 70→80       closed 2026-03-20 (day 78)
///     F     lost, done s2     s0 0→8, s1 8→30                                      lost
///     G     abandoned  s0     —
private let pipelineDeals: [Deal] = [
    F.deal(1, stage: 0, entered: 90, amount: F.money("1000.00", F.usd)),  // A
    F.deal(8, stage: 0, entered: 50, strongFits: true),  // H
    F.deal(2, stage: 1, entered: 10, amount: F.money("500.00", F.eur), passages: [F.passage(0, 0, 10)]),  // B
    F.deal(
        3, stage: 1, entered: 24, amount: F.money("300.00", F.eur), passages: [F.passage(0, 20, 24)],
        strongFits: true),  // C
    F.deal(
        4, stage: 2, entered: 95, amount: F.money("100000", F.jpy),
        passages: [F.passage(0, 0, 6), F.passage(1, 6, 20, .skipped)]),  // D
    F.deal(
        5, stage: 4, status: .won, entered: 70, amount: F.money("2000.00", F.usd),
        passages: [
            F.passage(0, 0, 2), F.passage(1, 2, 12), F.passage(2, 12, 40), F.passage(3, 40, 70), F.passage(4, 70, 80),
        ],
        completedOn: 80, outcome: F.outcome(.won, F.money("2000.00", F.usd), closedOn: "2026-03-20")),  // E
    F.deal(
        6, stage: 2, status: .lost, entered: 30, passages: [F.passage(0, 0, 8), F.passage(1, 8, 30)],
        completedOn: 40, outcome: F.outcome(.lost, F.money("0.00", F.usd), closedOn: "2026-02-05")),  // F
    F.deal(7, stage: 0, status: .abandoned, entered: 0),  // G
]

/// Reporting USD. EUR 1.10 from Jan 1, 1.20 from Apr 1, 1.30 from May 1 (after the report day). No JPY.
private let pipelineRates = ExchangeRateTable(
    reportingCurrency: F.usd,
    entries: [
        ExchangeRateEntry(date: F.date("2026-01-01"), currency: F.eur, rate: ExchangeRate("1.10")!),
        ExchangeRateEntry(date: F.date("2026-04-01"), currency: F.eur, rate: ExchangeRate("1.20")!),
        ExchangeRateEntry(date: F.date("2026-05-01"), currency: F.eur, rate: ExchangeRate("1.30")!),
    ])

@Suite("Reports: pipeline by stage")
struct ReportsPipelineTests {
    let report = Reports.pipeline(
        deals: pipelineDeals, playbook: F.playbook, rates: pipelineRates,
        ownPipeline: [
            // Won in 10, 20 and 40 days; one lost; one open.
            OwnOpportunity(
                amount: F.money("10.00", F.usd), createdOn: F.date("2026-01-01"), closedOn: F.date("2026-01-11"),
                won: true),
            OwnOpportunity(
                amount: F.money("10.00", F.usd), createdOn: F.date("2026-02-20"), closedOn: F.date("2026-03-12"),
                won: true),
            OwnOpportunity(
                amount: F.money("10.00", F.usd), createdOn: F.date("2026-01-31"), closedOn: F.date("2026-03-12"),
                won: true),
            OwnOpportunity(
                amount: F.money("10.00", F.usd), createdOn: F.date("2026-01-01"), closedOn: F.date("2026-02-01"),
                won: false),
            OwnOpportunity(amount: F.money("10.00", F.usd), createdOn: F.date("2026-01-01"), closedOn: nil, won: nil),
        ], now: F.day(100))

    @Test func countsAndAmountsOfOpenDealsPerStage() {
        #expect(report.asOf == F.date("2026-04-11"))
        #expect(report.stages.map(\.openDeals) == [2, 2, 1, 0, 0])
        #expect(report.stages.map(\.openDealsWithoutAmount) == [1, 0, 0, 0, 0])
        #expect(report.stages[0].amounts == [F.money("1000.00", F.usd)])
        // B 500 + C 300 EUR.
        #expect(report.stages[1].amounts == [F.money("800.00", F.eur)])
        #expect(report.stages[2].amounts == [F.money("100000", F.jpy)])
        #expect(report.stages[3].amounts.isEmpty)
    }

    @Test func openAmountsConvertAtTheReportDaysRateAndKeepWhatHasNoRate() {
        // Report day 2026-04-11: EUR at 1.20 (from Apr 1), not 1.10 (older) nor 1.30 (May, later).
        // 500 × 1.20 = 600.00; 300 × 1.20 = 360.00 → 960.00 USD.
        #expect(report.reportingCurrency == F.usd)
        #expect(report.stages[0].amountInReportingCurrency == F.money("1000.00", F.usd))
        #expect(report.stages[1].amountInReportingCurrency == F.money("960.00", F.usd))
        #expect(report.stages[1].unconvertedAmounts.isEmpty)
        // No JPY rate: the amount is listed as unconverted, the converted sum is zero.
        #expect(report.stages[2].amountInReportingCurrency == F.money("0.00", F.usd))
        #expect(report.stages[2].unconvertedAmounts == [F.money("100000", F.jpy)])
        #expect(report.notes.isEmpty)
    }

    @Test func stageToStageConversion() {
        // Furthest stage: A 0, H 0, G 0, B 1, C 1, D 2, F 2 (lost in s2), E 4.
        // Entered s0: all 8; s1: B C D E F = 5; s2: D E F = 3; s3: E = 1; s4: E = 1.
        #expect(report.stages.map(\.entered) == [8, 5, 3, 1, 1])
        #expect(report.stages.map(\.reachedNext) == [5, 3, 1, 1, nil])
        // 5/8, 3/5, 1/3, 1/1, none after the last stage.
        #expect(report.stages[0].conversionToNext == 0.625)
        #expect(report.stages[1].conversionToNext == 0.6)
        #expect(report.stages[2].conversionToNext == 1.0 / 3.0)
        #expect(report.stages[3].conversionToNext == 1.0)
        #expect(report.stages[4].conversionToNext == nil)
    }

    @Test func daysInStageFromPassagesAndOpenDealsTimeSoFar() {
        // s0: passages B 10, C 4, D 6, E 2, F 8; open A 100−90 = 10, H 100−50 = 50 (G abandoned: none).
        //     sorted 2 4 6 8 10 10 50 (n = 7): median rank 3 → 8; p90 h = 6·0.9 = 5.4 → 10 + 0.4·(50−10) = 26.
        let s0 = report.stages[0].daysInStage
        #expect(s0 == DayStatistics(count: 7, median: 8, p90: 26))
        // s1: passages D 14, E 10, F 22; open B 100−10 = 90, C 100−24 = 76.
        //     sorted 10 14 22 76 90 (n = 5): median 22; p90 h = 3.6 → 76 + 0.6·14 = 84.4.
        #expect(report.stages[1].daysInStage == DayStatistics(count: 5, median: 22, p90: 84.4))
        // s2: E 28, open D 100−95 = 5 (F lost in s2, never left it: not counted).
        //     sorted 5 28 (n = 2): median 16.5; p90 h = 0.9 → 5 + 0.9·23 = 25.7.
        #expect(report.stages[2].daysInStage == DayStatistics(count: 2, median: 16.5, p90: 25.7))
        #expect(report.stages[3].daysInStage == DayStatistics(count: 1, median: 30, p90: 30))
        #expect(report.stages[4].daysInStage == DayStatistics(count: 1, median: 10, p90: 10))
    }

    @Test func stallsByStageAndLikelyCause() {
        // s0: H stalled (50 > 14 days) with strong fits on the overlap: no pitfall. A is not stalled.
        // s1: B (no fits recorded → pursuing the wrong account), C (strong fits, no door-opener named).
        #expect(report.stages.map(\.stalled) == [1, 2, 0, 0, 0])
        #expect(report.stages[0].stalledWithoutPitfall == 1)
        #expect(report.stages[0].stalledByPitfall.allSatisfy { $0.count == 0 })
        let s1 = Dictionary(uniqueKeysWithValues: report.stages[1].stalledByPitfall.map { ($0.pitfall, $0.count) })
        #expect(
            s1 == [
                .pursuingTheWrongAccount: 1, .noDoorOpener: 1, .twoDiscoveriesNotOne: 0, .competingClosePlans: 0,
                .noReview: 0,
            ])
        #expect(report.stalledByPitfall.map(\.count) == [1, 1, 0, 0, 0])
        #expect(report.stalledWithoutPitfall == 1)
    }

    @Test func winRateAndCycleTimeAgainstTheOwnPipeline() {
        // Joint: E won, F lost, one abandoned → 1/3 (an abandoned deal is not a win, and not left out);
        // E created day 0 (2026-01-01), closed 2026-03-20 → 78 days.
        #expect(
            report.joint
                == WinCycleSummary(
                    deals: 8, won: 1, lost: 1, abandoned: 1, undecided: 5, winRate: 1.0 / 3.0,
                    cycleDays: DayStatistics(count: 1, median: 78, p90: 78)))
        // Own: 3 won, 1 lost → 0.75; cycles 10, 20, 40 → median 20, p90 h = 1.8 → 20 + 0.8·20 = 36.
        #expect(
            report.own
                == WinCycleSummary(
                    deals: 5, won: 3, lost: 1, undecided: 1, winRate: 0.75,
                    cycleDays: DayStatistics(count: 3, median: 20, p90: 36)))
    }

    @Test func withoutAnExportTheOwnPipelineIsAbsent() {
        let r = Reports.pipeline(deals: pipelineDeals, playbook: F.playbook, now: F.day(100))
        #expect(r.own == nil)
        #expect(r.reportingCurrency == nil)
        #expect(r.stages.allSatisfy { $0.amountInReportingCurrency == nil && $0.unconvertedAmounts.isEmpty })
        // An empty export is a comparison with nothing decided.
        let e = Reports.pipeline(deals: [], playbook: F.playbook, ownPipeline: [], now: F.day(100))
        #expect(
            e.own
                == WinCycleSummary(
                    deals: 0, won: 0, lost: 0, undecided: 0, winRate: nil,
                    cycleDays: DayStatistics(count: 0, median: nil, p90: nil)))
    }

    @Test func emptyInput() {
        let r = Reports.pipeline(deals: [], playbook: F.playbook, rates: pipelineRates, now: F.day(100))
        #expect(r.stages.count == 5)
        for row in r.stages {
            #expect(row.openDeals == 0 && row.amounts.isEmpty && row.entered == 0 && row.stalled == 0)
            #expect(row.amountInReportingCurrency == F.money("0.00", F.usd))
            #expect(row.conversionToNext == nil)
            #expect(row.daysInStage == DayStatistics(count: 0, median: nil, p90: nil))
        }
        #expect(r.joint.winRate == nil)
        #expect(r.joint.cycleDays.median == nil)
    }

    @Test func aDealMovedBackSumsItsVisitsAndKeepsCreditForTheStageItReached() {
        // In s1 from day 10 to 20 (passed), then in s2 from day 20, moved back to s1 on day 25 (the engine
        // records no passage for the time in s2), left s1 again on day 29, in s2 since day 29; now day 40.
        let d = F.deal(
            1, stage: 2, entered: 29, passages: [F.passage(0, 0, 10), F.passage(1, 10, 20), F.passage(1, 25, 29)])
        let r = Reports.pipeline(deals: [d], playbook: F.playbook, now: F.day(40))
        // One value per deal: s1 = 10 + 4 = 14 days; s2 = 11 days so far.
        #expect(r.stages[1].daysInStage == DayStatistics(count: 1, median: 14, p90: 14))
        #expect(r.stages[2].daysInStage == DayStatistics(count: 1, median: 11, p90: 11))
        // Moved back to s1 after reaching s2: still counted as having reached s2.
        let back = F.deal(2, stage: 1, entered: 25, passages: [F.passage(0, 0, 10), F.passage(1, 10, 20)])
        let r2 = Reports.pipeline(deals: [back], playbook: F.playbook, now: F.day(40))
        #expect(r2.stages.map(\.entered) == [1, 1, 1, 0, 0])
    }

    @Test func daysAreWholeDaysRoundedDown() {
        // 3.9 days in s0, 0.5 days so far in s1.
        let d = F.deal(1, stage: 1, entered: 3.9, passages: [F.passage(0, 0, 3.9)])
        let r = Reports.pipeline(deals: [d], playbook: F.playbook, now: F.day(4.4))
        #expect(r.stages[0].daysInStage.median == 3)
        #expect(r.stages[1].daysInStage.median == 0)
    }

    @Test func csvHasAHeaderAndOneRowPerStage() {
        let lines = report.csv().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 7)  // header, five stages, and the final newline
        #expect(
            lines[0]
                == "stage_index,stage_key,stage_name,open_deals,open_deals_without_amount,amounts_by_currency,amount_reporting,reporting_currency,unconverted_amounts,entered,reached_next,conversion_to_next,days_in_stage_count,days_in_stage_median,days_in_stage_p90,stalled,stalled_pursuing_the_wrong_account,stalled_no_door_opener,stalled_two_discoveries_not_one,stalled_competing_close_plans,stalled_no_review,stalled_without_pitfall"
        )
        #expect(
            lines[2]
                == "1,door_opener,The door-opener move,2,0,EUR 800.00,960.00,USD,,5,3,0.6000,5,22,84.4,2,1,1,0,0,0,0")
        #expect(
            lines[3]
                == "2,joint_discovery,Joint discovery,1,0,JPY 100000,0.00,USD,JPY 100000,3,1,0.3333,2,16.5,25.7,0,0,0,0,0,0,0"
        )
        #expect(lines[5].hasSuffix(",1,,,1,10,10,0,0,0,0,0,0,0"))
        #expect(lines[6].isEmpty)
        #expect(
            report.comparisonCSV()
                == """
                pipeline,deals,won,lost,abandoned,undecided,win_rate,cycle_days_count,cycle_days_median,cycle_days_p90
                joint,8,1,1,1,5,0.3333,1,78,78
                own,5,3,1,0,1,0.7500,3,20,36

                """)
    }

    @Test func csvQuotesAndGuardsStageNames() {
        var custom = F.playbook
        custom.stages[0].name = "Pick, commit"
        custom.stages[1].name = "=HYPERLINK(\"x\")"
        let csv = Reports.pipeline(deals: [], playbook: custom, now: F.day(1)).csv()
        #expect(csv.contains("\n0,target_account_selection,\"Pick, commit\",0,"))
        #expect(csv.contains("\n1,door_opener,\"'=HYPERLINK(\"\"x\"\")\",0,"))
    }
}
