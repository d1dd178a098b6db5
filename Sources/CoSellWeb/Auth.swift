import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// API tokens: random secrets shown once, stored as SHA-256 hashes.
public enum APITokens {
    public static let prefix = "cosell_"

    public static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return prefix
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

struct PrincipalKey: StorageKey { typealias Value = Principal }

struct FactsCacheKey: StorageKey { typealias Value = FactsCache }

/// Builds the store a request reads and writes through; set by the composition root, which owns
/// the database (the web layer never opens one itself).
public struct StoreFactoryKey: StorageKey {
    public typealias Value = @Sendable (Request) -> CoSellStore
}

extension Application {
    /// The server's cache of parsed deal facts (see `FactsCache`); nil reads them from the database
    /// on every request.
    public var factsCache: FactsCache? {
        get { storage[FactsCacheKey.self] }
        set { storage[FactsCacheKey.self] = newValue }
    }
}

extension Request {
    /// The request's store (see `StoreFactoryKey`).
    var store: CoSellStore {
        guard let make = application.storage[StoreFactoryKey.self] else {
            fatalError("No store: the composition root (CoSellApp.configure) sets StoreFactoryKey.")
        }
        return make(self)
    }

    /// The product's verbs over the request's store.
    var workflows: Workflows { Workflows(store: FluentWorkflowStore(store)) }

    /// The authenticated person, or 401: by bearer token, or by session cookie (then every unsafe
    /// request must carry the session's CSRF token in `X-CSRF-Token`).
    func principal() async throws -> Principal {
        if let p = storage[PrincipalKey.self] { return p }
        let now = Date()
        if let bearer = headers.bearerAuthorization {
            guard bearer.token.count < 200,
                let use = try await store.tokenUse(
                    hash: APITokens.hash(bearer.token), at: now, request: "\(method.rawValue) \(url.path)",
                    address: clientAddress)
            else {
                throw Problem(
                    .unauthorized, type: "unauthenticated", title: "Authentication required",
                    detail: "The API token is unknown or revoked.")
            }
            let p = Principal(
                person: use.person, scope: TokenScope(rawValue: use.scope) ?? .read, address: clientAddress)
            storage[PrincipalKey.self] = p
            return p
        }
        if let cookie = cookies[SecuritySettings.sessionCookie]?.string, !cookie.isEmpty, cookie.count < 200,
            let (person, csrf) = try await store.session(tokenHash: APITokens.hash(cookie), at: now)
        {
            if ![.GET, .HEAD, .OPTIONS].contains(method) {
                guard let sent = headers.first(name: "X-CSRF-Token"), sent == csrf else {
                    throw Problem(
                        .forbidden, type: "csrf", title: "Missing CSRF token",
                        detail: "Send the session's csrf_token in the X-CSRF-Token header with every change.")
                }
            }
            let p = Principal(person: person, scope: .readWrite, address: clientAddress)
            storage[PrincipalKey.self] = p
            return p
        }
        throw Problem(
            .unauthorized, type: "unauthenticated", title: "Authentication required",
            detail: "Send an API token as `Authorization: Bearer <token>`, or sign in.")
    }

    /// The authenticated person, who must hold a token that may write and a role that may write.
    func writer() async throws -> Principal {
        let p = try await principal()
        try p.requireWrite()
        return p
    }

    /// A UUID path parameter; a malformed one answers 404 like an unknown one.
    func id(_ name: String, _ what: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw Problem.notFound(what) }
        return id
    }
}
