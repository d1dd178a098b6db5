import CoSellDomain
import Foundation

/// What the verbs of an organization's webhook subscriptions read and write. A subscription's
/// signing secret is kept apart from its value, written only when it is made or replaced.
public protocol WebhookStore: Sendable {
    /// A subscription of `organizationID`, or nil (also for another organization's id).
    func webhookSubscription(_ id: UUID, of organizationID: UUID) async throws -> WebhookSubscription?
    func insertWebhookSubscription(_ subscription: WebhookSubscription, secret: String) async throws
    func updateWebhookSubscription(_ subscription: WebhookSubscription) async throws
    func rotateWebhookSecret(_ id: UUID, secret: String, at: Date) async throws
    /// Deletes the subscription and its delivery log.
    func deleteWebhookSubscription(_ id: UUID) async throws
    /// A delivery of `subscriptionID`, or nil.
    func webhookDelivery(_ id: UUID, of subscriptionID: UUID) async throws -> WebhookDelivery?
    /// Queues a delivered or failed delivery again, as new: attempts start over, due `at`. A delivery
    /// still queued is a `WorkflowError.conflict`.
    func redeliver(_ id: UUID, at: Date) async throws -> WebhookDelivery
}
