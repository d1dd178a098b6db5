import ArgumentParser
import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Foundation
import Testing
import Vapor

@testable import cosell

/// `cosell user invite` and `cosell user create`.
@Suite("cosell user")
struct UserCommandTests {
    static let organization = "00000000-0000-4000-8000-000000000001"
    static let invite = [
        "user", "invite", "--organization", organization, "--email", "ann@example.com", "--name", "Ann",
    ]
    static let create = ["user", "create", "--new-organization", "Acme", "--email", "ann@example.com", "--name", "Ann"]

    static let refusals: [Refusal] = [
        Refusal(["user", "delete"], "delete"),
        Refusal(invite + ["--role", "owner"], "--role must be admin, partner_manager, seller or viewer."),
        Refusal(invite + ["--role", "Admin"], "--role must be admin, partner_manager, seller or viewer."),
        Refusal(
            ["user", "invite", "--organization", "acme", "--email", "ann@example.com", "--name", "Ann"],
            "--organization must be a UUID."),
        Refusal(
            ["user", "invite", "--organization", organization, "--email", "ann.example.com", "--name", "Ann"],
            "--email must be an e-mail address."),
        Refusal(["user", "invite", "--email", "ann@example.com", "--name", "Ann"], "--organization"),
        Refusal(["user", "invite", "--organization", organization, "--name", "Ann"], "--email"),
        Refusal(["user", "invite", "--organization", organization, "--email", "ann@example.com"], "--name"),
        Refusal(create + ["--role", "root"], "--role must be admin, partner_manager, seller or viewer."),
        Refusal(
            ["user", "create", "--email", "ann@example.com", "--name", "Ann"],
            "Give either --organization ID or --new-organization NAME."),
        Refusal(
            create + ["--organization", organization], "Give either --organization ID or --new-organization NAME."),
        Refusal(
            ["user", "create", "--organization", "1234", "--email", "ann@example.com", "--name", "Ann"],
            "--organization must be a UUID."),
        Refusal(
            ["user", "create", "--new-organization", "Acme", "--email", "ann", "--name", "Ann"],
            "--email must be an e-mail address."),
        Refusal(["user", "create", "--new-organization", "Acme", "--name", "Ann"], "--email"),
        Refusal(["user", "create", "--new-organization", "Acme", "--email", "ann@example.com"], "--name"),
        // The API's rules for a new person (`PeopleWorkflows.check`), named by option.
        Refusal(Array(invite.dropLast(2)) + ["--name", ""], "--name must be 1 to 200 characters."),
        Refusal(Array(create.dropLast(2)) + ["--name", "  "], "--name must be 1 to 200 characters."),
        Refusal(
            Array(invite.dropLast(2)) + ["--name", String(repeating: "n", count: 201)],
            "--name must be 1 to 200 characters."),
        Refusal(
            ["user", "invite", "--organization", organization, "--email", "ann@", "--name", "Ann"],
            "--email must be an e-mail address."),
        Refusal(
            ["user", "create", "--new-organization", "Acme", "--email", "@example.com", "--name", "Ann"],
            "--email must be an e-mail address."),
        Refusal(
            ["user", "create", "--new-organization", "Acme", "--email", "a@b@example.com", "--name", "Ann"],
            "--email must be an e-mail address."),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("the defaults: invite as a seller, create an admin")
    func defaults() throws {
        let invite = try #require(try Cosell.parseAsRoot(Self.invite) as? User.Invite)
        #expect(invite.role == "seller")
        let create = try #require(try Cosell.parseAsRoot(Self.create) as? User.Create)
        #expect(create.role == "admin")
        #expect(create.newOrganization == "Acme")
        #expect(create.organization == nil)
    }

    @Test("cosell user without a subcommand prints its help, naming create and invite")
    func help() async throws {
        let run = try await runCosell(["user"])
        #expect(run.output.contains("USAGE: cosell user <subcommand>"))
        #expect(run.output.contains("create"))
        #expect(run.output.contains("invite"))
    }

    // MARK: invite

    @Test("invite prints an accept token that lets the person in with the role")
    func invites() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let run = try await runCosell([
                "user", "invite", "--db", db, "--organization", DemoFixture.host.id.uuidString, "--email",
                "Nora.New@quarrydata.example", "--name", "Nora New", "--role", "viewer",
            ])
            #expect(run.output.contains("Invited Nora New <Nora.New@quarrydata.example> as viewer."))
            let token = try #require(
                run.output.split(separator: "\n").map(String.init).first { $0.hasPrefix(APITokens.prefix) })
            let person = try await withStore(db) { store in
                try await store.acceptInvitation(
                    tokenHash: APITokens.hash(token), passwordHash: "not-checked-here", at: Date())
            }
            #expect(person.email == "nora.new@quarrydata.example")
            #expect(person.name == "Nora New")
            #expect(person.role == .viewer)
            #expect(person.organizationID == DemoFixture.host.id)
            // The audit line says the command line invited, not an admin.
            let audit = try await withStore(db) { store in
                try await store.auditEvents(of: DemoFixture.host.id, limit: 100, offset: 0).items.first {
                    $0.kind == "person_invited"
                }
            }
            #expect(audit?.actorName == "cosell user invite")
            #expect(audit?.actorID == nil)
            #expect(audit?.detail == "Invited nora.new@quarrydata.example as viewer from the command line.")
        }
    }

    @Test("invite fails with exit code 1 for an unknown organization or a taken e-mail, saying which")
    func inviteRefusedAtRun() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let unknown = UUID()
            let noOrganization = try await runCosell(
                [
                    "user", "invite", "--db", db, "--organization", unknown.uuidString, "--email", "x@y.example",
                    "--name", "X",
                ],
                exitsWith: .exitCode(1))
            #expect(noOrganization.errors.contains("No organization with the id \(unknown.uuidString)."))
            let taken = try await runCosell(
                [
                    "user", "invite", "--db", db, "--organization", DemoFixture.host.id.uuidString, "--email",
                    DemoFixture.hostAdmin.email.uppercased(), "--name", "X",
                ],
                exitsWith: .exitCode(1))
            #expect(
                taken.errors.contains("A person with the e-mail \(DemoFixture.hostAdmin.email.uppercased()) exists."))
        }
    }

    @Test("invite into an organization without an admin fails with exit code 1, saying so")
    func inviteWithoutAdmin() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("u.sqlite").path
            let created = try await runCosell(
                [
                    "user", "create", "--db", db, "--create", "--new-organization", "Acme", "--email",
                    "vic@acme.example", "--name",
                    "Vic", "--role", "viewer",
                ],
                input: "a-long-enough-password\n")
            let person = try #require(try await withStore(db) { try await $0.person(email: "vic@acme.example") })
            #expect(created.output.contains("Created Vic <vic@acme.example>, viewer"))
            let run = try await runCosell(
                [
                    "user", "invite", "--db", db, "--organization", person.organizationID.uuidString, "--email",
                    "new@acme.example", "--name", "New",
                ],
                exitsWith: .exitCode(1))
            #expect(run.errors.contains("The organization has no admin yet"))
        }
    }

    // MARK: create

    @Test("create makes an organization and its admin, with the password read from standard input")
    func createsWithOrganization() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("u.sqlite").path
            let password = "correct horse battery staple"
            let run = try await runCosell(
                [
                    "user", "create", "--db", db, "--create", "--new-organization", "Acme Analytics", "--domain",
                    "ACME.example",
                    "--email", "Ann@Acme.example", "--name", "Ann Admin",
                ],
                input: password + "\n")
            #expect(run.errors.contains("Password (at least"))
            #expect(run.output.contains("Created the organization Acme Analytics ("))
            #expect(run.output.contains("Created Ann Admin <ann@acme.example>, admin, id "))
            let (person, hash, organization) = try #require(
                try await withStore(db) { store -> (Person, String, Organization?)? in
                    guard let credentials = try await store.credentials(email: "ann@acme.example") else { return nil }
                    let organization = try await store.organization(credentials.0.organizationID)
                    return (credentials.0, credentials.1, organization)
                })
            #expect(person.role == .admin)
            #expect(person.name == "Ann Admin")
            #expect(organization?.name == "Acme Analytics")
            #expect(organization?.domain == "acme.example")
            #expect(try Bcrypt.verify(password, created: hash))
            #expect(try !Bcrypt.verify("another password", created: hash))
        }
    }

    @Test(
        "a command on a database file that does not exist refuses, naming it, unless --create; COSELL_DB names it too")
    func noSecondDatabase() async throws {
        try await withTemporaryDirectory { dir in
            let missing = dir.appendingPathComponent("typo.sqlite").path
            let refused = try await runCosell(
                [
                    "user", "create", "--db", missing, "--new-organization", "Acme", "--email", "ann@acme.example",
                    "--name", "Ann",
                ],
                input: "a long enough password\n", exitsWith: .exitCode(64))
            #expect(
                refused.errors.contains("No database at \(URL(fileURLWithPath: missing).standardizedFileURL.path)."))
            #expect(!FileManager.default.fileExists(atPath: missing))
            // The same file through COSELL_DB, once a server made it.
            let db = try await demoDatabase(in: dir)
            let token = try await runCosell(
                ["token", "create", "--email", "daniel.reyes@quarrydata.example", "--name", "laptop"],
                environment: ["COSELL_DB": db])
            #expect(token.output.contains("cosell_"))
        }
    }

    @Test("password sets a person's password from standard input; an unknown address or a short password fails")
    func setsPassword() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let password = "a new harbour password"
            let run = try await runCosell(
                ["user", "password", "--db", db, "--email", "daniel.reyes@quarrydata.example"], input: password + "\n")
            #expect(run.output.contains("Set the password of Daniel Reyes <daniel.reyes@quarrydata.example>"))
            let hash = try #require(
                try await withStore(db) { store in
                    try await store.credentials(email: "daniel.reyes@quarrydata.example")?.1
                })
            #expect(try Bcrypt.verify(password, created: hash))
            let unknown = try await runCosell(
                ["user", "password", "--db", db, "--email", "nobody@quarrydata.example"], input: password + "\n",
                exitsWith: .exitCode(1))
            #expect(unknown.errors.contains("No active person with the e-mail nobody@quarrydata.example."))
            let short = try await runCosell(
                ["user", "password", "--db", db, "--email", "daniel.reyes@quarrydata.example"], input: "short\n",
                exitsWith: .exitCode(1))
            #expect(short.errors.contains("at least 12 characters"))
        }
    }

    @Test("create adds a person to an existing organization with the role given")
    func createsInOrganization() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let run = try await runCosell(
                [
                    "user", "create", "--db", db, "--create", "--organization", DemoFixture.partner.id.uuidString,
                    "--email",
                    "sam@halyardsecurity.example", "--name", "Sam Seller", "--role", "seller",
                ],
                input: "a-long-enough-password\n")
            #expect(run.output.contains("Created Sam Seller <sam@halyardsecurity.example>, seller, id "))
            let person = try #require(
                try await withStore(db) { try await $0.person(email: "sam@halyardsecurity.example") })
            #expect(person.organizationID == DemoFixture.partner.id)
            #expect(person.role == .seller)
        }
    }

    @Test("create with no password on standard input is refused with exit code 64, and creates nobody")
    func noPassword() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("u.sqlite").path
            for input in ["", "\n"] {
                let run = try await runCosell(
                    [
                        "user", "create", "--db", db, "--create", "--new-organization", "Acme", "--email",
                        "a@acme.example",
                        "--name", "A",
                    ],
                    input: input, exitsWith: .exitCode(64))
                #expect(run.errors.contains("No password on standard input."))
            }
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }

    @Test("create refuses a short password, a taken e-mail and an unknown organization with exit code 1")
    func createRefusedAtRun() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let host = DemoFixture.host.id.uuidString
            let short = try await runCosell(
                [
                    "user", "create", "--db", db, "--create", "--organization", host, "--email", "s@quarrydata.example",
                    "--name",
                    "S",
                ],
                input: "short\n", exitsWith: .exitCode(1))
            #expect(short.errors.contains("The password must be at least 12 characters."))
            #expect(try await withStore(db) { try await $0.person(email: "s@quarrydata.example") } == nil)
            let taken = try await runCosell(
                [
                    "user", "create", "--db", db, "--create", "--organization", host, "--email",
                    DemoFixture.hostAdmin.email,
                    "--name", "S",
                ],
                input: "a-long-enough-password\n", exitsWith: .exitCode(1))
            #expect(taken.errors.contains("A person with the e-mail \(DemoFixture.hostAdmin.email) exists."))
            let unknown = UUID()
            let noOrganization = try await runCosell(
                [
                    "user", "create", "--db", db, "--create", "--organization", unknown.uuidString, "--email",
                    "s@x.example",
                    "--name", "S",
                ],
                input: "a-long-enough-password\n", exitsWith: .exitCode(1))
            #expect(noOrganization.errors.contains("No organization with the id \(unknown.uuidString)."))
            #expect(try await withStore(db) { try await $0.person(email: "s@x.example") } == nil)
        }
    }
}
