import ArgumentParser
import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Foundation
import Testing

@testable import cosell

/// `cosell token create --email E [--name N] [--scope read|read_write] [--db FILE]`.
@Suite("cosell token")
struct TokenCommandTests {
    static let refusals: [Refusal] = [
        Refusal(["token", "revoke"], "revoke"),
        Refusal(["token", "create"], "--email"),
        Refusal(
            ["token", "create", "--email", "a@b.example", "--scope", "admin"], "--scope must be read or read_write."),
        Refusal(
            ["token", "create", "--email", "a@b.example", "--scope", "write"], "--scope must be read or read_write."),
        Refusal(
            ["token", "create", "--email", "a@b.example", "--scope", "READ"], "--scope must be read or read_write."),
        Refusal(["token", "create", "--email", "a@b.example", "--name"], "--name"),
        Refusal(["token", "create", "--email", "a@b.example", "--name", ""], "--name must be 1 to 200 characters."),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("the defaults: named cli, read_write")
    func defaults() throws {
        let create = try #require(
            try Cosell.parseAsRoot(["token", "create", "--email", "a@b.example"]) as? Token.Create)
        #expect(create.name == "cli")
        #expect(create.scope == "read_write")
    }

    /// The token the run printed: its last line.
    static func token(in output: String) throws -> String {
        let line = try #require(output.split(separator: "\n").last.map(String.init))
        #expect(line.hasPrefix(APITokens.prefix))
        return line
    }

    @Test("token create prints a token that signs the person in, with the scope and name given")
    func creates() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let admin = DemoFixture.hostAdmin
            let run = try await runCosell([
                "token", "create", "--db", db, "--email", admin.email.uppercased(), "--name", "ci bot", "--scope",
                "read",
            ])
            let token = try Self.token(in: run.output)
            let (signedIn, tokens) = try await withStore(db) { store in
                (
                    try await store.person(forTokenHash: APITokens.hash(token), at: Date()),
                    try await store.tokens(of: admin.id)
                )
            }
            #expect(signedIn?.0.id == admin.id)
            #expect(signedIn?.scope == "read")
            #expect(tokens.contains { $0.name == "ci bot" && $0.scope == "read" && $0.revokedAt == nil })
        }
    }

    @Test("each run makes a new token; the default scope is read_write")
    func defaultScope() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let email = DemoFixture.hostAdmin.email
            let first = try Self.token(
                in: try await runCosell(["token", "create", "--db", db, "--email", email]).output)
            let second = try Self.token(
                in: try await runCosell(["token", "create", "--db", db, "--email", email]).output)
            #expect(first != second)
            let scopes = try await withStore(db) { store in
                [
                    try await store.person(forTokenHash: APITokens.hash(first), at: Date())?.scope,
                    try await store.person(forTokenHash: APITokens.hash(second), at: Date())?.scope,
                ]
            }
            #expect(scopes == ["read_write", "read_write"])
        }
    }

    @Test("token create fails with exit code 1 for an unknown or deactivated person, naming the e-mail")
    func unknownPerson() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let unknown = try await runCosell(
                ["token", "create", "--db", db, "--email", "nobody@quarrydata.example"], exitsWith: .exitCode(1))
            #expect(unknown.errors.contains("No active person with the e-mail nobody@quarrydata.example."))
            let viewer = try #require(DemoFixture.workspace.people.first { $0.role == .viewer })
            try await withStore(db) { try await $0.deactivate(viewer.id, at: Date()) }
            let deactivated = try await runCosell(
                ["token", "create", "--db", db, "--email", viewer.email], exitsWith: .exitCode(1))
            #expect(deactivated.errors.contains("No active person with the e-mail \(viewer.email)."))
            #expect(try await withStore(db) { try await $0.tokens(of: viewer.id) }.allSatisfy { $0.name == "demo" })
        }
    }
}
