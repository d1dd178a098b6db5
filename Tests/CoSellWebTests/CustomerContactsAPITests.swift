import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

/// The customer's people kept on the joint account: listed by the API for both companies, offered
/// on the deal page.
@Suite("Customer contacts API")
struct CustomerContactsAPITests {
    @Test(
        "the demo's meeting attendees are contacts of their accounts, listed for both companies and offered on the page"
    )
    func listed() async throws {
        try await withTestApp(.sqlite) { app in
            let deals = try await app.call(.GET, "/api/v1/deals?limit=200", token: Token.hostAdmin)
            let items = try #require(deals["items"] as? [[String: Any]])
            var checked = 0
            for item in items {
                let id = try #require((item["deal"] as? [String: Any])?["id"] as? String ?? item["id"] as? String)
                let deal = try await app.call(.GET, "/api/v1/deals/\(id)", token: Token.hostAdmin)
                let attendees =
                    (deal.path("deal", "evidence", "door_opener", "first_meeting", "attendees") as? [[String: Any]])
                    ?? []
                let customer = attendees.filter { $0["party"] as? String == "customer" }.compactMap {
                    $0["name"] as? String
                }
                guard !customer.isEmpty,
                    let account = deal.path("deal", "joint_account_id") as? String
                else { continue }
                for token in [Token.hostAdmin, Token.partnerAdmin] {
                    let r = try await app.call(.GET, "/api/v1/accounts/\(account)/contacts", token: token)
                    #expect(r.status == .ok)
                    let names = ((r["items"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                    #expect(Set(customer).isSubset(of: Set(names)), "\(customer) in \(names)")
                }
                let c = PageClient(app)
                _ = try await c.signIn(People.hostAdmin)
                let page = try await c.get("/deals/\(id)")
                for name in customer { #expect(page.html.contains("<option value=\"\(name)\">")) }
                checked += 1
                if checked == 2 { break }
            }
            #expect(checked == 2, "the demo has deals whose first meeting names the customer's people")
            let unknown = try await app.call(
                .GET, "/api/v1/accounts/\(UUID().uuidString)/contacts", token: Token.hostAdmin)
            #expect(unknown.status == .notFound)
        }
    }
}
