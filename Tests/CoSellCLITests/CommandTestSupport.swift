import ArgumentParser
import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import cosell

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// How these tests run the command.
//
// Arguments are parsed in this process with `Cosell.parseAsRoot`, which runs each command's
// `validate()`: that is where bad arguments are refused, with exit code 64.
//
// A command that opens a database is not run in this process: `CoSellRunner` bootstraps swift-log's
// `LoggingSystem` for every command it runs, and swift-log allows that once per process (a second
// bootstrap is a precondition failure, which would kill the whole test run). So every run goes
// through `runCosell`, an exit test: `Cosell.main(arguments)`, the command's own entry point
// compiled into this test target, runs in a child process of its own, with its standard input
// redirected from a file, DATABASE_URL removed from its environment (so that the tests always
// use their temporary SQLite file), and its exit status, standard output and standard error
// handed back here.

/// What one run of the `cosell` command printed.
///
/// Check it with `contains`: when the command ends the process itself (`exit`, as every failure
/// and help request does), Swift Testing may leave its own marker bytes in the captured streams.
struct CommandOutput: Sendable {
    /// Standard output.
    var output: String
    /// Standard error.
    var errors: String
}

/// Runs `cosell ARGUMENTS` in a child process, with `input` on its standard input (nothing when
/// nil) and `environment` added to its environment (which never has DATABASE_URL otherwise), and
/// expects it to exit as `condition` says. Returns what it printed.
@discardableResult
func runCosell(
    _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
    exitsWith condition: ExitTest.Condition = .success, sourceLocation: SourceLocation = #_sourceLocation
) async throws -> CommandOutput {
    var inputPath = "/dev/null"
    var inputFile: URL? = nil
    if let input {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cosell-cli-stdin-\(UUID().uuidString)")
        try input.write(to: url, atomically: true, encoding: .utf8)
        inputFile = url
        inputPath = url.path
    }
    defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }
    let result = await #expect(
        processExitsWith: condition, observing: [\.standardOutputContent, \.standardErrorContent],
        "cosell \(arguments.joined(separator: " "))", sourceLocation: sourceLocation
    ) {
        [
            arguments = arguments as [String], inputPath = inputPath as String,
            environment = environment as [String: String]
        ] in
        unsetenv("DATABASE_URL")
        setenv("LOG_LEVEL", "warning", 1)
        for (name, value) in environment { setenv(name, value, 1) }
        let fd = open(inputPath, O_RDONLY)
        precondition(fd >= 0, "cannot open \(inputPath)")
        dup2(fd, STDIN_FILENO)
        close(fd)
        await Cosell.main(arguments)
    }
    let run = try #require(result, sourceLocation: sourceLocation)
    return CommandOutput(
        output: String(decoding: run.standardOutputContent, as: UTF8.self),
        errors: String(decoding: run.standardErrorContent, as: UTF8.self))
}

/// Expects `cosell ARGUMENTS` to be refused while parsing, with exit code 64 and a message that
/// contains every one of `fragments`.
func expectRefused(
    _ arguments: [String], mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let command = try Cosell.parseAsRoot(arguments)
        Issue.record(
            "cosell \(arguments.joined(separator: " ")) was accepted as \(command)", sourceLocation: sourceLocation)
    } catch {
        #expect(Cosell.exitCode(for: error) == .validationFailure, sourceLocation: sourceLocation)
        let message = Cosell.message(for: error)
        for fragment in fragments {
            #expect(message.contains(fragment), "message: \(message)", sourceLocation: sourceLocation)
        }
    }
}

/// A command line that must be refused, and what the refusal must say.
struct Refusal: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var mentions: [String]

    init(_ arguments: [String], _ mentions: String...) {
        self.arguments = arguments
        self.mentions = mentions
    }

    var testDescription: String { "cosell " + arguments.joined(separator: " ") }
}

/// Runs `body` with a new empty directory under the temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "cosell-cli-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try await body(dir)
}

/// Writes `text` to `name` in `dir` and returns its path.
func write(_ text: String, to name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Loads the demo workspace into a new SQLite file in `dir` with `cosell demo`, and returns its path.
func demoDatabase(in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
    let path = dir.appendingPathComponent("demo.sqlite").path
    let run = try await runCosell(["demo", "--db", path], sourceLocation: sourceLocation)
    try #require(run.output.contains("Loaded the demo workspace"), sourceLocation: sourceLocation)
    return path
}

/// Opens the SQLite file at `path` in this process (without migrating it) and hands `body` a store on it.
func withStore<T: Sendable>(_ path: String, _ body: (CoSellStore) async throws -> T) async throws -> T {
    let app = try await Application.make(.testing)
    do {
        var config = CoSellConfig(database: .sqliteFile(path), loadDemo: false, security: testSecurity)
        config.factsCacheCapacity = 0
        try CoSellApp.configure(app, config)
        let result = try await body(CoSellStore(db: app.db))
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// The demo workspace `cosell demo` loads: its ids are fixed, whatever the day.
enum DemoFixture {
    static let workspace = DemoWorkspace.make(now: Date())
    /// Quarry Data, the host company.
    static var host: Organization { workspace.organizations[0] }
    /// Halyard Security, the partner company.
    static var partner: Organization { workspace.organizations[1] }
    static var partnership: Partnership { workspace.partnership }
    /// Quarry Data's admin.
    static var hostAdmin: Person { workspace.people.first { $0.organizationID == host.id && $0.role == .admin }! }
}
