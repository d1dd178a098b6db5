import CoSellDomain
import Foundation

/// What an API token may do.
public enum TokenScope: String, Sendable, Codable {
    case read
    case readWrite = "read_write"
}

/// The signed-in person a verb acts for: who, what their credential may do, and where the request
/// came from (for the audit log).
public struct Principal: Sendable {
    public var person: Person
    public var scope: TokenScope
    /// The client's address, written into audit entries.
    public var address: String?

    public init(person: Person, scope: TokenScope, address: String? = nil) {
        self.person = person
        self.scope = scope
        self.address = address
    }

    public var actor: Actor { Actor(person) }

    /// Refuses a change by a read-only token or a viewer. Verbs call it after they have found the
    /// resource, so that a probe for another organization's id answers "not found" before "not allowed".
    public func requireWrite() throws(WorkflowError) {
        guard scope == .readWrite else { throw .forbidden("This API token may only read.") }
        guard person.role.canWrite else { throw .forbidden("A viewer can read but not change anything.") }
    }

    /// Refuses anyone whose role is not one of `roles`, with `message`.
    public func require(_ roles: Set<Role>, _ message: String) throws(WorkflowError) {
        guard roles.contains(person.role) else { throw .forbidden(message) }
    }

    /// An audit entry by this principal for one organization.
    func auditEntry(_ kind: String, _ detail: String, organizationID: UUID, at: Date) -> AuditEvent {
        AuditEvent(
            organizationID: organizationID, actorID: person.id, actorName: person.name, kind: kind, detail: detail,
            address: address, at: at)
    }
}
