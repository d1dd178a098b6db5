import CoSellDomain
import CoSellPersistence
import CoSellWeb
import CoSellWorkflows
import Foundation
import Vapor

extension CoSellRunner {
    /// `cosell user create`: a person with a password (the first admin of an organization, say), in
    /// `organizationID` or in a new organization named `organizationName`, through the people verb
    /// under the API's rules; the audit log names the command.
    public static func createUser(
        _ database: DatabaseChoice, organizationID: UUID?, organizationName: String?, organizationDomain: String?,
        email: String, name: String, role: Role, password: String
    ) async throws -> String {
        // Refused before the database is opened.
        try explained(email: email) { () throws(WorkflowError) in try SecurityWorkflows.checkPassword(password) }
        let home: PeopleWorkflows.Home
        if let organizationID {
            home = .existing(organizationID)
        } else if let organizationName {
            home = .new(name: organizationName, domain: organizationDomain)
        } else {
            throw CoSellSetupError("Name the organization: --organization ID, or --new-organization NAME.")
        }
        return try await withPreparedApp(database) { app, store in
            let cost = app.security.bcryptCost
            let created = try await explained(organizationID: organizationID, email: email) {
                try await workflows(store).people.create(
                    .init(email: email, name: name, role: role), in: home,
                    by: CommandLineOperator(command: "cosell user create"), password: password
                ) { try Bcrypt.hash($0, cost: cost) }
            }
            let person = created.person
            let made = created.organization.map { "Created the organization \($0.name) (\($0.id.uuidString)).\n" }
            return (made ?? "")
                + "Created \(person.name) <\(person.email)>, \(role.rawValue), id \(person.id.uuidString)."
        }
    }

    /// `cosell token create`: a personal API token for a person, shown once, through the token verb.
    public static func createToken(
        _ database: DatabaseChoice, email: String, name: String, scope: TokenScope
    ) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            let secret = APITokens.generate()
            _ = try await explained(email: email) {
                try await workflows(store).security.createToken(
                    forPersonWithEmail: email, by: CommandLineOperator(command: "cosell token create"),
                    hash: APITokens.hash(secret), .init(name: name, scope: scope))
            }
            return secret
        }
    }

    /// `cosell user password`: a new password for a person, through the security verb; their
    /// sessions end.
    public static func setPassword(_ database: DatabaseChoice, email: String, password: String) async throws -> String {
        try explained(email: email) { () throws(WorkflowError) in try SecurityWorkflows.checkPassword(password) }
        return try await withPreparedApp(database) { app, store in
            let cost = app.security.bcryptCost
            let person = try await explained(email: email) {
                try await workflows(store).security.setPassword(
                    forPersonWithEmail: email, by: CommandLineOperator(command: "cosell user password"),
                    password: password
                ) { try Bcrypt.hash($0, cost: cost) }
            }
            return "Set the password of \(person.name) <\(person.email)>; their sessions were ended."
        }
    }

    /// `cosell user invite`: an invitation to an organization, through the people verb under the
    /// API's rules; prints the secret accept token (valid 7 days) to hand to the person, since no mail
    /// server is configured.
    public static func invite(
        _ database: DatabaseChoice, organizationID: UUID, email: String, name: String, role: Role
    ) async throws -> String {
        return try await withPreparedApp(database) { app, store in
            let secret = APITokens.generate()
            _ = try await explained(organizationID: organizationID, email: email) {
                try await workflows(store).people.invite(
                    into: organizationID, by: CommandLineOperator(command: "cosell user invite"),
                    tokenHash: APITokens.hash(secret), .init(email: email, name: name, role: role))
            }
            return """
                Invited \(name) <\(email)> as \(role.rawValue). Hand them this accept token (valid 7 days, shown once):
                \(secret)
                They open /join/<token> on the server and choose a password there
                (or: POST /api/v1/invitations/accept {"token": "<token>", "password": "..."}).
                """
        }
    }

    /// A refusal of a verb in the words of the command line: a request field becomes its option
    /// (`--name must be 1 to 200 characters.`).
    public static func message(_ error: WorkflowError) -> String {
        if case .invalid(let field, let m) = error, m.hasPrefix(field + " ") { return "--" + m }
        return error.message
    }

    static func workflows(_ store: CoSellStore) -> Workflows { Workflows(store: FluentWorkflowStore(store)) }

    /// `body`'s refusals as the command line words them, naming the organization id or e-mail given.
    static func explained<T>(
        organizationID: UUID? = nil, email: String, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let e as WorkflowError {
            throw explanation(e, organizationID: organizationID, email: email)
        }
    }

    static func explained<T>(email: String, _ body: () throws(WorkflowError) -> T) throws -> T {
        do { return try body() } catch { throw explanation(error, organizationID: nil, email: email) }
    }

    static func explanation(_ e: WorkflowError, organizationID: UUID?, email: String) -> CoSellSetupError {
        switch e {
        case .notFound("organization", _):
            return CoSellSetupError("No organization with the id \(organizationID?.uuidString ?? "given").")
        case .notFound("person", _): return CoSellSetupError("No active person with the e-mail \(email).")
        case .conflict(PeopleWorkflows.emailTaken): return CoSellSetupError("A person with the e-mail \(email) exists.")
        default: return CoSellSetupError(message(e))
        }
    }
}
