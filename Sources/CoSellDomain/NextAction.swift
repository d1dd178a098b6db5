import Foundation

/// One thing that has to happen before a deal can leave its stage: an unmet part of the current
/// stage's exit criterion, with the company (or companies) that must act, who may do it, the move
/// that produces it (its owner and due date) and the API operation that records it.
public struct NextAction: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var stageKey: String
    /// The gate part this action produces (`GatePart.key`).
    public var part: String
    /// What to do, in words that name the company.
    public var title: String
    /// The gate's sentence for what is missing.
    public var missing: String
    /// The organizations that can produce it: one, or both (either may do it).
    public var organizationIDs: [UUID]
    /// The `operationId` in `/openapi.json` that records it.
    public var operation: String
    /// The move that produces this part, when the deal has one in this stage.
    public var moveID: UUID?
    /// The named owner of that move.
    public var ownerID: UUID?
    public var dueOn: LocalDate?
    public var overdue: Bool
    /// Parts of the same gate that must be met first; while any is unmet, the action waits on them,
    /// not on a person.
    public var blockedBy: [String]

    public var isBlocked: Bool { !blockedBy.isEmpty }

    /// Whether `person` may do it: a person who can write, of one of the acting organizations, not
    /// deactivated; a seller only when named as its owner or already on the deal.
    public func mayAct(_ person: Person, on deal: Deal) -> Bool {
        guard person.deactivatedAt == nil, person.role.canWrite, organizationIDs.contains(person.organizationID)
        else { return false }
        if person.role != .seller { return true }
        return ownerID == person.id || Visibility.isOnDeal(deal, personID: person.id)
    }

    /// Whether it waits on `person`: not blocked, and either they own it, or nobody does and they may act.
    public func waits(on person: Person, deal: Deal) -> Bool {
        guard !isBlocked else { return false }
        if let ownerID { return ownerID == person.id && mayAct(person, on: deal) }
        return mayAct(person, on: deal)
    }
}

/// The next actions of a deal, from its gate. Pure: the same deal, playbook and day give the same list.
public enum NextActions {
    /// The actions a deal in play owes for its current stage, in the gate's order. A deal that is
    /// completed, abandoned or ended owes none. `companyNames` names the two organizations in titles
    /// (a missing name reads "the host company" or "the partner company").
    public static func of(
        _ deal: Deal, playbook: Playbook, companyNames: [UUID: String], today: LocalDate
    ) -> [NextAction] {
        guard deal.isInPlay, playbook.stages.indices.contains(deal.stageIndex) else { return [] }
        let stage = playbook.stages[deal.stageIndex]
        let report = Gate.evaluate(deal, stage: stage, in: playbook)
        let unmet = Set(report.unmet.map(\.key))
        func name(_ side: Side) -> String {
            companyNames[deal.organizationID(of: side)] ?? "the \(side.rawValue) company"
        }
        return report.unmet.map { part in
            let spec = ActionSpec.of(part.key, deal: deal)
            let move = spec.moveKeys.lazy.compactMap { key in
                deal.moves.first { $0.stageKey == stage.key && $0.templateKey == key && $0.doneAt == nil }
                    ?? deal.moves.first { $0.stageKey == stage.key && $0.templateKey == key }
            }.first
            let sides =
                spec.side.map { [$0] }
                ?? move.map {
                    $0.side.sides(doorOpener: deal.evidence.doorOpener.doorOpener?.side ?? deal.suggestedDoorOpener)
                }
                ?? [.host, .partner]
            let due = move?.doneAt == nil ? move?.dueOn : nil
            return NextAction(
                dealID: deal.id, stageKey: stage.key, part: part.key, title: spec.title(name),
                missing: part.missing ?? part.description, organizationIDs: sides.map(deal.organizationID(of:)),
                operation: spec.operation, moveID: move?.id, ownerID: move?.ownerID, dueOn: due,
                overdue: due.map { $0 < today } ?? false,
                blockedBy: spec.after.filter(unmet.contains))
        }
    }
}

/// How one gate part becomes an action: its words, who produces it, the operation and the moves
/// of the standard playbook that produce it (a playbook's own moves with these keys count too).
struct ActionSpec {
    var title: ((Side) -> String) -> String
    /// The one side that must act; nil when the producing move's side decides (both, else).
    var side: Side?
    var operation: String
    var moveKeys: [String]
    /// Parts that must be met before this one can be.
    var after: [String]

    static func of(_ part: String, deal: Deal) -> ActionSpec {
        switch part {
        case "account_on_overlap":
            return ActionSpec(
                title: { _ in
                    "The account is neither on the overlap nor added with a reason: abandon this deal and open one on a mapped account"
                }, side: nil, operation: "abandon", moveKeys: ["pick_from_overlap"], after: [])
        case "host_icp_fit", "partner_icp_fit":
            let side: Side = part.hasPrefix("host") ? .host : .partner
            let unfit = deal.evidence.targetSelection.icpFit[side]?.fit == Fit.none
            return ActionSpec(
                title: { name in
                    unfit
                        ? "\(name(side)): the account does not fit your ideal customer profile; record a new fit or abandon the deal"
                        : "\(name(side)): record your ideal-customer-profile fit"
                }, side: side, operation: "putIcpFit", moveKeys: [part], after: [])
        case "host_commitment", "partner_commitment":
            let side: Side = part.hasPrefix("host") ? .host : .partner
            return ActionSpec(
                title: { name in "\(name(side)): commit a named person to working the account" }, side: side,
                operation: "commit", moveKeys: [], after: [])
        case "door_opener_named":
            return ActionSpec(
                title: { _ in "Name the door-opener: which company makes the introduction, how, and who owns it" },
                side: nil, operation: "putDoorOpener", moveKeys: ["name_door_opener"], after: [])
        case "first_meeting_booked":
            return ActionSpec(
                title: { _ in "Book the first joint conversation with the customer" }, side: nil,
                operation: "putFirstMeeting", moveKeys: ["book_first_meeting"], after: [])
        case "meeting_attendees":
            return ActionSpec(
                title: { name in "Add attendees from \(name(.host)), \(name(.partner)) and the customer to the meeting"
                },
                side: nil, operation: "putFirstMeeting", moveKeys: ["book_first_meeting"],
                after: ["first_meeting_booked"])
        case "one_brief":
            return ActionSpec(
                title: { _ in "Write one shared account brief (merge and withdraw any others)" }, side: nil,
                operation: "writeBrief", moveKeys: ["write_brief"], after: [])
        case "brief_complete":
            return ActionSpec(
                title: { _ in "Complete the brief: the need, the buying process and the stakeholders" }, side: nil,
                operation: "updateBrief", moveKeys: ["write_brief"], after: ["one_brief"])
        case "host_approval", "partner_approval":
            let side: Side = part.hasPrefix("host") ? .host : .partner
            return ActionSpec(
                title: { name in "\(name(side)): approve the account brief" }, side: side,
                operation: "approveBrief", moveKeys: [], after: ["one_brief", "brief_complete"])
        case "proof_delivered":
            return ActionSpec(
                title: { _ in "Record the proposal, proof of concept or pilot" }, side: nil, operation: "putProof",
                moveKeys: ["deliver_proof"], after: [])
        case "one_close_plan":
            return ActionSpec(
                title: { _ in "Write one shared close plan with the customer (merge and withdraw any others)" },
                side: nil, operation: "writeClosePlan", moveKeys: ["close_plan"], after: [])
        case "milestone_owners":
            return ActionSpec(
                title: { name in
                    "Give the close plan milestones owned by \(name(.host)), \(name(.partner)) and the customer"
                }, side: nil, operation: "updateClosePlan", moveKeys: ["close_plan"], after: ["one_close_plan"])
        case "customer_confirmation":
            return ActionSpec(
                title: { _ in "Record the customer's confirmation of the path to a decision" }, side: nil,
                operation: "putCustomerConfirmation", moveKeys: [], after: ["one_close_plan"])
        case "outcome":
            return ActionSpec(
                title: { _ in "Log the outcome: won or lost, the final amount and the close date" }, side: nil,
                operation: "putOutcome", moveKeys: ["log_outcome"], after: [])
        case "registration":
            return ActionSpec(
                title: { _ in "Register the joint opportunity, partner-sourced or partner-influenced" }, side: nil,
                operation: "register", moveKeys: ["register"], after: ["outcome"])
        case "review_lesson":
            return ActionSpec(
                title: { _ in "Hold the thirty-minute review and capture a lesson tied to a stage" }, side: nil,
                operation: "putReview", moveKeys: ["review"], after: ["outcome"])
        default:
            return ActionSpec(
                title: { _ in "Meet the exit criterion" }, side: nil, operation: "advance", moveKeys: [], after: [])
        }
    }
}
