import CoSellDomain
import Foundation

/// Whoever runs a `cosell` command against the database. They act for no person and no
/// organization (holding the database, they hold the whole server), so the verbs they call check
/// the request's rules but no role, and the audit log names the command they ran, not an admin.
public struct CommandLineOperator: Sendable {
    /// The command, as the audit log names the actor: `cosell user invite`.
    public var command: String

    public init(command: String) {
        self.command = command
    }

    /// An audit entry by the command line for one organization.
    func auditEntry(_ kind: String, _ detail: String, organizationID: UUID?, at: Date) -> AuditEvent {
        AuditEvent(
            organizationID: organizationID, actorID: nil, actorName: command, kind: kind, detail: detail, address: nil,
            at: at)
    }
}
