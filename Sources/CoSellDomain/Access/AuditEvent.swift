import Foundation

/// One line of an organization's audit log: who did what, from where, when.
public struct AuditEvent: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID?
    public var actorID: UUID?
    public var actorName: String?
    /// e.g. `sign_in`, `sign_in_failed`, `token_created`, `token_used`, `sharing_changed`,
    /// `partnership_invited`, `partnership_accepted`, `partnership_ended`, `gate_overridden`, `registered`.
    public var kind: String
    public var detail: String
    public var address: String?
    public var at: Date

    public init(
        id: UUID = UUID(), organizationID: UUID?, actorID: UUID?, actorName: String?, kind: String, detail: String,
        address: String?, at: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.actorID = actorID
        self.actorName = actorName
        self.kind = kind
        self.detail = detail
        self.address = address
        self.at = at
    }
}
