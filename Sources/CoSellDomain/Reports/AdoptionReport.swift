import Foundation

/// Whose deals an adoption row counts.
public enum AdoptionScope: String, Codable, Sendable {
    /// Every deal.
    case all
    /// The deals of one partnership (`scopeID` is the partnership id).
    case partnership
    /// The deals a person owns for their company: the one it committed to working the account, an
    /// account executive named on the deal (`scopeID` is the person). A deal counts for each
    /// company's owner.
    case owner
}

/// How the deals of one scope left one stage.
public struct AdoptionRow: Codable, Sendable, Equatable {
    public var scope: AdoptionScope
    public var scopeID: UUID?
    public var stage: ReportStage
    /// Left the stage with its exit criterion met (`StageExit.passed`).
    public var passed: Int
    /// Left the stage through an admin override (`StageExit.skipped`: the gate was overridden).
    public var overridden: Int
    /// Went past the stage with no passage recorded for it at all (the gate never ran): imported data
    /// or a stage key no playbook version knows. The engine itself never produces this.
    public var skipped: Int
    /// passed + overridden + skipped: the deals that got past the stage.
    public var total: Int
    public var passedShare: Double?
    public var overriddenShare: Double?
    public var skippedShare: Double?

    public init(scope: AdoptionScope, scopeID: UUID?, stage: ReportStage, passed: Int, overridden: Int, skipped: Int) {
        self.scope = scope
        self.scopeID = scopeID
        self.stage = stage
        self.passed = passed
        self.overridden = overridden
        self.skipped = skipped
        self.total = passed + overridden + skipped
        self.passedShare = Reports.share(passed, of: total)
        self.overriddenShare = Reports.share(overridden, of: total)
        self.skippedShare = Reports.share(skipped, of: total)
    }
}

/// Playbook adoption: per stage, how deals got past the gate; overall, per partnership and per owner.
public struct AdoptionReport: Codable, Sendable, Equatable {
    /// The days the passages counted left their stage in (UTC, both included), when a range was asked.
    public var from: LocalDate? = nil
    public var to: LocalDate? = nil
    public var stages: [ReportStage]
    /// One row per stage.
    public var overall: [AdoptionRow]
    /// Per partnership (id order), one row per stage.
    public var byPartnership: [AdoptionRow]
    /// Per owner (id order), one row per stage.
    public var byOwner: [AdoptionRow]
    /// Beside the figures: how each company's account executives are credited for co-sell deals
    /// (`Reports.compensation`), when the caller had the plans at hand.
    public var compensation: [CompensationCheck] = []

    public init(stages: [ReportStage], overall: [AdoptionRow], byPartnership: [AdoptionRow], byOwner: [AdoptionRow]) {
        self.stages = stages
        self.overall = overall
        self.byPartnership = byPartnership
        self.byOwner = byOwner
    }
}

extension Reports {
    /// How every deal got past each stage it got past. A deal moved back and through a stage again is
    /// counted once, by its latest passage. A deal still in a stage, or closed (lost) before reaching it,
    /// is not counted for it; a deal that completed the last stage has got past every stage.
    public static func adoption(deals: [Deal], playbook: Playbook, playbooks: [Playbook] = []) -> AdoptionReport {
        adoption(facts: deals.map { DealFacts($0) }, playbook: playbook, playbooks: playbooks)
    }

    /// `adoption(deals:…)` over the deals' stored facts.
    ///
    /// With `from` or `to`, a deal counts for a stage when the passage that decides it (the override,
    /// else its latest pass) left the stage on a day in the range; a stage got past with no passage
    /// (no date) is then not counted.
    public static func adoption(
        facts deals: [DealFacts], playbook: Playbook, playbooks: [Playbook] = [], from: LocalDate? = nil,
        to: LocalDate? = nil
    )
        -> AdoptionReport
    {
        let ranged = from != nil || to != nil
        func inRange(_ d: Date?) -> Bool {
            guard ranged else { return true }
            guard let d else { return false }
            let day = LocalDate(d)
            return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
        }
        let resolver = StageResolver(reference: playbook, others: playbooks)
        let n = resolver.stageCount
        // Counts laid out flat: group g, stage i, outcome k (passed, overridden, skipped) at (g·n + i)·3 + k.
        var counts: [Int] = []
        var partnershipGroup: [UUID: Int] = [:]
        var ownerGroup: [UUID: Int] = [:]
        func group(_ id: UUID, in groups: inout [UUID: Int]) -> Int {
            if let g = groups[id] { return g }
            let g = counts.count / max(1, n * 3)
            counts += Array(repeating: 0, count: n * 3)
            groups[id] = g
            return g
        }
        counts = Array(repeating: 0, count: n * 3)  // group 0: every deal
        // Per stage of one deal: 0 no passage, 1 passed, 2 overridden (an override counts once, even
        // when the stage was later passed properly after a move back; a move back is no exit).
        var seen = Array(repeating: 0, count: n)
        // The day the deciding passage left the stage.
        var exited: [Date?] = Array(repeating: nil, count: n)

        for deal in deals {
            guard n > 0 else { break }
            for i in 0..<n {
                seen[i] = 0
                exited[i] = nil
            }
            for p in deal.passages {
                guard let i = resolver.index(ofStageKey: p.stageKey, in: deal) else { continue }
                switch p.exit {
                case .skipped:
                    if seen[i] != 2 { exited[i] = p.exitedAt }
                    seen[i] = 2
                case .passed:
                    if seen[i] != 2 { exited[i] = max(exited[i] ?? p.exitedAt, p.exitedAt) }
                    seen[i] = max(seen[i], 1)
                case .movedBack: break
                }
            }
            // Got past stage i: a passage for it, or a later stage reached.
            let furthest = resolver.furthestStage(of: deal)
            let pg = group(deal.partnershipID, in: &partnershipGroup)
            // Each company's owner; one person owning for both companies counts once.
            let owners = Array(Set([deal.committedIDs.host, deal.committedIDs.partner].compactMap { $0 }))
                .sorted { $0.uuidString < $1.uuidString }
            let ogs = owners.map { group($0, in: &ownerGroup) }
            for i in 0..<n {
                let k: Int
                switch seen[i] {
                case 1: k = 0
                case 2: k = 1
                default:
                    guard i < furthest else { continue }
                    k = 2
                }
                guard inRange(exited[i]) else { continue }
                counts[i * 3 + k] += 1
                counts[(pg * n + i) * 3 + k] += 1
                for og in ogs { counts[(og * n + i) * 3 + k] += 1 }
            }
        }

        let stages = resolver.stages
        func rows(_ scope: AdoptionScope, _ id: UUID?, _ g: Int) -> [AdoptionRow] {
            stages.map {
                let base = (g * n + $0.index) * 3
                return AdoptionRow(
                    scope: scope, scopeID: id, stage: $0, passed: counts[base], overridden: counts[base + 1],
                    skipped: counts[base + 2])
            }
        }
        func scoped(_ scope: AdoptionScope, _ groups: [UUID: Int]) -> [AdoptionRow] {
            groups.map { ($0.key.uuidString, $0.key, $0.value) }.sorted { $0.0 < $1.0 }.flatMap {
                rows(scope, $0.1, $0.2)
            }
        }
        var report = AdoptionReport(
            stages: stages, overall: rows(.all, nil, 0), byPartnership: scoped(.partnership, partnershipGroup),
            byOwner: scoped(.owner, ownerGroup))
        report.from = from
        report.to = to
        return report
    }
}

extension AdoptionReport {
    /// Every row: overall, then per partnership, then per owner.
    public func csv() -> String {
        let header = [
            "scope", "scope_id", "stage_index", "stage_key", "stage_name", "passed", "overridden", "skipped", "total",
            "passed_share", "overridden_share", "skipped_share",
        ]
        let rows = (overall + byPartnership + byOwner).map { r in
            [
                r.scope.rawValue, r.scopeID?.uuidString ?? "", String(r.stage.index), r.stage.key,
                r.stage.name, String(r.passed), String(r.overridden), String(r.skipped), String(r.total),
                CSV.ratio(r.passedShare), CSV.ratio(r.overriddenShare), CSV.ratio(r.skippedShare),
            ]
        }
        return CSV.render(header: header, rows: rows)
    }
}
