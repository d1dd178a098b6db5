import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    public func insertToken(id: UUID, personID: UUID, name: String, hash: String, scope: String, at: Date) async throws
    {
        let r = APITokenRecord()
        r.id = id
        r.personID = personID
        r.name = name
        r.tokenHash = hash
        r.scope = scope
        r.createdAt = at
        try await r.create(on: db)
    }

    /// The person behind an unrevoked token, and the token's scope; records the time of use.
    public func person(forTokenHash hash: String, at: Date) async throws -> (Person, scope: String)? {
        try await tokenUse(hash: hash, at: at, request: nil, address: nil).map { ($0.person, $0.scope) }
    }

    /// A token's owner and scope, and whether this use was recorded (at most once a minute per token).
    /// A recorded use of a request (`request`, e.g. "GET /api/v1/deals") writes its `token_used` audit
    /// line in the same transaction as the time of use.
    public func tokenUse(
        hash: String, at: Date, request: String?, address: String?
    ) async throws -> (person: Person, scope: String, tokenID: UUID, name: String, recorded: Bool)? {
        guard let token = try await APITokenRecord.query(on: db).filter(\.$tokenHash == hash).first(),
            token.revokedAt == nil, let person = try await PersonRecord.find(token.personID, on: db),
            person.deactivatedAt == nil
        else { return nil }
        var recorded = false
        if token.lastUsedAt.map({ at.timeIntervalSince($0) > 60 }) ?? true {
            let p = person.domainValue
            let name = token.name
            let tokenID = try token.requireID()
            do {
                // Waiting for SQLite's writer only briefly: while an import held it, a request waited out
                // the busy timeout (a second) before it went on.
                try await transactionWaitingBriefly { tx in
                    // A query, not the model's update.
                    try await APITokenRecord.query(on: tx).filter(\.$id == tokenID).set(\.$lastUsedAt, to: at)
                        .update()
                    if let request {
                        try await CoSellStore(db: tx).audit(
                            AuditEvent(
                                organizationID: p.organizationID, actorID: p.id, actorName: p.name, kind: "token_used",
                                detail: "API token \"\(name)\" used: \(request)", address: address ?? "unknown", at: at)
                        )
                    }
                }
                recorded = true
            } catch  where isSQLiteWriteConflict(error) {
                // SQLite's writer is taken (a large import applying its rows): the request goes on,
                // and a later use records it instead.
            }
        }
        return (person.domainValue, token.scope, token.id!, token.name, recorded)
    }

    public func tokens(of personID: UUID) async throws -> [APITokenInfo] {
        try await APITokenRecord.query(on: db).filter(\.$personID == personID).sort(\.$createdAt).all().map {
            APITokenInfo(
                id: $0.id!, name: $0.name, scope: $0.scope, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt,
                revokedAt: $0.revokedAt)
        }
    }

    /// Revokes one of a person's tokens; false when they have no such token.
    public func revokeToken(_ id: UUID, of personID: UUID, at: Date) async throws -> Bool {
        guard let t = try await APITokenRecord.find(id, on: db), t.personID == personID else { return false }
        if t.revokedAt == nil {
            t.revokedAt = at
            try await t.update(on: db)
        }
        return true
    }
}
