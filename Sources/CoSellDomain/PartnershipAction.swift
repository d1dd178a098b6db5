import Foundation

/// Something a partnership (not one deal) waits on: hold the discovery call, confirm it, do the
/// next move it agreed, approve the draft of the joint value proposition, or carry out a decision
/// of a weekly review. The home page lists these beside the deals' actions and the mail sweep tells
/// them; both read them from `PartnershipActions.of`.
public struct PartnershipAction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case holdDiscoveryCall = "hold_discovery_call"
        case confirmDiscoveryCall = "confirm_discovery_call"
        case nextMove = "next_move"
        case reviewDecision = "review_decision"
        case approveValueProposition = "approve_value_proposition"
    }

    public var partnershipID: UUID
    public var kind: Kind
    /// What to do, naming the other company.
    public var title: String
    /// The company that acts.
    public var organizationID: UUID
    /// The people it waits on: the named owner, else the company's partner managers (its admins
    /// when it has none).
    public var personIDs: [UUID]
    public var callID: UUID?
    /// A review decision: its id and the week of the review that took it.
    public var decisionID: UUID? = nil
    public var week: ISOWeek? = nil
    public var dueOn: LocalDate?
    public var overdue: Bool
    /// The draft to approve (with `approveValueProposition`).
    public var valuePropositionVersion: Int? = nil

    /// Where the page shows it: the value proposition, the current week's review (where a decision
    /// is checked off; the path redirects to the week), or the partnership's discovery call section.
    public var path: String {
        switch kind {
        case .approveValueProposition: return "/partnerships/\(partnershipID.uuidString)/value-proposition"
        case .reviewDecision: return "/partnerships/\(partnershipID.uuidString)/review#decisions"
        default: return "/partnerships/\(partnershipID.uuidString)#discovery-call"
        }
    }

    public func waits(on person: Person) -> Bool { personIDs.contains(person.id) }
}

public enum PartnershipActions {
    /// The partnership's actions on `today`: for an active partnership with no discovery call, each
    /// company's partner managers hold it; for a call not yet confirmed by both (the latest one), the
    /// partner managers of each company that has not confirmed confirm it; for the call that
    /// counts, its next move's owner does the move once its due date is reached; for a draft of the
    /// value proposition, the partner managers of each company that has not approved it approve it;
    /// each open decision of a weekly review (`decisions`) that names an active owner is theirs from
    /// the day it was taken until it is checked off, overdue after its due date.
    public static func of(
        _ partnership: Partnership, calls: [DiscoveryCall], people: [Person], companyNames: [UUID: String],
        today: LocalDate, decisions: [WeekDecision] = [], valueProposition: ValueProposition? = nil
    ) -> [PartnershipAction] {
        guard partnership.status == .active else { return [] }
        let active = people.filter { $0.deactivatedAt == nil && partnership.includes($0.organizationID) }
        func managers(_ org: UUID) -> [UUID] {
            let pms = active.filter { $0.organizationID == org && $0.role == .partnerManager }
            let chosen = pms.isEmpty ? active.filter { $0.organizationID == org && $0.role == .admin } : pms
            return chosen.map(\.id).sorted { UUIDOrder($0) < UUIDOrder($1) }
        }
        func other(_ org: UUID) -> String {
            partnership.counterpart(of: org).flatMap { companyNames[$0] } ?? "the other company"
        }
        var out: [PartnershipAction] = []
        for wd in decisions where wd.decision.isOpen {
            let d = wd.decision
            guard let ownerID = d.ownerID, let owner = active.first(where: { $0.id == ownerID }) else { continue }
            out.append(
                .init(
                    partnershipID: partnership.id, kind: .reviewDecision, title: d.text,
                    organizationID: owner.organizationID, personIDs: [owner.id], callID: nil, decisionID: d.id,
                    week: wd.week, dueOn: d.dueOn, overdue: d.isOverdue(today: today)))
        }
        if let draft = valueProposition?.draft {
            for org in partnership.organizationIDs where draft.approval(of: org) == nil {
                out.append(
                    .init(
                        partnershipID: partnership.id, kind: .approveValueProposition,
                        title: "Approve the value proposition with \(other(org))", organizationID: org,
                        personIDs: managers(org), callID: nil, dueOn: nil, overdue: false,
                        valuePropositionVersion: draft.number))
            }
        }
        guard let latest = DiscoveryCalls.latest(calls) else {
            for org in partnership.organizationIDs {
                out.append(
                    .init(
                        partnershipID: partnership.id, kind: .holdDiscoveryCall,
                        title: "Hold the discovery call with \(other(org))", organizationID: org,
                        personIDs: managers(org), callID: nil, dueOn: nil, overdue: false))
            }
            return out
        }
        if !latest.isConfirmed(in: partnership) {
            for org in partnership.organizationIDs where !latest.isConfirmed(by: org) {
                out.append(
                    .init(
                        partnershipID: partnership.id, kind: .confirmDiscoveryCall,
                        title: "Confirm the discovery call with \(other(org))", organizationID: org,
                        personIDs: managers(org), callID: latest.id, dueOn: nil, overdue: false))
            }
        }
        if let counting = DiscoveryCalls.counting(calls, in: partnership), counting.content.nextMove.dueOn <= today,
            let owner = active.first(where: { $0.id == counting.content.nextMove.ownerID })
        {
            let move = counting.content.nextMove
            out.append(
                .init(
                    partnershipID: partnership.id, kind: .nextMove, title: move.text,
                    organizationID: owner.organizationID,
                    personIDs: [owner.id], callID: counting.id, dueOn: move.dueOn, overdue: move.dueOn < today))
        }
        return out
    }
}

extension Notifications {
    /// The mail notes of a partnership's actions, one per action and person it waits on: the call
    /// to hold or confirm as waiting, the next move as waiting on its due day and overdue after.
    /// Keys make each one told once (the next move once per due date).
    public static func partnershipActions(_ actions: [PartnershipAction], partnership: Partnership) -> [MailNote] {
        var notes: [MailNote] = []
        for a in actions {
            for personID in a.personIDs {
                let kind: NotificationKind = a.overdue ? .actionOverdue : .actionWaiting
                let body: String
                switch a.kind {
                case .holdDiscoveryCall:
                    body =
                        "\(partnership.name) is active and has no discovery call yet: agree a joint customer use case, name the overlap accounts and one next move, then record the call."
                case .confirmDiscoveryCall:
                    body = "The discovery call of \(partnership.name) waits for your company's confirmation."
                case .nextMove:
                    body =
                        a.overdue
                        ? "The next move of the discovery call was due on \(a.dueOn.map(\.description) ?? "")."
                        : "The next move of the discovery call is due today."
                case .reviewDecision:
                    let week = a.week.map { " of \($0)" } ?? ""
                    let due = a.dueOn.map { a.overdue ? " It was due on \($0)." : " It is due on \($0)." } ?? ""
                    body =
                        "The weekly review\(week) of \(partnership.name) decided this, with you as its owner.\(due) Check it off at the next review once it is done."
                case .approveValueProposition:
                    body =
                        "Version \(a.valuePropositionVersion ?? 0) of the joint value proposition of \(partnership.name) waits for your company's approval before account executives read it."
                }
                let ref = (a.callID ?? a.decisionID)?.uuidString ?? a.valuePropositionVersion.map { "v\($0)" } ?? "-"
                notes.append(
                    MailNote(
                        personID: personID, kind: kind,
                        key:
                            "partnership:\(a.kind.rawValue):\(partnership.id.uuidString):\(ref):\(a.dueOn.map(\.description) ?? "-"):\(a.overdue ? "late" : "due"):\(personID.uuidString)",
                        subject: "\(partnership.name): \(a.title)", body: body, path: a.path))
            }
        }
        return notes
    }
}
