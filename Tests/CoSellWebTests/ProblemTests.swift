import CoSellApp
import CoSellDomain
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

@Suite("Bad input answers problem+json naming the field")
struct ProblemTests {
    @Test(arguments: TestDatabase.all)
    func badInput(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let base: [String: Any] = [
                "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString, "title": "T",
            ]
            func expectProblem(_ r: Answer, _ status: HTTPStatus, field: String?, _ comment: Comment) {
                #expect(r.status == status, comment)
                #expect(r.contentType.hasPrefix("application/problem+json"), comment)
                #expect(r["status"] as? Int == Int(status.code), comment)
                if let field { #expect(r["field"] as? String == field, comment) }
            }
            expectProblem(try await app.call(.GET, "/api/v1/deals", token: nil), .unauthorized, field: nil, "no token")
            expectProblem(
                try await app.call(.GET, "/api/v1/deals", token: "cosell_nope"), .unauthorized, field: nil,
                "unknown token")
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: "{not json"), .badRequest, field: "body",
                "malformed JSON")
            expectProblem(try await app.call(.POST, "/api/v1/deals", body: nil), .badRequest, field: "body", "no body")
            var wrongType = base
            wrongType["title"] = 42
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(wrongType)), .unprocessableEntity,
                field: "title", "wrong type")
            var missing = base
            missing.removeValue(forKey: "title")
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(missing)), .unprocessableEntity,
                field: "title", "missing field")
            var currency = base
            currency["amount"] = ["amount": "10.00", "currency": "EURO"]
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(currency)), .unprocessableEntity,
                field: "amount.currency", "bad currency")
            var decimals = base
            decimals["amount"] = ["amount": "10.001", "currency": "EUR"]
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(decimals)), .unprocessableEntity,
                field: "amount.amount", "too many decimals")
            var negative = base
            negative["amount"] = ["amount": "-5", "currency": "EUR"]
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(negative)), .unprocessableEntity,
                field: "amount.amount", "negative amount")
            var date = base
            date["expected_close_date"] = "2027-02-30"
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(date)), .unprocessableEntity,
                field: "expected_close_date", "impossible date")
            var unknown = base
            unknown["joint_account_id"] = UUID().uuidString
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(unknown)), .notFound,
                field: "joint_account_id", "unknown account")
            var notUUID = base
            notUUID["partnership_id"] = "abc"
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(notUUID)), .unprocessableEntity,
                field: "partnership_id", "not a UUID")
            expectProblem(
                try await app.call(.GET, "/api/v1/deals/\(UUID().uuidString)"), .notFound, field: nil, "unknown deal")
            expectProblem(try await app.call(.GET, "/api/v1/deals/not-a-uuid"), .notFound, field: nil, "malformed id")
            expectProblem(
                try await app.call(.GET, "/api/v1/deals?limit=0"), .unprocessableEntity, field: "limit",
                "limit out of range")
            expectProblem(
                try await app.call(.GET, "/api/v1/deals?status=sleeping"), .unprocessableEntity, field: "status",
                "unknown status")
            let huge = String(repeating: "x", count: 1_100_000)
            expectProblem(
                try await app.call(.POST, "/api/v1/deals", body: jsonString(["title": huge])), .payloadTooLarge,
                field: "body", "oversized body")
            expectProblem(
                try await app.call(
                    .POST, "/api/v1/deals", body: jsonString(base), headers: ["Content-Type": "text/plain"]),
                .unsupportedMediaType,
                field: "body", "wrong media type")
            // Nothing was created by any of the refused requests.
            let deals = try await app.call(.GET, "/api/v1/deals?partnership_id=\(partnership.id.uuidString)&limit=200")
            let titles = ((deals["items"] as? [[String: Any]]) ?? []).compactMap {
                ($0["deal"] as? [String: Any])?["title"] as? String
            }
            #expect(!titles.contains("T"))
        }
    }

    @Test("an organization outside the deal sees 404, never the deal", arguments: TestDatabase.all)
    func unrelatedOrganization(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let org = Organization(id: UUID(), name: "Outsider", domain: "outsider.example", createdAt: Date())
            try await app.store.insert(org)
            let person = Person(
                id: UUID(), organizationID: org.id, name: "Olive", email: "olive@outsider.example", role: .admin)
            try await app.store.insert(person, at: Date())
            try await app.store.insertToken(
                id: UUID(), personID: person.id, name: "t", hash: APITokens.hash("cosell_outsider"),
                scope: "read_write", at: Date())
            let mine = try await app.call(.GET, "/api/v1/deals")
            let someDeal = try #require(
                ((mine["items"] as? [[String: Any]])?.first?["deal"] as? [String: Any])?["id"] as? String)
            let list = try await app.call(.GET, "/api/v1/deals", token: "cosell_outsider")
            #expect(list["total"] as? Int == 0)
            for path in [
                "/api/v1/deals/\(someDeal)", "/api/v1/deals/\(someDeal)/timeline",
                "/api/v1/deals/\(someDeal)/diagnosis",
            ] {
                let r = try await app.call(.GET, path, token: "cosell_outsider")
                #expect(r.status == .notFound, "\(path)")
            }
            let write = try await app.call(.POST, "/api/v1/deals/\(someDeal)/commitment", token: "cosell_outsider")
            #expect(write.status == .notFound)
            let partnerships = try await app.call(.GET, "/api/v1/partnerships", token: "cosell_outsider")
            #expect((partnerships.json as? [Any])?.isEmpty == true)
        }
    }
}
