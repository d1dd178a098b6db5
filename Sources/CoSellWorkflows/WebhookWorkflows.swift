import CoSellDomain
import Foundation

/// The verbs of an organization's webhook subscriptions: subscribe, change (pause, resume), delete,
/// replace the signing secret, send a delivery again. Only admins of the subscription's organization
/// manage it; another organization's subscription is not found. Each change and its audit line are
/// one transaction. Signing secrets are made by the caller.
public struct WebhookWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// Why anyone but an admin is refused.
    public static let adminsOnly = "Only admins manage webhooks."

    /// A new subscription as asked for: where, which events, which format (`json` when nil), a
    /// description, whether it starts active (true when nil).
    public struct Subscription: Sendable {
        public var url: String
        public var events: [String]
        public var format: String?
        public var description: String?
        public var active: Bool?

        public init(url: String, events: [String], format: String?, description: String?, active: Bool?) {
            self.url = url
            self.events = events
            self.format = format
            self.description = description
            self.active = active
        }
    }

    /// A change to a subscription: each field that is not nil replaces what it names.
    public struct Change: Sendable {
        public var url: String?
        public var events: [String]?
        public var format: String?
        public var description: String?
        public var active: Bool?

        public init(url: String?, events: [String]?, format: String?, description: String?, active: Bool?) {
            self.url = url
            self.events = events
            self.format = format
            self.description = description
            self.active = active
        }
    }

    /// An admin subscribes a URL of their organization to events, with `secret` as its signing
    /// secret. `subscription` is read after the role and write checks; its URL must be public unless
    /// `allowPrivateAddresses`.
    public func create(
        by p: Principal, secret: String, allowPrivateAddresses: Bool,
        _ subscription: @escaping @Sendable () async throws -> Subscription
    ) async throws -> WebhookSubscription {
        try p.require([.admin], Self.adminsOnly)
        try p.requireWrite()
        let b = try await subscription()
        let url = try Self.checked { () throws(WebhookSettingsError) in
            try WebhookSettings.checkURL(b.url, allowPrivate: allowPrivateAddresses)
        }
        let events = try Self.checked { () throws(WebhookSettingsError) in try WebhookSettings.checkEvents(b.events) }
        let format = try Self.format(b.format) ?? .json
        let description = try Self.description(b.description)
        let now = clock()
        let s = WebhookSubscription(
            id: UUID(), organizationID: p.person.organizationID, url: url.absoluteString, events: events,
            format: format, active: b.active ?? true, description: description, createdBy: p.person.id,
            createdAt: now, updatedAt: now)
        return try await store.transaction { tx in
            try await tx.insertWebhookSubscription(s, secret: secret)
            try await tx.audit(
                p.auditEntry(
                    "webhook_created", "Webhook to \(s.url) for \(events.map(\.rawValue).joined(separator: ", "))",
                    organizationID: s.organizationID, at: now))
            return s
        }
    }

    /// An admin changes a subscription of their organization; pausing or resuming it is audited.
    /// `change` is read after the visibility, role and write checks.
    public func update(
        _ id: UUID, by p: Principal, allowPrivateAddresses: Bool,
        _ change: @escaping @Sendable () async throws -> Change
    ) async throws -> WebhookSubscription {
        let now = clock()
        return try await store.transaction { tx in
            let current = try await Self.managed(id, by: p, on: tx)
            try p.requireWrite()
            let c = try await change()
            var s = current
            if let u = c.url {
                s.url = try Self.checked { () throws(WebhookSettingsError) in
                    try WebhookSettings.checkURL(u, allowPrivate: allowPrivateAddresses)
                }
                .absoluteString
            }
            if let e = c.events {
                s.events = try Self.checked { () throws(WebhookSettingsError) in try WebhookSettings.checkEvents(e) }
            }
            if let f = try Self.format(c.format) { s.format = f }
            if c.description != nil { s.description = try Self.description(c.description) }
            if let a = c.active { s.active = a }
            s.updatedAt = now
            try await tx.updateWebhookSubscription(s)
            if s.active != current.active {
                try await tx.audit(
                    p.auditEntry(
                        s.active ? "webhook_resumed" : "webhook_paused", "Webhook to \(s.url)",
                        organizationID: s.organizationID, at: now))
            }
            return s
        }
    }

    /// An admin deletes a subscription of their organization and its delivery log; returns what was
    /// deleted.
    public func delete(_ id: UUID, by p: Principal) async throws -> WebhookSubscription {
        let now = clock()
        return try await store.transaction { tx in
            let s = try await Self.managed(id, by: p, on: tx)
            try p.requireWrite()
            try await tx.deleteWebhookSubscription(s.id)
            try await tx.audit(
                p.auditEntry("webhook_deleted", "Webhook to \(s.url)", organizationID: s.organizationID, at: now))
            return s
        }
    }

    /// An admin replaces a subscription's signing secret with `secret`; returns the subscription as
    /// changed.
    public func rotateSecret(_ id: UUID, by p: Principal, secret: String) async throws -> WebhookSubscription {
        let now = clock()
        return try await store.transaction { tx in
            var s = try await Self.managed(id, by: p, on: tx)
            try p.requireWrite()
            s.updatedAt = now
            try await tx.rotateWebhookSecret(s.id, secret: secret, at: now)
            try await tx.audit(
                p.auditEntry(
                    "webhook_secret_rotated", "Webhook to \(s.url)", organizationID: s.organizationID, at: now))
            return s
        }
    }

    /// An admin sends a delivered or failed delivery of a subscription of their organization again,
    /// with fresh attempts (a queued one is a conflict).
    public func redeliver(_ deliveryID: UUID, of id: UUID, by p: Principal) async throws -> WebhookDelivery {
        let now = clock()
        return try await store.transaction { tx in
            let s = try await Self.managed(id, by: p, on: tx)
            guard try await tx.webhookDelivery(deliveryID, of: s.id) != nil else {
                throw WorkflowError.notFound("delivery")
            }
            try p.requireWrite()
            return try await tx.redeliver(deliveryID, at: now)
        }
    }

    /// A subscription of the principal's organization, for an admin (what the reads of one
    /// subscription and its delivery log check first).
    public func subscription(_ id: UUID, by p: Principal) async throws -> WebhookSubscription {
        try await Self.managed(id, by: p, on: store)
    }

    // MARK: the checks

    /// The subscription, of the principal's own organization (not found otherwise, also for another
    /// organization's id), then the admin check.
    static func managed(_ id: UUID, by p: Principal, on s: any WorkflowStore) async throws -> WebhookSubscription {
        guard let sub = try await s.webhookSubscription(id, of: p.person.organizationID) else {
            throw WorkflowError.notFound("webhook")
        }
        try p.require([.admin], adminsOnly)
        return sub
    }

    static func checked<T>(_ body: () throws(WebhookSettingsError) -> T) throws(WorkflowError) -> T {
        do { return try body() } catch { throw .invalid(field: error.field, error.message) }
    }

    static func format(_ raw: String?) throws(WorkflowError) -> WebhookFormat? {
        guard let raw else { return nil }
        guard let f = WebhookFormat(rawValue: raw) else {
            throw .invalid(field: "format", "format must be json or slack.")
        }
        return f
    }

    static func description(_ raw: String?) throws(WorkflowError) -> String? {
        guard let raw else { return nil }
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.count > 500 { throw .invalid(field: "description", "description must be at most 500 characters.") }
        return t.isEmpty ? nil : t
    }
}
