import CoSellDomain
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func webhookSubscription(_ id: UUID, of organizationID: UUID) async throws -> WebhookSubscription? {
        try await store.webhookSubscription(id, of: organizationID)
    }

    public func insertWebhookSubscription(_ subscription: WebhookSubscription, secret: String) async throws {
        try await store.insert(subscription, secret: secret)
    }

    public func updateWebhookSubscription(_ subscription: WebhookSubscription) async throws {
        try await mapped { try await store.update(subscription) }
    }

    public func rotateWebhookSecret(_ id: UUID, secret: String, at: Date) async throws {
        try await mapped { try await store.rotateWebhookSecret(id, secret: secret, at: at) }
    }

    public func deleteWebhookSubscription(_ id: UUID) async throws { try await store.deleteWebhookSubscription(id) }

    public func webhookDelivery(_ id: UUID, of subscriptionID: UUID) async throws -> WebhookDelivery? {
        try await store.webhookDelivery(id, of: subscriptionID)
    }

    public func redeliver(_ id: UUID, at: Date) async throws -> WebhookDelivery {
        try await mapped { try await store.redeliver(id, at: at) }
    }

    /// `body`, with a store's refusal in the verbs' terms.
    private func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as StoreError { throw e.asWorkflowError }
    }
}
