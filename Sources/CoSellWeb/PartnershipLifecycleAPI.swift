import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

extension SecurityAPI {
    struct PartnershipInviteBody: Decodable {
        var name: String
        var partnerDomain: String
    }

    /// A partnership's lifecycle: invite another organization, accept, end.
    static func partnershipLifecycleOperations() -> [APIOperation] {
        [
            APIOperation(
                .POST, "/api/v1/partnerships", id: "invitePartnership",
                summary: "Invite another organization (by its domain) to a partnership; it exists once they accept",
                tag: "partnerships",
                body: .object(
                    [("name", .name), ("partner_domain", .string(minLength: 3, maxLength: 253))],
                    required: ["name", "partner_domain"]),
                status: 201, response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                let ps = try await req.workflows.partnerships.invite(by: p) {
                    let b = try APIJSON.decode(PartnershipInviteBody.self, from: req)
                    return .init(name: b.name, partnerDomain: b.partnerDomain)
                }
                return try APIJSON.response(ps, status: .created)
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/acceptance", id: "acceptPartnership",
                summary: "Accept a partnership your organization was invited to (admins)", tag: "partnerships",
                response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                return try APIJSON.response(try await req.workflows.partnerships.accept(id, by: p))
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/ending", id: "endPartnership",
                summary: "End the partnership (admins of either side): sharing stops and open joint deals end",
                tag: "partnerships", body: APISchemas.reason, response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let ended = try await req.workflows.partnerships.end(id, by: p) {
                    try APIJSON.decode(ReasonRequest.self, from: req).reason
                }
                return try APIJSON.response(ended)
            },
        ]
    }
}
