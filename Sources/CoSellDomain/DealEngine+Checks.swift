import Foundation

extension DealEngine {
    // MARK: checks

    static func requireOpen(_ d: Deal) throws(DealError) {
        guard d.status == .open, d.completedAt == nil else {
            throw .conflict("The deal is \(d.status.rawValue); its stage evidence can no longer change.")
        }
    }

    /// Evidence is recorded for the stage the deal is at (or one it passed): a meeting, a brief's
    /// approval, a proof or the customer's confirmation sent for a stage ahead is refused, so a gate
    /// cannot be met before its stage. Writing a brief or a close plan ahead is a draft: it counts once
    /// approved or confirmed, which can only happen at its stage.
    static func requireStageReached(for command: DealCommand, deal: Deal, context: DealContext) throws(DealError) {
        let kind: CriterionKind
        let what: String
        switch command {
        case .bookFirstMeeting: (kind, what) = (.doorOpener, "the first joint conversation")
        case .approveBrief: (kind, what) = (.jointDiscovery, "approving the account brief")
        case .recordProof: (kind, what) = (.jointPursuit, "the proposal, proof of concept or pilot")
        case .recordCustomerConfirmation: (kind, what) = (.jointPursuit, "the customer's confirmation")
        default: return
        }
        let stages = context.playbook.stages
        guard deal.status == .open, let needed = stages.firstIndex(where: { $0.exitCriterion.kind == kind }),
            deal.stageIndex < needed, stages.indices.contains(deal.stageIndex)
        else { return }
        throw .conflict(
            "The deal is at \(stages[deal.stageIndex].name): \(what) belongs to \(stages[needed].name). Record it when the deal gets there; a brief or a close plan may be drafted ahead."
        )
    }

    static func requireInPlay(_ d: Deal) throws(DealError) {
        guard d.isInPlay else {
            throw .conflict(
                "The deal is \(d.completedAt != nil ? "completed" : d.status.rawValue); it can no longer change.")
        }
    }

    static func requireReason(_ reason: String, field: String = "reason") throws(DealError) -> String {
        let r = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if r.count < 3 { throw .invalid(field: field, "Give a written reason (at least a few words).") }
        if r.count > maxText { throw .invalid(field: field, "The reason is longer than \(maxText) characters.") }
        return r
    }

    static func checkText(_ text: String, field: String, max: Int, allowEmpty: Bool = false) throws(DealError) {
        if !allowEmpty && text.isEmpty { throw .invalid(field: field, "must not be empty") }
        if text.count > max { throw .invalid(field: field, "must be at most \(max) characters") }
    }

    static func checkOptionalText(_ text: String?, field: String) throws(DealError) {
        if let text, text.count > maxText { throw .invalid(field: field, "must be at most \(maxText) characters") }
    }

    static func checkList(_ items: [String], field: String) throws(DealError) {
        if items.count > 100 { throw .invalid(field: field, "must have at most 100 entries") }
        for (i, s) in items.enumerated() {
            try checkText(s.trimmingCharacters(in: .whitespaces), field: "\(field)[\(i)]", max: maxName)
        }
    }

    static func person(
        _ id: UUID, of deal: Deal, side: Side, field: String, context: DealContext
    ) throws(DealError) -> Person {
        guard let p = context.people[id] else { throw .notFound(field: field, "No person with that id.") }
        guard p.organizationID == deal.organizationID(of: side) else {
            throw .invalid(
                field: field,
                context.companyName(side).map { "\(p.name) is not a person of \($0)." }
                    ?? "\(p.name) is not a person of the \(side.rawValue) side's company.")
        }
        return p
    }

    static func moveOwner(_ id: UUID, for move: DealMove, deal: Deal, context: DealContext) throws(DealError) -> Person
    {
        guard let p = context.people[id] else { throw .notFound(field: "owner_id", "No person with that id.") }
        guard let side = deal.side(of: p.organizationID) else {
            throw .invalid(field: "owner_id", "\(p.name) is not a person of either company in this deal.")
        }
        switch move.side {
        case .host, .partner:
            if side.rawValue != move.side.rawValue {
                let owing: Side = move.side == .host ? .host : .partner
                throw .invalid(
                    field: "owner_id",
                    context.companyName(owing).map {
                        "This move is owned by \($0); \(p.name) is at \(context.company(side))."
                    }
                        ?? "This move is owned by the \(move.side.rawValue) side; \(p.name) is on the \(side.rawValue) side."
                )
            }
        case .doorOpener:
            if let opener = deal.evidence.doorOpener.doorOpener?.side, opener != side {
                throw .invalid(
                    field: "owner_id",
                    context.companyName(opener).map {
                        "This move belongs to the door-opener, \($0); \(p.name) is at \(context.company(side))."
                    }
                        ?? "This move belongs to the door-opener (the \(opener.rawValue) side); \(p.name) is on the \(side.rawValue) side."
                )
            }
        case .both: break
        }
        return p
    }

    /// The furthest ahead an expected close date may be: a year.
    static let expectedCloseHorizonDays = 366

    /// An expected close date is on or after the day the deal was opened, and at most a year ahead.
    static func checkExpectedCloseDate(_ date: LocalDate, openedAt: Date, now: Date) throws(DealError) {
        if date < LocalDate(openedAt) {
            throw .invalid(
                field: "expected_close_date",
                "The expected close date cannot be before the deal was opened (\(LocalDate(openedAt))).")
        }
        let horizon = LocalDate(now.addingTimeInterval(Double(expectedCloseHorizonDays) * 86_400))
        if date > horizon {
            throw .invalid(
                field: "expected_close_date",
                "The expected close date can be at most a year ahead (\(horizon)); a deal further out is not in play yet."
            )
        }
    }
}
