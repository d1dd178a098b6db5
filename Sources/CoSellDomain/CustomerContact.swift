import Foundation

/// A person at the customer, kept on the joint account: named once on a deal (a meeting's
/// attendee, a brief's stakeholder, a close plan's milestone owner), offered again on every deal
/// of the account.
public struct CustomerContact: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var jointAccountID: UUID
    public var name: String
    public var title: String?
    public var email: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, jointAccountID: UUID, name: String, title: String? = nil, email: String? = nil, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.jointAccountID = jointAccountID
        self.name = name
        self.title = title
        self.email = email
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Two names are one contact when they match ignoring case and repeated spaces.
    public static func key(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// The customer's people a deal names: pure, over the deal's evidence.
public enum CustomerContacts {
    /// A person of the customer as a deal names them.
    public struct Named: Sendable, Equatable {
        public var name: String
        public var title: String?
        public var email: String?

        public init(name: String, title: String? = nil, email: String? = nil) {
            self.name = name
            self.title = title
            self.email = email
        }
    }

    /// The customer's people named on the deal: the first meeting's customer attendees, the
    /// stakeholders of its briefs in force, and the customer's owners of its close plans' milestones;
    /// once per name (the first with a title or e-mail wins).
    public static func named(in deal: Deal) -> [Named] {
        let e = deal.evidence
        var all: [Named] = []
        for a in e.doorOpener.firstMeeting?.attendees ?? [] where a.party == .customer {
            all.append(Named(name: a.name, title: a.title, email: a.email))
        }
        for b in e.jointDiscovery.activeBriefs {
            for s in b.stakeholders { all.append(Named(name: s.name, title: s.title)) }
        }
        for plan in e.jointPursuit.closePlans where plan.withdrawnReason == nil {
            for m in plan.milestones where m.ownerParty == .customer { all.append(Named(name: m.ownerName)) }
        }
        var out: [Named] = []
        var index: [String: Int] = [:]
        for n in all {
            let name = n.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { continue }
            let key = CustomerContact.key(name)
            if let i = index[key] {
                if out[i].title == nil { out[i].title = n.title }
                if out[i].email == nil { out[i].email = n.email }
            } else {
                index[key] = out.count
                out.append(Named(name: name, title: n.title, email: n.email))
            }
        }
        return out
    }

    /// What a change added or told more of: the named people of `after` that `before` did not have,
    /// or had with less (no title or e-mail).
    public static func newlyNamed(before: Deal?, after: Deal) -> [Named] {
        let old = Dictionary(
            (before.map(named(in:)) ?? []).map { (CustomerContact.key($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        return named(in: after).filter { n in
            guard let was = old[CustomerContact.key(n.name)] else { return true }
            return (was.title == nil && n.title != nil) || (was.email == nil && n.email != nil)
        }
    }
}
