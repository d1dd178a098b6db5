import ArgumentParser
import CoSellApp
import Foundation

@main
struct Cosell: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosell",
        abstract: "Run joint B2B deals through the gated co-sell playbook, and prove the revenue.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Map.self, Import.self, User.self, Token.self, Review.self,
        ])
}

/// Options every database command shares.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "SQLite file to use when DATABASE_URL is not set.")
    var db: String = "cosell.sqlite"

    /// The database: `DATABASE_URL` (read with the rest of the configuration, in one place) or `--db`.
    var choice: DatabaseChoice {
        get throws { try CoSellConfig.fromEnvironment(sqlitePath: db).database }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server (embedded SQLite and a demo workspace unless told otherwise).")

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "Port to listen on.")
    var port: Int = 8080

    @ArgumentParser.Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @ArgumentParser.Flag(name: .customLong("no-demo"), help: "Do not load the demo workspace into an empty database.")
    var noDemo = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
    }

    func run() async throws {
        try await CoSellRunner.serve(
            try CoSellConfig.fromEnvironment(sqlitePath: database.db, hostname: host, port: port, loadDemo: !noDemo))
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations (or revert them all).")

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Flag(name: .long, help: "Revert every migration (drops cosell's tables).")
    var revert = false

    func run() async throws {
        print(try await CoSellRunner.migrate(database.choice, revert: revert))
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo workspace into an empty database.")

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(
        name: .customLong("extra-deals"),
        help: "Also add this many generated deals (copies of the demo's, for benchmarks).")
    var extraDeals: Int = 0

    func validate() throws {
        guard (0...1_000_000).contains(extraDeals) else {
            throw ValidationError("--extra-deals must be between 0 and 1000000.")
        }
    }

    func run() async throws {
        print(try await CoSellRunner.demo(database.choice, extraDeals: extraDeals))
    }
}
