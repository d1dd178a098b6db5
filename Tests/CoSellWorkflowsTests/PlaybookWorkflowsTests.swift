import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The playbook verbs, on every store.
@Suite("Playbook workflows")
struct PlaybookWorkflowsTests {
    let f = WorkflowFixture()
    struct NotRead: Error {}

    func copyStandard(_ w: Workflows, by person: Person, name: String = "Quarry playbook") async throws -> Playbook {
        try await w.playbooks.copy(by: f.principal(person)) { .init(basedOn: nil, name: name) }
    }

    @Test("an admin copies a visible playbook into their organization's own, version 1", arguments: StoreKind.all)
    func copies(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let copy = try await copyStandard(w, by: f.daniel, name: "  Quarry playbook \n")
            #expect(copy.id != Playbook.standardID)
            #expect(copy.version == 1)
            #expect(copy.name == "Quarry playbook")
            #expect(copy.organizationID == f.quarry.id)
            #expect(copy.createdBy == f.daniel.id)
            #expect(copy.createdAt == f.now)
            let standard = try await w.store.playbook(Playbook.standardID, version: nil)
            #expect(copy.stages == standard?.stages)
            #expect(try await w.store.playbookVersions(copy.id) == [copy])
            // A partner's playbook is visible, so it can be copied too.
            let theirs = try await w.playbooks.copy(by: f.principal(f.marcus)) { .init(basedOn: copy.id, name: "Ours") }
            #expect(theirs.organizationID == f.halyard.id)
        }
    }

    @Test(
        "a copy is refused: a non-admin or a read-only token before the body is read; an invisible source; no name",
        arguments: StoreKind.all)
    func copyRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            await #expect(throws: WorkflowError.forbidden("Only admins make playbooks.")) {
                try await w.playbooks.copy(by: f.principal(f.priya)) { throw NotRead() }
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.playbooks.copy(by: f.principal(f.daniel, scope: .read)) { throw NotRead() }
            }
            let beacon = try await copyStandard(w, by: f.olga, name: "Beacon playbook")
            for source in [beacon.id, UUID()] {
                await #expect(throws: WorkflowError.notFound("playbook", field: "based_on")) {
                    try await w.playbooks.copy(by: f.principal(f.daniel)) { .init(basedOn: source, name: "Mine") }
                }
            }
            await #expect(throws: WorkflowError.invalid(field: "name", "name must not be empty")) {
                try await copyStandard(w, by: f.daniel, name: "  ")
            }
            let visible = try await w.store.latestPlaybooks().filter { $0.organizationID == f.quarry.id }
            #expect(visible.isEmpty)
        }
    }

    @Test("an admin saves a new version of their organization's playbook", arguments: StoreKind.all)
    func savesVersion(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let copy = try await copyStandard(w, by: f.daniel)
            let next = try await w.playbooks.saveVersion(of: copy.id, by: f.principal(f.daniel)) { current in
                #expect(current == copy)
                var stages = current.stages
                stages[0].name = "Find the account"
                return .init(name: " Quarry playbook v2 ", stages: stages, inactivityLimitDays: 21)
            }
            #expect(next.id == copy.id)
            #expect(next.version == 2)
            #expect(next.name == "Quarry playbook v2")
            #expect(next.stages[0].name == "Find the account")
            #expect(next.inactivityLimitDays == 21)
            #expect(next.organizationID == f.quarry.id)
            #expect(try await w.store.playbookVersions(copy.id).map(\.version) == [1, 2])
            #expect(try await w.playbooks.editable(copy.id, by: f.principal(f.daniel)) == next)
        }
    }

    @Test(
        "a new version is refused: another organization's id (whatever its body), a non-admin, a read-only token, the standard playbook, a partner's playbook, a bad stage",
        arguments: StoreKind.all)
    func saveRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let copy = try await copyStandard(w, by: f.daniel)
            let unread: @Sendable (Playbook) async throws -> PlaybookWorkflows.Draft = { _ in throw NotRead() }
            await #expect(throws: WorkflowError.notFound("playbook")) {
                try await w.playbooks.saveVersion(of: copy.id, by: f.principal(f.olga), unread)
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.playbooks.saveVersion(of: copy.id, by: f.principal(f.daniel, scope: .read), unread)
            }
            await #expect(throws: WorkflowError.forbidden("Only admins edit playbooks.")) {
                try await w.playbooks.saveVersion(of: copy.id, by: f.principal(f.priya), unread)
            }
            await #expect(
                throws: WorkflowError.forbidden(
                    "The standard playbook is shared by every organization: make your own copy (POST /api/v1/playbooks) and edit that."
                )
            ) {
                try await w.playbooks.saveVersion(of: Playbook.standardID, by: f.principal(f.daniel), unread)
            }
            await #expect(throws: WorkflowError.forbidden("Only the organization that owns a playbook edits it.")) {
                try await w.playbooks.saveVersion(of: copy.id, by: f.principal(f.marcus), unread)
            }
            await #expect(throws: WorkflowError.invalid(field: "stages[1].name", "stages[1].name must not be empty")) {
                try await w.playbooks.saveVersion(of: copy.id, by: f.principal(f.daniel)) { current in
                    var stages = current.stages
                    stages[1].name = " "
                    return .init(name: current.name, stages: stages, inactivityLimitDays: 30)
                }
            }
            #expect(try await w.store.playbookVersions(copy.id).map(\.version) == [1])
        }
    }
}
