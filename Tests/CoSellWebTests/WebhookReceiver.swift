import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Fluent
import FluentSQL
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import CoSellApp

/// A webhook receiver on loopback: records every request and answers with scripted statuses (200
/// once the script is used up).
final class Receiver: Sendable {
    struct Hit: Sendable {
        var headers: HTTPHeaders
        var body: String
    }

    let app: Application
    let port: Int
    let hits: NIOLockedValueBox<[Hit]>
    let script: NIOLockedValueBox<[HTTPStatus]>
    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(app: Application, port: Int, hits: NIOLockedValueBox<[Hit]>, script: NIOLockedValueBox<[HTTPStatus]>) {
        self.app = app
        self.port = port
        self.hits = hits
        self.script = script
    }

    static func start(script: [HTTPStatus] = [], delay: UInt64 = 0) async throws -> Receiver {
        let app = try await Application.make(.testing)
        let hits = NIOLockedValueBox<[Hit]>([])
        let script = NIOLockedValueBox<[HTTPStatus]>(script)
        app.post("hook") { req async -> Response in
            let body = req.body.string ?? ""
            if delay > 0 { try? await Task.sleep(nanoseconds: delay) }
            hits.withLockedValue { $0.append(Hit(headers: req.headers, body: body)) }
            let status = script.withLockedValue { s in s.isEmpty ? HTTPStatus.ok : s.removeFirst() }
            return Response(status: status)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw CoSellSetupError("the receiver has no port")
        }
        return Receiver(app: app, port: port, hits: hits, script: script)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    var all: [Hit] { hits.withLockedValue { $0 } }
}

func withReceiver(
    script: [HTTPStatus] = [], delay: UInt64 = 0, _ body: (Receiver) async throws -> Void
) async throws {
    let r = try await Receiver.start(script: script, delay: delay)
    do {
        try await body(r)
    } catch {
        try? await r.stop()
        throw error
    }
    try await r.stop()
}

extension Application {
    /// Subscribes the token's organization to `events` at `url`; answers the subscription's JSON.
    func subscribe(
        _ url: String, events: [WebhookEventKind] = WebhookEventKind.allCases, format: String = "json",
        token: String = Token.hostAdmin
    ) async throws -> [String: Any] {
        let r = try await call(
            .POST, "/api/v1/webhooks", token: token,
            body: jsonString(["url": url, "events": events.map(\.rawValue), "format": format]))
        #expect(r.status == .created)
        return try #require(r.json as? [String: Any])
    }

    func deliveries(_ id: String) async throws -> [[String: Any]] {
        let r = try await call(.GET, "/api/v1/webhooks/\(id)/deliveries?limit=200")
        #expect(r.status == .ok)
        return (r["items"] as? [[String: Any]]) ?? []
    }

    /// Opens a deal on a fresh overlap account as the host seller; answers its id.
    func openDeal(title: String = "Webhook deal") async throws -> String {
        let (partnership, account) = try await freshAccount(self)
        let r = try await call(
            .POST, "/api/v1/deals", token: Token.hostSeller,
            body: jsonString([
                "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                "title": title, "amount": ["amount": "120000.00", "currency": "EUR"],
            ]))
        #expect(r.status == .created)
        return try #require(r.path("deal", "id") as? String)
    }

    func rows(_ sql: String) async throws -> [any SQLRow] {
        try await (db as! any SQLDatabase).raw(SQLQueryString(sql)).all()
    }
}

func hostOrg(_ app: Application) async throws -> UUID {
    let me = try await app.call(.GET, "/api/v1/me")
    return try #require(
        ((me["person"] as? [String: Any])?["organization_id"] as? String).flatMap { UUID(uuidString: $0) })
}

func parseDate(_ s: String) -> Date? {
    let f = ISO8601DateFormatter()
    if let d = f.date(from: s) { return d }
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.date(from: s)
}
