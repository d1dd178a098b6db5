import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// Security settings of the running server.
public struct SecuritySettings: Sendable {
    /// bcrypt cost for new password hashes (12 in production; tests use less).
    public var bcryptCost: Int
    /// Mark the session cookie `Secure` (set when cosell is served over HTTPS).
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// Failed sign-ins allowed per account and per address in `failureWindow`.
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerAddress: Int
    public var failureWindow: TimeInterval
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    public var trustForwardedFor = false
    /// Let webhooks go to loopback, private, link-local and unique-local addresses (and plain http to
    /// this machine): off in production, on in the tests, whose receiver listens on 127.0.0.1.
    public var allowPrivateWebhookAddresses = false

    public init(
        bcryptCost: Int = 12, secureCookies: Bool = false, sessionLifetime: TimeInterval = 14 * 86_400,
        maxFailuresPerAccount: Int = 5, maxFailuresPerAddress: Int = 20, failureWindow: TimeInterval = 15 * 60
    ) {
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.failureWindow = failureWindow
    }

    public static let minimumPasswordLength = 12
    public static let sessionCookie = "cosell_session"
}

struct SecuritySettingsKey: StorageKey { typealias Value = SecuritySettings }

extension Application {
    public var security: SecuritySettings {
        get { storage[SecuritySettingsKey.self] ?? SecuritySettings() }
        set { storage[SecuritySettingsKey.self] = newValue }
    }
}

extension Request {
    /// The client's address, for rate limiting and the audit log. Behind a proxy that sets
    /// `X-Forwarded-For`, set `trustForwardedFor` so that the client's own address is used.
    var clientAddress: String {
        if application.security.trustForwardedFor, let forwarded = headers.first(name: "X-Forwarded-For"),
            let first = forwarded.split(separator: ",").first
        {
            let address = first.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty && address.count <= 64 { return address }
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }

    func audit(_ kind: String, _ detail: String, organizationID: UUID?, actor: Person?) async {
        let e = AuditEvent(
            organizationID: organizationID, actorID: actor?.id, actorName: actor?.name, kind: kind, detail: detail,
            address: clientAddress, at: Date())
        do { try await store.audit(e) } catch { logger.error("Could not write the audit log: \(error)") }
    }
}

/// Sign-in, sessions, tokens, invitations, the audit log and the partnership lifecycle.
enum SecurityAPI {
    struct SignInBody: Decodable {
        var email: String
        var password: String
    }

    struct SessionView: Encodable {
        var person: Person
        var csrfToken: String
        var expiresAt: Date
    }

    struct TokenBody: Decodable {
        var name: String
        var scope: TokenScope
    }

    struct NewTokenView: Encodable {
        var token: String
        var info: APITokenInfo
    }

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

    struct PartnershipInviteBody: Decodable {
        var name: String
        var partnerDomain: String
    }

    struct Done: Encodable { var done: Bool }

    static let person = Schema.ref("Person")

    static let components: [(String, Schema)] = [
        (
            "Session",
            .object(
                [("person", .ref("Person")), ("csrf_token", .string()), ("expires_at", .dateTime)],
                required: ["person", "csrf_token", "expires_at"])
        ),
        (
            "APIToken",
            .object(
                [
                    ("id", .uuid), ("name", .string()), ("scope", .enumeration(["read", "read_write"])),
                    ("created_at", .dateTime),
                    ("last_used_at", .dateTime), ("revoked_at", .dateTime),
                ], required: ["id", "name", "scope", "created_at"])
        ),
        (
            "AuditEvent",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("actor_id", .uuid), ("actor_name", .string()),
                    ("kind", .string()),
                    ("detail", .string()), ("address", .string()), ("at", .dateTime),
                ], required: ["id", "kind", "detail", "at"])
        ),
        (
            "Invitation",
            .object(
                [
                    (
                        "invitation",
                        .object(
                            [
                                ("id", .uuid), ("organization_id", .uuid), ("email", .string()), ("name", .string()),
                                ("role", APISchemas.role), ("invited_by", .uuid), ("created_at", .dateTime),
                                ("expires_at", .dateTime),
                                ("accepted_at", .dateTime),
                            ],
                            required: [
                                "id", "organization_id", "email", "name", "role", "invited_by", "created_at",
                                "expires_at",
                            ])
                    ),
                    ("accept_token", .string()),
                ], required: ["invitation", "accept_token"])
        ),
    ]

    static func operations() -> [APIOperation] {
        [
            APIOperation(
                .POST, "/api/v1/sessions", id: "signIn",
                summary: "Sign in with e-mail and password; sets the session cookie",
                tag: "people",
                body: .object(
                    [
                        ("email", .string(minLength: 3, maxLength: 200)),
                        ("password", .string(minLength: 1, maxLength: 200)),
                    ], required: ["email", "password"]),
                status: 201, response: .ref("Session"), authenticated: false
            ) { req in try await signIn(req) },
            APIOperation(
                .DELETE, "/api/v1/sessions/current", id: "signOut", summary: "Sign out: ends the session",
                tag: "people",
                response: .object([("done", .boolean)], required: ["done"])
            ) { req in
                _ = try await req.principal()
                if let cookie = req.cookies[SecuritySettings.sessionCookie]?.string {
                    try await req.store.deleteSession(tokenHash: APITokens.hash(cookie))
                }
                let r = try APIJSON.response(Done(done: true))
                r.cookies[SecuritySettings.sessionCookie] = HTTPCookies.Value(
                    string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                    isSecure: req.application.security.secureCookies,
                    isHTTPOnly: true, sameSite: .lax)
                return r
            },
            APIOperation(
                .GET, "/api/v1/tokens", id: "listTokens", summary: "Your API tokens (never the secrets)", tag: "people",
                response: .array(.ref("APIToken"))
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(try await req.store.tokens(of: p.person.id))
            },
            APIOperation(
                .POST, "/api/v1/tokens", id: "createToken",
                summary: "Create a personal API token; the secret is shown once",
                tag: "people",
                body: .object(
                    [("name", .name), ("scope", .enumeration(["read", "read_write"]))], required: ["name", "scope"]),
                status: 201,
                response: .object([("token", .string()), ("info", .ref("APIToken"))], required: ["token", "info"])
            ) { req in
                let p = try await req.principal()
                guard p.scope == .readWrite else { throw Problem.forbidden("A read-only token cannot create tokens.") }
                let b = try APIJSON.decode(TokenBody.self, from: req)
                let name = b.name.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.count <= 200 else {
                    throw Problem.invalid("name", "name must be 1 to 200 characters.")
                }
                let secret = APITokens.generate()
                let id = UUID()
                let now = Date()
                try await req.store.insertToken(
                    id: id, personID: p.person.id, name: name, hash: APITokens.hash(secret), scope: b.scope.rawValue,
                    at: now)
                await req.audit(
                    "token_created", "\(p.person.name) created the API token \"\(name)\" (\(b.scope.rawValue)).",
                    organizationID: p.person.organizationID, actor: p.person)
                let info = APITokenInfo(
                    id: id, name: name, scope: b.scope.rawValue, createdAt: now, lastUsedAt: nil, revokedAt: nil)
                return try APIJSON.response(NewTokenView(token: secret, info: info), status: .created)
            },
            APIOperation(
                .DELETE, "/api/v1/tokens/{token_id}", id: "revokeToken", summary: "Revoke one of your API tokens",
                tag: "people",
                response: .object([("done", .boolean)], required: ["done"])
            ) { req in
                let p = try await req.principal()
                let id = try req.id("token_id", "token")
                guard try await req.store.revokeToken(id, of: p.person.id, at: Date()) else {
                    throw Problem.notFound("token")
                }
                await req.audit(
                    "token_revoked", "\(p.person.name) revoked an API token.", organizationID: p.person.organizationID,
                    actor: p.person)
                return try APIJSON.response(Done(done: true))
            },
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
            APIOperation(
                .GET, "/api/v1/audit", id: "listAuditEvents",
                summary: "Your organization's audit log, newest first (admins)",
                tag: "people", query: [API.limitParam, API.offsetParam], response: APISchemas.list("AuditEvent")
            ) { req in
                let p = try await req.principal()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins read the audit log.") }
                let (limit, offset) = try API.paging(req)
                let page = try await req.store.auditEvents(of: p.person.organizationID, limit: limit, offset: offset)
                return try APIJSON.response(
                    ListView(items: page.items, total: page.total, limit: limit, offset: offset))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/audit.csv", id: "exportAuditEvents", summary: "The audit log as CSV (admins)",
                    tag: "people",
                    response: .string()
                ) { req in
                    let p = try await req.principal()
                    guard p.person.role == .admin else { throw Problem.forbidden("Only admins read the audit log.") }
                    var csv = "at,kind,actor,detail,address\n"
                    var offset = 0
                    while true {
                        let page = try await req.store.auditEvents(
                            of: p.person.organizationID, limit: 500, offset: offset)
                        for e in page.items {
                            let fields = [
                                ISO8601DateFormatter().string(from: e.at), e.kind, e.actorName ?? "", e.detail,
                                e.address ?? "",
                            ]
                            csv += fields.map(csvField).joined(separator: ",") + "\n"
                        }
                        offset += page.items.count
                        if page.items.isEmpty || offset >= page.total { break }
                    }
                    return APIOperation.csvResponse(csv, name: "audit")
                }),
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

    static func csvField(_ s: String) -> String {
        var v = s
        // A cell starting with a formula character is neutralised for spreadsheets.
        if let f = v.first, "=+-@".contains(f) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= SecuritySettings.minimumPasswordLength else {
            throw Problem.invalid(
                "password", "The password must be at least \(SecuritySettings.minimumPasswordLength) characters.")
        }
        guard password.count <= 200 else {
            throw Problem.invalid("password", "The password must be at most 200 characters.")
        }
    }

    static func hashPassword(_ password: String, _ req: Request) async throws -> String {
        let cost = req.application.security.bcryptCost
        return try await req.application.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    static func signIn(_ req: Request) async throws -> Response {
        let b = try APIJSON.decode(SignInBody.self, from: req)
        let (view, cookie) = try await startSession(req, email: b.email, password: b.password)
        let r = try APIJSON.response(view, status: .created)
        r.cookies[SecuritySettings.sessionCookie] = cookie
        return r
    }

    /// Checks the password (with the failure limits) and opens a session: the one sign-in for the API
    /// and the sign-in page.
    static func startSession(
        _ req: Request, email rawEmail: String, password: String
    ) async throws -> (SessionView, HTTPCookies.Value) {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let settings = req.application.security
        let now = Date()
        let failures = try await req.store.signInFailures(
            email: email, address: req.clientAddress, since: now.addingTimeInterval(-settings.failureWindow))
        if failures.account >= settings.maxFailuresPerAccount || failures.address >= settings.maxFailuresPerAddress {
            let r = Problem(
                .tooManyRequests, type: "rate-limited", title: "Too many failed sign-ins",
                detail: "Too many failed sign-ins; wait \(Int(settings.failureWindow / 60)) minutes and try again.")
            throw r
        }
        let found = try await req.store.credentials(email: email)
        var ok = false
        if let (person, hash) = found, person.deactivatedAt == nil {
            ok =
                (try? await req.application.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) })
                ?? false
        }
        guard ok, let (person, _) = found else {
            try await req.store.recordSignInFailure(email: email, address: req.clientAddress, at: now)
            let org = try await req.store.person(email: email)?.organizationID
            await req.audit("sign_in_failed", "Failed sign-in for \(email).", organizationID: org, actor: nil)
            throw Problem(
                .unauthorized, type: "sign-in-failed", title: "Sign-in failed",
                detail: "The e-mail or the password is wrong.")
        }
        let secret = APITokens.generate()
        let csrf = APITokens.generate()
        let expires = now.addingTimeInterval(settings.sessionLifetime)
        try await req.store.createSession(
            tokenHash: APITokens.hash(secret), personID: person.id, csrf: csrf, at: now, expiresAt: expires)
        await req.audit("sign_in", "\(person.name) signed in.", organizationID: person.organizationID, actor: person)
        let cookie = HTTPCookies.Value(
            string: secret, expires: expires, maxAge: Int(settings.sessionLifetime), path: "/",
            isSecure: settings.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
        return (SessionView(person: person, csrfToken: csrf, expiresAt: expires), cookie)
    }
}
