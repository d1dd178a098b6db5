import CoSellDomain
import Foundation

/// What the verbs read and write of the customer's people kept on a joint account.
public protocol CustomerContactStore: Sendable {
    /// Keeps the named people on the account: a new name becomes a contact; a known one (same name,
    /// ignoring case and spaces) gains a title or e-mail it did not have.
    func keepCustomerContacts(_ named: [CustomerContacts.Named], on jointAccountID: UUID, at: Date) async throws
    /// The account's contacts, by name.
    func customerContacts(of jointAccountID: UUID) async throws -> [CustomerContact]
}
