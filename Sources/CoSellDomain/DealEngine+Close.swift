import Foundation

extension DealEngine {
    /// The close commands: the outcome, the registration and the review with its lessons.
    static func applyClose(
        _ command: DealCommand, to d: inout Deal, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        let now = context.now
        switch command {
        case .recordOutcome(let result, let amount, let closeDate, let lossReason, let lossCategory):
            guard d.completedAt == nil, d.status == .open || d.status == .won || d.status == .lost else {
                throw .conflict(
                    "The deal is \(d.completedAt != nil ? "completed" : d.status.rawValue); its outcome cannot change.")
            }
            if amount.isNegative {
                throw .invalid(field: "final_amount.amount", "The final amount must not be negative.")
            }
            if result == .won && d.stageIndex != context.playbook.stages.count - 1 {
                throw .conflict(
                    "A win is logged at \(context.playbook.stages.last!.name): advance the deal there first (a lost deal can be logged at any stage)."
                )
            }
            if closeDate > LocalDate(now.addingTimeInterval(86_400)) {
                throw .invalid(field: "close_date", "The close date cannot be in the future.")
            }
            if closeDate < LocalDate(d.createdAt) {
                throw .invalid(
                    field: "close_date",
                    "The close date cannot be before the deal was opened (\(LocalDate(d.createdAt))).")
            }
            try checkOptionalText(lossReason, field: "loss_reason")
            if result == .lost && lossCategory == nil {
                throw .invalid(
                    field: "loss_category",
                    "Say why it was lost: one of \(LossCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if result == .lost && lossCategory == .other
                && (lossReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            {
                throw .invalid(field: "loss_reason", "Another reason: say which.")
            }
            let before = d.evidence.close.outcome
            var outcome = Outcome(
                result: result, finalAmount: amount, closeDate: closeDate,
                lossReason: result == .lost ? lossReason : nil,
                recordedBy: actor.personID, recordedAt: now)
            outcome.lossCategory = result == .lost ? lossCategory : nil
            d.evidence.close.outcome = outcome
            d.status = result == .won ? .won : .lost
            // The deal's amount follows the outcome: a won deal is worth what it closed at.
            d.amount = amount
            change(
                "outcome_logged",
                "\(actor.name) logged the outcome: \(result.rawValue), \(amount.readable).",
                before, outcome)
            addClosingMovesForLoss(&d, actor: actor, context: context, change: &change)

        case .register(let registrationID, let attribution, let sourcedBy, let opportunityID):
            try submitRegistration(
                registrationID, attribution: attribution, sourcedBy: sourcedBy, opportunityID: opportunityID, to: &d,
                by: actor, context: context, change: &change)

        case .acceptRegistration, .rejectRegistration, .renewRegistration:
            try decideRegistration(command, on: &d, by: actor, context: context, change: &change)

        case .recordReview(let heldOn, let attendees, let drafts):
            guard d.evidence.close.outcome != nil else {
                throw .conflict("Log the outcome before the review: the review looks back on a closed deal.")
            }
            guard d.completedAt == nil else { throw .conflict("The deal is completed; its review is final.") }
            if drafts.count > 50 { throw .invalid(field: "lessons", "At most 50 lessons per review.") }
            try checkList(attendees, field: "attendees")
            var lessons: [Lesson] = []
            for (i, l) in drafts.enumerated() {
                guard context.playbook.stageIndex(forKey: l.stageKey) != nil else {
                    throw .invalid(
                        field: "lessons[\(i)].stage",
                        "\"\(l.stageKey)\" is not a stage of this playbook; use one of: \(context.playbook.stages.map(\.key).joined(separator: ", "))."
                    )
                }
                let text = l.text.trimmingCharacters(in: .whitespacesAndNewlines)
                try checkText(text, field: "lessons[\(i)].text", max: maxText)
                lessons.append(
                    Lesson(
                        id: context.makeID(), stageKey: l.stageKey, text: text, authorID: actor.personID, createdAt: now
                    ))
            }
            let before = d.evidence.close.review
            var review = before ?? Review(heldOn: heldOn, attendees: attendees, lessons: [])
            review.heldOn = heldOn
            review.attendees = attendees
            review.lessons.append(contentsOf: lessons)
            d.evidence.close.review = review
            change(
                "review_recorded",
                "\(actor.name) recorded the review with \(lessons.count) new lesson\(lessons.count == 1 ? "" : "s").",
                before, review)

        case .amendOutcome(let amount, let closeDate, let reason):
            guard d.completedAt != nil, let before = d.evidence.close.outcome else {
                throw .conflict(
                    "Only a completed deal's outcome is amended; until then, log the outcome again with the right values."
                )
            }
            // Who amends (admins and partner managers of either company) is `DealPermissions`' rule.
            let why = try requireReason(reason)
            guard amount != nil || closeDate != nil else {
                throw .invalid(field: "final_amount", "Say what to correct: the final amount, the close date or both.")
            }
            if let amount, amount.isNegative {
                throw .invalid(field: "final_amount.amount", "The final amount must not be negative.")
            }
            if let closeDate, closeDate > LocalDate(now.addingTimeInterval(86_400)) {
                throw .invalid(field: "close_date", "The close date cannot be in the future.")
            }
            var after = before
            if let amount { after.finalAmount = amount }
            if let closeDate { after.closeDate = closeDate }
            guard after != before else {
                throw .invalid(field: "final_amount", "The amendment changes nothing: the outcome already says that.")
            }
            let amendment = OutcomeAmendment(
                before: before, after: after, reason: why, amendedBy: actor.personID, amendedByName: actor.name,
                amendedAt: now)
            d.evidence.close.outcome = after
            d.evidence.close.amendments.append(amendment)
            d.amount = after.finalAmount
            var what: [String] = []
            if after.finalAmount != before.finalAmount {
                what.append(
                    "the final amount from \(before.finalAmount.readable) to \(after.finalAmount.readable)"
                )
            }
            if after.closeDate != before.closeDate {
                what.append("the close date from \(before.closeDate) to \(after.closeDate)")
            }
            change(
                "outcome_amended",
                "\(actor.name) amended \(what.joined(separator: " and ")): \(why)", before, after)

        default: preconditionFailure("not a close command: \(command)")
        }
    }
}
