import CoSellDomain
import Foundation

extension InMemoryStore {
    public func queueMail(_ notes: [MailNote], at: Date) async throws {
        write { s in
            for n in notes where !s.mailNotes.contains(where: { $0.key == n.key }) { s.mailNotes.append(n) }
        }
    }

    public func queueAccountMail(_ mail: AccountMail, at: Date) async throws {
        write { s in s.accountMails.append(mail) }
    }

    public func notificationPreferences(of personID: UUID) async throws -> NotificationPreferences {
        read { s in s.notificationPreferences[personID] ?? NotificationPreferences() }
    }

    public func setNotificationPreferences(
        _ preferences: NotificationPreferences, of personID: UUID, at: Date
    ) async throws {
        write { s in s.notificationPreferences[personID] = preferences }
    }

    public func unsubscribeToken(of personID: UUID, at: Date) async throws -> String {
        write { s in
            if let t = s.unsubscribeTokens[personID] { return t }
            let t = "u_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            s.unsubscribeTokens[personID] = t
            return t
        }
    }

    public func person(unsubscribeToken token: String) async throws -> UUID? {
        read { s in s.unsubscribeTokens.first { $0.value == token }?.key }
    }
}
