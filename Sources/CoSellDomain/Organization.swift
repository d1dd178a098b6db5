import Foundation

/// A company using cosell.
public struct Organization: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var domain: String?
    public var createdAt: Date

    public init(id: UUID, name: String, domain: String?, createdAt: Date) {
        self.id = id
        self.name = name
        self.domain = domain
        self.createdAt = createdAt
    }
}
