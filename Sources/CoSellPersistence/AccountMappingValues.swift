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
    /// When the accounts were put back as they were before this import (nil: not restored), by whom
    /// (nil: the operator's command line).
    public var restoredAt: Date? = nil
    public var restoredBy: UUID? = nil
    /// On a restored import: the accounts given back their previous values (those it changed or
    /// retired), and the accounts it had added, retired.
    public var restoredAccounts: Int? = nil
    public var restoredRetired: Int? = nil
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
