import CoSellDomain
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func queueMail(_ notes: [MailNote], at: Date) async throws {
        try await store.queueMail(notes, at: at)
    }

    public func queueAccountMail(_ mail: AccountMail, at: Date) async throws {
        try await store.queueAccountMail(mail, at: at)
    }

    public func notificationPreferences(of personID: UUID) async throws -> NotificationPreferences {
        try await store.notificationPreferences(of: personID)
    }

    public func setNotificationPreferences(
        _ preferences: NotificationPreferences, of personID: UUID, at: Date
    ) async throws {
        try await store.setNotificationPreferences(preferences, of: personID, at: at)
    }

    public func unsubscribeToken(of personID: UUID, at: Date) async throws -> String {
        try await store.unsubscribeToken(of: personID, at: at)
    }

    public func person(unsubscribeToken token: String) async throws -> UUID? {
        try await store.person(unsubscribeToken: token)
    }
}

extension FluentWorkflowStore {
    public func keepCustomerContacts(_ named: [CustomerContacts.Named], on jointAccountID: UUID, at: Date) async throws
    {
        try await store.keepCustomerContacts(named, on: jointAccountID, at: at)
    }

    public func customerContacts(of jointAccountID: UUID) async throws -> [CustomerContact] {
        try await store.customerContacts(of: jointAccountID)
    }
}
