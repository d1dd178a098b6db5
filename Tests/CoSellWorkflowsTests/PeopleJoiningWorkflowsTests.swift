import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Accepting an invitation, and the command line's invitations and new people, on every store.
@Suite("People joining workflows")
struct PeopleJoiningWorkflowsTests {
    let f = WorkflowFixture()
    let longPassword = "a long enough password"

    func invite(_ w: Workflows, _ email: String = "ana@quarrydata.example", hash: String = "inv") async throws {
        _ = try await w.people.invite(into: f.quarry.id, by: f.principal(f.daniel), tokenHash: hash) {
            .init(email: email, name: "Ana Lopez", role: .seller)
        }
    }

    @Test(
        "accepting an invitation makes the person with their password, once, with an audit line",
        arguments: StoreKind.all)
    func accepts(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await invite(w)
            let person = try await w.people.acceptInvitation(
                tokenHash: "inv", password: longPassword, from: "198.51.100.1"
            ) {
                "hash:" + $0
            }
            #expect(person.email == "ana@quarrydata.example")
            #expect(person.role == .seller)
            #expect(person.organizationID == f.quarry.id)
            let credentials = try await w.store.credentials(email: "ana@quarrydata.example")
            #expect(credentials?.0.id == person.id)
            #expect(credentials?.1 == "hash:" + longPassword)
            let joined = try await probe.audits(f.quarry.id).first { $0.kind == "person_joined" }
            #expect(joined?.detail == "Ana Lopez accepted the invitation.")
            #expect(joined?.actorID == person.id)
            #expect(joined?.address == "198.51.100.1")
            await #expect(throws: WorkflowError.notFound("invitation")) {
                try await w.people.acceptInvitation(tokenHash: "inv", password: longPassword, from: nil) { $0 }
            }
        }
    }

    @Test(
        "an acceptance is refused: a short, long or blank password (unhashed), an unknown token",
        arguments: StoreKind.all)
    func acceptRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await invite(w)
            let cases = [
                ("short", "The password must be at least 12 characters."),
                (
                    String(repeating: "p", count: 73),
                    "The password must be at most 72 bytes (72 plain letters and digits, fewer with accents or emoji): a longer one is not checked past its 72nd byte."
                ),
                (String(repeating: " ", count: 14), "The password must not be only spaces."),
            ]
            for (password, message) in cases {
                await #expect(throws: WorkflowError.invalid(field: "password", message)) {
                    try await w.people.acceptInvitation(tokenHash: "inv", password: password, from: nil) {
                        Issue.record("a refused password is not hashed")
                        return $0
                    }
                }
            }
            await #expect(throws: WorkflowError.notFound("invitation")) {
                try await w.people.acceptInvitation(tokenHash: "unknown", password: longPassword, from: nil) { $0 }
            }
            #expect(try await w.store.person(email: "ana@quarrydata.example") == nil)
            #expect(try await probe.auditKinds(f.quarry.id) == ["person_invited"])
        }
    }

    @Test("an acceptance whose audit line fails leaves no person and the invitation open", arguments: StoreKind.all)
    func acceptAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await invite(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.people.acceptInvitation(tokenHash: "inv", password: longPassword, from: nil) { $0 }
            }
            #expect(try await w.store.person(email: "ana@quarrydata.example") == nil)
            let person = try await w.people.acceptInvitation(tokenHash: "inv", password: longPassword, from: nil) { $0 }
            #expect(person.email == "ana@quarrydata.example")
        }
    }

    // MARK: the command line

    @Test(
        "the command line invites under the admin's rules; the audit line names the command", arguments: StoreKind.all)
    func commandLineInvites(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let op = CommandLineOperator(command: "cosell user invite")
            let inv = try await w.people.invite(
                into: f.quarry.id, by: op, tokenHash: "cli",
                .init(email: " Nora@QuarryData.example", name: "Nora", role: .viewer))
            #expect(inv.email == "nora@quarrydata.example")
            #expect(inv.invitedBy == f.daniel.id)
            let audit = try await probe.audits(f.quarry.id).last
            #expect(audit?.kind == "person_invited")
            #expect(audit?.detail == "Invited nora@quarrydata.example as viewer from the command line.")
            #expect(audit?.actorID == nil)
            #expect(audit?.actorName == "cosell user invite")
            await #expect(throws: WorkflowError.notFound("organization")) {
                try await w.people.invite(
                    into: UUID(), by: op, tokenHash: "x", .init(email: "x@y.example", name: "X", role: .seller))
            }
            await #expect(throws: WorkflowError.conflict(PeopleWorkflows.emailTaken)) {
                try await w.people.invite(
                    into: f.quarry.id, by: op, tokenHash: "x", .init(email: f.priya.email, name: "P", role: .seller))
            }
            await #expect(throws: WorkflowError.invalid(field: "name", "name must be 1 to 200 characters.")) {
                try await w.people.invite(
                    into: f.quarry.id, by: op, tokenHash: "x", .init(email: "x@y.example", name: " ", role: .seller))
            }
            await #expect(throws: WorkflowError.invalid(field: "email", "email must be an e-mail address.")) {
                try await w.people.invite(
                    into: f.quarry.id, by: op, tokenHash: "x", .init(email: "x@", name: "X", role: .seller))
            }
            #expect(try await probe.auditKinds(f.quarry.id) == ["person_invited"])
        }
    }

    @Test("the command line makes an organization and its first person in one unit, audited", arguments: StoreKind.all)
    func commandLineCreates(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let op = CommandLineOperator(command: "cosell user create")
            let created = try await w.people.create(
                .init(email: "Vic@Acme.example", name: " Vic ", role: .viewer),
                in: .new(name: "Acme", domain: "ACME.example"),
                by: op, password: longPassword
            ) { "hash:" + $0 }
            let org = try #require(created.organization)
            #expect(org.domain == "acme.example")
            #expect(created.person.email == "vic@acme.example")
            #expect(created.person.name == "Vic")
            #expect(try await w.store.organizations([org.id]).map(\.name) == ["Acme"])
            #expect(try await w.store.credentials(email: "vic@acme.example")?.1 == "hash:" + longPassword)
            let audit = try await probe.audits(org.id).last
            #expect(audit?.detail == "Created vic@acme.example as viewer from the command line.")
            #expect(audit?.actorName == "cosell user create")
            // An organization without an admin cannot invite.
            await #expect(
                throws: WorkflowError.conflict(
                    "The organization has no admin yet: create one with `cosell user create`.")
            ) {
                try await w.people.invite(
                    into: org.id, by: CommandLineOperator(command: "cosell user invite"), tokenHash: "x",
                    .init(email: "new@acme.example", name: "New", role: .seller))
            }
            await #expect(throws: WorkflowError.conflict(PeopleWorkflows.emailTaken)) {
                try await w.people.create(
                    .init(email: f.daniel.email, name: "D", role: .admin), in: .existing(f.quarry.id), by: op,
                    password: longPassword
                ) { $0 }
            }
            await #expect(throws: WorkflowError.notFound("organization")) {
                try await w.people.create(
                    .init(email: "s@x.example", name: "S", role: .admin), in: .existing(UUID()), by: op,
                    password: longPassword
                ) { $0 }
            }
            await #expect(
                throws: WorkflowError.invalid(field: "password", "The password must be at least 12 characters.")
            ) {
                try await w.people.create(
                    .init(email: "s@x.example", name: "S", role: .admin), in: .existing(f.quarry.id), by: op,
                    password: "short"
                ) { $0 }
            }
            #expect(try await w.store.person(email: "s@x.example") == nil)
        }
    }

    @Test("a new person whose audit line fails leaves no organization and no person", arguments: StoreKind.all)
    func createAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.people.create(
                    .init(email: "vic@acme.example", name: "Vic", role: .admin),
                    in: .new(name: "Acme", domain: "acme.example"),
                    by: CommandLineOperator(command: "cosell user create"),
                    password: longPassword
                ) { $0 }
            }
            let person = try await w.store.person(email: "vic@acme.example")
            let organization = try await w.store.organization(domain: "acme.example")
            #expect(person == nil)
            #expect(organization == nil)
        }
    }
}
