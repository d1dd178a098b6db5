import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWeb
import CoSellWorkflows
import Foundation
import Vapor

/// Runs cosell's commands on a Vapor application, so that the CLI target needs no Vapor import.
public enum CoSellRunner {
    static func makeApp() async throws -> Application {
        var env = Environment(name: "development", arguments: ["cosell"])
        try LoggingSystem.bootstrap(from: &env)
        return try await Application.make(env)
    }

    /// Runs one command against a migrated database and shuts the application down, error or not.
    static func withPreparedApp<T>(
        _ database: DatabaseChoice, migrate: Bool = true, _ body: (Application, CoSellStore) async throws -> T
    ) async throws -> T {
        let app = try await makeApp()
        do {
            try CoSellApp.configure(app, CoSellConfig(database: database, loadDemo: false))
            if migrate { try await CoSellApp.prepare(app) }
            let result = try await body(app, CoSellStore(db: app.db))
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// `cosell serve`: migrate, load the demo on first start, print how to use it, serve until stopped.
    public static func serve(_ config: CoSellConfig) async throws {
        var env = Environment(name: "development", arguments: ["cosell", "serve"])
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try CoSellApp.configure(app, config)
            try await CoSellApp.prepare(app)
            let abandoned = try await CoSellStore(db: app.db).failAbandonedImports(at: Date())
            if !abandoned.isEmpty {
                app.logger.warning(
                    "Marked \(abandoned.count) import(s) failed: their process ended before they finished.")
            }
            try await CoSellStore(db: app.db).dropAbandonedStaging()
            var loaded = false
            if config.loadDemo { loaded = try await CoSellApp.loadDemoIfEmpty(app) }
            let base = "http://\(config.hostname):\(config.port)"
            var lines = ["", "cosell is serving at \(base)  (database: \(describe(config.database)))"]
            if loaded {
                lines.append("Loaded the demo workspace (two companies, a partnership, joint accounts and deals).")
            }
            let demoToken = "cosell_demo_host_admin"
            if try await CoSellStore(db: app.db).person(forTokenHash: APITokens.hash(demoToken), at: Date()) != nil {
                lines.append("Demo API tokens (send as `Authorization: Bearer <token>`):")
                for t in DemoLoader.tokens(for: DemoWorkspace.make(now: Date())) {
                    lines.append(
                        "  \(t.token.padding(toLength: 36, withPad: " ", startingAt: 0)) \(t.label) <\(t.personEmail)>")
                }
                lines.append(
                    "Open \(base)/ and sign in as any of them by e-mail with the password \(DemoLoader.password)"
                        + " (e.g. daniel.reyes@quarrydata.example, Quarry Data's partner manager).")
                lines.append("Try: curl -H 'Authorization: Bearer cosell_demo_host_admin' \(base)/api/v1/deals")
            }
            // The facts cache filled before the first request (reports read whole partnerships).
            let started = ContinuousClock.now
            let warmed = try await CoSellStore(db: app.db, factsCache: app.factsCache).warmFactsCache()
            if warmed > 1_000 {
                let took = (ContinuousClock.now - started) / .seconds(1)
                lines.append("Read \(warmed) deals' facts into the cache in \(String(format: "%.1f", took)) s.")
            }
            if try await CoSellStore(db: app.db).isEmpty() {
                lines.append(
                    "The server has no organization yet: open \(base)/setup to create yours and its first admin.")
            }
            lines.append("API description: \(base)/openapi.json   Health: \(base)/health")
            print(lines.joined(separator: "\n") + "\n")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// `cosell migrate`: apply (or revert) the migrations.
    public static func migrate(_ database: DatabaseChoice, revert: Bool) async throws -> String {
        try await withPreparedApp(database, migrate: !revert) { app, store in
            if revert {
                try await app.autoRevert()
                return "Reverted every migration of \(describe(database))."
            }
            return "\(describe(database)) is at schema version \(try await store.appliedMigrations())."
        }
    }

    /// `cosell demo`: load the demo workspace into a database.
    public static func demo(_ database: DatabaseChoice, extraDeals: Int = 0) async throws -> String {
        try await withPreparedApp(database) { app, store in
            guard try await CoSellApp.loadDemoIfEmpty(app) else {
                return "\(describe(database)) already holds data; the demo workspace loads only into an empty database."
            }
            if extraDeals > 0 {
                try await WorkspaceLoader.addGeneratedDeals(
                    extraDeals, workspace: DemoWorkspace.make(now: Date()), into: store,
                    standardPlaybookID: Playbook.standardID)
                return "Loaded the demo workspace and \(extraDeals) generated deals into \(describe(database))."
            }
            return "Loaded the demo workspace into \(describe(database))."
        }
    }

    static func describe(_ d: DatabaseChoice) -> String {
        switch d {
        case .sqliteFile(let path): return "SQLite file \(path)"
        case .sqliteMemory: return "in-memory SQLite"
        case .postgres(let url):
            // Never print a password.
            if var c = URLComponents(string: url) {
                if c.password != nil { c.password = "***" }
                return "PostgreSQL \(c.string ?? "")"
            }
            return "PostgreSQL"
        }
    }
}

extension CoSellRunner {
    /// Holds an import on SQLite inside its transaction, before it commits, after writing a file at
    /// `path` (`ImportTransactionPause`): for the kill -9 test only.
    public static func holdImportsBeforeCommit(at path: String) { ImportTransactionPause.hold(at: path) }

    /// `cosell import`: read a CRM export and replace an organization's account list with it, through
    /// the import verbs as the API's imports (the job has no person): the accounts in one transaction
    /// (a failed or killed import leaves the previous list intact), then the partnerships matched.
    public static func importAccounts(
        _ database: DatabaseChoice, organizationID: UUID, path: String, mapping: ColumnMapping? = nil,
        mode: AccountImportWorkflows.Mode = .full, confirmRetirements: Bool = false,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            let imports = Workflows(store: FluentWorkflowStore(store)).imports
            let started: AccountImportWorkflows.Started
            do {
                started = try await imports.startByOperator(
                    into: organizationID,
                    .init(.path(path), mapping: mapping, mode: mode, confirmRetirements: confirmRetirements),
                    parsing: { progress($0 * 0.3) })
            } catch WorkflowError.notFound("organization", _) {
                throw CoSellSetupError("No organization with the id \(organizationID.uuidString).")
            }
            let overlaps = try await imports.run(started) { progress(0.3 + $0 * 0.7) }
            guard let job = try await store.accountImport(started.id) else {
                throw CoSellSetupError("The import \(started.id.uuidString) was not recorded.")
            }
            return """
                Imported \(job.fileName) (\(job.format ?? "?")): \(job.added) added, \(job.updated) updated, \
                \(job.unchanged) unchanged, \(job.retired) retired, \(job.skipped) rows without a name skipped, \
                \(job.duplicatePairs) likely duplicate pairs. \(overlaps) overlaps across the organization's partnerships.
                """
        }
    }

    /// `cosell import --restore-latest`: puts the organization's accounts back as they were before its
    /// latest import and matches its partnerships again; says what it did. Refuses (`WorkflowError.conflict`)
    /// when there is nothing to restore.
    public static func restoreLatestImport(_ database: DatabaseChoice, organizationID: UUID) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            let imports = Workflows(store: FluentWorkflowStore(store)).imports
            let done: AccountImportWorkflows.Restored
            do {
                done = try await imports.restoreLatestByOperator(of: organizationID)
            } catch WorkflowError.notFound("organization", _) {
                throw CoSellSetupError("No organization with the id \(organizationID.uuidString).")
            }
            let r = done.restoration
            return """
                Restored the accounts as they were before the import of \(r.fileName): \(r.accountsBack) accounts back \
                as they were, \(r.addedRetired) accounts it added retired. \(done.overlaps) overlaps across the \
                organization's partnerships.
                """
        }
    }
}
