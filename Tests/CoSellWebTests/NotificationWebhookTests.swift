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
}
