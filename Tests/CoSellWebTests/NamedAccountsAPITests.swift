import CoSellApp
import CoSellDomain
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

/// `GET`/`PUT /api/v1/partnerships/{id}/named-accounts` on the demo workspace.
@Suite("Named accounts API")
struct NamedAccountsAPITests {
    static let pm = "cosell_demo_host_partner_manager"
    static let partnerPM = "cosell_demo_partner_partner_manager"

    struct Demo {
        var partnership: String
        var path: String
        var priya: String
        var liam: String
        var accounts: [String]
    }

    static func demo(_ app: Application) async throws -> Demo {
        let ps = try #require(
            ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
        let priya = try #require(
            (try await app.call(.GET, "/api/v1/me", token: Token.hostSeller)).path("person", "id") as? String)
        let org = try #require((try await app.call(.GET, "/api/v1/me")).path("organization", "id") as? String)
        let list = try await app.call(.GET, "/api/v1/organizations/\(org)/people?limit=200")
        let people = try #require((list.json as? [[String: Any]]) ?? (list["items"] as? [[String: Any]]))
        let liam = try #require(people.first { $0["name"] as? String == "Liam O'Connor" }?["id"] as? String)
        let accounts = try #require(
            (try await app.call(.GET, "/api/v1/partnerships/\(ps)/accounts?limit=200"))["items"] as? [[String: Any]]
        ).compactMap { $0["id"] as? String }
        return Demo(
            partnership: ps, path: "/api/v1/partnerships/\(ps)/named-accounts", priya: priya, liam: liam,
            accounts: accounts)
    }

    static func body(_ entries: [(String, String)]) -> String {
        let list = entries.map { ["person_id": $0.0, "account_id": $0.1] }
        let data = try! JSONSerialization.data(withJSONObject: ["named_accounts": list])
        return String(decoding: data, as: UTF8.self)
    }

    static func expectProblem(_ r: Answer, _ status: HTTPStatus, field: String?, _ comment: Comment) {
        #expect(r.status == status, comment)
        #expect(r.contentType.hasPrefix("application/problem+json"), comment)
        if let field { #expect(r["field"] as? String == field, comment) }
    }

    static func yours(_ r: Answer) -> [[String: Any]] { (r.path("yours", "named_accounts") as? [[String: Any]]) ?? [] }

    @Test("the demo names three accounts per account executive of both companies", arguments: TestDatabase.all)
    func demoList(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let d = try await Self.demo(app)
            let host = try await app.call(.GET, d.path)
            #expect(host.status == .ok)
            #expect(host["named_accounts_per_seller"] as? Int == 3)
            #expect(host.path("yours", "organization_name") as? String == "Quarry Data")
            let rows = Self.yours(host)
            #expect(rows.count == 6)
            #expect(Set(rows.compactMap { $0["person_name"] as? String }) == ["Priya Natarajan", "Liam O'Connor"])
            let states = Set(rows.compactMap { ($0["progress"] as? [String: Any])?["state"] as? String })
            #expect(states.contains("no_deal"))
            #expect(states.contains("open") || states.contains("stalled"))
            #expect(host.path("theirs", "organization_name") as? String == "Halyard Security")
            let partner = try await app.call(.GET, d.path, token: Token.partnerAdmin)
            #expect(Self.yours(partner).count == 6)
            #expect(
                Set(Self.yours(partner).compactMap { $0["person_name"] as? String }) == ["Aisha Bello", "Jonas Weber"])
        }
    }

    @Test(
        "three per account executive; a fourth is refused with the limit named, nothing changes",
        arguments: TestDatabase.all)
    func limitOfThree(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let d = try await Self.demo(app)
            let three = d.accounts.prefix(3).map { (d.priya, $0) }
            let set = try await app.call(.PUT, d.path, token: Self.pm, body: Self.body(three))
            #expect(set.status == .ok)
            #expect(Self.yours(set).count == 3)
            #expect(Self.yours(set).allSatisfy { $0["person_id"] as? String == d.priya })
            // Halyard Security's list is its own.
            #expect(Self.yours(try await app.call(.GET, d.path, token: Token.partnerAdmin)).count == 6)

            let four = d.accounts.prefix(4).map { (d.priya, $0) }
            let refused = try await app.call(.PUT, d.path, token: Self.pm, body: Self.body(four))
            Self.expectProblem(refused, .unprocessableEntity, field: "named_accounts[3].person_id", "a fourth")
            #expect(
                (refused["detail"] as? String)?.contains(
                    "at most 3 named accounts per account executive in this partnership; Priya Natarajan has 4") == true
            )
            #expect(Self.yours(try await app.call(.GET, d.path)).count == 3)
        }
    }

    @Test("the plan's named_accounts_per_seller: 1 to 10, default 3, sets the limit", arguments: TestDatabase.all)
    func planSetting(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let d = try await Self.demo(app)
            let ps = try await app.call(.GET, "/api/v1/partnerships/\(d.partnership)")
            var plan = try #require(ps["plan"] as? [String: Any])
            #expect(plan["named_accounts_per_seller"] as? Int == 3)
            for bad in [0, 11] {
                plan["named_accounts_per_seller"] = bad
                let r = try await app.call(
                    .PUT, "/api/v1/partnerships/\(d.partnership)/plan", body: jsonString(plan))
                Self.expectProblem(r, .unprocessableEntity, field: "named_accounts_per_seller", "limit \(bad)")
            }
            plan["named_accounts_per_seller"] = 4
            let ok = try await app.call(.PUT, "/api/v1/partnerships/\(d.partnership)/plan", body: jsonString(plan))
            #expect(ok.status == .ok)
            #expect(ok.path("plan", "named_accounts_per_seller") as? Int == 4)
            let four = d.accounts.prefix(4).map { (d.priya, $0) }
            let set = try await app.call(.PUT, d.path, token: Self.pm, body: Self.body(four))
            #expect(set.status == .ok)
            #expect(set["named_accounts_per_seller"] as? Int == 4)
            let five = d.accounts.prefix(5).map { (d.priya, $0) }
            let refused = try await app.call(.PUT, d.path, token: Self.pm, body: Self.body(five))
            Self.expectProblem(refused, .unprocessableEntity, field: "named_accounts[4].person_id", "a fifth")
        }
    }

    @Test("bad input names the field; roles as the rules say", arguments: TestDatabase.all)
    func badInputAndRoles(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let d = try await Self.demo(app)
            let before = Self.yours(try await app.call(.GET, d.path)).count
            Self.expectProblem(
                try await app.call(.PUT, d.path, token: Self.pm, body: nil), .badRequest, field: "body", "no body")
            Self.expectProblem(
                try await app.call(.PUT, d.path, token: Self.pm, body: "{}"), .unprocessableEntity,
                field: "named_accounts", "missing list")
            Self.expectProblem(
                try await app.call(
                    .PUT, d.path, token: Self.pm,
                    body: #"{"named_accounts": [{"person_id": "\#(d.priya)", "account_id": "nope"}]}"#),
                .unprocessableEntity, field: "named_accounts[0].account_id", "not a uuid")
            Self.expectProblem(
                try await app.call(
                    .PUT, d.path, token: Self.pm,
                    body: Self.body([(d.priya, d.accounts[0]), (d.priya, UUID().uuidString)])),
                .unprocessableEntity, field: "named_accounts[1].account_id", "unknown account")
            let hostPM = try #require(
                (try await app.call(.GET, "/api/v1/me", token: Self.pm)).path("person", "id") as? String)
            Self.expectProblem(
                try await app.call(.PUT, d.path, token: Self.pm, body: Self.body([(hostPM, d.accounts[0])])),
                .unprocessableEntity, field: "named_accounts[0].person_id", "not a seller")
            Self.expectProblem(
                try await app.call(
                    .PUT, d.path, token: Self.pm, body: Self.body([(d.priya, d.accounts[0]), (d.priya, d.accounts[0])])),
                .unprocessableEntity, field: "named_accounts[1].account_id", "twice")
            // A viewer reads but may not change; a seller sets only their own.
            #expect(try await app.call(.GET, d.path, token: Token.hostViewer).status == .ok)
            Self.expectProblem(
                try await app.call(.PUT, d.path, token: Token.hostViewer, body: Self.body([])), .forbidden, field: nil,
                "viewer")
            Self.expectProblem(
                try await app.call(.PUT, d.path, token: Token.hostSeller, body: Self.body([(d.liam, d.accounts[0])])),
                .forbidden, field: nil, "a seller for someone else")
            #expect(Self.yours(try await app.call(.GET, d.path)).count == before)
            let own = try await app.call(
                .PUT, d.path, token: Token.hostSeller, body: Self.body([(d.priya, d.accounts[5])]))
            #expect(own.status == .ok)
            let rows = Self.yours(own)
            #expect(rows.filter { $0["person_id"] as? String == d.priya }.count == 1)
            #expect(rows.filter { $0["person_id"] as? String == d.liam }.count == 3)
            // Another company: 404.
            let outsider = try await app.call(
                .GET, "/api/v1/partnerships/\(UUID().uuidString)/named-accounts", token: Self.pm)
            Self.expectProblem(outsider, .notFound, field: nil, "unknown partnership")
        }
    }
}
