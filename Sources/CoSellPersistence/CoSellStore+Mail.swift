import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// Notes a mail worker claimed for one person: gathered into one mail.
public struct ClaimedMail: Sendable {
    public struct Entry: Sendable {
        public var id: UUID
        public var note: MailNote
        public var createdAt: Date
    }

    public var personID: UUID
    public var entries: [Entry]
    public var attempts: Int
    public var claimToken: String
}

/// How the mail queue stands: for the admin's page and the tests.
public struct MailQueueCounts: Sendable, Equatable {
    public var pending: Int
    public var sent: Int
    public var failed: Int
    public var skipped: Int
}

extension CoSellStore {
    var sqlDB: any SQLDatabase {
        get throws {
            guard let sql = db as? any SQLDatabase else {
                throw StoreError.conflict("The database does not speak SQL.")
            }
            return sql
        }
    }

    /// Queues notes from `at`; a key queued before is left out (`ON CONFLICT DO NOTHING`, on both
    /// engines). Returns the notes this call queued (of two concurrent calls, one queues each key).
    @discardableResult
    public func queueMail(_ notes: [MailNote], at: Date) async throws -> [MailNote] {
        guard !notes.isEmpty else { return [] }
        let sql = try sqlDB
        var queued: [MailNote] = []
        for n in notes {
            let rows = try await sql.raw(
                """
                INSERT INTO mail_notes (id, key, person_id, kind, subject, body, path, deal_id, status, attempts, \
                send_after, created_at) VALUES (\(bind: UUID()), \(bind: n.key), \(bind: n.personID), \
                \(bind: n.kind.rawValue), \(bind: String(n.subject.prefix(300))), \(bind: String(n.body.prefix(4_000))), \
                \(bind: n.path), \(bind: n.dealID), 'pending', 0, \(bind: at), \(bind: at)) ON CONFLICT (key) DO NOTHING \
                RETURNING id
                """
            ).all()
            if !rows.isEmpty { queued.append(n) }
        }
        return queued
    }

    public func notificationPreferences(of personID: UUID) async throws -> NotificationPreferences {
        let rows = try await sqlDB.raw(
            "SELECT off_kinds, digest_only, unsubscribed FROM notification_preferences WHERE person_id = \(bind: personID)"
        ).all()
        guard let r = rows.first else { return NotificationPreferences() }
        let off = try r.decode(column: "off_kinds", as: String.self).split(separator: ",").compactMap {
            NotificationKind(rawValue: String($0))
        }
        return NotificationPreferences(
            off: Set(off), digestOnly: try r.decode(column: "digest_only", as: Bool.self),
            unsubscribed: try r.decode(column: "unsubscribed", as: Bool.self))
    }

    public func setNotificationPreferences(
        _ p: NotificationPreferences, of personID: UUID, at: Date
    ) async throws {
        _ = try await unsubscribeToken(of: personID, at: at)
        try await sqlDB.update("notification_preferences")
            .set("off_kinds", to: p.off.map(\.rawValue).sorted().joined(separator: ","))
            .set("digest_only", to: p.digestOnly).set("unsubscribed", to: p.unsubscribed).set("updated_at", to: at)
            .where("person_id", .equal, personID).run()
    }

    /// The person's unsubscribe token; the row with the defaults is made on first use.
    public func unsubscribeToken(of personID: UUID, at: Date) async throws -> String {
        let sql = try sqlDB
        let fresh = "u_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await sql.raw(
            """
            INSERT INTO notification_preferences (person_id, off_kinds, digest_only, unsubscribed, \
            unsubscribe_token, updated_at) VALUES (\(bind: personID), '', \(bind: false), \(bind: false), \
            \(bind: fresh), \(bind: at)) ON CONFLICT (person_id) DO NOTHING
            """
        ).run()
        let rows = try await sql.raw(
            "SELECT unsubscribe_token FROM notification_preferences WHERE person_id = \(bind: personID)"
        ).all()
        return try rows.first?.decode(column: "unsubscribe_token", as: String.self) ?? fresh
    }

    public func person(unsubscribeToken token: String) async throws -> UUID? {
        let rows = try await sqlDB.raw(
            "SELECT person_id FROM notification_preferences WHERE unsubscribe_token = \(bind: token)"
        ).all()
        return try rows.first?.decode(column: "person_id", as: UUID.self)
    }

    // MARK: the worker's side

    /// Claims, for `lease` seconds, the due notes of up to `people` persons who were not sent a mail
    /// in the last `gap` seconds: all of each person's due notes, so they go in one mail. A person is
    /// held by one worker at a time (`mail_recipients`), so two workers never claim one note nor split
    /// one person's notes. A claim whose lease ran out (a worker that died) is taken again.
    public func claimMail(
        token: String, now: Date, lease: TimeInterval, gap: TimeInterval, people: Int
    ) async throws -> [ClaimedMail] {
        let sql = try sqlDB
        let until = now.addingTimeInterval(lease)
        let recent = now.addingTimeInterval(-gap)
        let due: SQLQueryString =
            "((status = 'pending' AND send_after <= \(bind: now)) OR (status = 'sending' AND claimed_until < \(bind: now)))"
        let candidates = try await sql.raw(
            "SELECT person_id, MIN(send_after) AS first FROM mail_notes WHERE \(due) GROUP BY person_id ORDER BY first LIMIT \(bind: people * 3)"
        ).all().map { try $0.decode(column: "person_id", as: UUID.self) }
        var held: [UUID] = []
        for person in candidates where held.count < people {
            // Take the person if nobody holds them and their last mail is older than the gap.
            let rows = try await sql.raw(
                """
                INSERT INTO mail_recipients (person_id, claimed_by, claimed_until, last_sent_at)                 VALUES (\(bind: person), \(bind: token), \(bind: until), NULL)                 ON CONFLICT (person_id) DO UPDATE SET claimed_by = \(bind: token), claimed_until = \(bind: until)                 WHERE (mail_recipients.claimed_until IS NULL OR mail_recipients.claimed_until < \(bind: now))                 AND (mail_recipients.last_sent_at IS NULL OR mail_recipients.last_sent_at < \(bind: recent))                 RETURNING person_id
                """
            ).all()
            if !rows.isEmpty { held.append(person) }
        }
        guard !held.isEmpty else { return [] }
        let rows = try await sql.raw(
            """
            UPDATE mail_notes SET status = 'sending', claimed_by = \(bind: token), claimed_until = \(bind: until), \
            attempts = attempts + 1 WHERE person_id IN (\(binds: held)) AND \(due) RETURNING id
            """
        ).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        if ids.isEmpty {
            try await releaseMailRecipients(held, token: token, sentAt: nil)
            return []
        }
        let claimed = try await sql.select().columns(
            "id", "person_id", "kind", "key", "subject", "body", "path", "deal_id", "attempts", "created_at"
        )
        .from("mail_notes").where("id", .in, ids).where("claimed_by", .equal, token).all()
        var byPerson: [UUID: ClaimedMail] = [:]
        for r in claimed {
            let person = try r.decode(column: "person_id", as: UUID.self)
            guard let kind = NotificationKind(rawValue: try r.decode(column: "kind", as: String.self)) else { continue }
            let note = MailNote(
                personID: person, kind: kind, key: try r.decode(column: "key", as: String.self),
                subject: try r.decode(column: "subject", as: String.self),
                body: try r.decode(column: "body", as: String.self),
                path: try r.decode(column: "path", as: String.self),
                dealID: try r.decode(column: "deal_id", as: UUID?.self))
            var m =
                byPerson[person]
                ?? ClaimedMail(personID: person, entries: [], attempts: 0, claimToken: token)
            m.entries.append(
                .init(
                    id: try r.decode(column: "id", as: UUID.self), note: note,
                    createdAt: try r.decode(column: "created_at", as: Date.self)))
            m.attempts = max(m.attempts, try r.decode(column: "attempts", as: Int.self))
            byPerson[person] = m
        }
        return byPerson.values.sorted { $0.personID.uuidString < $1.personID.uuidString }
    }

    /// Records what became of a claimed mail, if the claim is still this worker's: `sent`, `skipped`
    /// (the person does not want it, or it is stale), `failed` (refused for good), or pending again
    /// after `retryAfter` seconds.
    public enum MailResult: Sendable {
        case sent
        case skipped(String)
        case failed(String)
        case retry(after: TimeInterval, error: String)
    }

    /// Lets other workers take the persons again; `sentAt` records their last mail.
    public func releaseMailRecipients(_ people: [UUID], token: String, sentAt: Date?) async throws {
        guard !people.isEmpty else { return }
        var q = try sqlDB.update("mail_recipients").set("claimed_until", to: SQLLiteral.null)
        if let sentAt { q = q.set("last_sent_at", to: sentAt) }
        try await q.where("person_id", .in, people).where("claimed_by", .equal, token).run()
    }

    @discardableResult
    public func finishMail(_ ids: [UUID], token: String, now: Date, result: MailResult) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        var q = try sqlDB.update("mail_notes").set("claimed_until", to: SQLLiteral.null)
        switch result {
        case .sent: q = q.set("status", to: "sent").set("sent_at", to: now).set("last_error", to: SQLLiteral.null)
        case .skipped(let why): q = q.set("status", to: "skipped").set("last_error", to: why)
        case .failed(let why): q = q.set("status", to: "failed").set("last_error", to: String(why.prefix(1_000)))
        case .retry(let after, let why):
            q = q.set("status", to: "pending").set("send_after", to: now.addingTimeInterval(after))
                .set("last_error", to: String(why.prefix(1_000)))
        }
        let rows = try await q.where("id", .in, ids).where("claimed_by", .equal, token)
            .where("status", .equal, "sending").returning("id").all()
        return rows.count
    }

    public func mailQueueCounts() async throws -> MailQueueCounts { try await queueCounts(of: .notes) }

    /// The two mail queues: notes about deals, and mail about access.
    enum MailQueue: String {
        case notes = "mail_notes"
        case access = "account_mails"
    }

    /// How a mail queue stands by status: sending counts as pending.
    func queueCounts(of queue: MailQueue) async throws -> MailQueueCounts {
        let rows = try await sqlDB.raw(
            "SELECT status, COUNT(*) AS n FROM \(unsafeRaw: queue.rawValue) GROUP BY status"
        ).all()
        var c = MailQueueCounts(pending: 0, sent: 0, failed: 0, skipped: 0)
        for r in rows {
            let n = try r.decode(column: "n", as: Int.self)
            switch try r.decode(column: "status", as: String.self) {
            case "pending", "sending": c.pending += n
            case "sent": c.sent += n
            case "failed": c.failed += n
            default: c.skipped += n
            }
        }
        return c
    }
}
