import Foundation

extension DealEngine {
    /// The joint-pursuit commands: the proof, close plans and the customer's confirmation.
    static func applyJointPursuit(
        _ command: DealCommand, to d: inout Deal, side actorSide: Side, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        let now = context.now
        switch command {
        case .recordProof(let kind, let summary):
            try requireOpen(d)
            try checkText(summary.trimmingCharacters(in: .whitespacesAndNewlines), field: "summary", max: maxText)
            let before = d.evidence.jointPursuit.proof
            let proof = ProofRecord(kind: kind, summary: summary, recordedBy: actor.personID, recordedAt: now)
            d.evidence.jointPursuit.proof = proof
            change(
                "proof_recorded",
                "\(actor.name) recorded the \(kind.rawValue.replacingOccurrences(of: "_", with: " ")).", before, proof)

        case .writeClosePlan(let planID, let milestones, let decisionDate):
            try requireOpen(d)
            if milestones.count > 200 { throw .invalid(field: "milestones", "At most 200 milestones.") }
            for (i, m) in milestones.enumerated() {
                try checkText(
                    m.title.trimmingCharacters(in: .whitespaces), field: "milestones[\(i)].title", max: maxName)
                try checkText(
                    m.ownerName.trimmingCharacters(in: .whitespaces), field: "milestones[\(i)].owner_name", max: maxName
                )
            }
            if let planID {
                guard let i = d.evidence.jointPursuit.closePlans.firstIndex(where: { $0.id == planID && $0.isActive })
                else {
                    throw .notFound(field: "plan_id", "This deal has no active close plan with that id.")
                }
                let before = d.evidence.jointPursuit.closePlans[i]
                let contentChanged = before.milestones != milestones || before.decisionDate != decisionDate
                d.evidence.jointPursuit.closePlans[i].milestones = milestones
                // A later date is a decision that slipped: the plan keeps the earliest it aimed at.
                if decisionDate > before.decisionDate {
                    d.evidence.jointPursuit.closePlans[i].firstDecisionDate = min(
                        before.firstDecisionDate ?? before.decisionDate, before.decisionDate)
                }
                d.evidence.jointPursuit.closePlans[i].decisionDate = decisionDate
                d.evidence.jointPursuit.closePlans[i].updatedAt = now
                let reset = contentChanged && resetConfirmation(&d)
                change(
                    "close_plan_updated",
                    "\(actor.name) updated the close plan"
                        + (reset ? "; the customer's confirmation was reset: it confirmed the plan before." : "."),
                    before, d.evidence.jointPursuit.closePlans[i])
            } else {
                let plan = ClosePlan(
                    id: context.makeID(), writtenBy: actorSide, milestones: milestones, decisionDate: decisionDate,
                    updatedAt: now)
                d.evidence.jointPursuit.closePlans.append(plan)
                let count = d.evidence.jointPursuit.activeClosePlans.count
                let reset = resetConfirmation(&d)
                change(
                    "close_plan_written",
                    "\(actor.name) wrote a close plan for \(context.company(actorSide))"
                        + (count > 1 ? " (the deal now has \(count) close plans: competing plans)" : "")
                        + (reset ? "; the customer's confirmation was reset: it confirmed another plan." : "."),
                    nil as ClosePlan?, plan)
            }

        case .withdrawClosePlan(let planID, let reason):
            try requireOpen(d)
            let reason = try requireReason(reason)
            guard let i = d.evidence.jointPursuit.closePlans.firstIndex(where: { $0.id == planID && $0.isActive })
            else {
                throw .notFound(field: "plan_id", "This deal has no active close plan with that id.")
            }
            let before = d.evidence.jointPursuit.closePlans[i]
            d.evidence.jointPursuit.closePlans[i].withdrawnReason = reason
            let reset = resetConfirmation(&d)
            change(
                "close_plan_withdrawn",
                "\(actor.name) withdrew a close plan: \(reason)"
                    + (reset ? " The customer's confirmation was reset: it confirmed that plan." : ""),
                before, d.evidence.jointPursuit.closePlans[i])

        case .recordCustomerConfirmation(let who, let when, let channel, let note):
            try requireOpen(d)
            try checkText(who.trimmingCharacters(in: .whitespaces), field: "confirmed_by", max: maxName)
            try checkOptionalText(note, field: "note")
            if when > now.addingTimeInterval(300) {
                throw .invalid(field: "confirmed_at", "A confirmation cannot be recorded before it happened.")
            }
            // It confirms the close plan as it stands: there must be one, written before the confirmation.
            guard let plan = d.evidence.jointPursuit.activeClosePlans.max(by: { $0.updatedAt < $1.updatedAt }) else {
                throw .invalid(
                    field: "confirmed_at",
                    "Write the close plan first: the customer confirms the plan's path to a decision.")
            }
            // By the day: the page takes the confirmation's date, and a confirmation of the day the
            // plan was last changed is taken to follow it.
            if LocalDate(when) < LocalDate(plan.updatedAt) {
                throw .invalid(
                    field: "confirmed_at",
                    "The close plan was last changed after this confirmation: the customer confirms the plan as it stands now."
                )
            }
            let before = d.evidence.jointPursuit.customerConfirmation
            let c = CustomerConfirmation(
                confirmedBy: who, confirmedAt: when, channel: channel, note: note, recordedBy: actor.personID)
            d.evidence.jointPursuit.customerConfirmation = c
            change(
                "customer_confirmed",
                "\(actor.name) recorded \(who)'s confirmation of the path to a decision (\(channel.rawValue)).",
                before, c)

        default: preconditionFailure("not a joint-pursuit command: \(command)")
        }
    }

    /// Clears the customer's confirmation (it confirmed a close plan that changed); whether there was one.
    static func resetConfirmation(_ d: inout Deal) -> Bool {
        guard d.evidence.jointPursuit.customerConfirmation != nil else { return false }
        d.evidence.jointPursuit.customerConfirmation = nil
        return true
    }
}
