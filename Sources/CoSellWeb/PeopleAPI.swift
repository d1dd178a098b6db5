import CoSellDomain
import CoSellPersistence
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
                let org = try MappingAPI.ownOrganization(req, p)
                try p.requireWrite()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins invite people.") }
                let b = try APIJSON.decode(InviteBody.self, from: req)
                let email = b.email.trimmingCharacters(in: .whitespaces).lowercased()
                guard email.count <= 200, email.split(separator: "@").count == 2, !email.hasPrefix("@"),
                    !email.hasSuffix("@")
                else {
                    throw Problem.invalid("email", "email must be an e-mail address.")
                }
                let name = b.name.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.count <= 200 else {
                    throw Problem.invalid("name", "name must be 1 to 200 characters.")
                }
                if try await req.store.person(email: email) != nil {
                    throw Problem.conflict("A person with that e-mail already exists.")
                }
                let secret = APITokens.generate()
                let now = Date()
                let inv = Invitation(
                    id: UUID(), organizationID: org, email: email, name: name, role: b.role, invitedBy: p.person.id,
                    createdAt: now,
                    expiresAt: now.addingTimeInterval(7 * 86_400), acceptedAt: nil)
                try await req.store.createInvitation(inv, tokenHash: APITokens.hash(secret))
                await req.audit(
                    "person_invited", "\(p.person.name) invited \(email) as \(b.role.rawValue).", organizationID: org,
                    actor: p.person)
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
                try checkPassword(b.password)
                let hash = try await hashPassword(b.password, req)
                let person: Person
                do {
                    person = try await req.store.acceptInvitation(
                        tokenHash: APITokens.hash(b.token), passwordHash: hash, at: Date())
                } catch StoreError.notFound {
                    throw Problem(
                        .notFound, type: "not-found", title: "Not found",
                        detail: "The invitation is unknown, used or expired.", field: "token")
                }
                await req.audit(
                    "person_joined", "\(person.name) accepted the invitation.", organizationID: person.organizationID,
                    actor: person)
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
                let org = try MappingAPI.ownOrganization(req, p)
                try p.requireWrite()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins deactivate people.") }
                let id = try req.id("person_id", "person")
                guard var target = try await req.store.person(id), target.organizationID == org else {
                    throw Problem.notFound("person")
                }
                guard target.id != p.person.id else { throw Problem.conflict("You cannot deactivate yourself.") }
                let now = Date()
                try await req.store.deactivate(id, at: now)
                target.deactivatedAt = now
                await req.audit(
                    "person_deactivated", "\(p.person.name) deactivated \(target.email).", organizationID: org,
                    actor: p.person)
                return try APIJSON.response(target)
            },
        ]
    }
}
