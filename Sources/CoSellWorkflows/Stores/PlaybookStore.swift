import CoSellDomain
import Foundation

/// What the playbook verbs read and write besides the playbook reads every verb has.
public protocol PlaybookStore: Sendable {
    /// Every version of a playbook, oldest first.
    func playbookVersions(_ id: UUID) async throws -> [Playbook]
    /// Writes a new playbook version; a version that exists already is a `WorkflowError.conflict`.
    func insertPlaybook(_ playbook: Playbook) async throws
}
