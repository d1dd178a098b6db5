import CoSellDomain
import FluentKit
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
