import CoSellDomain
import Foundation

extension InMemoryStore {
    public func playbookVersions(_ id: UUID) async throws -> [Playbook] {
        read { s in s.playbooks.filter { $0.id == id }.sorted { $0.version < $1.version } }
    }

    public func insertPlaybook(_ playbook: Playbook) async throws {
        try write { s in
            guard !s.playbooks.contains(where: { $0.id == playbook.id && $0.version == playbook.version }) else {
                throw WorkflowError.conflict("Version \(playbook.version) of this playbook exists already.")
            }
            s.playbooks.append(playbook)
        }
    }
}
