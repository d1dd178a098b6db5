import Foundation

/// Why a change to a deal was refused.
public enum DealError: Error, Equatable, Sendable {
    /// The current stage's exit criterion is not met; the report lists every unmet part.
    case gateClosed(GateReport)
    /// The actor's role or company may not make this change.
    case forbidden(String)
    /// A field of the request is out of range or inconsistent.
    case invalid(field: String, String)
    /// The deal's state does not allow the change (closed deal, duplicate registration...).
    case conflict(String)
    /// Something the change refers to does not exist on this deal.
    case notFound(field: String, String)

    public var message: String {
        switch self {
        case .gateClosed(let r):
            return "The \(r.stageName) gate is closed: " + r.unmet.compactMap(\.missing).joined(separator: " ")
        case .forbidden(let m), .conflict(let m): return m
        case .invalid(_, let m), .notFound(_, let m): return m
        }
    }
}

/// A change to a deal, as one timeline entry: what kind, in words, with the changed part before and after.
public struct DealChange: Sendable, Equatable {
    public var kind: String
    public var summary: String
    public var before: String?
    public var after: String?

    public init(kind: String, summary: String, before: String?, after: String?) {
        self.kind = kind
        self.summary = summary
        self.before = before
        self.after = after
    }
}

/// What the engine needs besides the deal: its playbook version, the people it may name, the time.
public struct DealContext: Sendable {
    public var playbook: Playbook
    public var people: [UUID: Person]
    public var now: Date
    public var makeID: @Sendable () -> UUID

    public init(
        playbook: Playbook, people: [UUID: Person], now: Date, makeID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.playbook = playbook
        self.people = people
        self.now = now
        self.makeID = makeID
    }
}

/// Every change a person can make to a deal.
public enum DealCommand: Sendable, Equatable {
    case updateDetails(title: String?, amount: Money?, expectedCloseDate: LocalDate?)
    case recordIcpFit(fit: Fit, note: String?)
    case commit
    case nameDoorOpener(side: Side, kind: DoorOpenerKind, ownerID: UUID)
    case bookFirstMeeting(scheduledFor: Date, attendees: [Attendee])
    case writeBrief(briefID: UUID?, customerNeed: String, buyingProcess: BuyingProcess, stakeholders: [Stakeholder])
    case approveBrief(briefID: UUID)
    case withdrawBrief(briefID: UUID, reason: String)
    case recordProof(kind: ProofKind, summary: String)
    case writeClosePlan(planID: UUID?, milestones: [Milestone], decisionDate: LocalDate)
    case withdrawClosePlan(planID: UUID, reason: String)
    case recordCustomerConfirmation(confirmedBy: String, confirmedAt: Date, channel: ConfirmationChannel, note: String?)
    case recordOutcome(result: OutcomeResult, finalAmount: Money, closeDate: LocalDate, lossReason: String?)
    case register(registrationID: String, attribution: Attribution, sourcedBy: Side)
    case recordReview(heldOn: LocalDate, attendees: [String], lessons: [LessonDraft])
    case addMove(stageKey: String, description: String, side: MoveSide, ownerID: UUID?, dueOn: LocalDate?)
    case updateMove(moveID: UUID, ownerID: UUID?, dueOn: LocalDate?, done: Bool?)
    case advance(overrideReason: String?)
    case moveBack(reason: String)
    case abandon(reason: String)
    /// The partnership ended; set by the system on behalf of the side that ended it.
    case endByPartnership(reason: String)
}

public struct LessonDraft: Sendable, Equatable, Codable {
    public var stageKey: String
    public var text: String

    public init(stageKey: String, text: String) {
        self.stageKey = stageKey
        self.text = text
    }
}

/// The rules for changing a deal: pure functions from (deal, command, actor, context) to the new deal
/// and the timeline entries that explain it.
public enum DealEngine {
    public static let maxText = 10_000
    public static let maxName = 200

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

    /// Applies one command. Throws without changing anything when the command is refused.
    public static func apply(
        _ command: DealCommand, to deal: Deal, by actor: Actor, context: DealContext
    ) throws(DealError) -> (Deal, [DealChange]) {
        guard let actorSide = deal.side(of: actor.organizationID) else {
            throw .forbidden("Only people of the deal's two companies can change it.")
        }
        guard actor.role.canWrite else { throw .forbidden("A viewer can read deals but not change them.") }
        var d = deal
        let now = context.now
        var changes: [DealChange] = []
        func change<T: Encodable>(_ kind: String, _ summary: String, _ before: T?, _ after: T?) {
            changes.append(
                DealChange(kind: kind, summary: summary, before: timelineJSON(before), after: timelineJSON(after)))
        }

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
            if let expected { d.expectedCloseDate = expected }
            change("details_updated", "\(actor.name) updated the deal's details.", before, DealSummary(d))

        case .recordIcpFit(let fit, let note):
            try requireOpen(d)
            let before = d.evidence.targetSelection.icpFit[actorSide]
            try checkOptionalText(note, field: "note")
            let record = IcpFitRecord(fit: fit, note: note, recordedBy: actor.personID, recordedAt: now)
            d.evidence.targetSelection.icpFit[actorSide] = record
            change(
                "icp_fit_recorded",
                "\(actor.name) recorded the \(actorSide.rawValue) side's ideal-customer-profile fit: \(fit.rawValue).",
                before, record)

        case .commit:
            try requireOpen(d)
            let before = d.evidence.targetSelection.commitments[actorSide]
            let signoff = Signoff(personID: actor.personID, personName: actor.name, at: now)
            d.evidence.targetSelection.commitments[actorSide] = signoff
            change(
                "committed", "\(actor.name) committed the \(actorSide.rawValue) side to working the account.", before,
                signoff)

        case .nameDoorOpener(let side, let kind, let ownerID):
            try requireOpen(d)
            let owner = try person(ownerID, of: d, side: side, field: "owner_id", context: context)
            let before = d.evidence.doorOpener.doorOpener
            let move = DoorOpenerMove(side: side, kind: kind, ownerID: owner.id, ownerName: owner.name, namedAt: now)
            d.evidence.doorOpener.doorOpener = move
            change(
                "door_opener_named",
                "\(actor.name) named the \(side.rawValue) side as door-opener (\(kind.title)), owned by \(owner.name).",
                before, move)

        case .bookFirstMeeting(let scheduledFor, let attendees):
            try requireOpen(d)
            if attendees.isEmpty { throw .invalid(field: "attendees", "List who attends the meeting.") }
            if attendees.count > 100 { throw .invalid(field: "attendees", "At most 100 attendees.") }
            for (i, a) in attendees.enumerated() {
                try checkText(a.name.trimmingCharacters(in: .whitespaces), field: "attendees[\(i)].name", max: maxName)
            }
            let before = d.evidence.doorOpener.firstMeeting
            let meeting = JointMeeting(
                scheduledFor: scheduledFor, attendees: attendees, bookedBy: actor.personID, bookedAt: now)
            d.evidence.doorOpener.firstMeeting = meeting
            change("first_meeting_booked", "\(actor.name) booked the first joint conversation.", before, meeting)

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
                    "\(actor.name) wrote an account brief for the \(actorSide.rawValue) side"
                        + (count > 1 ? " (the deal now has \(count) briefs: two discoveries, not one)." : "."),
                    nil as AccountBrief?, brief)
            }

        case .approveBrief(let briefID):
            try requireOpen(d)
            guard let i = d.evidence.jointDiscovery.briefs.firstIndex(where: { $0.id == briefID && $0.isActive }) else {
                throw .notFound(field: "brief_id", "This deal has no active brief with that id.")
            }
            let before = d.evidence.jointDiscovery.briefs[i].approvals[actorSide]
            let signoff = Signoff(personID: actor.personID, personName: actor.name, at: now)
            d.evidence.jointDiscovery.briefs[i].approvals[actorSide] = signoff
            change(
                "brief_approved", "\(actor.name) approved the account brief for the \(actorSide.rawValue) side.",
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
                d.evidence.jointPursuit.closePlans[i].milestones = milestones
                d.evidence.jointPursuit.closePlans[i].decisionDate = decisionDate
                d.evidence.jointPursuit.closePlans[i].updatedAt = now
                change(
                    "close_plan_updated", "\(actor.name) updated the close plan.", before,
                    d.evidence.jointPursuit.closePlans[i])
            } else {
                let plan = ClosePlan(
                    id: context.makeID(), writtenBy: actorSide, milestones: milestones, decisionDate: decisionDate,
                    updatedAt: now)
                d.evidence.jointPursuit.closePlans.append(plan)
                let count = d.evidence.jointPursuit.activeClosePlans.count
                change(
                    "close_plan_written",
                    "\(actor.name) wrote a close plan for the \(actorSide.rawValue) side"
                        + (count > 1 ? " (the deal now has \(count) close plans: competing plans)." : "."),
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
            change(
                "close_plan_withdrawn", "\(actor.name) withdrew a close plan: \(reason)", before,
                d.evidence.jointPursuit.closePlans[i])

        case .recordCustomerConfirmation(let who, let when, let channel, let note):
            try requireOpen(d)
            try checkText(who.trimmingCharacters(in: .whitespaces), field: "confirmed_by", max: maxName)
            try checkOptionalText(note, field: "note")
            if when > now.addingTimeInterval(300) {
                throw .invalid(field: "confirmed_at", "A confirmation cannot be recorded before it happened.")
            }
            let before = d.evidence.jointPursuit.customerConfirmation
            let c = CustomerConfirmation(
                confirmedBy: who, confirmedAt: when, channel: channel, note: note, recordedBy: actor.personID)
            d.evidence.jointPursuit.customerConfirmation = c
            change(
                "customer_confirmed",
                "\(actor.name) recorded \(who)'s confirmation of the path to a decision (\(channel.rawValue)).",
                before, c)

        case .recordOutcome(let result, let amount, let closeDate, let lossReason):
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
            try checkOptionalText(lossReason, field: "loss_reason")
            let before = d.evidence.close.outcome
            let outcome = Outcome(
                result: result, finalAmount: amount, closeDate: closeDate, lossReason: lossReason,
                recordedBy: actor.personID, recordedAt: now)
            d.evidence.close.outcome = outcome
            d.status = result == .won ? .won : .lost
            change(
                "outcome_logged",
                "\(actor.name) logged the outcome: \(result.rawValue), \(amount.amountString) \(amount.currency).",
                before, outcome)

        case .register(let registrationID, let attribution, let sourcedBy):
            try requireInPlay(d)
            let rid = registrationID.trimmingCharacters(in: .whitespaces)
            try checkText(rid, field: "registration_id", max: 100)
            if let existing = d.evidence.close.registration {
                throw .conflict(
                    "This deal is already registered as \(existing.registrationID); a deal has one registration.")
            }
            if attribution == .partnerSourced && sourcedBy != .partner {
                throw .invalid(field: "sourced_by", "A partner-sourced deal is sourced by the partner side.")
            }
            if attribution == .partnerInfluenced && sourcedBy != .host {
                throw .invalid(field: "sourced_by", "A partner-influenced deal was sourced by the host side.")
            }
            let reg = Registration(
                registrationID: rid, attribution: attribution, sourcedBy: sourcedBy, registeredBy: actor.personID,
                registeredByName: actor.name, registeredAt: now)
            d.evidence.close.registration = reg
            change(
                "registered",
                "\(actor.name) registered the deal as \(rid), \(attribution.rawValue.replacingOccurrences(of: "_", with: "-")).",
                nil as Registration?, reg)

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

        case .addMove(let stageKey, let description, let side, let ownerID, let dueOn):
            try requireInPlay(d)
            guard context.playbook.stageIndex(forKey: stageKey) != nil else {
                throw .invalid(field: "stage", "\"\(stageKey)\" is not a stage of this playbook.")
            }
            let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
            try checkText(text, field: "description", max: maxName)
            var move = DealMove(
                id: context.makeID(), stageKey: stageKey, templateKey: nil, description: text, side: side, dueOn: dueOn)
            if let ownerID {
                let owner = try moveOwner(ownerID, for: move, deal: d, context: context)
                move.ownerID = owner.id
                move.ownerName = owner.name
            }
            d.moves.append(move)
            change("move_added", "\(actor.name) added a move: \(text).", nil as DealMove?, move)

        case .updateMove(let moveID, let ownerID, let dueOn, let done):
            try requireInPlay(d)
            guard let i = d.moves.firstIndex(where: { $0.id == moveID }) else {
                throw .notFound(field: "move_id", "This deal has no move with that id.")
            }
            let before = d.moves[i]
            if let ownerID {
                let owner = try moveOwner(ownerID, for: before, deal: d, context: context)
                d.moves[i].ownerID = owner.id
                d.moves[i].ownerName = owner.name
            }
            if let dueOn { d.moves[i].dueOn = dueOn }
            if let done { d.moves[i].doneAt = done ? (before.doneAt ?? now) : nil }
            change("move_updated", "\(actor.name) updated the move \"\(before.description)\".", before, d.moves[i])

        case .advance(let overrideReason):
            try advance(&d, overrideReason: overrideReason, actor: actor, context: context, changes: &changes)

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
            d.stageIndex -= 1
            d.stageEnteredAt = now
            change(
                "moved_back", "\(actor.name) moved the deal back from \(from.name) to \(to.name): \(reason)", before,
                StagePosition(stage: to.key, enteredAt: now))

        case .abandon(let reason):
            let reason = try requireReason(reason)
            guard d.status == .open else {
                throw .conflict("Only an open deal can be abandoned; this one is \(d.status.rawValue).")
            }
            d.status = .abandoned
            d.statusReason = reason
            change("abandoned", "\(actor.name) abandoned the deal: \(reason)", DealStatus.open, DealStatus.abandoned)

        case .endByPartnership(let reason):
            guard d.status == .open else { return (deal, []) }
            d.status = .ended
            d.statusReason = reason
            change("ended_by_partnership", reason, DealStatus.open, DealStatus.ended)
        }
        d.lastActivityAt = now
        return (d, changes)
    }

    static func advance(
        _ d: inout Deal, overrideReason: String?, actor: Actor, context: DealContext, changes: inout [DealChange]
    ) throws(DealError) {
        let playbook = context.playbook
        let isLast = d.stageIndex == playbook.stages.count - 1
        guard d.completedAt == nil else { throw .conflict("The deal has completed the playbook.") }
        if d.status == .lost && !isLast {
            // A deal lost early skips the rest of the pursuit: it completes once its review holds a lesson.
            let last = playbook.stages[playbook.stages.count - 1]
            let report = Gate.evaluate(d, stage: last, in: playbook)
            guard report.isOpen else { throw .gateClosed(report) }
            d.completedAt = context.now
            d.changes(
                &changes, kind: "completed",
                summary:
                    "\(actor.name) completed the lost deal at \(playbook.stages[d.stageIndex].name): outcome logged and reviewed.",
                before: StagePosition(stage: playbook.stages[d.stageIndex].key, enteredAt: d.stageEnteredAt),
                after: d.completedAt)
            return
        }
        if isLast {
            guard d.status == .won || d.status == .lost else {
                // Without an override the refusal lists every unmet part, the missing outcome among them.
                let report = Gate.evaluate(d, stage: playbook.stages[d.stageIndex], in: playbook)
                if d.status == .open && overrideReason == nil && !report.isOpen { throw .gateClosed(report) }
                throw .conflict("The deal is at the last stage: log the outcome (won or lost) before completing it.")
            }
        } else {
            guard d.status == .open else {
                throw .conflict("Only an open deal advances; this one is \(d.status.rawValue).")
            }
        }
        let stage = playbook.stages[d.stageIndex]
        let report = Gate.evaluate(d, stage: stage, in: playbook)
        var reason: String? = nil
        if !report.isOpen {
            guard let o = overrideReason else { throw .gateClosed(report) }
            reason = try requireReason(o, field: "override_reason")
            guard actor.role == .admin else {
                throw .forbidden("Only an admin can override a closed gate.")
            }
        } else if let o = overrideReason, !o.trimmingCharacters(in: .whitespaces).isEmpty {
            // An override on an open gate is not needed; the stage passes with evidence.
            _ = o
        }
        let passage = StagePassage(
            stageKey: stage.key, enteredAt: d.stageEnteredAt, exitedAt: context.now,
            exit: reason == nil ? .passed : .skipped,
            by: actor.personID, reason: reason, unmetAtExit: report.unmet.compactMap(\.missing))
        d.passages.append(passage)
        let now = context.now
        if isLast {
            d.completedAt = now
            d.changes(
                &changes, kind: reason == nil ? "completed" : "gate_overridden",
                summary: reason == nil
                    ? "\(actor.name) completed the playbook: outcome logged, registered and reviewed."
                    : "\(actor.name) overrode the \(stage.name) gate and completed the deal (stage skipped): \(reason!)",
                before: StagePosition(stage: stage.key, enteredAt: d.stageEnteredAt), after: passage)
            return
        }
        let next = playbook.stages[d.stageIndex + 1]
        let before = StagePosition(stage: stage.key, enteredAt: d.stageEnteredAt)
        d.stageIndex += 1
        d.stageEnteredAt = now
        let existing = Set(d.moves.filter { $0.stageKey == next.key }.compactMap(\.templateKey))
        d.moves += movesForStage(d.stageIndex, of: playbook, entering: now, makeID: context.makeID).filter {
            !existing.contains($0.templateKey ?? "")
        }
        d.changes(
            &changes, kind: reason == nil ? "stage_advanced" : "gate_overridden",
            summary: reason == nil
                ? "\(actor.name) advanced the deal from \(stage.name) to \(next.name): the exit criterion is met."
                : "\(actor.name) overrode the \(stage.name) gate and advanced to \(next.name) (stage skipped): \(reason!)",
            before: before, after: StagePosition(stage: next.key, enteredAt: now))
    }

    // MARK: checks

    static func requireOpen(_ d: Deal) throws(DealError) {
        guard d.status == .open, d.completedAt == nil else {
            throw .conflict("The deal is \(d.status.rawValue); its stage evidence can no longer change.")
        }
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
            throw .invalid(field: field, "\(p.name) is not a person of the \(side.rawValue) side's company.")
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
                throw .invalid(
                    field: "owner_id",
                    "This move is owned by the \(move.side.rawValue) side; \(p.name) is on the \(side.rawValue) side.")
            }
        case .doorOpener:
            if let opener = deal.evidence.doorOpener.doorOpener?.side, opener != side {
                throw .invalid(
                    field: "owner_id",
                    "This move belongs to the door-opener (the \(opener.rawValue) side); \(p.name) is on the \(side.rawValue) side."
                )
            }
        case .both: break
        }
        return p
    }
}

extension Deal {
    fileprivate func changes<B: Encodable, A: Encodable>(
        _ list: inout [DealChange], kind: String, summary: String, before: B, after: A
    ) {
        list.append(DealChange(kind: kind, summary: summary, before: timelineJSON(before), after: timelineJSON(after)))
    }
}

/// Where a deal stood, for the timeline.
public struct StagePosition: Codable, Sendable, Equatable {
    public var stage: String
    public var enteredAt: Date
}

/// The headline fields of a deal, for the timeline.
public struct DealSummary: Codable, Sendable, Equatable {
    public var title: String
    public var amount: Money?
    public var expectedCloseDate: LocalDate?
    public var status: DealStatus

    public init(_ d: Deal) {
        title = d.title
        amount = d.amount
        expectedCloseDate = d.expectedCloseDate
        status = d.status
    }
}

/// Canonical JSON for timeline snapshots: snake_case keys, sorted, ISO 8601 dates.
public func timelineJSON<T: Encodable>(_ value: T?) -> String? {
    guard let value else { return nil }
    let e = JSONEncoder()
    e.keyEncodingStrategy = .convertToSnakeCase
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    e.dateEncodingStrategy = .iso8601
    guard let data = try? e.encode(value) else { return nil }
    return String(decoding: data, as: UTF8.self)
}
