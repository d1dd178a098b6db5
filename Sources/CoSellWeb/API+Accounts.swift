import CoSellDomain
import Foundation
import Vapor

extension API {
    /// A partnership's joint account list.
    static func accountOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/accounts", id: "listJointAccounts",
                summary: "The partnership's joint account list", tag: "accounts", query: [limitParam, offsetParam],
                response: APISchemas.list("JointAccount")
            ) { req in
                let p = try await req.principal()
                let partnership = try await visiblePartnership(req, p)
                let (limit, offset) = try paging(req)
                let page = try await req.store.jointAccounts(of: partnership.id, limit: limit, offset: offset)
                return try APIJSON.response(
                    ListView(items: page.items, total: page.total, limit: limit, offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/accounts", id: "addJointAccount",
                summary: "Add an account to the joint list by hand, with a reason", tag: "accounts",
                body: APISchemas.addAccount, status: 201, response: .ref("JointAccount")
            ) { req in
                let p = try await req.principal()
                let partnership = try await visiblePartnership(req, p)
                try p.requireWrite()
                guard partnership.status == .active else { throw Problem.conflict("The partnership has ended.") }
                let body = try APIJSON.decode(AddAccountRequest.self, from: req)
                let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !name.isEmpty, name.count <= 200 else {
                    throw Problem.invalid("name", "name must be 1 to 200 characters.")
                }
                let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
                guard reason.count >= 3, reason.count <= 10_000 else {
                    throw Problem.invalid("reason", "Say why the account is worth a joint deal (at least a few words).")
                }
                if let e = body.employees, !(0...10_000_000).contains(e) {
                    throw Problem.invalid("employees", "employees must be between 0 and 10,000,000.")
                }
                if let d = body.domain, d.count > 253 { throw Problem.invalid("domain", "domain is too long.") }
                if let c = body.country, c.count > 100 { throw Problem.invalid("country", "country is too long.") }
                if let i = body.industry, i.count > 200 { throw Problem.invalid("industry", "industry is too long.") }
                if let a = body.address {
                    for (key, value, limit) in [
                        ("line1", a.line1, 300), ("city", a.city, 200), ("state", a.state, 200),
                        ("postal_code", a.postalCode, 20),
                    ] where (value?.count ?? 0) > limit {
                        throw Problem.invalid("address.\(key)", "address.\(key) is longer than \(limit) characters.")
                    }
                }
                let account = JointAccount(
                    id: UUID(), partnershipID: partnership.id, name: name, domain: body.domain?.lowercased(),
                    country: body.country,
                    industry: body.industry, employees: body.employees, origin: .added, reason: reason, populations: [],
                    createdAt: Date(), address: body.address?.nonEmpty)
                try await req.store.insert(account)
                return try APIJSON.response(account, status: .created)
            },
            APIOperation(
                .GET, "/api/v1/accounts/{account_id}", id: "getJointAccount", summary: "One joint account",
                tag: "accounts",
                response: .ref("JointAccount")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("account_id", "account")
                guard let a = try await req.store.jointAccount(id),
                    let ps = try await req.store.partnership(a.partnershipID), ps.includes(p.person.organizationID)
                else { throw Problem.notFound("account") }
                return try APIJSON.response(a)
            },
        ]
    }
}
