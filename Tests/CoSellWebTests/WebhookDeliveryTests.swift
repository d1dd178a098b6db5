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

/// Outgoing webhooks: what the worker sends, signs, retries, gives up on, and takes over from a dead worker.
extension WebhookTests {
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
