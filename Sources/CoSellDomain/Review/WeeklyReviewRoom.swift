import Foundation

/// A deal the review discusses ("in the room"): how it got past each stage it got past, and which
/// of its moves are late. The adoption audit of one deal, read at the table.
public struct ReviewDealAudit: Codable, Sendable, Equatable {
    /// How the deal got past one stage, with the adoption report's words.
    public enum GateOutcome: String, Codable, Sendable {
        /// Left with its exit criterion met.
        case passed
        /// An admin overrode the gate (and wrote why).
        case overridden
        /// Went past with no passage recorded at all: the gate never ran.
        case skipped
    }

    public struct Gate: Codable, Sendable, Equatable {
        public var stage: String
        public var stageName: String
        public var outcome: GateOutcome
        /// When the deciding passage left the stage (none for a skipped gate).
        public var at: Date?
    }

    /// A move open past its due date.
    public struct LateMove: Codable, Sendable, Equatable {
        public var moveID: UUID
        public var description: String
        public var stage: String
        public var stageName: String
        public var side: MoveSide
        /// The company (or companies) that owe it, by name, when the review knows the names.
        public var company: String?
        public var ownerID: UUID?
        public var ownerName: String?
        public var dueOn: LocalDate
        public var daysLate: Int
    }

    /// Why a deal is in the room: the lists of the review that name it.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        case advanced
        case stalled
        case gate
        case awaitingReview = "awaiting_review"
        case abandoned
    }

    public var dealID: UUID
    public var title: String
    public var accountName: String
    public var status: DealStatus
    public var stage: String
    public var stageName: String
    public var reasons: [Reason]
    /// The stages the deal got past, in playbook order.
    public var gates: [Gate]
    /// Open moves past their due date, earliest due first.
    public var lateMoves: [LateMove]

    public var overriddenCount: Int { gates.filter { $0.outcome == .overridden }.count }
    public var skippedCount: Int { gates.filter { $0.outcome == .skipped }.count }
}

extension ReviewDealAudit {
    /// The audit of one deal from its facts and its playbook version, late moves as of `today`.
    /// Pure. A stage counts once, by what decided it: an override (even when the deal later came
    /// back and passed it properly), else its latest pass; a stage before the furthest one reached
    /// with no passage was skipped.
    public static func of(
        _ d: DealFacts, playbook pb: Playbook, reasons: [Reason], today: LocalDate, companyNames: [UUID: String]
    ) -> ReviewDealAudit {
        let stages = pb.stages
        var decided: [String: (outcome: GateOutcome, at: Date)] = [:]
        var furthest = d.stageIndex
        for p in d.passages {
            guard let i = stages.firstIndex(where: { $0.key == p.stageKey }) else { continue }
            furthest = max(furthest, p.exit == .movedBack ? i : min(i + 1, stages.count - 1))
            switch p.exit {
            case .skipped:
                if decided[p.stageKey]?.outcome != .overridden { decided[p.stageKey] = (.overridden, p.exitedAt) }
            case .passed:
                if let prior = decided[p.stageKey], prior.outcome == .overridden || prior.at > p.exitedAt { break }
                decided[p.stageKey] = (.passed, p.exitedAt)
            case .movedBack: break
            }
        }
        var gates: [Gate] = []
        for (i, s) in stages.enumerated() {
            if let (outcome, at) = decided[s.key] {
                gates.append(Gate(stage: s.key, stageName: s.name, outcome: outcome, at: at))
            } else if i < furthest {
                gates.append(Gate(stage: s.key, stageName: s.name, outcome: .skipped, at: nil))
            }
        }
        let names = SidePair(host: companyNames[d.hostOrganizationID], partner: companyNames[d.partnerOrganizationID])
        var late: [LateMove] = []
        for m in d.openMoves where m.isOverdue(today: today) {
            let owing = m.side.sides(doorOpener: d.doorOpenerSide ?? d.suggestedDoorOpener).compactMap { names[$0] }
            late.append(
                LateMove(
                    moveID: m.id, description: m.description, stage: m.stageKey,
                    stageName: stages.first { $0.key == m.stageKey }?.name ?? m.stageKey, side: m.side,
                    company: owing.isEmpty ? nil : owing.joined(separator: " and "), ownerID: m.ownerID,
                    ownerName: m.ownerName, dueOn: m.dueOn!,
                    daysLate: max(0, wholeDays(from: m.dueOn!.startOfDay, to: today.startOfDay))))
        }
        late.sort {
            ($0.dueOn, $0.description, $0.moveID.uuidString) < ($1.dueOn, $1.description, $1.moveID.uuidString)
        }
        let current = stages.indices.contains(d.stageIndex) ? stages[d.stageIndex] : nil
        return ReviewDealAudit(
            dealID: d.id, title: d.title, accountName: d.accountName, status: d.status, stage: current?.key ?? "",
            stageName: current?.name ?? "", reasons: reasons, gates: gates, lateMoves: late)
    }
}
