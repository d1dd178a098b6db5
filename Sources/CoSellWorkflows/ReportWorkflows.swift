import CoSellDomain
import Foundation

/// What the pipeline and adoption reports of a partnership are computed from.
public struct ReportWorkflows: Sendable {
    let store: any WorkflowStore

    /// The facts of a partnership's deals a person may see, with the standard playbook and every
    /// version of the playbooks those deals run on.
    public struct Inputs: Sendable {
        public var partnership: Partnership
        public var facts: [DealFacts]
        public var playbook: Playbook
        public var playbooks: [Playbook]
    }

    /// The inputs of the reports of a partnership the principal's organization is in.
    public func inputs(of partnershipID: UUID, by p: Principal) async throws -> Inputs {
        let ps = try await Access(store: store).visiblePartnership(partnershipID, p)
        let facts = try await store.reportFacts(visibleTo: p.person.organizationID, partnershipID: ps.id, status: nil)
            .filter { Visibility.canSee($0, person: p.person, partnership: ps) }
        guard let standard = try await store.playbook(Playbook.standardID, version: nil) else {
            throw WorkflowError.conflict("No playbook exists.")
        }
        var versions: [Playbook] = []
        for id in Set(facts.map(\.playbookID)) { versions += try await store.playbookVersions(id) }
        return Inputs(partnership: ps, facts: facts, playbook: standard, playbooks: versions)
    }
}
