import Foundation

/// The rules for changing a deal: pure functions from (deal, command, actor, context) to the new deal
/// and the timeline entries that explain it.
public enum DealEngine {
    public static let maxText = 10_000
    public static let maxName = 200

    /// Applies one command. Throws without changing anything when the command is refused.
    public static func apply(
        _ command: DealCommand, to deal: Deal, by actor: Actor, context: DealContext
    ) throws(DealError) -> (Deal, [DealChange]) {
        guard let actorSide = deal.side(of: actor.organizationID) else {
            throw .forbidden("Only people of the deal's two companies can change it.")
        }
        guard actor.role.canWrite else { throw .forbidden("A viewer can read deals but not change them.") }
        if context.partnershipEnded {
            switch command {
            case .recordReview, .advance, .endByPartnership: break
            default:
                throw .conflict(
                    "The partnership has ended: a deal closed before it can still be reviewed and completed by both companies; nothing else changes."
                )
            }
        }
        try DealPermissions.check(command, deal: deal, side: actorSide, role: actor.role, context: context)
        try requireStageReached(for: command, deal: deal, context: context)
        var d = deal
        let now = context.now
        var change = DealChangeLog()

        switch command {
        case .updateDetails(let title, let amount, let expected):
            try requireInPlay(d)
            let before = DealSummary(d)
            if let title {
                let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
                try checkText(t, field: "title", max: maxName)
                d.title = t
            }
            if let amount {
                if amount.isNegative { throw .invalid(field: "amount.amount", "The amount must not be negative.") }
                d.amount = amount
            }
            if let expected {
                try checkExpectedCloseDate(expected, openedAt: d.createdAt, now: context.now)
                d.expectedCloseDate = expected
            }
            change("details_updated", "\(actor.name) updated the deal's details.", before, DealSummary(d))

        case .recordIcpFit, .commit:
            try applyTargetSelection(command, to: &d, side: actorSide, by: actor, context: context, change: &change)

        case .nameDoorOpener, .bookFirstMeeting:
            try applyDoorOpener(command, to: &d, by: actor, context: context, change: &change)

        case .writeBrief, .approveBrief, .withdrawBrief:
            try applyJointDiscovery(command, to: &d, side: actorSide, by: actor, context: context, change: &change)

        case .recordProof, .writeClosePlan, .withdrawClosePlan, .recordCustomerConfirmation:
            try applyJointPursuit(command, to: &d, side: actorSide, by: actor, context: context, change: &change)

        case .recordOutcome, .register, .acceptRegistration, .rejectRegistration, .renewRegistration, .recordReview,
            .amendOutcome:
            try applyClose(command, to: &d, by: actor, context: context, change: &change)

        case .proposeRegistrationAmendment, .decideRegistrationAmendment:
            try amendRegistration(command, on: &d, by: actor, context: context, change: &change)

        case .addMove, .updateMove:
            try applyMoves(command, to: &d, by: actor, context: context, change: &change)

        case .advance(let overrideReason):
            try advance(&d, overrideReason: overrideReason, actor: actor, context: context, changes: &change.entries)
            if d.completedAt == nil, d.stageIndex != deal.stageIndex {
                // A stage entered again has its open moves due again; evidence already recorded completes moves.
                redateOpenMoves(ofStageAt: d.stageIndex, in: &d, playbook: context.playbook, now: now, change: &change)
                completeMovesByEvidence(
                    &d, playbook: context.playbook, now: now, stageKeys: [context.playbook.stages[d.stageIndex].key],
                    summary: {
                        "\(actor.name) completed the move \"\(context.wording(of: $0))\": its evidence was already recorded."
                    },
                    change: &change)
            }

        case .moveBack(let reason):
            let reason = try requireReason(reason)
            guard d.status == .open, d.completedAt == nil else {
                throw .conflict("Only an open deal can move back a stage; this one is \(d.status.rawValue).")
            }
            guard d.stageIndex > 0 else {
                throw .conflict("The deal is at the first stage; there is no stage before it.")
            }
            let from = context.playbook.stages[d.stageIndex]
            let to = context.playbook.stages[d.stageIndex - 1]
            let before = StagePosition(stage: from.key, enteredAt: d.stageEnteredAt)
            // The stage it leaves keeps its passage: the days spent there count in the pipeline report.
            d.passages.append(
                StagePassage(
                    stageKey: from.key, enteredAt: d.stageEnteredAt, exitedAt: now, exit: .movedBack,
                    by: actor.personID, reason: reason, unmetAtExit: []))
            d.stageIndex -= 1
            d.stageEnteredAt = now
            d.pendingOverride = nil
            change(
                "moved_back", "\(actor.name) moved the deal back from \(from.name) to \(to.name): \(reason)", before,
                StagePosition(stage: to.key, enteredAt: now))
            // The stage is reopened: its moves not yet done are due again from now (and are not completed by
            // evidence recorded before, which moving back calls into question).
            redateOpenMoves(ofStageAt: d.stageIndex, in: &d, playbook: context.playbook, now: now, change: &change)

        case .abandon(let reason, let draft):
            let reason = try requireReason(reason)
            guard d.status == .open else {
                throw .conflict("Only an open deal can be abandoned; this one is \(d.status.rawValue).")
            }
            // Every deal ends with a lesson the next deal sees: an abandoned one too.
            guard let draft else {
                throw .invalid(
                    field: "lesson",
                    "Leave a lesson for the next deal: what the playbook got right or wrong here, and at which stage.")
            }
            guard context.playbook.stageIndex(forKey: draft.stageKey) != nil else {
                throw .invalid(
                    field: "lesson.stage_key",
                    "\"\(draft.stageKey)\" is not a stage of this playbook; use one of: \(context.playbook.stages.map(\.key).joined(separator: ", "))."
                )
            }
            let text = draft.text.trimmingCharacters(in: .whitespacesAndNewlines)
            try checkText(text, field: "lesson.text", max: maxText)
            var review = d.evidence.close.review ?? Review(heldOn: LocalDate(now), attendees: [actor.name], lessons: [])
            review.lessons.append(
                Lesson(
                    id: context.makeID(), stageKey: draft.stageKey, text: text, authorID: actor.personID, createdAt: now
                ))
            d.evidence.close.review = review
            d.status = .abandoned
            d.statusReason = reason
            change("abandoned", "\(actor.name) abandoned the deal: \(reason)", DealStatus.open, DealStatus.abandoned)

        case .reopen(let reason):
            let why = try requireReason(reason)
            guard d.status == .lost || d.status == .abandoned else {
                throw .conflict("Only a lost or abandoned deal is reopened; this one is \(d.status.rawValue).")
            }
            let before = DealSummary(d)
            let was = d.status
            // The loss is undone (it stays on the timeline, before and after); the review's lessons stay.
            if was == .lost { d.evidence.close.outcome = nil }
            d.status = .open
            d.statusReason = nil
            d.completedAt = nil
            d.stageEnteredAt = now
            change(
                "reopened",
                "\(actor.name) reopened the \(was.rawValue) deal at \(context.playbook.stages[d.stageIndex].name): \(why)",
                before, DealSummary(d))

        case .endByPartnership(let reason):
            guard d.status == .open else { return (deal, []) }
            d.status = .ended
            d.statusReason = reason
            change("ended_by_partnership", reason, DealStatus.open, DealStatus.ended)
        }
        if recordsEvidence(command) {
            completeMovesByEvidence(
                &d, playbook: context.playbook, now: now,
                summary: {
                    "\(actor.name) completed the move \"\(context.wording(of: $0))\" by recording the evidence it asks for."
                },
                change: &change)
        }
        d.lastActivityAt = now
        return (d, change.entries)
    }
}

/// The timeline entries one command adds, in order: `change(kind, summary, before, after)` appends one
/// with the changed part before and after as timeline JSON.
struct DealChangeLog {
    var entries: [DealChange] = []

    mutating func callAsFunction<T: Encodable>(_ kind: String, _ summary: String, _ before: T?, _ after: T?) {
        entries.append(
            DealChange(kind: kind, summary: summary, before: timelineJSON(before), after: timelineJSON(after)))
    }
}
