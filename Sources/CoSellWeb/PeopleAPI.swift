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
        /// The secret of the invitation's link (shown once), for the admin to hand over when no mail
        /// went, or when it was lost.
        var acceptToken: String
        /// The page the person opens to join: `/join/` and the secret.
        var acceptPath: String
        /// Whether the link was mailed to the person (the server sends mail).
        var mailed: Bool
    }

    struct PasswordResetRequestBody: Decodable {
        var email: String
    }

    struct PasswordResetBody: Decodable {
        var token: String
        var password: String
    }

    struct PasswordResetRequested: Encodable {
        var detail: String
    }

    /// What every reset request hears, whether or not a person has the address.
    static let resetRequestedText =
        "If a person of cosell has that e-mail, a link to choose a new password is on its way. It works for one hour."

    /// Refused when the server sends no mail: there is no other way to hand a reset link over.
    static func requireMail(_ req: Request) throws {
        guard req.application.mailStatus.configured else {
            throw Problem(
                .conflict, type: "mail-not-configured", title: "Mail is not configured",
                detail:
                    "This server sends no mail, so a password cannot be reset by mail. An admin can set a password with `cosell user password`.",
                field: nil)
        }
    }

    struct RoleBody: Decodable {
        var role: Role
    }

    struct AcceptBody: Decodable {
        var token: String
        var password: String
    }

    /// People of an organization: invitations, accepting one, roles, deactivation.
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
                let mailed = req.application.mailStatus.configured
                let path = SiteRoute.join(secret).href
                let inv = try await req.workflows.people.invite(
                    into: org, by: p, tokenHash: APITokens.hash(secret), mailPath: mailed ? path : nil
                ) {
                    let b = try APIJSON.decode(InviteBody.self, from: req)
                    return .init(email: b.email, name: b.name, role: b.role)
                }
                return try APIJSON.response(
                    InvitationView(invitation: inv, acceptToken: secret, acceptPath: path, mailed: mailed),
                    status: .created)
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
                .POST, "/api/v1/password-resets", id: "requestPasswordReset",
                summary:
                    "Ask for a password reset link by mail (202 whether or not a person has the e-mail; 409 when the server sends no mail)",
                tag: "people",
                body: .object([("email", .string(minLength: 1, maxLength: 200))], required: ["email"]),
                status: 202, response: .object([("detail", .string())], required: ["detail"]), authenticated: false
            ) { req in
                let b = try APIJSON.decode(PasswordResetRequestBody.self, from: req)
                try requireMail(req)
                let secret = APITokens.generate()
                try await req.workflows.security.requestPasswordReset(
                    email: b.email, tokenHash: APITokens.hash(secret), path: SiteRoute.passwordReset(secret).href,
                    from: req.clientAddress)
                return try APIJSON.response(PasswordResetRequested(detail: resetRequestedText), status: .accepted)
            },
            APIOperation(
                .POST, "/api/v1/password-resets/use", id: "usePasswordReset",
                summary: "Choose a new password with a reset link's token; ends the person's sessions",
                tag: "people",
                body: .object(
                    [
                        ("token", .string(minLength: 1, maxLength: 200)),
                        ("password", .string(minLength: 12, maxLength: 200)),
                    ], required: ["token", "password"]),
                response: .ref("Person"), authenticated: false
            ) { req in
                let b = try APIJSON.decode(PasswordResetBody.self, from: req)
                do {
                    let person = try await req.workflows.security.resetPassword(
                        tokenHash: APITokens.hash(b.token), password: b.password, from: req.clientAddress
                    ) { try await req.hashPassword($0) }
                    return try APIJSON.response(person)
                } catch WorkflowError.notFound {
                    throw Problem(
                        .notFound, type: "not-found", title: "Not found",
                        detail: "The reset link is unknown, used or expired: ask for a new one.", field: "token")
                }
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
            APIOperation(
                .PUT, "/api/v1/people/{person_id}/role", id: "changePersonRole",
                summary:
                    "Change the role of a person of your organization (admins); 409 for a deactivated person or the last active admin",
                tag: "people",
                body: .object([("role", APISchemas.role)], required: ["role"]),
                response: .ref("Person")
            ) { req in
                let p = try await req.principal()
                // A malformed person id is a person nobody has: "not found", like another organization's.
                let id = (try? req.id("person_id", "person")) ?? UUID()
                let target = try await req.workflows.people.changeRole(id, by: p) {
                    try APIJSON.decode(RoleBody.self, from: req).role
                }
                return try APIJSON.response(target)
            },
        ]
    }
}
