import CoSellDomain
import Foundation

extension InMemoryStore {
    public func webhookSubscription(_ id: UUID, of organizationID: UUID) async throws -> WebhookSubscription? {
        read { s in s.webhookSubscriptions[id].flatMap { $0.organizationID == organizationID ? $0 : nil } }
    }

    public func insertWebhookSubscription(_ subscription: WebhookSubscription, secret: String) async throws {
        write { s in
            s.webhookSubscriptions[subscription.id] = subscription
            s.webhookSecrets[subscription.id] = secret
        }
    }

    public func updateWebhookSubscription(_ subscription: WebhookSubscription) async throws {
        try write { s in
            guard s.webhookSubscriptions[subscription.id] != nil else { throw WorkflowError.notFound("webhook") }
            s.webhookSubscriptions[subscription.id] = subscription
        }
    }

    public func rotateWebhookSecret(_ id: UUID, secret: String, at: Date) async throws {
        try write { s in
            guard s.webhookSubscriptions[id] != nil else { throw WorkflowError.notFound("webhook") }
            s.webhookSecrets[id] = secret
            s.webhookSubscriptions[id]?.updatedAt = at
        }
    }

    public func deleteWebhookSubscription(_ id: UUID) async throws {
        write { s in
            s.webhookSubscriptions[id] = nil
            s.webhookSecrets[id] = nil
            s.webhookDeliveries = s.webhookDeliveries.filter { $0.value.subscriptionID != id }
        }
    }

    public func webhookDelivery(_ id: UUID, of subscriptionID: UUID) async throws -> WebhookDelivery? {
        read { s in s.webhookDeliveries[id].flatMap { $0.subscriptionID == subscriptionID ? $0 : nil } }
    }

    public func redeliver(_ id: UUID, at: Date) async throws -> WebhookDelivery {
        try write { s in
            guard var d = s.webhookDeliveries[id] else { throw WorkflowError.notFound("delivery") }
            guard d.status == .delivered || d.status == .failed else {
                throw WorkflowError.conflict(
                    "Only a delivered or failed delivery can be sent again; this one is still queued.")
            }
            d.status = .pending
            d.attempts = 0
            d.nextAttemptAt = at
            s.webhookDeliveries[id] = d
            return d
        }
    }
}
