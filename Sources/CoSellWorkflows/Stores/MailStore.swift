import CoSellDomain
import Foundation

/// What the verbs of mail read and write: the notes queued with a change (the outbox), and each
/// person's choices. Sending is the mail worker's, on `CoSellStore`.
public protocol MailStore: Sendable {
    /// Queues notes to be sent from `at`; a note whose key was queued before is left out.
    func queueMail(_ notes: [MailNote], at: Date) async throws
    /// Queues a mail about a person's access (an invitation, a password reset) to be sent from `at`.
    func queueAccountMail(_ mail: AccountMail, at: Date) async throws
    /// The person's choices; the defaults when they never chose.
    func notificationPreferences(of personID: UUID) async throws -> NotificationPreferences
    func setNotificationPreferences(_ preferences: NotificationPreferences, of personID: UUID, at: Date) async throws
    /// The token of the person's unsubscribe link, made on first use.
    func unsubscribeToken(of personID: UUID, at: Date) async throws -> String
    /// The person an unsubscribe token belongs to, or nil.
    func person(unsubscribeToken token: String) async throws -> UUID?
}
