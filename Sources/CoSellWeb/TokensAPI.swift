import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension SecurityAPI {
    struct TokenBody: Decodable {
        var name: String
        var scope: TokenScope
    }

    struct NewTokenView: Encodable {
        var token: String
        var info: APITokenInfo
    }

    /// Personal API tokens: list, create, revoke.
    static func tokenOperations() -> [APIOperation] {
        [
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
        ]
    }
}
