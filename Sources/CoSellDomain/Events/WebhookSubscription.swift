import Foundation

/// An organization's subscription: where to send which events, in which format. The signing secret
/// is kept apart from this value so that it is only ever shown when it is made.
public struct WebhookSubscription: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var url: String
    public var events: [WebhookEventKind]
    public var format: WebhookFormat
    /// False while paused: no deliveries are queued, and queued ones wait.
    public var active: Bool
    public var description: String?
    public var createdBy: UUID
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, organizationID: UUID, url: String, events: [WebhookEventKind], format: WebhookFormat,
        active: Bool, description: String?, createdBy: UUID, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.url = url
        self.events = events
        self.format = format
        self.active = active
        self.description = description
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum WebhookDeliveryStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for its next attempt.
    case pending
    /// Claimed by a worker that is sending it (until the claim expires).
    case sending
    /// The receiver answered 2xx.
    case delivered
    /// Gave up after the last attempt.
    case failed
}

/// One event queued for one subscription, with what happened to it so far.
public struct WebhookDelivery: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var subscriptionID: UUID
    public var eventID: UUID
    public var eventKind: WebhookEventKind
    public var dealID: UUID?
    public var status: WebhookDeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date

    public init(
        id: UUID, subscriptionID: UUID, eventID: UUID, eventKind: WebhookEventKind, dealID: UUID?,
        status: WebhookDeliveryStatus, attempts: Int, nextAttemptAt: Date, lastAttemptAt: Date?,
        lastStatusCode: Int?, lastError: String?, deliveredAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.subscriptionID = subscriptionID
        self.eventID = eventID
        self.eventKind = eventKind
        self.dealID = dealID
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.deliveredAt = deliveredAt
        self.createdAt = createdAt
    }
}
