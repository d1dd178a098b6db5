import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// A delivery a worker claimed, with what it needs to send it.
public struct ClaimedDelivery: Sendable {
    public var id: UUID
    public var eventKind: String
    public var body: String
    public var url: String
    public var secret: String
    public var format: WebhookFormat
    public var attempts: Int
    public var claimToken: String
}

extension CoSellStore {
    // MARK: subscriptions

    public func insert(_ s: WebhookSubscription, secret: String) async throws {
        try await WebhookSubscriptionRecord(s, secret: secret).create(on: db)
    }

    public func webhookSubscriptions(of organizationID: UUID) async throws -> [WebhookSubscription] {
        try await WebhookSubscriptionRecord.query(on: db).filter(\.$organizationID == organizationID)
            .sort(\.$createdAt).sort(\.$id).all().map(\.domainValue)
    }

    /// A subscription of `organizationID`, or nil (also for another organization's id).
    public func webhookSubscription(_ id: UUID, of organizationID: UUID) async throws -> WebhookSubscription? {
        try await WebhookSubscriptionRecord.query(on: db).filter(\.$id == id)
            .filter(\.$organizationID == organizationID).first()?.domainValue
    }

    public func update(_ s: WebhookSubscription) async throws {
        guard let r = try await WebhookSubscriptionRecord.find(s.id, on: db) else {
            throw StoreError.notFound("webhook")
        }
        r.set(s)
        try await r.update(on: db)
    }

    public func rotateWebhookSecret(_ id: UUID, secret: String, at: Date) async throws {
        guard let r = try await WebhookSubscriptionRecord.find(id, on: db) else { throw StoreError.notFound("webhook") }
        r.secret = secret
        r.updatedAt = at
        try await r.update(on: db)
    }

    /// Deletes the subscription and its delivery log.
    public func deleteWebhookSubscription(_ id: UUID) async throws {
        try await transaction { tx in
            try await WebhookDeliveryRecord.query(on: tx).filter(\.$subscriptionID == id).delete()
            try await WebhookSubscriptionRecord.query(on: tx).filter(\.$id == id).delete()
        }
    }

    // MARK: the delivery log

    public func webhookDeliveries(
        of subscriptionID: UUID, status: WebhookDeliveryStatus?, limit: Int, offset: Int
    ) async throws -> Page<WebhookDelivery> {
        var q = WebhookDeliveryRecord.query(on: db).filter(\.$subscriptionID == subscriptionID)
        if let status { q = q.filter(\.$status == status.rawValue) }
        let total = try await q.count()
        let items = try await q.sort(\.$createdAt, .descending).sort(\.$id)
            .range(offset..<(offset + limit)).all().map(\.domainValue)
        return Page(items: items, total: total)
    }

    public func webhookDelivery(_ id: UUID, of subscriptionID: UUID) async throws -> WebhookDelivery? {
        try await WebhookDeliveryRecord.query(on: db).filter(\.$id == id)
            .filter(\.$subscriptionID == subscriptionID).first()?.domainValue
    }

    /// Queues a delivered or failed delivery again, as new: attempts start over, due now.
    public func redeliver(_ id: UUID, at: Date) async throws -> WebhookDelivery {
        guard let sql = db as? any SQLDatabase else { throw StoreError.conflict("The database does not speak SQL.") }
        let rows = try await sql.update(WebhookDeliveryRecord.schema)
            .set("status", to: WebhookDeliveryStatus.pending.rawValue)
            .set("attempts", to: 0)
            .set("next_attempt_at", to: at)
            .set("claimed_by", to: SQLLiteral.null)
            .set("claimed_until", to: SQLLiteral.null)
            .where("id", .equal, id)
            .where("status", .in, [WebhookDeliveryStatus.delivered.rawValue, WebhookDeliveryStatus.failed.rawValue])
            .returning("id").all()
        guard !rows.isEmpty else {
            throw StoreError.conflict(
                "Only a delivered or failed delivery can be sent again; this one is still queued.")
        }
        guard let r = try await WebhookDeliveryRecord.find(id, on: db) else { throw StoreError.notFound("delivery") }
        return r.domainValue
    }

    // MARK: the worker's side

    /// Claims up to `limit` due deliveries of active subscriptions for `lease` seconds, atomically:
    /// pending ones whose time has come, and ones whose claim expired (a worker that died while
    /// sending). Each claim counts as an attempt. Two workers never claim the same row.
    public func claimDueDeliveries(
        token: String, now: Date, lease: TimeInterval, limit: Int
    ) async throws -> [ClaimedDelivery] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let until = now.addingTimeInterval(lease)
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? "FOR UPDATE OF d SKIP LOCKED" : ""
        let rows = try await sql.raw(
            """
            UPDATE webhook_deliveries SET status = 'sending', claimed_by = \(bind: token), \
            claimed_until = \(bind: until), attempts = attempts + 1, last_attempt_at = \(bind: now) \
            WHERE id IN (SELECT d.id FROM webhook_deliveries d \
            JOIN webhook_subscriptions s ON s.id = d.subscription_id \
            WHERE s.active = \(bind: true) AND ((d.status = 'pending' AND d.next_attempt_at <= \(bind: now)) \
            OR (d.status = 'sending' AND d.claimed_until < \(bind: now))) \
            ORDER BY d.next_attempt_at LIMIT \(bind: limit) \(lock)) \
            RETURNING id
            """
        ).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        let records = try await WebhookDeliveryRecord.query(on: db).filter(\.$id ~~ ids).all()
        let subs = try await WebhookSubscriptionRecord.query(on: db)
            .filter(\.$id ~~ Array(Set(records.map(\.subscriptionID)))).all()
        let byID = Dictionary(uniqueKeysWithValues: subs.map { ($0.id!, $0) })
        return records.compactMap { r in
            guard let s = byID[r.subscriptionID], r.claimedBy == token else { return nil }
            return ClaimedDelivery(
                id: r.id!, eventKind: r.eventKind, body: r.body, url: s.url, secret: s.secret,
                format: WebhookFormat(rawValue: s.format) ?? .json, attempts: r.attempts, claimToken: token)
        }
    }

    /// Records the result of an attempt, if the claim is still this worker's: delivered on success,
    /// otherwise pending again after `retryAfter` seconds, or failed when `retryAfter` is nil. The row
    /// keeps `claimed_by`: which worker made the last attempt.
    @discardableResult
    public func finishDelivery(
        _ d: ClaimedDelivery, now: Date, success: Bool, statusCode: Int?, error: String?, retryAfter: TimeInterval?
    ) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let status: WebhookDeliveryStatus = success ? .delivered : (retryAfter == nil ? .failed : .pending)
        var q = sql.update(WebhookDeliveryRecord.schema)
            .set("status", to: status.rawValue)
            .set("last_status_code", to: statusCode)
            .set("last_error", to: error.map { String($0.prefix(1_000)) })
            .set("claimed_until", to: SQLLiteral.null)
        if success { q = q.set("delivered_at", to: now) }
        if let retryAfter { q = q.set("next_attempt_at", to: now.addingTimeInterval(retryAfter)) }
        let rows = try await q.where("id", .equal, d.id).where("claimed_by", .equal, d.claimToken)
            .where("status", .equal, WebhookDeliveryStatus.sending.rawValue)
            .returning("id").all()
        return !rows.isEmpty
    }

    /// The event kinds at least one active subscription asks for.
    public func activeWebhookEventKinds() async throws -> [WebhookEventKind] {
        let subs = try await WebhookSubscriptionRecord.query(on: db).filter(\.$active == true).all()
        return Array(Set(subs.flatMap(\.kinds)))
    }
}
