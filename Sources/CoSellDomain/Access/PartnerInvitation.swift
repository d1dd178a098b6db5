import Foundation

/// An admin's invitation of another company to a partnership, sent to a person there by e-mail.
/// When that company is on the server already, the pending partnership exists from the start
/// (`partnershipID`) and its admins accept or decline it; otherwise the link lets the invited person
/// create their company and its first admin, which makes the pending partnership. The link works
/// once, before it expires.
public struct PartnerInvitation: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The inviting organization and the admin who invited.
    public var fromOrganizationID: UUID
    public var invitedBy: UUID
    /// The partnership's name as the inviting admin wrote it.
    public var partnershipName: String
    /// The invited company's web domain (lower case), and the person's address there.
    public var partnerDomain: String
    public var email: String
    /// The pending partnership, once it exists.
    public var partnershipID: UUID?
    public var createdAt: Date
    public var expiresAt: Date
    /// When the link was used to create the invited company (a link for a company already on the
    /// server is never used: its admins sign in).
    public var usedAt: Date?

    public init(
        id: UUID, fromOrganizationID: UUID, invitedBy: UUID, partnershipName: String, partnerDomain: String,
        email: String, partnershipID: UUID?, createdAt: Date, expiresAt: Date, usedAt: Date? = nil
    ) {
        self.id = id
        self.fromOrganizationID = fromOrganizationID
        self.invitedBy = invitedBy
        self.partnershipName = partnershipName
        self.partnerDomain = partnerDomain
        self.email = email
        self.partnershipID = partnershipID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    /// Whether the link still opens its page at `now`.
    public func isOpen(at now: Date) -> Bool { usedAt == nil && expiresAt > now }

    /// The rule for the invited person's address: at the invited company's domain or one of its
    /// subdomains, so that the link cannot hand a company's name on the server to someone outside it.
    public static func emailBelongs(_ email: String, to domain: String) -> Bool {
        guard let at = email.lastIndex(of: "@") else { return false }
        let host = email[email.index(after: at)...].lowercased()
        let d = domain.lowercased()
        return host == d || host.hasSuffix("." + d)
    }

    /// A company's web domain as kept: trimmed, lower case, without a scheme, `www.` or a path.
    /// Nil when it is not a domain (no dot, a space, too long).
    public static func keptDomain(_ raw: String) -> String? {
        var d = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        for prefix in ["https://", "http://"] where d.hasPrefix(prefix) { d.removeFirst(prefix.count) }
        if d.hasPrefix("www.") { d.removeFirst(4) }
        if let slash = d.firstIndex(of: "/") { d = String(d[..<slash]) }
        guard d.count >= 3, d.count <= 253, d.contains("."), !d.hasPrefix("."), !d.hasSuffix("."),
            d.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
        else { return nil }
        return d
    }
}
