import Foundation

extension DealEngine {
    /// Opens a deal on a joint account at the first stage of `playbook`. A second open deal on the
    /// same account (`openOnAccount` lists the open ones) needs `parallelReason`.
    public static func open(
        id: UUID, partnership: Partnership, account: JointAccount, title: String, hostOrganizationID: UUID,
        reason: String?, amount: Money?, expectedCloseDate: LocalDate?, actor: Actor, context: DealContext,
        openOnAccount: [Deal] = [], parallelReason: String? = nil
    ) throws(DealError) -> (Deal, DealChange) {
        guard actor.role.canWrite else { throw .forbidden("A viewer cannot open deals.") }
        guard partnership.includes(actor.organizationID) else {
            throw .forbidden("Only people of the partnership's two companies can open deals in it.")
        }
        guard partnership.status == .active else {
            throw .conflict("The partnership has ended; no new deals can start in it.")
        }
        guard account.partnershipID == partnership.id else {
            throw .invalid(field: "joint_account_id", "The account is not on this partnership's joint account list.")
        }
        guard partnership.includes(hostOrganizationID), let partnerID = partnership.counterpart(of: hostOrganizationID)
        else {
            throw .invalid(
                field: "host_organization_id", "The host must be one of the partnership's two organizations.")
        }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        try checkText(title, field: "title", max: maxName)
        if let amount, amount.isNegative { throw .invalid(field: "amount.amount", "The amount must not be negative.") }
        if let expectedCloseDate {
            try checkExpectedCloseDate(expectedCloseDate, openedAt: context.now, now: context.now)
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let onOverlap = account.origin == .overlap
        let accountReason = onOverlap ? nil : (reason?.isEmpty == false ? reason : account.reason)
        if !onOverlap, (accountReason ?? "").isEmpty {
            throw .invalid(
                field: "reason",
                "The account is not on the partnership's overlap: say why it is worth a joint deal.")
        }
        let parallel = parallelReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = openOnAccount.first {
            guard let parallel, parallel.count >= 3 else {
                throw .invalid(
                    field: "parallel_reason",
                    "\(account.name) already has an open deal, \"\(first.title)\" (\(first.id.uuidString)): work that one, or say why a second open deal on the account is a different opportunity."
                )
            }
            try checkText(parallel, field: "parallel_reason", max: maxText)
        }
        let playbook = context.playbook
        var deal = Deal(
            id: id, partnershipID: partnership.id, jointAccountID: account.id, accountName: account.name,
            accountOnOverlap: onOverlap, accountReason: accountReason, title: title,
            hostOrganizationID: hostOrganizationID, partnerOrganizationID: partnerID, playbookID: playbook.id,
            playbookVersion: playbook.version, stageEnteredAt: context.now, lastActivityAt: context.now,
            amount: amount, expectedCloseDate: expectedCloseDate, createdAt: context.now, createdBy: actor.personID)
        if !openOnAccount.isEmpty { deal.parallelReason = parallel }
        deal.moves = movesForStage(0, of: playbook, entering: context.now, makeID: context.makeID)
        ownEnteredMoves(&deal, stageKey: playbook.stages[0].key, actor: actor)
        // Opening the deal on its account is the evidence of the moves that ask for it (picking the account
        // from the overlap): they are done from the start, and the one timeline entry says so.
        var log = DealChangeLog()
        let done = completeMovesByEvidence(
            &deal, playbook: playbook, now: context.now, summary: { _ in "" }, change: &log)
        let completed = deal.moves.filter { done.contains($0.id) }.map { "\"\($0.description)\"" }
        let change = DealChange(
            kind: "deal_opened",
            summary: "\(actor.name) opened the deal on \(account.name) at \(playbook.stages[0].name)"
                + (completed.isEmpty
                    ? "."
                    : ", which completes the move\(completed.count == 1 ? "" : "s") \(completed.joined(separator: ", ")).")
                + (deal.parallelReason.map { " A second open deal on the account: \($0)" } ?? ""),
            before: nil, after: timelineJSON(DealSummary(deal)))
        return (deal, change)
    }

    /// Fills in what account mapping already knows when a deal starts from an overlap: each side's
    /// ideal-customer-profile fit computed from that company's profile, and the suggested door-opener.
    /// With the deal's `playbook`, the moves these fits complete are completed (as by recording them);
    /// with `companyNames`, the timeline names the companies instead of the sides.
    public static func prefillFromOverlap(
        _ deal: Deal, fits: SidePair<Fit>, profileNames: SidePair<String>, doorOpener: Side?, actor: Actor, now: Date,
        playbook: Playbook? = nil, companyNames: SidePair<String>? = nil
    ) -> (Deal, [DealChange]) {
        var d = deal
        var change = DealChangeLog()
        func company(_ side: Side) -> String {
            companyNames?[side].flatMap { $0.isEmpty ? nil : $0 } ?? "the \(side.rawValue) side"
        }
        for side in Side.allCases {
            guard let fit = fits[side] else { continue }
            let record = IcpFitRecord(
                fit: fit, note: "Computed from \(profileNames[side] ?? side.rawValue)'s ideal customer profile.",
                recordedBy: actor.personID, recordedAt: now)
            d.evidence.targetSelection.icpFit[side] = record
            change(
                "icp_fit_computed",
                "Account mapping computed \(company(side))'s ideal-customer-profile fit: \(fit.rawValue).",
                nil as IcpFitRecord?, record)
        }
        if let doorOpener {
            d.suggestedDoorOpener = doorOpener
            change(
                "door_opener_suggested", "The overlap's play suggests \(company(doorOpener)) opens the door.",
                nil as Side?, doorOpener)
        }
        if let playbook, playbook.id == d.playbookID {
            completeMovesByEvidence(
                &d, playbook: playbook, now: now,
                summary: {
                    "Account mapping completed the move \"\(DealContext.wording(of: $0, names: companyNames))\" by computing the evidence it asks for."
                },
                change: &change)
        }
        return (d, change.entries)
    }

    static func movesForStage(_ index: Int, of playbook: Playbook, entering: Date, makeID: () -> UUID) -> [DealMove] {
        let stage = playbook.stages[index]
        return stage.moves.map {
            // A move that counts from another move has no due date until that move is done.
            DealMove(
                id: makeID(), stageKey: stage.key, templateKey: $0.key, description: $0.description, side: $0.side,
                dueOn: stage.dueAnchor(of: $0) == nil ? dueDay(entering, plus: $0.dueAfterDays) : nil)
        }
    }
}
