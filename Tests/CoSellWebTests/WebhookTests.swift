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

@Suite("Outgoing webhooks")
struct WebhookTests {
    @Test("admins manage subscriptions; the secret shows once; bad input names the field", arguments: TestDatabase.all)
    func subscriptions(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let created = try await app.subscribe(
                "https://hooks.example.com/cosell", events: [.dealCreated, .dealClosed])
            let id = try #require(created["id"] as? String)
            let secret = try #require(created["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && secret.count == 70)
            #expect(created["events"] as? [String] == ["deal.created", "deal.closed"])
            #expect(created["active"] as? Bool == true)

            var r = try await app.call(.GET, "/api/v1/webhooks/\(id)")
            #expect(r.status == .ok)
            #expect(r["secret"] == nil)
            #expect(r["url"] as? String == "https://hooks.example.com/cosell")
            r = try await app.call(.GET, "/api/v1/webhooks")
            #expect((r.json as? [[String: Any]])?.count == 1)

            r = try await app.call(.PATCH, "/api/v1/webhooks/\(id)", body: #"{"active": false}"#)
            #expect(r.status == .ok)
            #expect(r["active"] as? Bool == false)
            r = try await app.call(.POST, "/api/v1/webhooks/\(id)/secret")
            #expect(r.status == .ok)
            let rotated = try #require(r["secret"] as? String)
            #expect(rotated != secret && rotated.hasPrefix("whsec_"))

            // Bad input: a 422 problem naming the field.
            for (body, field) in [
                (#"{"url": "http://hooks.example.com/x", "events": ["deal.created"]}"#, "url"),
                (#"{"url": "https://hooks.example.com/x", "events": ["deal.exploded"]}"#, "events[0]"),
                (#"{"url": "https://hooks.example.com/x", "events": []}"#, "events"),
                (#"{"url": "https://hooks.example.com/x", "events": ["deal.created"], "format": "xml"}"#, "format"),
                (#"{"events": ["deal.created"]}"#, "url"),
            ] {
                r = try await app.call(.POST, "/api/v1/webhooks", body: body)
                #expect(r.status == .unprocessableEntity, "\(body)")
                #expect(r.contentType.hasPrefix("application/problem+json"))
                #expect(r["field"] as? String == field, "\(body)")
            }
            r = try await app.call(.POST, "/api/v1/webhooks", body: "{not json")
            #expect(r.status == .badRequest)

            // Non-admins: 403; another organization's id and malformed ids: 404.
            r = try await app.call(.GET, "/api/v1/webhooks", token: Token.hostSeller)
            #expect(r.status == .forbidden)
            r = try await app.call(.GET, "/api/v1/webhooks/\(id)", token: Token.hostSeller)
            #expect(r.status == .forbidden)
            r = try await app.call(.GET, "/api/v1/webhooks/\(id)", token: Token.partnerAdmin)
            #expect(r.status == .notFound)
            r = try await app.call(.DELETE, "/api/v1/webhooks/\(id)", token: Token.partnerAdmin)
            #expect(r.status == .notFound)
            r = try await app.call(.GET, "/api/v1/webhooks/not-a-uuid")
            #expect(r.status == .notFound)
            #expect(r.contentType.hasPrefix("application/problem+json"))

            r = try await app.call(.DELETE, "/api/v1/webhooks/\(id)")
            #expect(r.status == .ok)
            r = try await app.call(.GET, "/api/v1/webhooks/\(id)")
            #expect(r.status == .notFound)
        }
    }

    @Test("a new deal is delivered, signed so that the receiver can verify it", arguments: TestDatabase.all)
    func signedDelivery(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver { receiver in
                let sub = try await app.subscribe(receiver.url, events: [.dealCreated])
                let secret = try #require(sub["secret"] as? String)
                let dealID = try await app.openDeal(title: "Signed deal")
                let sent = try await WebhookWorker.deliverDue(app)
                #expect(sent == 1)
                let hits = receiver.all
                #expect(hits.count == 1)
                let hit = try #require(hits.first)
                #expect(hit.headers.first(name: "Cosell-Event") == "deal.created")
                let signature = try #require(hit.headers.first(name: "Cosell-Signature"))
                let parts = Dictionary(
                    uniqueKeysWithValues: signature.split(separator: ",").map {
                        let kv = $0.split(separator: "=", maxSplits: 1)
                        return (String(kv[0]), String(kv[1]))
                    })
                let t = try #require(parts["t"].flatMap { Int($0) })
                #expect(abs(Double(t) - Date().timeIntervalSince1970) < 60)
                // Recompute the HMAC over "<t>.<raw body>" with the secret, independently of the sender.
                let mac = HMAC<SHA256>.authenticationCode(
                    for: Data("\(t).\(hit.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(parts["v1"] == mac.map { String(format: "%02x", $0) }.joined())

                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(hit.body.utf8)) as? [String: Any])
                #expect(json["kind"] as? String == "deal.created")
                #expect((json["deal"] as? [String: Any])?["id"] as? String == dealID)
                #expect((json["deal"] as? [String: Any])?["title"] as? String == "Signed deal")
                #expect((json["links"] as? [String: Any])?["api"] as? String == "/api/v1/deals/\(dealID)")

                let log = try await app.deliveries(try #require(sub["id"] as? String))
                #expect(log.count == 1)
                #expect(log[0]["status"] as? String == "delivered")
                #expect(log[0]["last_status_code"] as? Int == 200)
                #expect(log[0]["attempts"] as? Int == 1)
                #expect(hit.headers.first(name: "Cosell-Delivery") == log[0]["id"] as? String)
            }
        }
    }

    @Test("the signature matches a vector computed with Python's hmac module")
    func signatureVector() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1764000000.{\"a\":1}", hashlib.sha256).hexdigest())'
        #expect(
            WebhookSignature.value(secret: "whsec_test", timestamp: 1_764_000_000, body: #"{"a":1}"#)
                == "t=1764000000,v1=c862972147a4361237a5bcb4f74195e2e5d448641115622fe658a65985c5ae8c")
    }

    @Test("a refused advance queues deal.gate_refused; the refusal still answers 422", arguments: TestDatabase.all)
    func gateRefused(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let sub = try await app.subscribe("https://hooks.example.com/x", events: [.dealGateRefused])
            let dealID = try await app.openDeal()
            let r = try await app.call(.POST, "/api/v1/deals/\(dealID)/advance", token: Token.hostSeller)
            #expect(r.status == .unprocessableEntity)
            let log = try await app.deliveries(try #require(sub["id"] as? String))
            #expect(log.map { $0["event_kind"] as? String } == ["deal.gate_refused"])
            #expect(log.first?["deal_id"] as? String == dealID)
            #expect(log.first?["status"] as? String == "pending")
        }
    }

    @Test("a 500 is retried with backoff, then delivered", arguments: TestDatabase.all)
    func retries(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver(script: [.internalServerError, .serviceUnavailable]) { receiver in
                let sub = try await app.subscribe(receiver.url, events: [.dealCreated])
                let subID = try #require(sub["id"] as? String)
                _ = try await app.openDeal()
                let t0 = Date().addingTimeInterval(1)
                #expect(try await WebhookWorker.deliverDue(app, now: t0) == 1)
                var log = try await app.deliveries(subID)
                #expect(log[0]["status"] as? String == "pending")
                #expect(log[0]["attempts"] as? Int == 1)
                #expect(log[0]["last_status_code"] as? Int == 500)
                let next = try #require((log[0]["next_attempt_at"] as? String).flatMap(parseDate))
                #expect(abs(next.timeIntervalSince(t0) - 30) < 1.5)
                // Not due yet.
                #expect(try await WebhookWorker.deliverDue(app, now: t0.addingTimeInterval(20)) == 0)
                #expect(try await WebhookWorker.deliverDue(app, now: t0.addingTimeInterval(31)) == 1)
                log = try await app.deliveries(subID)
                #expect(log[0]["last_status_code"] as? Int == 503)
                let next2 = try #require((log[0]["next_attempt_at"] as? String).flatMap(parseDate))
                #expect(abs(next2.timeIntervalSince(t0.addingTimeInterval(31)) - 120) < 1.5)
                #expect(try await WebhookWorker.deliverDue(app, now: t0.addingTimeInterval(152)) == 1)
                log = try await app.deliveries(subID)
                #expect(log[0]["status"] as? String == "delivered")
                #expect(log[0]["attempts"] as? Int == 3)
                #expect(log[0]["last_status_code"] as? Int == 200)
                let ids = Set(receiver.all.compactMap { $0.headers.first(name: "Cosell-Delivery") })
                #expect(receiver.all.count == 3 && ids.count == 1)
            }
        }
    }

    @Test(
        "without COSELL_WEBHOOK_ALLOW_PRIVATE, private addresses are refused at subscription (422 url) and at delivery",
        arguments: TestDatabase.all)
    func privateAddresses(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver { receiver in
                // Subscriptions made while allowed (the test composition), to the loopback receiver: by
                // its literal address and by the name localhost.
                let literal = try await app.subscribe(receiver.url, events: [.dealCreated])
                let named = try await app.subscribe(
                    receiver.url.replacingOccurrences(of: "127.0.0.1", with: "localhost"), events: [.dealCreated])
                app.security.allowPrivateWebhookAddresses = false

                for url in [
                    "http://127.0.0.1:9/x", "https://localhost/x", "https://10.0.0.7/x", "https://169.254.169.254/x",
                    "https://[fd00::1]/x", "https://[::ffff:192.168.0.1]/x", "https://2130706433/x",
                ] {
                    let r = try await app.call(
                        .POST, "/api/v1/webhooks", body: jsonString(["url": url, "events": ["deal.created"]]))
                    #expect(r.status == .unprocessableEntity, "\(url)")
                    #expect(r["field"] as? String == "url", "\(url)")
                    #expect(r.contentType.hasPrefix("application/problem+json"))
                }
                let literalID = try #require(literal["id"] as? String)
                let patched = try await app.call(
                    .PATCH, "/api/v1/webhooks/\(literalID)", body: jsonString(["url": "https://192.168.1.1/in"]))
                #expect(patched.status == .unprocessableEntity && patched["field"] as? String == "url")
                let fine = try await app.call(
                    .POST, "/api/v1/webhooks",
                    body: jsonString(["url": "https://hooks.example.com/in", "events": ["deal.created"]]))
                #expect(fine.status == .created)
                // (Deleted again: the test sends nothing to the internet.)
                let fineID = try #require(fine["id"] as? String)
                #expect(try await app.call(.DELETE, "/api/v1/webhooks/\(fineID)").status == .ok)

                // Deliveries already queued to those addresses are not sent: they fail at once, with the reason.
                _ = try await app.openDeal(title: "Never sent inside")
                let namedID = try #require(named["id"] as? String)
                _ = try await WebhookWorker.deliverDue(app, now: Date().addingTimeInterval(1))
                #expect(receiver.all.isEmpty)
                for (id, host) in [(literalID, "127.0.0.1"), (namedID, "localhost")] {
                    let log = try await app.deliveries(id)
                    #expect(log.count == 1)
                    #expect(log.first?["status"] as? String == "failed", "\(host)")
                    #expect(log.first?["attempts"] as? Int == 1)
                    let error = try #require(log.first?["last_error"] as? String)
                    #expect(error.hasPrefix("Refused: \(host) "), "\(error)")
                }

                // Allowed again (as in the tests and a development machine): a redelivery arrives.
                app.security.allowPrivateWebhookAddresses = true
                let deliveryID = try #require(try await app.deliveries(literalID).first?["id"] as? String)
                let again = try await app.call(
                    .POST, "/api/v1/webhooks/\(literalID)/deliveries/\(deliveryID)/redeliver")
                #expect(again.status == .ok)
                _ = try await WebhookWorker.deliverDue(app, now: Date().addingTimeInterval(2))
                #expect(receiver.all.count == 1)
            }
        }
    }

    @Test("the resolver check refuses a name whose addresses are not public")
    func resolvedNames() async throws {
        let pool = NIOThreadPool.singleton
        // A name is judged by every address it resolves to: one inside is enough to refuse it.
        let records: [String: [[UInt8]]] = [
            "hooks.partner.example": [[93, 184, 216, 34]],
            "rebind.partner.example": [[93, 184, 216, 34], [10, 0, 0, 5]],
            "v6.partner.example": [[0xFD] + Array(repeating: 0, count: 14) + [1]],
        ]
        let lookup: @Sendable (String) throws -> [[UInt8]] = { records[$0] ?? [] }
        #expect(
            try await WebhookWorker.refusedAddress(host: "hooks.partner.example", pool: pool, resolver: lookup) == nil)
        #expect(
            try await WebhookWorker.refusedAddress(host: "rebind.partner.example", pool: pool, resolver: lookup)
                == "rebind.partner.example resolves to 10.0.0.5, a private address.")
        #expect(
            try await WebhookWorker.refusedAddress(host: "v6.partner.example", pool: pool, resolver: lookup)
                == "v6.partner.example resolves to fd00:0:0:0:0:0:0:1, a unique local address.")
        // The system resolver: localhost is loopback, and numeric forms read as inet_aton reads them.
        #expect(
            try WebhookWorker.resolve("localhost").contains([127, 0, 0, 1])
                || (try WebhookWorker.resolve("localhost")).contains(Array(repeating: 0, count: 15) + [1]))
        #expect(try WebhookWorker.resolve("2130706433") == [[127, 0, 0, 1]])
        #expect(
            try await WebhookWorker.refusedAddress(host: "localhost", pool: pool)?.hasPrefix(
                "localhost is this machine") == true)
        #expect(
            try await WebhookWorker.refusedAddress(host: "2130706433", pool: pool)
                == "2130706433 is a loopback address.")
    }

    @Test("after the last attempt a delivery fails; redeliver queues it again", arguments: TestDatabase.all)
    func failsAfterMaxAttempts(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver(script: Array(repeating: .internalServerError, count: 3)) { receiver in
                let sub = try await app.subscribe(receiver.url, events: [.dealCreated])
                let subID = try #require(sub["id"] as? String)
                _ = try await app.openDeal()
                let settings = WebhookWorkerSettings(maxAttempts: 3)
                var now = Date().addingTimeInterval(1)
                for _ in 0..<3 {
                    #expect(try await WebhookWorker.deliverDue(app, settings: settings, now: now) == 1)
                    now = now.addingTimeInterval(7 * 3_600)
                }
                #expect(try await WebhookWorker.deliverDue(app, settings: settings, now: now) == 0)
                var log = try await app.deliveries(subID)
                #expect(log[0]["status"] as? String == "failed")
                #expect(log[0]["attempts"] as? Int == 3)
                let failed = try await app.call(.GET, "/api/v1/webhooks/\(subID)/deliveries?status=failed")
                #expect((failed["items"] as? [Any])?.count == 1)
                let bad = try await app.call(.GET, "/api/v1/webhooks/\(subID)/deliveries?status=lost")
                #expect(bad.status == .unprocessableEntity && bad["field"] as? String == "status")

                let deliveryID = try #require(log[0]["id"] as? String)
                var r = try await app.call(.POST, "/api/v1/webhooks/\(subID)/deliveries/\(deliveryID)/redeliver")
                #expect(r.status == .ok)
                #expect(r["status"] as? String == "pending")
                #expect(r["attempts"] as? Int == 0)
                // A queued delivery cannot be redelivered twice.
                r = try await app.call(.POST, "/api/v1/webhooks/\(subID)/deliveries/\(deliveryID)/redeliver")
                #expect(r.status == .conflict)
                #expect(try await WebhookWorker.deliverDue(app, settings: settings, now: now) == 1)
                log = try await app.deliveries(subID)
                #expect(log[0]["status"] as? String == "delivered")
                #expect(receiver.all.count == 4)
            }
        }
    }

    @Test("a paused subscription gets nothing; queued deliveries wait until it resumes", arguments: TestDatabase.all)
    func paused(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver { receiver in
                let sub = try await app.subscribe(receiver.url, events: [.dealCreated])
                let subID = try #require(sub["id"] as? String)
                _ = try await app.openDeal(title: "Queued before the pause")
                var r = try await app.call(.PATCH, "/api/v1/webhooks/\(subID)", body: #"{"active": false}"#)
                #expect(r.status == .ok)
                _ = try await app.openDeal(title: "Opened while paused")
                #expect(try await app.deliveries(subID).count == 1)
                #expect(try await WebhookWorker.deliverDue(app, now: Date().addingTimeInterval(1)) == 0)
                #expect(receiver.all.isEmpty)
                r = try await app.call(.PATCH, "/api/v1/webhooks/\(subID)", body: #"{"active": true}"#)
                #expect(try await WebhookWorker.deliverDue(app, now: Date().addingTimeInterval(1)) == 1)
                #expect(receiver.all.count == 1)
                #expect(receiver.all[0].body.contains("Queued before the pause"))
            }
        }
    }

    @Test("a claim that expired (a worker died while sending) is taken again", arguments: TestDatabase.all)
    func expiredClaim(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver { receiver in
                let sub = try await app.subscribe(receiver.url, events: [.dealCreated])
                _ = try await app.openDeal()
                let t0 = Date().addingTimeInterval(1)
                let dead = try await app.store.claimDueDeliveries(token: "dead-worker", now: t0, lease: 60, limit: 10)
                #expect(dead.count == 1)
                #expect(try await WebhookWorker.deliverDue(app, now: t0.addingTimeInterval(30)) == 0)
                #expect(try await WebhookWorker.deliverDue(app, now: t0.addingTimeInterval(61)) == 1)
                // The dead worker's late answer no longer counts.
                #expect(
                    try await app.store.finishDelivery(
                        dead[0], now: t0.addingTimeInterval(62), success: false, statusCode: 500, error: nil,
                        retryAfter: 30) == false)
                let log = try await app.deliveries(try #require(sub["id"] as? String))
                #expect(log[0]["status"] as? String == "delivered")
                #expect(log[0]["attempts"] as? Int == 2)
                #expect(receiver.all.count == 1)
            }
        }
    }

    @Test("stalls are emitted once per episode, weekly reviews once per week", arguments: TestDatabase.all)
    func sweep(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let sub = try await app.subscribe(
                "https://hooks.example.com/x", events: [.dealStalled, .reviewWeeklyReady])
            let subID = try #require(sub["id"] as? String)
            let now = Date()
            // Stalled demo deals, by the same pure rule the worker uses, over the whole documents
            // (the worker reads the stored facts).
            var stalled = 0
            for d in try await app.store.reportDeals(visibleTo: try await hostOrg(app)) where d.isInPlay {
                let pb = try #require(try await app.store.playbook(d.playbookID, version: d.playbookVersion))
                if DealDiagnostics.stall(of: d, playbook: pb, now: now).stalled { stalled += 1 }
            }
            #expect(stalled > 0)
            let partnerships = try await app.store.partnerships(of: try await hostOrg(app)).filter {
                $0.status == .active
            }
            let first = try await WebhookWorker.sweep(app, now: now)
            var log = try await app.deliveries(subID)
            #expect(log.filter { $0["event_kind"] as? String == "deal.stalled" }.count == stalled)
            #expect(log.filter { $0["event_kind"] as? String == "review.weekly_ready" }.count == partnerships.count)
            #expect(first >= log.count)
            // Nothing new on the next sweep. A week later more deals have stalled, but none of the
            // earlier episodes repeats; and the next week's review comes.
            #expect(try await WebhookWorker.sweep(app, now: now.addingTimeInterval(60)) == 0)
            _ = try await WebhookWorker.sweep(app, now: now.addingTimeInterval(7 * 86_400))
            log = try await app.deliveries(subID)
            let stalledDeals = log.filter { $0["event_kind"] as? String == "deal.stalled" }.compactMap {
                $0["deal_id"] as? String
            }
            #expect(stalledDeals.count >= stalled)
            #expect(Set(stalledDeals).count == stalledDeals.count)
            #expect(
                log.filter { $0["event_kind"] as? String == "review.weekly_ready" }.count == 2 * partnerships.count)
        }
    }

    @Test("slack subscriptions get one readable line", arguments: TestDatabase.all)
    func slack(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver { receiver in
                _ = try await app.subscribe(receiver.url, events: [.dealCreated], format: "slack")
                let dealID = try await app.openDeal(title: "Slack deal")
                #expect(try await WebhookWorker.deliverDue(app) == 1)
                let hit = try #require(receiver.all.first)
                let body = try #require(
                    try JSONSerialization.jsonObject(with: Data(hit.body.utf8)) as? [String: String])
                #expect(body.keys.sorted() == ["text"])
                #expect(body["text"]?.hasPrefix("[deal.created] Slack deal (") == true)
                #expect(body["text"]?.hasSuffix("/deals/\(dealID)") == true)
            }
        }
    }

    @Test("two instances on one PostgreSQL database deliver every event exactly once")
    func noDoubleSend() async throws {
        guard let url = ProcessInfo.processInfo.environment["COSELL_TEST_POSTGRES_URL"], !url.isEmpty else { return }
        try await withTestApp(.postgres(url)) { app in
            // A receiver that takes 30 ms per request, so that the two workers' rounds overlap.
            try await withReceiver(delay: 30_000_000) { receiver in
                // An event kind the sweep does not raise, so that the count is exactly the queued ones.
                let sub = try await app.subscribe(receiver.url, events: [.dealRegistered])
                let org = try await hostOrg(app)
                let payloads = (0..<50).map { i in
                    WebhookPayload(
                        id: UUID(), kind: .dealRegistered, occurredAt: Date(), organizationID: org,
                        summary: "Event \(i)", links: [:])
                }
                let queued = try await EventOutbox.enqueue(payloads, dealID: nil, at: Date(), on: app.db)
                #expect(queued == 50)

                let second = try await Application.make(.testing)
                do {
                    let dbURL = try #require(CurrentDatabase.url(of: app))
                    try CoSellApp.configure(
                        second, CoSellConfig(database: .postgres(dbURL), loadDemo: false, security: testSecurity))
                    let settings = WebhookWorkerSettings(interval: 0.02, batchSize: 3)
                    let a = WebhookWorker.start(app, settings: settings)
                    let b = WebhookWorker.start(second, settings: settings)
                    let deadline = Date().addingTimeInterval(60)
                    while Date() < deadline {
                        let left = try await app.rows(
                            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status <> 'delivered'")
                        if try left[0].decode(column: "n", as: Int.self) == 0 { break }
                        try await Task.sleep(nanoseconds: 50_000_000)
                    }
                    await a.stop()
                    await b.stop()
                } catch {
                    try? await second.asyncShutdown()
                    throw error
                }
                try await second.asyncShutdown()

                let ids = receiver.all.compactMap { $0.headers.first(name: "Cosell-Delivery") }
                #expect(ids.count == 50)
                #expect(Set(ids).count == 50)
                let log = try await app.deliveries(try #require(sub["id"] as? String))
                #expect(log.count == 50)
                #expect(log.allSatisfy { $0["status"] as? String == "delivered" && $0["attempts"] as? Int == 1 })
                #expect(Set(log.compactMap { $0["id"] as? String }) == Set(ids))
                // Both instances took part: the last claimant of each row is kept.
                let workers = try await app.rows("SELECT DISTINCT claimed_by FROM webhook_deliveries").map {
                    try $0.decode(column: "claimed_by", as: String.self).split(separator: ":")[0]
                }
                #expect(Set(workers).count == 2)
            }
        }
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
