import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func queueMail(_ notes: [MailNote], at: Date) async throws { try await base.queueMail(notes, at: at) }
    func queueAccountMail(_ mail: AccountMail, at: Date) async throws { try await base.queueAccountMail(mail, at: at) }
    func notificationPreferences(of personID: UUID) async throws -> NotificationPreferences {
        try await base.notificationPreferences(of: personID)
    }
    func setNotificationPreferences(
        _ preferences: NotificationPreferences, of personID: UUID, at: Date
    ) async throws {
        try await base.setNotificationPreferences(preferences, of: personID, at: at)
    }
    func unsubscribeToken(of personID: UUID, at: Date) async throws -> String {
        try await base.unsubscribeToken(of: personID, at: at)
    }
    func person(unsubscribeToken token: String) async throws -> UUID? {
        try await base.person(unsubscribeToken: token)
    }
}

extension FailingStore {
    func keepCustomerContacts(_ named: [CustomerContacts.Named], on jointAccountID: UUID, at: Date) async throws {
        try await base.keepCustomerContacts(named, on: jointAccountID, at: at)
    }
    func customerContacts(of jointAccountID: UUID) async throws -> [CustomerContact] {
        try await base.customerContacts(of: jointAccountID)
    }
}
