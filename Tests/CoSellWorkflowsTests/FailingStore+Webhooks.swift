import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func webhookSubscription(_ id: UUID, of organizationID: UUID) async throws -> WebhookSubscription? {
        try await base.webhookSubscription(id, of: organizationID)
    }
    func insertWebhookSubscription(_ subscription: WebhookSubscription, secret: String) async throws {
        try await base.insertWebhookSubscription(subscription, secret: secret)
    }
    func updateWebhookSubscription(_ subscription: WebhookSubscription) async throws {
        try await base.updateWebhookSubscription(subscription)
    }
    func rotateWebhookSecret(_ id: UUID, secret: String, at: Date) async throws {
        try await base.rotateWebhookSecret(id, secret: secret, at: at)
    }
    func deleteWebhookSubscription(_ id: UUID) async throws { try await base.deleteWebhookSubscription(id) }
    func webhookDelivery(_ id: UUID, of subscriptionID: UUID) async throws -> WebhookDelivery? {
        try await base.webhookDelivery(id, of: subscriptionID)
    }
    func redeliver(_ id: UUID, at: Date) async throws -> WebhookDelivery { try await base.redeliver(id, at: at) }
}
