import Foundation

/// An invitation for a person to join an organization with a role; accepted once, before it expires.
public struct Invitation: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var email: String
    public var name: String
    public var role: Role
    public var invitedBy: UUID
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?

    public init(
        id: UUID, organizationID: UUID, email: String, name: String, role: Role, invitedBy: UUID, createdAt: Date,
        expiresAt: Date, acceptedAt: Date?
    ) {
        self.id = id
        self.organizationID = organizationID
        self.email = email
        self.name = name
        self.role = role
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
    }
}
