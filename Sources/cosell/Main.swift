import ArgumentParser
import CoSellApp
import Foundation

@main
struct Cosell: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosell",
        abstract: "Run joint B2B deals through the gated co-sell playbook, and prove the revenue.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Map.self, Import.self, PrivateMap.self, User.self, Token.self,
            Review.self,
        ])
}

/// Options every database command shares.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(
        name: .customLong("db"),
        help: "SQLite file to use when DATABASE_URL is not set (default: COSELL_DB, else cosell.sqlite).")
    var dbOption: String?

    @ArgumentParser.Flag(
        name: .long,
        help: "Make a new, empty database file when there is none (commands other than serve, migrate, demo).")
    var create = false

    /// The SQLite file: `--db`, else `COSELL_DB`, else `cosell.sqlite`.
    var db: String { DatabaseChoice.sqlitePath(db: dbOption) }

    /// The database: `DATABASE_URL` (read with the rest of the configuration, in one place) or the file.
    /// Used by the commands that make a database (`serve`, `migrate`, `demo`).
    var choice: DatabaseChoice {
        get throws { try CoSellConfig.fromEnvironment(sqlitePath: db).database }
    }

    /// The database of a command that works on existing data: a SQLite file that does not exist is
    /// refused, naming it (a typo or another folder would otherwise make a second, empty database),
    /// unless `--create` is given.
    var existing: DatabaseChoice {
        get throws {
            let c = try choice
            if case .sqliteFile(let path) = c, !create, !FileManager.default.fileExists(atPath: path) {
                let full = URL(fileURLWithPath: path).standardizedFileURL.path
                throw ValidationError(
                    "No database at \(full). Give the server's file with --db (or COSELL_DB, or DATABASE_URL for PostgreSQL), or add --create to make a new one there."
                )
            }
            return c
        }
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
