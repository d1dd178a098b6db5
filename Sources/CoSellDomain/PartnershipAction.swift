import Foundation

/// Something a partnership (not one deal) waits on: hold the discovery call, confirm it, do the
/// next move it agreed, or approve the draft of the joint value proposition. The home page lists these beside the deals' actions and the mail sweep
/// tells them; both read them from `PartnershipActions.of`.
public struct PartnershipAction: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case holdDiscoveryCall = "hold_discovery_call"
        case confirmDiscoveryCall = "confirm_discovery_call"
        case nextMove = "next_move"
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
    public var dueOn: LocalDate?
    public var overdue: Bool
    /// The draft to approve (with `approveValueProposition`).
    public var valuePropositionVersion: Int? = nil

    /// Where the page shows it: the value proposition, or the partnership's discovery call section.
    public var path: String {
        kind == .approveValueProposition
            ? "/partnerships/\(partnershipID.uuidString)/value-proposition"
            : "/partnerships/\(partnershipID.uuidString)#discovery-call"
    }

    public func waits(on person: Person) -> Bool { personIDs.contains(person.id) }
}

public enum PartnershipActions {
    /// The partnership's actions on `today`: for an active partnership with no discovery call, each
    /// company's partner managers hold it; for a call not yet confirmed by both (the latest one), the
    /// partner managers of each company that has not confirmed confirm it; for the call that
    /// counts, its next move's owner does the move once its due date is reached; for a draft of the
    /// value proposition, the partner managers of each company that has not approved it approve it.
    public static func of(
        _ partnership: Partnership, calls: [DiscoveryCall], people: [Person], companyNames: [UUID: String],
        today: LocalDate, valueProposition: ValueProposition? = nil
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
                case .approveValueProposition:
                    body =
                        "Version \(a.valuePropositionVersion ?? 0) of the joint value proposition of \(partnership.name) waits for your company's approval before account executives read it."
                }
                let ref = a.callID?.uuidString ?? a.valuePropositionVersion.map { "v\($0)" } ?? "-"
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
