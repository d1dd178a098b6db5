import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

extension SecurityAPI {
    struct PartnerInviteBody: Decodable {
        var partnerDomain: String
        var email: String
        var name: String?
    }

    struct PartnerInvitationView: Encodable {
        var id: UUID
        var partnerDomain: String
        var email: String
        var partnershipName: String
        /// The pending partnership, when the invited company is on the server already.
        var partnershipId: UUID?
        var expiresAt: Date
        /// The link's path, only when the server sends no mail (hand it over yourself); a mailed
        /// link goes to the invited person alone.
        var acceptPath: String?
        var mailed: Bool
    }

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
                summary:
                    "Accept a partnership your organization was invited to (admins); matching the two companies' accounts starts at once, in the background",
                tag: "partnerships", response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let accepted = try await req.workflows.partnerships.accept(id, by: p)
                req.startMatching(accepted.id, by: p)
                return try APIJSON.response(accepted)
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/refusal", id: "declinePartnership",
                summary: "Decline a partnership your organization was invited to (admins): it ends",
                tag: "partnerships",
                response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                return try APIJSON.response(try await req.workflows.partnerships.decline(id, by: p))
            },
            APIOperation(
                .POST, "/api/v1/partner-invitations", id: "invitePartnerCompany",
                summary:
                    "Invite a company by its domain and a person's e-mail there (admins): the pending partnership exists at once when the company is on this server; otherwise the link lets the person set it up",
                tag: "partnerships",
                body: .object(
                    [
                        ("partner_domain", .string(minLength: 3, maxLength: 253)),
                        ("email", .string(minLength: 3, maxLength: 200)), ("name", .string(maxLength: 200)),
                    ],
                    required: ["partner_domain", "email"]),
                status: 201, response: .ref("PartnerInvitation")
            ) { req in
                let p = try await req.principal()
                let secret = APITokens.generate()
                let mailed = req.application.mailStatus.configured
                let path = SiteRoute.partnerInvitation(secret).href
                let sent = try await req.workflows.partnerships.invitePartner(
                    by: p, tokenHash: APITokens.hash(secret), mailPath: mailed ? path : nil
                ) {
                    let b = try APIJSON.decode(PartnerInviteBody.self, from: req)
                    return .init(name: b.name ?? "", partnerDomain: b.partnerDomain, email: b.email)
                }
                return try APIJSON.response(
                    PartnerInvitationView(
                        id: sent.invitation.id, partnerDomain: sent.invitation.partnerDomain,
                        email: sent.invitation.email, partnershipName: sent.invitation.partnershipName,
                        partnershipId: sent.partnership?.id, expiresAt: sent.invitation.expiresAt,
                        acceptPath: mailed ? nil : path, mailed: mailed), status: .created)
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
