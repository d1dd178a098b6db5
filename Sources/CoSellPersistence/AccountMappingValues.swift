import CoSellDomain
import CoSellMatching
import Foundation

/// One import of a CRM export: what it did, or why it failed.
public struct AccountImport: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var fileName: String
    public var format: String?
    /// `running`, `succeeded` or `failed`.
    public var status: String
    public var totalRows: Int
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public var retired: Int
    /// Rows left out because they had no name.
    public var skipped: Int
    public var duplicatePairs: Int
    /// Why it failed, naming the line.
    public var message: String?
    public var startedAt: Date
    public var finishedAt: Date?
}

/// An organization's settings for account mapping.
public struct OrganizationSettings: Codable, Sendable, Equatable {
    public var idealCustomerProfile: IdealCustomerProfile?
    public var populationRules: PopulationRules?

    public init(idealCustomerProfile: IdealCustomerProfile? = nil, populationRules: PopulationRules? = nil) {
        self.idealCustomerProfile = idealCustomerProfile
        self.populationRules = populationRules
    }
}
