import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    // MARK: passwords and sessions

    public func setPassword(hash: String, for personID: UUID, at: Date) async throws {
        if let r = try await CredentialRecord.find(personID, on: db) {
            r.passwordHash = hash
            r.updatedAt = at
            try await r.update(on: db)
        } else {
            let r = CredentialRecord()
            r.id = personID
            r.passwordHash = hash
            r.updatedAt = at
            try await r.create(on: db)
        }
    }

    /// The person with this e-mail and their password hash, if they have one.
    public func credentials(email: String) async throws -> (Person, String)? {
        guard let p = try await PersonRecord.query(on: db).filter(\.$email == email.lowercased()).first(),
            let c = try await CredentialRecord.find(p.id!, on: db)
        else { return nil }
        return (p.domainValue, c.passwordHash)
    }

    public func createSession(tokenHash: String, personID: UUID, csrf: String, at: Date, expiresAt: Date) async throws {
        let r = SessionRecord()
        r.id = UUID()
        r.tokenHash = tokenHash
        r.personID = personID
        r.csrfToken = csrf
        r.createdAt = at
        r.expiresAt = expiresAt
        try await r.create(on: db)
    }

    /// The person behind a live session, and its CSRF token.
    public func session(tokenHash: String, at: Date) async throws -> (Person, csrf: String)? {
        guard let s = try await SessionRecord.query(on: db).filter(\.$tokenHash == tokenHash).first(), s.expiresAt > at,
            let p = try await PersonRecord.find(s.personID, on: db), p.deactivatedAt == nil
        else { return nil }
        return (p.domainValue, s.csrfToken)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await SessionRecord.query(on: db).filter(\.$tokenHash == tokenHash).delete()
    }

    // MARK: sign-in rate limiting

    public func recordSignInFailure(id: UUID = UUID(), email: String, address: String, at: Date) async throws {
        let r = SignInFailureRecord()
        r.id = id
        r.email = email.lowercased()
        r.address = address
        r.at = at
        try await r.create(on: db)
    }

    public func deleteSignInFailure(id: UUID) async throws {
        try await SignInFailureRecord.query(on: db).filter(\.$id == id).delete()
    }

    /// Failed sign-ins since `since`, for one account and for one address.
    public func signInFailures(email: String, address: String, since: Date) async throws -> (account: Int, address: Int)
    {
        let a = try await SignInFailureRecord.query(on: db).filter(\.$email == email.lowercased()).filter(\.$at > since)
            .count()
        let b = try await SignInFailureRecord.query(on: db).filter(\.$address == address).filter(\.$at > since).count()
        return (a, b)
    }
}
