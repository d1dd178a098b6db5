import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

final class WebhookSubscriptionRecord: Model, @unchecked Sendable {
    static let schema = "webhook_subscriptions"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "url") var url: String
    @Field(key: "events") var events: String
    @Field(key: "format") var format: String
    @Field(key: "secret") var secret: String
    @Field(key: "active") var active: Bool
    @OptionalField(key: "description") var description: String?
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(_ s: WebhookSubscription, secret: String) {
        id = s.id
        self.secret = secret
        set(s)
        createdBy = s.createdBy
        createdAt = s.createdAt
    }

    func set(_ s: WebhookSubscription) {
        organizationID = s.organizationID
        url = s.url
        events = s.events.map(\.rawValue).joined(separator: ",")
        format = s.format.rawValue
        active = s.active
        description = s.description
        updatedAt = s.updatedAt
    }

    var kinds: [WebhookEventKind] { events.split(separator: ",").compactMap { WebhookEventKind(rawValue: String($0)) } }

    var domainValue: WebhookSubscription {
        WebhookSubscription(
            id: id!, organizationID: organizationID, url: url, events: kinds,
            format: WebhookFormat(rawValue: format) ?? .json, active: active, description: description,
            createdBy: createdBy, createdAt: createdAt, updatedAt: updatedAt)
    }
}

final class WebhookDeliveryRecord: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "subscription_id") var subscriptionID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "event_kind") var eventKind: String
    @OptionalField(key: "deal_id") var dealID: UUID?
    @Field(key: "body") var body: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_attempt_at") var lastAttemptAt: Date?
    @OptionalField(key: "last_status_code") var lastStatusCode: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var domainValue: WebhookDelivery {
        WebhookDelivery(
            id: id!, subscriptionID: subscriptionID, eventID: eventID,
            eventKind: WebhookEventKind(rawValue: eventKind) ?? .dealCreated, dealID: dealID,
            status: WebhookDeliveryStatus(rawValue: status) ?? .pending, attempts: attempts,
            nextAttemptAt: nextAttemptAt, lastAttemptAt: lastAttemptAt, lastStatusCode: lastStatusCode,
            lastError: lastError, deliveredAt: deliveredAt, createdAt: createdAt)
    }
}

/// The transactional outbox: events are queued in the transaction that saves the change raising
/// them, so a change is never saved without its deliveries, nor a delivery queued for a change that
/// was rolled back.
public enum EventOutbox {
    /// Queues the events that `changes` raise: one delivery per active subscription of the deal's two
    /// organizations that asked for the event's kind.
    public static func enqueue(
        deal: Deal, stageKey: String, changes: [DealChange], at: Date, on db: any Database
    ) async throws {
        let payloads = WebhookEvents.events(deal: deal, stageKey: stageKey, changes: changes, at: at)
        try await enqueue(payloads, dealID: deal.id, at: at, on: db)
    }

    /// Queues ready-made payloads (each names its organization). Returns the number of deliveries.
    @discardableResult
    public static func enqueue(
        _ payloads: [WebhookPayload], dealID: UUID?, at: Date, on db: any Database
    ) async throws -> Int {
        guard !payloads.isEmpty else { return 0 }
        let orgs = Array(Set(payloads.map(\.organizationID)))
        let subscriptions = try await WebhookSubscriptionRecord.query(on: db)
            .filter(\.$organizationID ~~ orgs).filter(\.$active == true).all()
        guard !subscriptions.isEmpty else { return 0 }
        var count = 0
        for payload in payloads {
            for s in subscriptions where s.organizationID == payload.organizationID && s.kinds.contains(payload.kind) {
                let r = WebhookDeliveryRecord()
                r.id = UUID()
                r.subscriptionID = s.id!
                r.organizationID = payload.organizationID
                r.eventID = payload.id
                r.eventKind = payload.kind.rawValue
                r.dealID = dealID
                r.body = WebhookEvents.body(payload, format: WebhookFormat(rawValue: s.format) ?? .json)
                r.status = WebhookDeliveryStatus.pending.rawValue
                r.attempts = 0
                r.nextAttemptAt = at
                r.createdAt = at
                try await r.create(on: db)
                count += 1
            }
        }
        return count
    }

    /// Records `key` as emitted; false when it already was (by this or another instance). Used in the
    /// transaction that queues the event, so the key and the deliveries are written together.
    public static func claimEmission(_ key: String, at: Date, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let rows = try await sql.raw(
            "INSERT INTO webhook_emissions (key, created_at) VALUES (\(bind: key), \(bind: at)) ON CONFLICT (key) DO NOTHING RETURNING key"
        ).all()
        return !rows.isEmpty
    }
}

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

    /// The facts of every deal in play, for the stall sweep.
    public func factsInPlay() async throws -> [DealFacts] {
        let rows = try await factsSelect()
            .where("completed_at", .is, SQLLiteral.null)
            .where("status", .in, [DealStatus.open, .won, .lost].map(\.rawValue))
            .orderBy("deal_id").all()
        return try await factsOfRows(rows)
    }

    /// Every active partnership, for the weekly review events.
    public func activePartnerships() async throws -> [Partnership] {
        try await PartnershipRecord.query(on: db).filter(\.$status == Partnership.Status.active.rawValue).all().map {
            try $0.domainValue()
        }
    }
}

extension CoSellStore {
    /// Joint accounts by id, for exports.
    public func jointAccounts(ids: [UUID]) async throws -> [UUID: JointAccount] {
        var out: [UUID: JointAccount] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for r in try await JointAccountRecord.query(on: db).filter(\.$id ~~ chunk).all() {
                let a = try r.domainValue()
                out[a.id] = a
            }
            start += 500
        }
        return out
    }
}
