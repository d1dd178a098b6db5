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
                // The secret is shown once, here; the store keeps its hash.
                let secret = APITokens.generate()
                let info = try await req.workflows.security.createToken(by: p, hash: APITokens.hash(secret)) {
                    let b = try APIJSON.decode(TokenBody.self, from: req)
                    return .init(name: b.name, scope: b.scope)
                }
                return try APIJSON.response(NewTokenView(token: secret, info: info), status: .created)
            },
            APIOperation(
                .DELETE, "/api/v1/tokens/{token_id}", id: "revokeToken", summary: "Revoke one of your API tokens",
                tag: "people",
                response: .object([("done", .boolean)], required: ["done"])
            ) { req in
                let p = try await req.principal()
                let id = try req.id("token_id", "token")
                try await req.workflows.security.revokeToken(id, by: p)
                return try APIJSON.response(Done(done: true))
            },
        ]
    }
}
