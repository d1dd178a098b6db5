import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

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

extension CoSellStore {
    /// Queues an event that must be raised once (a stall episode, a week's review): claims `key` and,
    /// when this caller is the first, queues the payloads `make` builds from the store (none: nothing
    /// to raise after all), in one transaction. Returns the number of deliveries queued.
    public func emitOnce(
        key: String, dealID: UUID?, at: Date,
        _ make: @escaping @Sendable (CoSellStore) async throws -> [WebhookPayload]
    ) async throws -> Int {
        try await transaction { tx in
            guard try await EventOutbox.claimEmission(key, at: at, on: tx) else { return 0 }
            let payloads = try await make(CoSellStore(db: tx))
            return try await EventOutbox.enqueue(payloads, dealID: dealID, at: at, on: tx)
        }
    }
}
