import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

/// The databases the API tests run against: SQLite always, PostgreSQL when
/// `COSELL_TEST_POSTGRES_URL` names a server (as `.ci/run` does).
enum TestDatabase: CustomStringConvertible, Sendable {
    case sqlite
    case postgres(String)

    static var all: [TestDatabase] {
        var list: [TestDatabase] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["COSELL_TEST_POSTGRES_URL"], !url.isEmpty {
            list.append(.postgres(url))
        }
        return list
    }

    var description: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgresql"
        }
    }
}

/// Builds the application through the composition root on a fresh database (a new in-memory SQLite,
/// or a new PostgreSQL database that is dropped afterwards), with the demo workspace loaded.
func withTestApp(_ engine: TestDatabase, demo: Bool = true, _ body: (Application) async throws -> Void) async throws {
    var created: (admin: String, name: String)? = nil
    let choice: DatabaseChoice
    switch engine {
    case .sqlite:
        choice = .sqliteMemory
    case .postgres(let url):
        let name = "cosell_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await runOnPostgres(url, "CREATE DATABASE \(name)")
        created = (url, String(name))
        choice = .postgres(replaceDatabase(in: url, with: String(name)))
    }
    let app = try await Application.make(.testing)
    if case .postgres(let u) = choice { app.storage[CurrentDatabase.self] = u }
    do {
        try CoSellApp.configure(app, CoSellConfig(database: choice, loadDemo: demo, security: testSecurity))
        try await CoSellApp.prepare(app)
        if demo { try await CoSellApp.loadDemoIfEmpty(app) }
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if let created { try? await runOnPostgres(created.admin, "DROP DATABASE IF EXISTS \(created.name)") }
        throw error
    }
    try await app.asyncShutdown()
    if let created { try await runOnPostgres(created.admin, "DROP DATABASE IF EXISTS \(created.name) WITH (FORCE)") }
}

/// Cheap bcrypt for tests (the production cost is 12), and webhooks allowed to private addresses:
/// the tests' receiver listens on 127.0.0.1 (`COSELL_WEBHOOK_ALLOW_PRIVATE=1` in a server).
let testSecurity: SecuritySettings = {
    var s = SecuritySettings(bcryptCost: 4)
    s.allowPrivateWebhookAddresses = true
    return s
}()

func replaceDatabase(in url: String, with name: String) -> String {
    var c = URLComponents(string: url)!
    c.path = "/" + name
    return c.string!
}

/// Runs one statement on the PostgreSQL server named by `url`.
func runOnPostgres(_ url: String, _ statement: String) async throws {
    let app = try await Application.make(.testing)
    do {
        try CoSellApp.configure(app, CoSellConfig(database: .postgres(url), loadDemo: false))
        try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A JSON answer from the API.
struct Answer {
    var status: HTTPStatus
    var contentType: String
    var json: Any?
    var headers: HTTPHeaders

    subscript(_ key: String) -> Any? { (json as? [String: Any])?[key] }

    func path(_ keys: String...) -> Any? {
        var cur: Any? = json
        for k in keys {
            if let i = Int(k), let a = cur as? [Any] {
                cur = i < a.count ? a[i] : nil
            } else {
                cur = (cur as? [String: Any])?[k]
            }
        }
        return cur
    }
}

enum Token {
    static let hostAdmin = "cosell_demo_host_admin"
    static let hostSeller = "cosell_demo_host_seller"
    static let hostViewer = "cosell_demo_host_viewer"
    static let partnerAdmin = "cosell_demo_partner_admin"
    static let partnerSeller = "cosell_demo_partner_seller"
}

extension Application {
    func call(
        _ method: HTTPMethod, _ path: String, token: String? = Token.hostAdmin, body: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var buffer: ByteBuffer? = nil
        if let body {
            if headers.contentType == nil { headers.contentType = .json }
            buffer = ByteBuffer(string: body)
        }
        let res = try await testing().sendRequest(method, path, headers: headers, body: buffer)
        let data = Data(buffer: res.body)
        let json = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return Answer(
            status: res.status, contentType: res.headers.first(name: .contentType) ?? "", json: json,
            headers: res.headers)
    }

    var store: CoSellStore { CoSellStore(db: db) }
}

/// The demo partnership and an overlap account that no demo deal uses yet.
func freshAccount(_ app: Application) async throws -> (partnership: Partnership, account: JointAccount) {
    let people = try await app.store.people(inOrganizations: [])
    _ = people
    let orgs = try await app.call(.GET, "/api/v1/partnerships")
    let list = orgs.json as! [[String: Any]]
    let pid = UUID(uuidString: list[0]["id"] as! String)!
    let partnership = try await app.store.partnership(pid)!
    let account = JointAccount(
        id: UUID(), partnershipID: pid, name: "Test Account \(UUID().uuidString.prefix(6))", domain: "test.example",
        country: "DE", industry: "Software", employees: 500, origin: .overlap, reason: nil,
        populations: partnership.organizationIDs.map { AccountPopulation(organizationID: $0, population: "prospect") },
        createdAt: Date())
    try await app.store.insert(account)
    return (partnership, account)
}

/// Moves the due date of the first open move of an open deal to `dueOn` through the API, as the host
/// admin; returns the deal's and the move's ids.
func changeADueDate(_ app: Application, to dueOn: String) async throws -> (dealID: UUID, moveID: String) {
    let list = try await app.call(.GET, "/api/v1/deals?status=open&limit=1", token: Token.hostAdmin)
    let item = try #require((list["items"] as? [[String: Any]])?.first)
    let idText = try #require((item["deal"] as? [String: Any])?["id"] as? String)
    let move = try #require(
        ((item["deal"] as? [String: Any])?["moves"] as? [[String: Any]])?.first { $0["done_at"] == nil }?["id"]
            as? String)
    let r = try await app.call(
        .PATCH, "/api/v1/deals/\(idText)/moves/\(move)", token: Token.hostAdmin, body: jsonString(["due_on": dueOn]))
    #expect(r.status == .ok)
    return (try #require(UUID(uuidString: idText)), move)
}

func jsonString(_ object: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

/// The PostgreSQL URL a test application uses, so that a second instance can share its database.
enum CurrentDatabase: StorageKey {
    typealias Value = String
    static func url(of app: Application) -> String? { app.storage[CurrentDatabase.self] }
}
