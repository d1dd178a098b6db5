import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The people verbs, on every store.
@Suite("People workflows")
struct PeopleWorkflowsTests {
    let f = WorkflowFixture()

    @Test("an admin invites a person of their organization: the invitation and an audit line", arguments: StoreKind.all)
    func invites(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let inv = try await w.people.invite(into: f.quarry.id, by: f.principal(f.daniel), tokenHash: "h1") {
                .init(email: "  Ana.Lopez@QuarryData.example ", name: " Ana Lopez ", role: .seller)
            }
            #expect(inv.email == "ana.lopez@quarrydata.example")
            #expect(inv.name == "Ana Lopez")
            #expect(inv.invitedBy == f.daniel.id)
            #expect(inv.expiresAt == f.now.addingTimeInterval(PeopleWorkflows.invitationLifetime))
            #expect(try await probe.auditKinds(f.quarry.id) == ["person_invited"])
            let halyards = try await probe.auditKinds(f.halyard.id)
            #expect(halyards.isEmpty)
        }
    }

    @Test(
        "an invitation is refused: another organization, a non-admin, a bad e-mail, a taken one",
        arguments: StoreKind.all)
    func inviteRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let ana = { @Sendable in
                PeopleWorkflows.Invitee(email: "ana@quarrydata.example", name: "Ana", role: .seller)
            }
            await #expect(throws: WorkflowError.notFound("organization")) {
                try await w.people.invite(into: f.halyard.id, by: f.principal(f.daniel), tokenHash: "h", ana)
            }
            await #expect(throws: WorkflowError.forbidden("Only admins invite people.")) {
                try await w.people.invite(into: f.quarry.id, by: f.principal(f.priya), tokenHash: "h", ana)
            }
            for email in ["ana", "@quarrydata.example", "ana@", "a@b@c"] {
                await #expect(throws: WorkflowError.invalid(field: "email", "email must be an e-mail address.")) {
                    try await w.people.invite(into: f.quarry.id, by: f.principal(f.daniel), tokenHash: "h") {
                        .init(email: email, name: "Ana", role: .seller)
                    }
                }
            }
            await #expect(throws: WorkflowError.conflict("A person with that e-mail already exists.")) {
                try await w.people.invite(into: f.quarry.id, by: f.principal(f.daniel), tokenHash: "h") {
                    .init(email: "PRIYA@quarrydata.example", name: "Priya", role: .seller)
                }
            }
            let kinds = try await probe.auditKinds(f.quarry.id)
            #expect(kinds.isEmpty)
        }
    }

    @Test("an admin deactivates a person of their organization, not themselves nor others'", arguments: StoreKind.all)
    func deactivates(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            await #expect(throws: WorkflowError.conflict("You cannot deactivate yourself.")) {
                try await w.people.deactivate(f.daniel.id, in: f.quarry.id, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.notFound("person")) {
                try await w.people.deactivate(f.marcus.id, in: f.quarry.id, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.forbidden("Only admins deactivate people.")) {
                try await w.people.deactivate(f.daniel.id, in: f.quarry.id, by: f.principal(f.priya))
            }
            let priya = try await w.people.deactivate(f.priya.id, in: f.quarry.id, by: f.principal(f.daniel))
            #expect(priya.deactivatedAt == f.now)
            #expect(try await w.store.person(f.priya.id)?.deactivatedAt != nil)
            #expect(try await probe.auditKinds(f.quarry.id) == ["person_deactivated"])
        }
    }
}
