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
    /// `cosell import`: read a CRM export and replace an organization's account list with it, through
    /// the import verbs as the API's imports (the job has no person): the accounts in one transaction
    /// (a failed or killed import leaves the previous list intact), then the partnerships matched.
    public static func importAccounts(
        _ database: DatabaseChoice, organizationID: UUID, path: String, mapping: ColumnMapping? = nil,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            let imports = Workflows(store: FluentWorkflowStore(store)).imports
            let started: AccountImportWorkflows.Started
            do {
                started = try await imports.startByOperator(
                    into: organizationID, .init(.path(path), mapping: mapping), parsing: { progress($0 * 0.3) })
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
}

extension CoSellRunner {
    /// `cosell user create`: a person with a password (the first admin of an organization, say).
    /// Creates the organization when `organizationName` is given and no organization has `organizationID`.
    public static func createUser(
        _ database: DatabaseChoice, organizationID: UUID?, organizationName: String?, organizationDomain: String?,
        email: String, name: String, role: Role, password: String
    ) async throws -> String {
        guard password.count >= SecuritySettings.minimumPasswordLength else {
            throw CoSellSetupError(
                "The password must be at least \(SecuritySettings.minimumPasswordLength) characters.")
        }
        return try await withPreparedApp(database) { app, store in
            let orgID: UUID
            var created = ""
            if let id = organizationID {
                guard try await store.organization(id) != nil else {
                    throw CoSellSetupError("No organization with the id \(id).")
                }
                orgID = id
            } else if let orgName = organizationName {
                let org = Organization(
                    id: UUID(), name: orgName, domain: organizationDomain?.lowercased(), createdAt: Date())
                try await store.insert(org)
                orgID = org.id
                created = "Created the organization \(orgName) (\(org.id.uuidString)).\n"
            } else {
                throw CoSellSetupError("Name the organization: --organization ID, or --new-organization NAME.")
            }
            if try await store.person(email: email) != nil {
                throw CoSellSetupError("A person with the e-mail \(email) exists.")
            }
            let person = Person(id: UUID(), organizationID: orgID, name: name, email: email.lowercased(), role: role)
            let hash = try Bcrypt.hash(password, cost: app.security.bcryptCost)
            try await store.createPerson(
                person, passwordHash: hash,
                audit: AuditEvent(
                    organizationID: orgID, actorID: nil, actorName: "cosell user create", kind: "person_created",
                    detail: "Created \(person.email) as \(role.rawValue) from the command line.", address: nil,
                    at: Date()))
            return created + "Created \(person.name) <\(person.email)>, \(role.rawValue), id \(person.id.uuidString)."
        }
    }

    /// `cosell token create`: a personal API token for a person, shown once.
    public static func createToken(
        _ database: DatabaseChoice, email: String, name: String, scope: TokenScope
    ) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            guard let person = try await store.person(email: email), person.deactivatedAt == nil else {
                throw CoSellSetupError("No active person with the e-mail \(email).")
            }
            let secret = APITokens.generate()
            try await store.insertToken(
                id: UUID(), personID: person.id, name: name, hash: APITokens.hash(secret), scope: scope.rawValue,
                at: Date())
            try await store.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: person.id, actorName: person.name,
                    kind: "token_created",
                    detail: "API token \"\(name)\" (\(scope.rawValue)) created from the command line.", address: nil,
                    at: Date()))
            return secret
        }
    }
}

extension CoSellRunner {
    /// `cosell user invite`: an invitation to an organization; prints the secret accept token (valid 7
    /// days) to hand to the person, since no mail server is configured.
    public static func invite(
        _ database: DatabaseChoice, organizationID: UUID, email: String, name: String, role: Role
    ) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            guard try await store.organization(organizationID) != nil else {
                throw CoSellSetupError("No organization with the id \(organizationID.uuidString).")
            }
            if try await store.person(email: email) != nil {
                throw CoSellSetupError("A person with the e-mail \(email) exists.")
            }
            let secret = APITokens.generate()
            let now = Date()
            let admins = try await store.people(inOrganizations: [organizationID]).filter { $0.role == .admin }
            guard let inviter = admins.first else {
                throw CoSellSetupError("The organization has no admin yet: create one with `cosell user create`.")
            }
            try await store.createInvitation(
                Invitation(
                    id: UUID(), organizationID: organizationID, email: email.lowercased(), name: name, role: role,
                    invitedBy: inviter.id, createdAt: now, expiresAt: now.addingTimeInterval(7 * 86_400),
                    acceptedAt: nil),
                tokenHash: APITokens.hash(secret))
            try await store.audit(
                AuditEvent(
                    organizationID: organizationID, actorID: nil, actorName: "cosell user invite",
                    kind: "person_invited",
                    detail: "Invited \(email) as \(role.rawValue) from the command line.", address: nil, at: now))
            return """
                Invited \(name) <\(email)> as \(role.rawValue). Hand them this accept token (valid 7 days, shown once):
                \(secret)
                They choose a password with: POST /api/v1/invitations/accept {"token": "<token>", "password": "..."}
                """
        }
    }
}
