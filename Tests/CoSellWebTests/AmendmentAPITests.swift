import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

/// After completion, a correction of the outcome is an amendment with a reason, kept on the
/// timeline and in both companies' audit logs; the deal's amount follows it.
@Suite("Amending a completed deal's outcome")
struct AmendmentAPITests {
    @Test(
        "an admin amends the final amount with a reason; a seller may not; an open deal is not amended",
        arguments: TestDatabase.all)
    func amend(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let store = CoSellStore(db: app.db)
            let all = try await store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 500)).items
            let done = try #require(all.first { $0.completedAt != nil && $0.evidence.close.outcome?.result == .won })
            let outcome = try #require(done.evidence.close.outcome)
            let path = "/api/v1/deals/\(done.id.uuidString)/amendments"
            let currency = outcome.finalAmount.currency.code
            let body = jsonString([
                "final_amount": ["amount": "310000", "currency": currency],
                "reason": "The signed order form says 310,000; the CRM had the quote.",
            ])
            let seller = try await app.call(.POST, path, token: Token.hostSeller, body: body)
            #expect(seller.status == .forbidden)
            let noReason = try await app.call(
                .POST, path, token: Token.hostAdmin,
                body: jsonString(["final_amount": ["amount": "310000", "currency": currency], "reason": ""]))
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason["field"] as? String == "reason")
            let ok = try await app.call(.POST, path, token: Token.hostAdmin, body: body)
            #expect(ok.status == .ok)
            let after = try #require(try await store.deal(done.id))
            let money = try Money(amount: "310000", currency: outcome.finalAmount.currency)
            #expect(after.evidence.close.outcome?.finalAmount == money)
            #expect(after.amount == money)
            #expect(after.evidence.close.amendments.count == 1)
            #expect(after.evidence.close.amendments.first?.before == outcome)
            #expect(try await store.timeline(of: done.id).last?.kind == "outcome_amended")
            for org in [done.hostOrganizationID, done.partnerOrganizationID] {
                let log = try await store.auditEvents(of: org, limit: 20, offset: 0).items
                #expect(log.contains { $0.kind == "outcome_amended" && $0.detail.contains("310,000") })
            }
            // The same values again change nothing, and say so.
            let same = try await app.call(.POST, path, token: Token.hostAdmin, body: body)
            #expect(same.status == .unprocessableEntity)
            let open = try #require(all.first { $0.status == .open })
            let refused = try await app.call(
                .POST, "/api/v1/deals/\(open.id.uuidString)/amendments", token: Token.hostAdmin, body: body)
            #expect(refused.status == .conflict)
        }
    }
}
