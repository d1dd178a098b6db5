import Foundation

/// What a person may do in their own organization.
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin
    case partnerManager = "partner_manager"
    case seller
    case viewer

    public var canWrite: Bool { self != .viewer }

    /// The role as people read it ("Partner manager").
    public var title: String {
        switch self {
        case .admin: return "Admin"
        case .partnerManager: return "Partner manager"
        case .seller: return "Seller"
        case .viewer: return "Viewer"
        }
    }
}

/// A person of one organization: an owner of moves, the one who commits or approves.
public struct Person: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var name: String
    public var email: String
    public var role: Role
    public var title: String?
    /// Set when an admin deactivated the person: they can no longer sign in or use tokens.
    public var deactivatedAt: Date?

    public init(
        id: UUID, organizationID: UUID, name: String, email: String, role: Role, title: String? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.email = email
        self.role = role
        self.title = title
    }
}
