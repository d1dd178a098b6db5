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
    /// The gate's sentence for what is missing; nil when read from the deal's facts.
    public var missing: String?
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
    /// deactivated; a seller only when named as its owner or already on the deal (`isOnDeal`).
    public func mayAct(_ person: Person, isOnDeal: Bool) -> Bool {
        NextActions.mayAct(
            person, organizationIDs: organizationIDs, ownerID: ownerID, isOnDeal: isOnDeal, part: part)
    }

    /// Whether it waits on `person`: not blocked, and either they own it, or nobody does and they may act.
    public func waits(on person: Person, isOnDeal: Bool) -> Bool {
        NextActions.waits(
            on: person, organizationIDs: organizationIDs, ownerID: ownerID, blocked: isBlocked, isOnDeal: isOnDeal,
            part: part)
    }

    public func mayAct(_ person: Person, on deal: Deal) -> Bool {
        mayAct(person, isOnDeal: Visibility.isOnDeal(deal, personID: person.id))
    }

    public func waits(on person: Person, deal: Deal) -> Bool {
        waits(on: person, isOnDeal: Visibility.isOnDeal(deal, personID: person.id))
    }

    public func waits(on person: Person, deal: DealFacts) -> Bool {
        waits(on: person, isOnDeal: Visibility.isOnDeal(deal, personID: person.id))
    }
}

/// What a deal owes for its current stage, as kept with its facts: the unmet gate parts with the
/// sides that produce them and the producing move. Words and "overdue" are added when it is read
/// (`NextActions.of(facts:)`), since they depend on the reader's day and the companies' names.
public struct PendingAction: Sendable, Equatable {
    public var part: String
    public var sides: [Side]
    public var moveID: UUID?
    public var ownerID: UUID?
    public var dueOn: LocalDate?
    public var blockedBy: [String]

    public init(part: String, sides: [Side], moveID: UUID?, ownerID: UUID?, dueOn: LocalDate?, blockedBy: [String]) {
        self.part = part
        self.sides = sides
        self.moveID = moveID
        self.ownerID = ownerID
        self.dueOn = dueOn
        self.blockedBy = blockedBy
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
        let names = SidePair(
            host: companyNames[deal.hostOrganizationID], partner: companyNames[deal.partnerOrganizationID])
        let report = Gate.evaluate(deal, stage: stage, in: playbook, names: names)
        let missing = Dictionary(
            report.unmet.map { ($0.key, $0.missing ?? $0.description) }, uniquingKeysWith: { a, _ in a })
        let fits = deal.evidence.targetSelection.icpFit
        return pending(deal, playbook: playbook).map {
            action(
                $0, dealID: deal.id, stageKey: stage.key,
                organizations: SidePair(host: deal.hostOrganizationID, partner: deal.partnerOrganizationID),
                fits: SidePair(host: fits.host?.fit, partner: fits.partner?.fit), companyNames: companyNames,
                today: today,
                missing: missing[$0.part.hasPrefix("registration_") ? "registration" : $0.part])
        }
    }

    /// The same actions from a deal's stored facts (without the gate's sentences: `missing` is nil).
    /// Facts written without their playbook version hold none.
    public static func of(
        facts: DealFacts, playbook: Playbook?, companyNames: [UUID: String], today: LocalDate
    ) -> [NextAction] {
        guard facts.isInPlay else { return [] }
        let stageKey =
            playbook.flatMap { $0.stages.indices.contains(facts.stageIndex) ? $0.stages[facts.stageIndex].key : nil }
            ?? ""
        return facts.pendingActions.map {
            action(
                $0, dealID: facts.id, stageKey: stageKey,
                organizations: SidePair(host: facts.hostOrganizationID, partner: facts.partnerOrganizationID),
                fits: SidePair(host: facts.hostFit, partner: facts.partnerFit), companyNames: companyNames,
                today: today,
                missing: nil)
        }
    }

    /// Actions only some roles may take: deciding on a registration (partner managers and admins of
    /// the deciding company, as `DealPermissions` says), confirming an override (admins).
    public static let rolesByPart: [String: Set<Role>] = [
        "registration_accepted": [.admin, .partnerManager], "registration_renewal": [.admin, .partnerManager],
        "override_confirmation": [.admin],
    ]

    static func mayAct(
        _ person: Person, organizationIDs: [UUID], ownerID: UUID?, isOnDeal: Bool, part: String? = nil
    ) -> Bool {
        guard person.deactivatedAt == nil, person.role.canWrite, organizationIDs.contains(person.organizationID)
        else { return false }
        if let part, let roles = rolesByPart[part] { return roles.contains(person.role) }
        if person.role != .seller { return true }
        return ownerID == person.id || isOnDeal
    }

    /// The rule of `NextAction.waits`, on its parts (without building the action's words).
    public static func waits(
        on person: Person, organizationIDs: [UUID], ownerID: UUID?, blocked: Bool, isOnDeal: Bool,
        part: String? = nil
    )
        -> Bool
    {
        guard !blocked else { return false }
        if let ownerID, ownerID != person.id { return false }
        return mayAct(person, organizationIDs: organizationIDs, ownerID: ownerID, isOnDeal: isOnDeal, part: part)
    }

    /// One pending action of a deal's facts, in words (what `of(facts:)` gives for it).
    public static func action(
        _ p: PendingAction, of facts: DealFacts, stageKey: String, companyNames: [UUID: String], today: LocalDate
    ) -> NextAction {
        action(
            p, dealID: facts.id, stageKey: stageKey,
            organizations: SidePair(host: facts.hostOrganizationID, partner: facts.partnerOrganizationID),
            fits: SidePair(host: facts.hostFit, partner: facts.partnerFit), companyNames: companyNames, today: today,
            missing: nil)
    }

    /// What the deal owes for its current stage, before words: what its facts keep.
    public static func pending(_ deal: Deal, playbook: Playbook) -> [PendingAction] {
        guard deal.isInPlay, playbook.stages.indices.contains(deal.stageIndex) else { return [] }
        let stage = playbook.stages[deal.stageIndex]
        let report = Gate.evaluate(deal, stage: stage, in: playbook)
        // A registration submitted before the last stage waits on the other company's decision now,
        // not when the deal gets there.
        var early: [PendingAction] = []
        if stage.exitCriterion.kind != .closeRegisterReview, let reg = deal.evidence.close.registration,
            reg.status == .pending, let deciding = reg.decidingSide
        {
            early.append(
                PendingAction(
                    part: "registration_accepted", sides: [deciding], moveID: nil, ownerID: nil, dueOn: nil,
                    blockedBy: []))
        }
        // An override of the other company's part waits for that company's admin (the second key).
        if let o = deal.pendingOverride, o.stageKey == stage.key {
            early.append(
                PendingAction(
                    part: "override_confirmation", sides: [o.side.other], moveID: nil, ownerID: nil, dueOn: nil,
                    blockedBy: []))
        }
        // A met gate owes one thing: the advance, which waits on whoever met its last part.
        if report.isOpen && (deal.status == .open || deal.stageIndex == playbook.stages.count - 1) {
            return [
                PendingAction(
                    part: "advance", sides: [.host, .partner], moveID: nil,
                    ownerID: deal.lastEvidencePerson(of: stage.exitCriterion.kind), dueOn: nil, blockedBy: [])
            ] + early
        }
        let unmet = Set(report.unmet.map(\.key))
        return report.unmet.map { part in
            // The registration part's action follows the registration: submit it, decide on it, resubmit it.
            let key = registrationAction(part.key, deal) ?? part.key
            let spec = ActionSpec.of(key, unfit: false)
            // The registration's actions wait on the company whose turn it is, not on the move's owner.
            let byRegistration = registrationSides(key, deal)
            let move =
                byRegistration != nil
                ? nil
                : spec.moveKeys.lazy.compactMap { key in
                    deal.moves.first { $0.stageKey == stage.key && $0.templateKey == key && $0.doneAt == nil }
                        ?? deal.moves.first { $0.stageKey == stage.key && $0.templateKey == key }
                }.first
            let sides =
                spec.side.map { [$0] }
                ?? byRegistration
                ?? move.map {
                    $0.side.sides(doorOpener: deal.evidence.doorOpener.doorOpener?.side ?? deal.suggestedDoorOpener)
                }
                ?? [.host, .partner]
            return PendingAction(
                part: key, sides: sides, moveID: move?.id, ownerID: move?.ownerID,
                dueOn: move?.doneAt == nil ? move?.dueOn : nil, blockedBy: spec.after.filter(unmet.contains))
        } + early
    }

    /// The action of the unmet registration part: "registration_accepted" while it waits for the
    /// other company's decision, "registration_renewal" when it lapsed before the win (renewing is
    /// that company's too); else "registration" (submit, or resubmit a rejected one).
    static func registrationAction(_ part: String, _ deal: Deal) -> String? {
        guard part == "registration", let reg = deal.evidence.close.registration else { return nil }
        switch reg.status {
        case .rejected: return nil
        case .pending: return "registration_accepted"
        case .accepted: return "registration_renewal"
        }
    }

    /// The registration's actions wait on one company once there is a registration: its acceptance on
    /// the company that did not submit it; a rejected one's resubmission on the company that did.
    static func registrationSides(_ part: String, _ deal: Deal) -> [Side]? {
        guard let reg = deal.evidence.close.registration, let submitter = reg.submittedBy else { return nil }
        switch part {
        case "registration_accepted", "registration_renewal": return [submitter.other]
        case "registration" where reg.status == .rejected: return [submitter]
        default: return nil
        }
    }

    static func action(
        _ p: PendingAction, dealID: UUID, stageKey: String, organizations: SidePair<UUID>, fits: SidePair<Fit>,
        companyNames: [UUID: String], today: LocalDate, missing: String?
    ) -> NextAction {
        func name(_ side: Side) -> String {
            organizations[side].flatMap { companyNames[$0] } ?? "the \(side.rawValue) company"
        }
        let side: Side? = p.part.hasPrefix("host_") ? .host : p.part.hasPrefix("partner_") ? .partner : nil
        // A fit still owed although recorded: none, or partial where the playbook needs strong.
        let spec = ActionSpec.of(
            p.part,
            unfit: side.map { fits[$0] == Fit.none || (p.part.hasSuffix("_icp_fit") && fits[$0] == .partial) }
                ?? false)
        var title = spec.title(name)
        // The registration's acceptance waits on the company that did not submit it: the title names it.
        if side == nil, p.sides.count == 1,
            NextActions.rolesByPart[p.part] != nil
        {
            title = "\(name(p.sides[0])): " + title.prefix(1).lowercased() + title.dropFirst()
        }
        return NextAction(
            dealID: dealID, stageKey: stageKey, part: p.part, title: title, missing: missing,
            organizationIDs: p.sides.compactMap { organizations[$0] }, operation: spec.operation, moveID: p.moveID,
            ownerID: p.ownerID, dueOn: p.dueOn, overdue: p.dueOn.map { $0 < today } ?? false, blockedBy: p.blockedBy)
    }
}

/// How one gate part becomes an action: its words, who produces it, the operation and the moves
/// of the standard playbook that produce it (a playbook's own moves with these keys count too).
struct ActionSpec {
    var title: ((Side) -> String) -> String
    /// The one side that must act; nil when the producing move's side decides (both, else).
    var side: Side?
    var operation: String
    /// Parts that must be met before this one can be.
    var after: [String]
    /// The template keys of the moves that produce the part, the one that finishes it first
    /// (`MoveTemplate.moveKeys(producing:)`, from the one map of moves to the parts they produce).
    var moveKeys: [String] = []

    static func of(_ part: String, unfit: Bool) -> ActionSpec {
        var spec = words(part, unfit: unfit)
        spec.moveKeys = MoveTemplate.moveKeys(producing: part)
        return spec
    }

    private static func words(_ part: String, unfit: Bool) -> ActionSpec {
        switch part {
        case "account_on_overlap":
            return ActionSpec(
                title: { _ in
                    "The account is neither on the overlap nor added with a reason: abandon this deal and open one on a mapped account"
                }, side: nil, operation: "abandon", after: [])
        case "host_icp_fit", "partner_icp_fit":
            let side: Side = part.hasPrefix("host") ? .host : .partner
            return ActionSpec(
                title: { name in
                    unfit
                        ? "\(name(side)): the account does not fit your ideal customer profile; record a new fit or abandon the deal"
                        : "\(name(side)): record your ideal-customer-profile fit"
                }, side: side, operation: "putIcpFit", after: [])
        case "host_commitment", "partner_commitment":
            let side: Side = part.hasPrefix("host") ? .host : .partner
            return ActionSpec(
                title: { name in "\(name(side)): commit a named person to working the account" }, side: side,
                operation: "commit", after: [])
        case "door_opener_named":
            return ActionSpec(
                title: { _ in "Name the door-opener: which company makes the introduction, how, and who owns it" },
                side: nil, operation: "putDoorOpener", after: [])
        case "first_meeting_booked":
            return ActionSpec(
                title: { _ in "Book the first joint conversation with the customer" }, side: nil,
                operation: "putFirstMeeting", after: [])
        case "meeting_attendees":
            return ActionSpec(
                title: { name in "Add attendees from \(name(.host)), \(name(.partner)) and the customer to the meeting"
                },
                side: nil, operation: "putFirstMeeting",
                after: ["first_meeting_booked"])
        case "one_brief":
            return ActionSpec(
                title: { _ in "Write one shared account brief (merge and withdraw any others)" }, side: nil,
                operation: "writeBrief", after: [])
        case "brief_complete":
            return ActionSpec(
                title: { _ in "Complete the brief: the need, the buying process and the stakeholders" }, side: nil,
                operation: "updateBrief", after: ["one_brief"])
        case "host_approval", "partner_approval":
            let side: Side = part.hasPrefix("host") ? .host : .partner
            return ActionSpec(
                title: { name in "\(name(side)): approve the account brief" }, side: side,
                operation: "approveBrief", after: ["one_brief", "brief_complete"])
        case "proof_delivered":
            return ActionSpec(
                title: { _ in "Record the proposal, proof of concept or pilot" }, side: nil, operation: "putProof",
                after: [])
        case "one_close_plan":
            return ActionSpec(
                title: { _ in "Write one shared close plan with the customer (merge and withdraw any others)" },
                side: nil, operation: "writeClosePlan", after: [])
        case "milestone_owners":
            return ActionSpec(
                title: { name in
                    "Give the close plan milestones owned by \(name(.host)), \(name(.partner)) and the customer"
                }, side: nil, operation: "updateClosePlan", after: ["one_close_plan"])
        case "customer_confirmation":
            return ActionSpec(
                title: { _ in "Record the customer's confirmation of the path to a decision" }, side: nil,
                operation: "putCustomerConfirmation", after: ["one_close_plan"])
        case "outcome":
            return ActionSpec(
                title: { _ in "Log the outcome: won or lost, the final amount and the close date" }, side: nil,
                operation: "putOutcome", after: [])
        case "registration":
            return ActionSpec(
                title: { _ in "Register the joint opportunity, partner-sourced or partner-influenced" }, side: nil,
                operation: "register", after: ["outcome"])
        case "override_confirmation":
            return ActionSpec(
                title: { _ in
                    "Confirm the override of your part of the gate, or let it lapse (an admin, within 48 hours)"
                },
                side: nil, operation: "advance", after: [])
        case "registration_renewal":
            return ActionSpec(
                title: { _ in "Renew the registration: it lapsed before the deal closed" }, side: nil,
                operation: "renewRegistration", after: [])
        case "registration_accepted":
            return ActionSpec(
                title: { _ in "Accept the registration, or reject it with a reason" }, side: nil,
                operation: "acceptRegistration", after: [])
        case "review_lesson":
            return ActionSpec(
                title: { _ in "Hold the thirty-minute review and capture a lesson tied to a stage" }, side: nil,
                operation: "putReview", after: ["outcome"])
        case "advance":
            return ActionSpec(
                title: { _ in "Advance the deal: every part of its exit criterion is met" }, side: nil,
                operation: "advance", after: [])
        default:
            return ActionSpec(
                title: { _ in "Meet the exit criterion" }, side: nil, operation: "advance", after: [])
        }
    }
}
