import CoSellDomain
import Foundation

/// The verbs of a person's mail: what they choose to be told, and the unsubscribe link that
/// works without signing in.
public struct NotificationWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// The signed-in person's choices.
    public func preferences(of p: Principal) async throws -> NotificationPreferences {
        try await store.notificationPreferences(of: p.person.id)
    }

    /// Saves the signed-in person's choices (a viewer may choose too: it is their own mail).
    public func setPreferences(_ preferences: NotificationPreferences, by p: Principal) async throws {
        let now = clock()
        try await store.transaction { s in
            try await s.setNotificationPreferences(preferences, of: p.person.id, at: now)
        }
    }

    /// The person an unsubscribe link names, for its page; nil for an unknown token.
    public func person(unsubscribeToken token: String) async throws -> Person? {
        guard let id = try await store.person(unsubscribeToken: token) else { return nil }
        return try await store.person(id)
    }

    /// Stops all mail to the person the link names. Unknown tokens are `notFound`.
    @discardableResult
    public func unsubscribe(token: String) async throws -> Person {
        let now = clock()
        return try await store.transaction { s in
            guard let id = try await s.person(unsubscribeToken: token), let person = try await s.person(id) else {
                throw WorkflowError.notFound("unsubscribe link")
            }
            var prefs = try await s.notificationPreferences(of: id)
            prefs.unsubscribed = true
            try await s.setNotificationPreferences(prefs, of: id, at: now)
            return person
        }
    }
}
