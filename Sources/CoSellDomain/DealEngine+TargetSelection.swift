import Foundation

extension DealEngine {
    /// The target-selection commands: each side's ideal-customer-profile fit and commitment.
    static func applyTargetSelection(
        _ command: DealCommand, to d: inout Deal, side actorSide: Side, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        let now = context.now
        switch command {
        case .recordIcpFit(let fit, let note):
            try requireOpen(d)
            let before = d.evidence.targetSelection.icpFit[actorSide]
            try checkOptionalText(note, field: "note")
            let record = IcpFitRecord(fit: fit, note: note, recordedBy: actor.personID, recordedAt: now)
            d.evidence.targetSelection.icpFit[actorSide] = record
            change(
                "icp_fit_recorded",
                "\(actor.name) recorded \(context.companys(actorSide)) ideal-customer-profile fit: \(fit.rawValue).",
                before, record)

        case .commit:
            try requireOpen(d)
            let before = d.evidence.targetSelection.commitments[actorSide]
            let signoff = Signoff(personID: actor.personID, personName: actor.name, at: now)
            d.evidence.targetSelection.commitments[actorSide] = signoff
            change(
                "committed", "\(actor.name) committed \(context.company(actorSide)) to working the account.", before,
                signoff)

        default: preconditionFailure("not a target-selection command: \(command)")
        }
    }
}
