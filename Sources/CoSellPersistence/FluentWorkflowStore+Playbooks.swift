import CoSellDomain
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func playbookVersions(_ id: UUID) async throws -> [Playbook] { try await store.playbookVersions(id) }

    public func insertPlaybook(_ playbook: Playbook) async throws { try await store.insert(playbook) }
}
