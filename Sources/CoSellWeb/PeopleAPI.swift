import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension SecurityAPI {
    struct InviteBody: Decodable {
        var email: String
        var name: String
        var role: Role
    }

    struct InvitationView: Encodable {
        var invitation: Invitation
        /// The secret link to send to the person (shown once; no mail server is configured).
        var acceptToken: String
    }

    struct AcceptBody: Decodable {
        var token: String
        var password: String
    }

    /// People of an organization: invitations, accepting one, deactivation.
    static func peopleOperations() -> [APIOperation] {
        [
            APIOperation(
                .POST, "/api/v1/organizations/{organization_id}/invitations", id: "invitePerson",
                summary: "Invite a person of your organization (admins); returns the secret accept token",
                tag: "people",
                body: .object(
                    [("email", .string(minLength: 3, maxLength: 200)), ("name", .name), ("role", APISchemas.role)],
                    required: ["email", "name", "role"]),
                status: 201, response: .ref("Invitation")
            ) { req in
                let p = try await req.principal()
                let org = try req.id("organization_id", "organization")
                // The secret is shown once, here; the store keeps its hash.
                let secret = APITokens.generate()
                let inv = try await req.workflows.people.invite(into: org, by: p, tokenHash: APITokens.hash(secret)) {
                    let b = try APIJSON.decode(InviteBody.self, from: req)
                    return .init(email: b.email, name: b.name, role: b.role)
                }
                return try APIJSON.response(InvitationView(invitation: inv, acceptToken: secret), status: .created)
            },
            APIOperation(
                .POST, "/api/v1/invitations/accept", id: "acceptInvitation",
                summary: "Accept an invitation: choose a password and become a person of the organization",
                tag: "people",
                body: .object(
                    [
                        ("token", .string(minLength: 1, maxLength: 200)),
                        ("password", .string(minLength: 12, maxLength: 200)),
                    ], required: ["token", "password"]),
                status: 201, response: .ref("Person"), authenticated: false
            ) { req in
                let b = try APIJSON.decode(AcceptBody.self, from: req)
                let person: Person
                do {
                    person = try await req.workflows.people.acceptInvitation(
                        tokenHash: APITokens.hash(b.token), password: b.password, from: req.clientAddress
                    ) { try await req.hashPassword($0) }
                } catch WorkflowError.notFound {
                    throw Problem(
                        .notFound, type: "not-found", title: "Not found",
                        detail: "The invitation is unknown, used or expired.", field: "token")
                }
                return try APIJSON.response(person, status: .created)
            },
            APIOperation(
                .POST, "/api/v1/organizations/{organization_id}/people/{person_id}/deactivation",
                id: "deactivatePerson",
                summary: "Deactivate a person of your organization (admins): no more sign-ins, tokens or sessions",
                tag: "people",
                response: .ref("Person")
            ) { req in
                let p = try await req.principal()
                let org = try req.id("organization_id", "organization")
                // A malformed person id is a person nobody has: "not found", after the other checks.
                let id = (try? req.id("person_id", "person")) ?? UUID()
                let target = try await req.workflows.people.deactivate(id, in: org, by: p)
                return try APIJSON.response(target)
            },
        ]
    }
}
