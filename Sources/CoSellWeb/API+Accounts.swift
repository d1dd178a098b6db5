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
                let id = try req.id("partnership_id", "partnership")
                let account = try await req.workflows.jointAccounts.add(to: id, by: p) {
                    let body = try APIJSON.decode(AddAccountRequest.self, from: req)
                    return .init(
                        name: body.name, domain: body.domain, country: body.country, industry: body.industry,
                        employees: body.employees, reason: body.reason, address: body.address)
                }
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
            APIOperation(
                .GET, "/api/v1/accounts/{account_id}/contacts", id: "listCustomerContacts",
                summary:
                    "The customer's people kept on a joint account: named on its deals (attendees, stakeholders, milestone owners)",
                tag: "accounts",
                response: .object([("items", .array(.ref("CustomerContact")))], required: ["items"])
            ) { req in
                let p = try await req.principal()
                let id = try req.id("account_id", "account")
                guard let a = try await req.store.jointAccount(id),
                    let ps = try await req.store.partnership(a.partnershipID), ps.includes(p.person.organizationID)
                else { throw Problem.notFound("account") }
                return try APIJSON.response(ContactList(items: try await req.store.customerContacts(of: a.id)))
            },
        ]
    }
}

/// The customer's people of a joint account.
struct ContactList: Encodable {
    var items: [CustomerContact]
}
