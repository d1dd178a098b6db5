import ArgumentParser
import Foundation
import Testing

@testable import cosell

/// `cosell` itself: its subcommands, and what it says to one it does not have.
@Suite("cosell: subcommands")
struct RootCommandTests {
    static let refusals: [Refusal] = [
        Refusal(["frobnicate"], "frobnicate"),
        Refusal(["--verbose"], "--verbose"),
        Refusal(["users", "create"], "users"),
    ]

    @Test("an unknown subcommand or option is refused with exit code 64 and a message naming it", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("every subcommand is reachable by its name")
    func subcommands() throws {
        #expect(try Cosell.parseAsRoot(["serve"]) is Serve)
        #expect(try Cosell.parseAsRoot(["migrate"]) is Migrate)
        #expect(try Cosell.parseAsRoot(["demo"]) is Demo)
        #expect(try Cosell.parseAsRoot(["map", "a.csv", "b.csv"]) is Map)
        let org = "00000000-0000-4000-8000-000000000001"
        #expect(try Cosell.parseAsRoot(["import", "--organization", org, "a.csv"]) is Import)
        #expect(
            try Cosell.parseAsRoot(["user", "invite", "--organization", org, "--email", "a@b.example", "--name", "A"])
                is User.Invite)
        #expect(
            try Cosell.parseAsRoot([
                "user", "create", "--new-organization", "A", "--email", "a@b.example", "--name", "A",
            ])
                is User.Create)
        #expect(try Cosell.parseAsRoot(["token", "create", "--email", "a@b.example"]) is Token.Create)
        #expect(try Cosell.parseAsRoot(["review", "--partnership", org]) is cosell.Review)
    }

    @Test("the process exits with 64 and prints the message and the usage on standard error")
    func processExitCode() async throws {
        let run = try await runCosell(["frobnicate"], exitsWith: .exitCode(64))
        #expect(run.errors.contains("Error: Unexpected argument 'frobnicate'"))
        #expect(run.errors.contains("Usage: cosell <subcommand>"))
        let invalid = try await runCosell(
            ["token", "create", "--email", "a@b.example", "--scope", "admin"], exitsWith: .exitCode(64))
        #expect(invalid.errors.contains("Error: --scope must be read or read_write."))
        #expect(invalid.errors.contains("Usage: cosell token create"))
    }
}
