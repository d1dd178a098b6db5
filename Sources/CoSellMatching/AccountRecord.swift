import Foundation

/// One account as read and normalized, for persistence and display.
public struct AccountRecord: Sendable, Codable, Hashable {
    /// The CRM's own record id (or `line-N` when the file has no id column or the value is blank).
    public var id: String
    public var name: String
    public var website: String?
    /// Registrable domain / free-mail / none, from the website (or domain) column.
    public var domain: DomainResult
    /// Normalized name key used for matching.
    public var nameKey: String
    /// ISO 3166-1 alpha-2 code when recognised, else the lowercased value.
    public var country: String?
    public var industry: String?
    public var employees: Int?
    public var population: Population
    /// 1-based line in the file where the record starts.
    public var line: Int
    /// The postal address, as written (Salesforce: the billing address).
    public var street: String? = nil
    public var city: String? = nil
    public var state: String? = nil
    public var postalCode: String? = nil
}
