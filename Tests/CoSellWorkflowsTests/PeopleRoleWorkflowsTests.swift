import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Changing a person's role, on every store.
@Suite("People workflows: roles")
struct PeopleRoleWorkflowsTests {
    let f = WorkflowFixture()

    @Test(
        "an admin changes a person's role: kept, with an audit line naming both people and both roles",
        arguments: StoreKind.all)
    func changesRole(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let priya = try await w.people.changeRole(f.priya.id, to: .partnerManager, by: f.principal(f.daniel))
            #expect(priya.role == .partnerManager)
            #expect(try await w.store.person(f.priya.id)?.role == .partnerManager)
            #expect(try await probe.auditKinds(f.quarry.id) == ["person_role_changed"])
            #expect(
                try await probe.auditDetails(f.quarry.id) == [
                    "Daniel Reyes changed Priya Shah's role from seller to partner manager."
                ])
            // The same role again changes nothing and writes nothing.
            _ = try await w.people.changeRole(f.priya.id, to: .partnerManager, by: f.principal(f.daniel))
            #expect(try await probe.auditKinds(f.quarry.id).count == 1)
        }
    }

    @Test(
        "refused: another organization's person (not found), a non-admin, a read-only token, an unknown id",
        arguments: StoreKind.all)
    func refusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            await #expect(throws: WorkflowError.notFound("person")) {
                try await w.people.changeRole(f.marcus.id, to: .seller, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.notFound("person")) {
                try await w.people.changeRole(UUID(), to: .seller, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.forbidden("Only admins change roles.")) {
                try await w.people.changeRole(f.daniel.id, to: .seller, by: f.principal(f.priya))
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.people.changeRole(f.priya.id, to: .admin, by: f.principal(f.daniel, scope: .read))
            }
            let marcus = try await w.store.person(f.marcus.id)
            let priya = try await w.store.person(f.priya.id)
            let kinds = try await probe.auditKinds(f.quarry.id)
            #expect(marcus?.role == .admin)
            #expect(priya?.role == .seller)
            #expect(kinds.isEmpty)
        }
    }

    @Test(
        "the last active admin stays an admin, also demoting themselves; a second admin frees them",
        arguments: StoreKind.all)
    func lastAdmin(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let last = PeopleWorkflows.lastAdminMessage(f.daniel, organizationName: "Quarry Data")
            #expect(last == "Daniel Reyes is the last active admin of Quarry Data: make another person admin first.")
            await #expect(throws: WorkflowError.conflict(last)) {
                try await w.people.changeRole(f.daniel.id, to: .seller, by: f.principal(f.daniel))
            }
            #expect(try await w.store.person(f.daniel.id)?.role == .admin)
            // A deactivated admin does not count.
            _ = try await w.people.changeRole(f.priya.id, to: .admin, by: f.principal(f.daniel))
            _ = try await w.people.deactivate(f.priya.id, in: f.quarry.id, by: f.principal(f.daniel))
            await #expect(throws: WorkflowError.conflict(last)) {
                try await w.people.changeRole(f.daniel.id, to: .partnerManager, by: f.principal(f.daniel))
            }
        }
        try await f.run(kind) { w, _ in
            var priya = try await w.people.changeRole(f.priya.id, to: .admin, by: f.principal(f.daniel))
            let daniel = try await w.people.changeRole(f.daniel.id, to: .viewer, by: f.principal(f.daniel))
            #expect(daniel.role == .viewer)
            priya.role = .admin
            // Now Priya is the last one.
            await #expect(
                throws: WorkflowError.conflict(PeopleWorkflows.lastAdminMessage(priya, organizationName: "Quarry Data"))
            ) {
                try await w.people.changeRole(f.priya.id, to: .seller, by: f.principal(priya))
            }
        }
    }

    @Test("a deactivated person's role cannot be changed", arguments: StoreKind.all)
    func deactivated(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            _ = try await w.people.deactivate(f.priya.id, in: f.quarry.id, by: f.principal(f.daniel))
            await #expect(
                throws: WorkflowError.conflict(
                    "Priya Shah is deactivated: a deactivated person's role stays as it is.")
            ) {
                try await w.people.changeRole(f.priya.id, to: .admin, by: f.principal(f.daniel))
            }
            #expect(try await w.store.person(f.priya.id)?.role == .seller)
            #expect(try await probe.auditKinds(f.quarry.id) == ["person_deactivated"])
        }
    }
}

extension Probe {
    func auditDetails(_ organizationID: UUID) async throws -> [String] {
        switch self {
        case .memory(let s): return s.state.auditLog.filter { $0.organizationID == organizationID }.map(\.detail)
        case .fluent(let s):
            return try await s.auditEvents(of: organizationID, limit: 100, offset: 0).items.map(\.detail)
        }
    }
}
