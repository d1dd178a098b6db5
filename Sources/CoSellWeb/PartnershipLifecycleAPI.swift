import CoSellDomain
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
                let p = try await req.writer()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins start partnerships.") }
                let b = try APIJSON.decode(PartnershipInviteBody.self, from: req)
                let name = b.name.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.count <= 200 else {
                    throw Problem.invalid("name", "name must be 1 to 200 characters.")
                }
                guard
                    let other = try await req.store.organization(
                        domain: b.partnerDomain.trimmingCharacters(in: .whitespaces)),
                    other.id != p.person.organizationID
                else {
                    throw Problem.invalid("partner_domain", "No other organization on this server uses that domain.")
                }
                let existing = try await req.store.partnerships(of: p.person.organizationID)
                if existing.contains(where: { $0.includes(other.id) && $0.status != .ended }) {
                    throw Problem.conflict("A partnership with that organization exists or is pending already.")
                }
                var ps = Partnership(
                    id: UUID(), name: name, organizationIDs: [p.person.organizationID, other.id], status: .pending,
                    createdAt: Date())
                ps.invitedBy = p.person.organizationID
                try await req.store.insert(ps)
                for org in ps.organizationIDs {
                    await req.audit(
                        "partnership_invited", "\(p.person.name) invited \(other.name) to the partnership \"\(name)\".",
                        organizationID: org, actor: p.person)
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
