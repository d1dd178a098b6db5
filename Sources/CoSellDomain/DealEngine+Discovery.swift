import Foundation

extension DealEngine {
    /// The joint-discovery commands: writing, approving and withdrawing account briefs.
    static func applyJointDiscovery(
        _ command: DealCommand, to d: inout Deal, side actorSide: Side, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        let now = context.now
        switch command {
        case .writeBrief(let briefID, let need, let process, let stakeholders):
            try requireOpen(d)
            try checkText(need, field: "customer_need", max: maxText, allowEmpty: true)
            try checkList(process.steps, field: "buying_process.steps")
            try checkList(process.decisionMakers, field: "buying_process.decision_makers")
            try checkText(process.timeline, field: "buying_process.timeline", max: maxText, allowEmpty: true)
            if stakeholders.count > 100 { throw .invalid(field: "stakeholders", "At most 100 stakeholders.") }
            for (i, s) in stakeholders.enumerated() {
                try checkText(
                    s.name.trimmingCharacters(in: .whitespaces), field: "stakeholders[\(i)].name", max: maxName)
            }
            if let briefID {
                guard let i = d.evidence.jointDiscovery.briefs.firstIndex(where: { $0.id == briefID && $0.isActive })
                else {
                    throw .notFound(field: "brief_id", "This deal has no active brief with that id.")
                }
                let before = d.evidence.jointDiscovery.briefs[i]
                var brief = before
                let contentChanged =
                    brief.customerNeed != need || brief.buyingProcess != process || brief.stakeholders != stakeholders
                brief.customerNeed = need
                brief.buyingProcess = process
                brief.stakeholders = stakeholders
                brief.updatedAt = now
                if contentChanged { brief.approvals = .init() }
                d.evidence.jointDiscovery.briefs[i] = brief
                change(
                    "brief_updated",
                    "\(actor.name) updated the account brief"
                        + (contentChanged && before.approvals != .init() ? "; its approvals were reset." : "."),
                    before, brief)
            } else {
                let brief = AccountBrief(
                    id: context.makeID(), writtenBy: actorSide, customerNeed: need, buyingProcess: process,
                    stakeholders: stakeholders, updatedAt: now)
                d.evidence.jointDiscovery.briefs.append(brief)
                let count = d.evidence.jointDiscovery.activeBriefs.count
                change(
                    "brief_written",
                    "\(actor.name) wrote an account brief for \(context.company(actorSide))"
                        + (count > 1 ? " (the deal now has \(count) briefs: two discoveries, not one)." : "."),
                    nil as AccountBrief?, brief)
            }

        case .approveBrief(let briefID):
            try requireOpen(d)
            guard let i = d.evidence.jointDiscovery.briefs.firstIndex(where: { $0.id == briefID && $0.isActive }) else {
                throw .notFound(field: "brief_id", "This deal has no active brief with that id.")
            }
            // A brief is approved once the first joint conversation it draws on took place.
            guard let meeting = d.evidence.doorOpener.firstMeeting else {
                throw .conflict(
                    "The brief is approved after the first joint conversation with the customer; none is booked.")
            }
            if meeting.scheduledFor > now {
                throw .conflict(
                    "The brief is approved after the first joint conversation took place; it is booked for \(meeting.scheduledFor)."
                )
            }
            let before = d.evidence.jointDiscovery.briefs[i].approvals[actorSide]
            let signoff = Signoff(personID: actor.personID, personName: actor.name, at: now)
            d.evidence.jointDiscovery.briefs[i].approvals[actorSide] = signoff
            change(
                "brief_approved", "\(actor.name) approved the account brief for \(context.company(actorSide)).",
                before, signoff)

        case .withdrawBrief(let briefID, let reason):
            try requireOpen(d)
            let reason = try requireReason(reason)
            guard let i = d.evidence.jointDiscovery.briefs.firstIndex(where: { $0.id == briefID && $0.isActive }) else {
                throw .notFound(field: "brief_id", "This deal has no active brief with that id.")
            }
            let before = d.evidence.jointDiscovery.briefs[i]
            d.evidence.jointDiscovery.briefs[i].withdrawnReason = reason
            change(
                "brief_withdrawn", "\(actor.name) withdrew an account brief: \(reason)", before,
                d.evidence.jointDiscovery.briefs[i])

        default: preconditionFailure("not a joint-discovery command: \(command)")
        }
    }
}
