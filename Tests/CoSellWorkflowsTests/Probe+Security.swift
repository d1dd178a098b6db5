import CoSellDomain
import CoSellWorkflows
import FluentKit
import FluentSQL
import Foundation

@testable import CoSellPersistence

/// What the security and webhook verbs wrote, read back from the store under test.
extension Probe {
    func seedPassword(_ hash: String, for personID: UUID, at: Date) async throws {
        switch self {
        case .memory(let s): s.seed { $0.passwordHashes[personID] = hash }
        case .fluent(let s): try await s.setPassword(hash: hash, for: personID, at: at)
        }
    }

    /// The person a live session belongs to.
    func sessionPerson(_ tokenHash: String, at: Date) async throws -> UUID? {
        switch self {
        case .memory(let s):
            return s.state.sessions[tokenHash].flatMap { $0.expiresAt > at ? $0.personID : nil }
        case .fluent(let s): return try await s.session(tokenHash: tokenHash, at: at)?.0.id
        }
    }

    func tokens(of personID: UUID) async throws -> [APITokenInfo] {
        switch self {
        case .memory(let s): return s.state.tokens.values.filter { $0.personID == personID }.map(\.info)
        case .fluent(let s): return try await s.tokens(of: personID)
        }
    }

    func audits(_ organizationID: UUID) async throws -> [AuditEvent] {
        switch self {
        case .memory(let s): return s.state.auditLog.filter { $0.organizationID == organizationID }
        case .fluent(let s): return try await s.auditEvents(of: organizationID, limit: 100, offset: 0).items.reversed()
        }
    }

    func webhookSecret(_ id: UUID) async throws -> String? {
        switch self {
        case .memory(let s): return s.state.webhookSecrets[id]
        case .fluent(let s): return try await WebhookSubscriptionRecord.find(id, on: s.db)?.secret
        }
    }

    func webhookDelivery(_ id: UUID) async throws -> WebhookDelivery? {
        switch self {
        case .memory(let s): return s.state.webhookDeliveries[id]
        case .fluent(let s): return try await WebhookDeliveryRecord.find(id, on: s.db)?.domainValue
        }
    }

    /// A delivery of the subscription that failed after its last attempt.
    func seedFailedDelivery(of subscription: WebhookSubscription, at: Date) async throws -> UUID {
        let id = UUID()
        switch self {
        case .memory(let s):
            s.seed {
                $0.webhookDeliveries[id] = WebhookDelivery(
                    id: id, subscriptionID: subscription.id, eventID: UUID(), eventKind: .dealCreated, dealID: nil,
                    status: .failed, attempts: 8, nextAttemptAt: at, lastAttemptAt: at, lastStatusCode: 500,
                    lastError: "HTTP 500", deliveredAt: nil, createdAt: at)
            }
        case .fluent(let s):
            let r = WebhookDeliveryRecord()
            r.id = id
            r.subscriptionID = subscription.id
            r.organizationID = subscription.organizationID
            r.eventID = UUID()
            r.eventKind = WebhookEventKind.dealCreated.rawValue
            r.body = "{}"
            r.status = WebhookDeliveryStatus.failed.rawValue
            r.attempts = 8
            r.nextAttemptAt = at
            r.lastAttemptAt = at
            r.lastStatusCode = 500
            r.lastError = "HTTP 500"
            r.createdAt = at
            try await r.create(on: s.db)
        }
        return id
    }
}

extension Probe {
    /// The mails about access queued, oldest first: to whom, which kind, the link's path.
    func accountMails() async throws -> [(to: String, kind: String, subject: String, path: String)] {
        switch self {
        case .memory(let s): return s.state.accountMails.map { ($0.toEmail, $0.kind.rawValue, $0.subject, $0.path) }
        case .fluent(let s):
            guard let sql = s.db as? any SQLDatabase else { return [] }
            return try await sql.raw(
                "SELECT to_email, kind, subject, path FROM account_mails ORDER BY created_at, to_email"
            ).all().map {
                (
                    try $0.decode(column: "to_email", as: String.self), try $0.decode(column: "kind", as: String.self),
                    try $0.decode(column: "subject", as: String.self), try $0.decode(column: "path", as: String.self)
                )
            }
        }
    }
}
