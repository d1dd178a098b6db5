import Foundation

/// One opportunity of the host's own (non-joint) pipeline, from its CRM export, for comparison.
public struct OwnOpportunity: Codable, Sendable, Equatable {
    public var amount: Money
    public var createdOn: LocalDate
    /// The close date; nil while open.
    public var closedOn: LocalDate?
    /// True won, false lost, nil open (or closed without a result).
    public var won: Bool?

    public init(amount: Money, createdOn: LocalDate, closedOn: LocalDate?, won: Bool?) {
        self.amount = amount
        self.createdOn = createdOn
        self.closedOn = closedOn
        self.won = won
    }
}

/// How many stalled deals a pitfall is the likely cause of.
public struct PitfallCount: Codable, Sendable, Equatable {
    public var pitfall: Pitfall
    public var count: Int

    public init(pitfall: Pitfall, count: Int) {
        self.pitfall = pitfall
        self.count = count
    }
}

/// Win rate and cycle time of one set of deals.
public struct WinCycleSummary: Codable, Sendable, Equatable {
    public var deals: Int
    public var won: Int
    public var lost: Int
    /// Abandoned by one of the companies: an outcome of its own, and not a win.
    public var abandoned: Int
    /// None of those: open, ended with the partnership, or closed without a result.
    public var undecided: Int
    /// won / (won + lost + abandoned); nil when nothing was decided. An abandoned deal is not left
    /// out of the rate: it is a joint deal that did not close.
    public var winRate: Double?
    /// Whole days from creation to the close date, over the won deals that have both.
    public var cycleDays: DayStatistics

    public init(
        deals: Int, won: Int, lost: Int, abandoned: Int = 0, undecided: Int, winRate: Double?, cycleDays: DayStatistics
    ) {
        self.deals = deals
        self.won = won
        self.lost = lost
        self.abandoned = abandoned
        self.undecided = undecided
        self.winRate = winRate
        self.cycleDays = cycleDays
    }
}

/// One stage of the pipeline report.
public struct PipelineStageRow: Codable, Sendable, Equatable {
    public var stage: ReportStage

    /// Open deals (status `.open`) currently in the stage.
    public var openDeals: Int
    /// Of those, the ones with no amount.
    public var openDealsWithoutAmount: Int
    /// Their amounts summed per currency, in currency-code order.
    public var amounts: [Money]
    /// Their amounts converted deal by deal into the reporting currency at the rate in force on the
    /// report's day (`asOf`), then summed; nil when no rate table was given.
    public var amountInReportingCurrency: Money?
    /// Amounts (per currency) that could not be converted: no rate on or before `asOf`.
    public var unconvertedAmounts: [Money]

    /// Deals of any status that were ever in this stage.
    public var entered: Int
    /// Of those, the ones that went on to the next stage (nil for the last stage).
    public var reachedNext: Int?
    /// reachedNext / entered; nil for the last stage or when none entered.
    public var conversionToNext: Double?

    /// Days each deal spent in the stage: the sum of its passages through it (enteredAt → exitedAt),
    /// plus, for an open deal now in it, the time so far. One value per deal.
    public var daysInStage: DayStatistics

    /// Deals in play (open, or closed and awaiting registration and review) stalled in this stage.
    public var stalled: Int
    /// The stalled deals by likely cause (every pitfall, in order; a cause may be an earlier stage).
    public var stalledByPitfall: [PitfallCount]
    /// Stalled deals in which none of the five pitfalls shows.
    public var stalledWithoutPitfall: Int

    public init(
        stage: ReportStage, openDeals: Int, openDealsWithoutAmount: Int, amounts: [Money],
        amountInReportingCurrency: Money?, unconvertedAmounts: [Money], entered: Int, reachedNext: Int?,
        conversionToNext: Double?, daysInStage: DayStatistics, stalled: Int, stalledByPitfall: [PitfallCount],
        stalledWithoutPitfall: Int
    ) {
        self.stage = stage
        self.openDeals = openDeals
        self.openDealsWithoutAmount = openDealsWithoutAmount
        self.amounts = amounts
        self.amountInReportingCurrency = amountInReportingCurrency
        self.unconvertedAmounts = unconvertedAmounts
        self.entered = entered
        self.reachedNext = reachedNext
        self.conversionToNext = conversionToNext
        self.daysInStage = daysInStage
        self.stalled = stalled
        self.stalledByPitfall = stalledByPitfall
        self.stalledWithoutPitfall = stalledWithoutPitfall
    }
}

/// Pipeline by stage, conversion, time in stage, stalls, and win rate and cycle time against the host's
/// own pipeline.
public struct PipelineReport: Codable, Sendable, Equatable {
    /// The UTC day of `now`: open deals' time so far and the pipeline's conversion rates are as of it.
    public var asOf: LocalDate
    public var reportingCurrency: Currency?
    public var stages: [PipelineStageRow]
    /// Stalled deals by likely cause, over all stages.
    public var stalledByPitfall: [PitfallCount]
    public var stalledWithoutPitfall: Int
    /// Won and lost joint deals (by their logged outcome).
    public var joint: WinCycleSummary
    /// The host's own pipeline; nil when no export was given.
    public var own: WinCycleSummary?
    /// Anything the numbers could not hold (a sum too large for minor units).
    public var notes: [String]

    public init(
        asOf: LocalDate, reportingCurrency: Currency?, stages: [PipelineStageRow], stalledByPitfall: [PitfallCount],
        stalledWithoutPitfall: Int, joint: WinCycleSummary, own: WinCycleSummary?, notes: [String]
    ) {
        self.asOf = asOf
        self.reportingCurrency = reportingCurrency
        self.stages = stages
        self.stalledByPitfall = stalledByPitfall
        self.stalledWithoutPitfall = stalledWithoutPitfall
        self.joint = joint
        self.own = own
        self.notes = notes
    }
}

extension Reports {
    /// The pipeline report over `deals` as of `now`.
    ///
    /// - `playbook` names and orders the stages; `playbooks` are the other versions deals may run on
    ///   (for stage keys and stall limits); a deal on an unknown version is read with `playbook`.
    /// - `rates`, when given, converts open amounts at the rate in force on `asOf` (a pipeline has no
    ///   close date yet); closed revenue is converted by `partnerRevenue` at each close date instead.
    /// - `ownPipeline`, when given, is summarised the same way as the joint deals for comparison.
    public static func pipeline(
        deals: [Deal], playbook: Playbook, playbooks: [Playbook] = [], rates: ExchangeRateTable? = nil,
        ownPipeline: [OwnOpportunity]? = nil, now: Date
    ) -> PipelineReport {
        pipeline(
            facts: deals.map { DealFacts($0) }, playbook: playbook, playbooks: playbooks, rates: rates,
            ownPipeline: ownPipeline, now: now)
    }

    /// `pipeline(deals:…)` over the deals' stored facts.
    public static func pipeline(
        facts deals: [DealFacts], playbook: Playbook, playbooks: [Playbook] = [], rates: ExchangeRateTable? = nil,
        ownPipeline: [OwnOpportunity]? = nil, now: Date
    ) -> PipelineReport {
        let resolver = StageResolver(reference: playbook, others: playbooks)
        let n = resolver.stageCount
        let asOf = LocalDate(now)
        var openCount = Array(repeating: 0, count: n)
        var withoutAmount = Array(repeating: 0, count: n)
        var sums = Array(repeating: CurrencySums(), count: n)
        var converted = Array(repeating: MinorUnitsSum(), count: n)
        var unconverted = Array(repeating: CurrencySums(), count: n)
        var entered = Array(repeating: 0, count: n)
        var days = Array(repeating: [Int](), count: n)
        var stalled = Array(repeating: 0, count: n)
        var stalledCause = Array(repeating: Array(repeating: 0, count: Pitfall.allCases.count), count: n)
        var stalledNoCause = Array(repeating: 0, count: n)
        var perDeal = Array(repeating: -1, count: n)
        var notes: [String] = []

        for deal in deals {
            guard n > 0, (0..<n).contains(deal.stageIndex) else { continue }
            let stage = deal.stageIndex
            let isOpen = deal.status == .open && deal.completedAt == nil

            // Open pipeline by stage.
            if isOpen {
                openCount[stage] += 1
                if let amount = deal.amount {
                    sums[stage].add(amount)
                    if let rates {
                        if let c = rates.convert(amount, on: asOf) {
                            converted[stage].add(c.minorUnits)
                        } else {
                            unconverted[stage].add(amount)
                        }
                    }
                } else {
                    withoutAmount[stage] += 1
                }
            }

            // Conversion: every stage up to the furthest one reached was entered.
            let furthest = resolver.furthestStage(of: deal)
            for i in 0...furthest { entered[i] += 1 }

            // Days in each stage, one value per deal.
            for i in 0..<n { perDeal[i] = -1 }
            for p in deal.passages {
                guard let i = resolver.index(ofStageKey: p.stageKey, in: deal) else { continue }
                perDeal[i] = max(perDeal[i], 0) + max(0, wholeDays(from: p.enteredAt, to: p.exitedAt))
            }
            if isOpen {
                perDeal[stage] = max(perDeal[stage], 0) + max(0, wholeDays(from: deal.stageEnteredAt, to: now))
            }
            for i in 0..<n where perDeal[i] >= 0 { days[i].append(perDeal[i]) }

            // Stalls, with the likely cause.
            if deal.isInPlay {
                let dealPlaybook = resolver.playbook(for: deal)
                guard deal.stageIndex < dealPlaybook.stages.count else { continue }
                // The stall test first: the full diagnosis only for stalled deals.
                if DealDiagnostics.stall(of: deal, playbook: dealPlaybook, now: now).stalled {
                    let diagnosis = DealDiagnostics.diagnose(deal, playbook: dealPlaybook, now: now)
                    stalled[stage] += 1
                    if let cause = diagnosis.likelyCause, let k = Pitfall.allCases.firstIndex(of: cause.pitfall) {
                        stalledCause[stage][k] += 1
                    } else {
                        stalledNoCause[stage] += 1
                    }
                }
            }
        }

        var rows: [PipelineStageRow] = []
        for (i, stage) in resolver.stages.enumerated() {
            let (amounts, overflowed) = sums[i].result
            for c in overflowed { notes.append("The open amounts in \(c.code) at \(stage.name) are too large to sum.") }
            var inReporting: Money? = nil
            if let rates {
                if converted[i].overflowed {
                    notes.append(
                        "The open amounts at \(stage.name) are too large to sum in \(rates.reportingCurrency.code).")
                } else {
                    inReporting = Money(minorUnits: converted[i].value, currency: rates.reportingCurrency)
                }
            }
            let (missing, missingOverflow) = unconverted[i].result
            for c in missingOverflow {
                notes.append("The unconverted amounts in \(c.code) at \(stage.name) are too large to sum.")
            }
            let isLast = i == n - 1
            let next = isLast ? nil : entered[i + 1]
            rows.append(
                PipelineStageRow(
                    stage: stage, openDeals: openCount[i], openDealsWithoutAmount: withoutAmount[i], amounts: amounts,
                    amountInReportingCurrency: inReporting, unconvertedAmounts: missing, entered: entered[i],
                    reachedNext: next, conversionToNext: next.flatMap { share($0, of: entered[i]) },
                    daysInStage: DayStatistics(days: days[i]), stalled: stalled[i],
                    stalledByPitfall: Pitfall.allCases.enumerated().map {
                        PitfallCount(pitfall: $0.element, count: stalledCause[i][$0.offset])
                    },
                    stalledWithoutPitfall: stalledNoCause[i]))
        }
        let totals = Pitfall.allCases.enumerated().map { k, p in
            PitfallCount(pitfall: p, count: stalledCause.reduce(0) { $0 + $1[k] })
        }
        return PipelineReport(
            asOf: asOf, reportingCurrency: rates?.reportingCurrency, stages: rows, stalledByPitfall: totals,
            stalledWithoutPitfall: stalledNoCause.reduce(0, +), joint: jointWinCycle(deals),
            own: ownPipeline.map(ownWinCycle), notes: notes)
    }

    /// Win rate and cycle time of joint deals, by their logged outcome.
    public static func jointWinCycle(_ deals: [Deal]) -> WinCycleSummary {
        jointWinCycle(deals.map { DealFacts($0) })
    }

    /// Win rate and cycle time of joint deals, from their stored facts.
    public static func jointWinCycle(_ deals: [DealFacts]) -> WinCycleSummary {
        var won = 0
        var lost = 0
        var abandoned = 0
        var cycle: [Int] = []
        for deal in deals {
            guard let outcome = deal.outcome else {
                if deal.status == .abandoned { abandoned += 1 }
                continue
            }
            switch outcome.result {
            case .won:
                won += 1
                cycle.append(dayNumber(outcome.closeDate) - dayNumber(deal.createdAt))
            case .lost: lost += 1
            }
        }
        return WinCycleSummary(
            deals: deals.count, won: won, lost: lost, abandoned: abandoned,
            undecided: deals.count - won - lost - abandoned,
            winRate: share(won, of: won + lost + abandoned), cycleDays: DayStatistics(days: cycle))
    }

    /// Win rate and cycle time of the host's own pipeline.
    public static func ownWinCycle(_ opportunities: [OwnOpportunity]) -> WinCycleSummary {
        var won = 0
        var lost = 0
        var cycle: [Int] = []
        for o in opportunities {
            switch o.won {
            case true?:
                won += 1
                if let closed = o.closedOn { cycle.append(dayNumber(closed) - dayNumber(o.createdOn)) }
            case false?: lost += 1
            case nil: break
            }
        }
        return WinCycleSummary(
            deals: opportunities.count, won: won, lost: lost, undecided: opportunities.count - won - lost,
            winRate: share(won, of: won + lost), cycleDays: DayStatistics(days: cycle))
    }
}

extension PipelineReport {
    /// One row per stage: the open pipeline, conversion, days in stage and stalls by likely cause.
    public func csv() -> String {
        var header = [
            "stage_index", "stage_key", "stage_name", "open_deals", "open_deals_without_amount", "amounts_by_currency",
            "amount_reporting", "reporting_currency", "unconverted_amounts", "entered", "reached_next",
            "conversion_to_next", "days_in_stage_count", "days_in_stage_median", "days_in_stage_p90", "stalled",
        ]
        header += Pitfall.allCases.map { "stalled_\($0.rawValue)" }
        header.append("stalled_without_pitfall")
        let rows = stages.map { r -> [String] in
            var row = [
                String(r.stage.index), r.stage.key, r.stage.name, String(r.openDeals),
                String(r.openDealsWithoutAmount), CSV.amounts(r.amounts), CSV.money(r.amountInReportingCurrency),
                reportingCurrency?.code ?? "", CSV.amounts(r.unconvertedAmounts), String(r.entered),
                r.reachedNext.map(String.init) ?? "", CSV.ratio(r.conversionToNext), String(r.daysInStage.count),
                CSV.number(r.daysInStage.median), CSV.number(r.daysInStage.p90), String(r.stalled),
            ]
            row += r.stalledByPitfall.map { String($0.count) }
            row.append(String(r.stalledWithoutPitfall))
            return row
        }
        return CSV.render(header: header, rows: rows)
    }

    /// Win rate and cycle time, one row for joint deals and one for the host's own pipeline (when given).
    public func comparisonCSV() -> String {
        let header = [
            "pipeline", "deals", "won", "lost", "abandoned", "undecided", "win_rate", "cycle_days_count",
            "cycle_days_median", "cycle_days_p90",
        ]
        func row(_ name: String, _ s: WinCycleSummary) -> [String] {
            [
                name, String(s.deals), String(s.won), String(s.lost), String(s.abandoned), String(s.undecided),
                CSV.ratio(s.winRate),
                String(s.cycleDays.count), CSV.number(s.cycleDays.median), CSV.number(s.cycleDays.p90),
            ]
        }
        var rows = [row("joint", joint)]
        if let own { rows.append(row("own", own)) }
        return CSV.render(header: header, rows: rows)
    }
}
