import Foundation

extension DealEngine {
    /// Opens a deal on a joint account at the first stage of `playbook`.
    public static func open(
        id: UUID, partnership: Partnership, account: JointAccount, title: String, hostOrganizationID: UUID,
        reason: String?, amount: Money?, expectedCloseDate: LocalDate?, actor: Actor, context: DealContext
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
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let onOverlap = account.origin == .overlap
        let accountReason = onOverlap ? nil : (reason?.isEmpty == false ? reason : account.reason)
        if !onOverlap, (accountReason ?? "").isEmpty {
            throw .invalid(
                field: "reason",
                "The account is not on the partnership's overlap: say why it is worth a joint deal.")
        }
        let playbook = context.playbook
        var deal = Deal(
            id: id, partnershipID: partnership.id, jointAccountID: account.id, accountName: account.name,
            accountOnOverlap: onOverlap, accountReason: accountReason, title: title,
            hostOrganizationID: hostOrganizationID, partnerOrganizationID: partnerID, playbookID: playbook.id,
            playbookVersion: playbook.version, stageEnteredAt: context.now, lastActivityAt: context.now,
            amount: amount, expectedCloseDate: expectedCloseDate, createdAt: context.now, createdBy: actor.personID)
        deal.moves = movesForStage(0, of: playbook, entering: context.now, makeID: context.makeID)
        let change = DealChange(
            kind: "deal_opened",
            summary: "\(actor.name) opened the deal on \(account.name) at \(playbook.stages[0].name).",
            before: nil, after: timelineJSON(DealSummary(deal)))
        return (deal, change)
    }

    /// Fills in what account mapping already knows when a deal starts from an overlap: each side's
    /// ideal-customer-profile fit computed from that company's profile, and the suggested door-opener.
    public static func prefillFromOverlap(
        _ deal: Deal, fits: SidePair<Fit>, profileNames: SidePair<String>, doorOpener: Side?, actor: Actor, now: Date
    ) -> (Deal, [DealChange]) {
        var d = deal
        var changes: [DealChange] = []
        for side in Side.allCases {
            guard let fit = fits[side] else { continue }
            let record = IcpFitRecord(
                fit: fit, note: "Computed from \(profileNames[side] ?? side.rawValue)'s ideal customer profile.",
                recordedBy: actor.personID, recordedAt: now)
            d.evidence.targetSelection.icpFit[side] = record
            changes.append(
                DealChange(
                    kind: "icp_fit_computed",
                    summary:
                        "Account mapping computed the \(side.rawValue) side's ideal-customer-profile fit: \(fit.rawValue).",
                    before: nil, after: timelineJSON(record)))
        }
        if let doorOpener {
            d.suggestedDoorOpener = doorOpener
            changes.append(
                DealChange(
                    kind: "door_opener_suggested",
                    summary: "The overlap's play suggests the \(doorOpener.rawValue) side opens the door.",
                    before: nil, after: timelineJSON(doorOpener)))
        }
        return (d, changes)
    }

    static func movesForStage(_ index: Int, of playbook: Playbook, entering: Date, makeID: () -> UUID) -> [DealMove] {
        let stage = playbook.stages[index]
        return stage.moves.map {
            DealMove(
                id: makeID(), stageKey: stage.key, templateKey: $0.key, description: $0.description, side: $0.side,
                dueOn: LocalDate(entering.addingTimeInterval(Double($0.dueAfterDays) * 86_400)))
        }
    }
}
