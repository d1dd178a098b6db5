import Foundation

/// Who owns a move nobody was named for. Whoever enters a stage (opens the deal, advances it, logs a
/// loss that sends it to its review) drives it: the stage's moves without an owner that their company
/// may do become theirs, until they hand one over. A door-opener move becomes the named door-opener's.
extension DealEngine {
    /// Gives `actor` the not-done moves of `stageKey` without an owner that their company may do
    /// (their side's, or either company's).
    static func ownEnteredMoves(_ d: inout Deal, stageKey: String, actor: Actor) {
        guard actor.role.canWrite, let side = d.side(of: actor.organizationID) else { return }
        for i in d.moves.indices {
            let m = d.moves[i]
            guard m.stageKey == stageKey, m.ownerID == nil, m.doneAt == nil else { continue }
            let theirs: Bool
            switch m.side {
            case .both: theirs = true
            case .host: theirs = side == .host
            case .partner: theirs = side == .partner
            case .doorOpener: theirs = false
            }
            if theirs {
                d.moves[i].ownerID = actor.personID
                d.moves[i].ownerName = actor.name
            }
        }
    }

    /// Gives the named door-opener the door-opener's moves that have no owner yet.
    static func ownDoorOpenerMoves(_ d: inout Deal, owner: UUID, name: String) {
        for i in d.moves.indices where d.moves[i].side == .doorOpener && d.moves[i].doneAt == nil {
            if d.moves[i].ownerID == nil {
                d.moves[i].ownerID = owner
                d.moves[i].ownerName = name
            }
        }
    }
}

extension Deal {
    /// The person who recorded the latest evidence of the stage of `kind`: who met the gate's last part.
    public func lastEvidencePerson(of kind: CriterionKind) -> UUID? {
        var found: [(UUID, Date)] = []
        let e = evidence
        switch kind {
        case .targetAccountSelection:
            for side in Side.allCases {
                if let f = e.targetSelection.icpFit[side] { found.append((f.recordedBy, f.recordedAt)) }
                if let c = e.targetSelection.commitments[side] { found.append((c.personID, c.at)) }
            }
        case .doorOpener:
            if let m = e.doorOpener.firstMeeting { found.append((m.bookedBy, m.bookedAt)) }
        case .jointDiscovery:
            for b in e.jointDiscovery.activeBriefs {
                for side in Side.allCases { if let a = b.approvals[side] { found.append((a.personID, a.at)) } }
            }
        case .jointPursuit:
            // The customer's confirmation (which keeps the day it was given, not when it was recorded)
            // is the path's last step: its recorder met the gate.
            if let c = e.jointPursuit.customerConfirmation { return c.recordedBy }
            if let p = e.jointPursuit.proof { found.append((p.recordedBy, p.recordedAt)) }
        case .closeRegisterReview:
            if let o = e.close.outcome { found.append((o.recordedBy, o.recordedAt)) }
            if let r = e.close.registration {
                found.append((r.registeredBy, r.registeredAt))
                // The other company's acceptance is the registration's last step.
                if let by = r.decidedBy, let at = r.decidedAt { found.append((by, at)) }
            }
        }
        return found.max { $0.1 < $1.1 }?.0
    }
}
