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

/// Outgoing webhooks: private addresses refused at subscription and at delivery.
extension WebhookTests {
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
}
