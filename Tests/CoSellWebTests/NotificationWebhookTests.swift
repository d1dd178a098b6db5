import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

/// What people are told also goes to their organization's webhooks (Slack), and only to theirs.
@Suite("Notifications on webhooks")
struct NotificationWebhookTests {
    @Test("a new deal raises deal.action_waiting for Halyard Security only")
    func actionWaitingGoesToTheOrganizationItConcerns() async throws {
        try await withTestApp(.sqlite) { app in
            let partner = try await app.subscribe(
                "https://hooks.example.com/halyard", events: [.dealActionWaiting], format: "slack",
                token: Token.partnerAdmin)
            let host = try await app.subscribe(
                "https://hooks.example.com/quarry", events: [.dealActionWaiting], token: Token.hostAdmin)
            _ = try await app.openDeal(title: "Told deal")
            let partnerID = try #require(partner["id"] as? String)
            let r = try await app.call(
                .GET, "/api/v1/webhooks/\(partnerID)/deliveries?limit=200", token: Token.partnerAdmin)
            #expect(r.status == .ok)
            let theirs = (r["items"] as? [[String: Any]]) ?? []
            #expect(!theirs.isEmpty)
            #expect(theirs.allSatisfy { $0["event_kind"] as? String == "deal.action_waiting" })
            // Quarry Data's seller opened it: nothing waits on another Quarry Data person yet.
            #expect(try await app.deliveries(try #require(host["id"] as? String)).isEmpty)
        }
    }

    @Test(
        "the sweep raises deal.action_overdue once per action, to the organization whose people it waits on",
        arguments: TestDatabase.all)
    func overdueGoesToWebhooksOnce(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let partner = try await app.subscribe(
                "https://hooks.example.com/halyard", events: [.dealActionOverdue], format: "slack",
                token: Token.partnerAdmin)
            let partnerID = try #require(partner["id"] as? String)
            // Thirty days on, the demo's open deals have actions past their due dates.
            let later = Date().addingTimeInterval(30 * 86_400)
            #expect(try await MailWorker.sweep(app, now: later) > 0)
            func deliveries() async throws -> [[String: Any]] {
                let r = try await app.call(
                    .GET, "/api/v1/webhooks/\(partnerID)/deliveries?limit=200", token: Token.partnerAdmin)
                #expect(r.status == .ok)
                return (r["items"] as? [[String: Any]]) ?? []
            }
            let first = try await deliveries()
            #expect(!first.isEmpty)
            #expect(first.allSatisfy { $0["event_kind"] as? String == "deal.action_overdue" })
            let stored = try await app.rows(
                "SELECT body FROM webhook_deliveries WHERE event_kind = 'deal.action_overdue'")
            let texts = try stored.map { try $0.decode(column: "body", as: String.self) }
            #expect(texts.allSatisfy { $0.contains("overdue since") && $0.contains("waits on") }, "\(texts.prefix(2))")
            // A second sweep (another instance, or the next round) tells nothing again.
            _ = try await MailWorker.sweep(app, now: later.addingTimeInterval(60))
            #expect(try await deliveries().count == first.count)
        }
    }
}
