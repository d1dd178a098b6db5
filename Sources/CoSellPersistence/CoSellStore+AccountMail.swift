import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// A mail about access claimed by one worker: sent on its own, to an address.
public struct ClaimedAccountMail: Sendable {
    public var id: UUID
    public var mail: AccountMail
    public var attempts: Int
    public var createdAt: Date
}

extension CoSellStore {
    // MARK: mail about access (invitations, password resets)

    public func queueAccountMail(_ mail: AccountMail, at: Date) async throws {
        try await sqlDB.raw(
            """
            INSERT INTO account_mails (id, kind, to_email, to_name, subject, body, path, footer, status, attempts, \
            send_after, created_at) VALUES (\(bind: UUID()), \(bind: mail.kind.rawValue), \(bind: mail.toEmail), \
            \(bind: mail.toName), \(bind: String(mail.subject.prefix(300))), \(bind: String(mail.body.prefix(4_000))), \
            \(bind: mail.path), \(bind: String(mail.footer.prefix(2_000))), 'pending', 0, \(bind: at), \(bind: at))
            """
        ).run()
    }

    /// Claims up to `limit` due mails about access for `lease` seconds: pending ones whose time came,
    /// and ones whose claim ran out (a worker that died). The claim's own `WHERE` is checked again on
    /// each row it updates, so two workers never hold one mail.
    public func claimAccountMail(
        token: String, now: Date, lease: TimeInterval, limit: Int
    ) async throws
        -> [ClaimedAccountMail]
    {
        let sql = try sqlDB
        let due: SQLQueryString =
            "((status = 'pending' AND send_after <= \(bind: now)) OR (status = 'sending' AND claimed_until < \(bind: now)))"
        let rows = try await sql.raw(
            """
            UPDATE account_mails SET status = 'sending', claimed_by = \(bind: token), \
            claimed_until = \(bind: now.addingTimeInterval(lease)), attempts = attempts + 1 \
            WHERE id IN (SELECT id FROM account_mails WHERE \(due) ORDER BY created_at LIMIT \(bind: limit)) \
            AND \(due) RETURNING id, kind, to_email, to_name, subject, body, path, footer, attempts, created_at
            """
        ).all()
        return try rows.compactMap { r in
            guard let kind = AccountMail.Kind(rawValue: try r.decode(column: "kind", as: String.self)) else {
                return nil
            }
            return ClaimedAccountMail(
                id: try r.decode(column: "id", as: UUID.self),
                mail: AccountMail(
                    kind: kind, toEmail: try r.decode(column: "to_email", as: String.self),
                    toName: try r.decode(column: "to_name", as: String.self),
                    subject: try r.decode(column: "subject", as: String.self),
                    body: try r.decode(column: "body", as: String.self),
                    path: try r.decode(column: "path", as: String.self),
                    footer: try r.decode(column: "footer", as: String.self)),
                attempts: try r.decode(column: "attempts", as: Int.self),
                createdAt: try r.decode(column: "created_at", as: Date.self))
        }
    }

    /// Records what became of a claimed mail about access, if the claim is still this worker's. A
    /// mail that was sent or given up forgets its link (it holds a secret).
    @discardableResult
    public func finishAccountMail(_ id: UUID, token: String, now: Date, result: MailResult) async throws -> Bool {
        var q = try sqlDB.update("account_mails").set("claimed_until", to: SQLLiteral.null)
        switch result {
        case .sent:
            q = q.set("status", to: "sent").set("sent_at", to: now).set("last_error", to: SQLLiteral.null)
                .set("path", to: "")
        case .skipped(let why): q = q.set("status", to: "skipped").set("last_error", to: why).set("path", to: "")
        case .failed(let why):
            q = q.set("status", to: "failed").set("last_error", to: String(why.prefix(1_000))).set("path", to: "")
        case .retry(let after, let why):
            q = q.set("status", to: "pending").set("send_after", to: now.addingTimeInterval(after))
                .set("last_error", to: String(why.prefix(1_000)))
        }
        let rows = try await q.where("id", .equal, id).where("claimed_by", .equal, token)
            .where("status", .equal, "sending").returning("id").all()
        return !rows.isEmpty
    }

    /// How the queue of mail about access stands: for the tests.
    public func accountMailCounts() async throws -> MailQueueCounts { try await queueCounts(of: .access) }

    // MARK: invitations that can still be accepted

    public func openInvitation(tokenHash: String, at: Date) async throws -> Invitation? {
        guard let r = try await InvitationRecord.query(on: db).filter(\.$tokenHash == tokenHash).first(),
            r.acceptedAt == nil, r.expiresAt > at
        else { return nil }
        return r.value
    }

    public func openInvitations(of organizationID: UUID, at: Date) async throws -> [Invitation] {
        try await InvitationRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$acceptedAt == nil).filter(\.$expiresAt > at).sort(\.$createdAt, .descending).limit(200).all()
            .map(\.value)
    }

    // MARK: password resets

    public func insertPasswordReset(
        id: UUID, personID: UUID, tokenHash: String, at: Date, expiresAt: Date
    )
        async throws
    {
        try await sqlDB.raw(
            """
            INSERT INTO password_resets (id, person_id, token_hash, created_at, expires_at) VALUES \
            (\(bind: id), \(bind: personID), \(bind: tokenHash), \(bind: at), \(bind: expiresAt))
            """
        ).run()
    }

    public func passwordResetCount(of personID: UUID, since: Date) async throws -> Int {
        let rows = try await sqlDB.raw(
            "SELECT COUNT(*) AS n FROM password_resets WHERE person_id = \(bind: personID) AND created_at > \(bind: since)"
        ).all()
        return try rows.first?.decode(column: "n", as: Int.self) ?? 0
    }

    public func passwordResetIsOpen(tokenHash: String, at: Date) async throws -> Bool {
        let rows = try await sqlDB.raw(
            """
            SELECT r.id FROM password_resets r JOIN people p ON p.id = r.person_id WHERE r.token_hash = \(bind: tokenHash) \
            AND r.used_at IS NULL AND r.expires_at > \(bind: at) AND p.deactivated_at IS NULL
            """
        ).all()
        return !rows.isEmpty
    }

    /// Uses a reset: the person's new password, every open reset of theirs used up, their sessions
    /// ended; on the caller's transaction. `StoreError.notFound("password reset")` when the reset is
    /// unknown, used, expired, or its person deactivated.
    public func usePasswordReset(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        let sql = try sqlDB
        // Taking the reset is the update itself: of two concurrent uses, one changes the row.
        let taken = try await sql.raw(
            """
            UPDATE password_resets SET used_at = \(bind: at) WHERE token_hash = \(bind: tokenHash) \
            AND used_at IS NULL AND expires_at > \(bind: at) RETURNING person_id
            """
        ).all()
        guard let row = taken.first,
            let person = try await PersonRecord.find(
                try row.decode(column: "person_id", as: UUID.self), on: db), person.deactivatedAt == nil
        else { throw StoreError.notFound("password reset") }
        try await replacePassword(of: try person.requireID(), passwordHash: passwordHash, at: at)
        return person.domainValue
    }

    /// The person's new password, every open reset of theirs used up, their sessions ended.
    public func replacePassword(of personID: UUID, passwordHash: String, at: Date) async throws {
        try await setPassword(hash: passwordHash, for: personID, at: at)
        try await sqlDB.raw(
            "UPDATE password_resets SET used_at = \(bind: at) WHERE person_id = \(bind: personID) AND used_at IS NULL"
        ).run()
        try await SessionRecord.query(on: db).filter(\.$personID == personID).delete()
    }
}
