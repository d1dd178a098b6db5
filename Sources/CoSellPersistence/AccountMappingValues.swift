import CoSellDomain
import CoSellMatching
import Foundation

/// One account of one organization's CRM, as imported.
public struct CRMAccount: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var crmID: String
    public var name: String
    public var website: String?
    public var domain: String?
    public var country: String?
    public var industry: String?
    public var employees: Int?
    public var population: String
    /// `active`, or `retired` when a later import no longer had it.
    public var status: String
    public var updatedAt: Date
    /// The postal address from the export (Salesforce: the billing address); nil when it has none.
    public var address: CustomerAddress? = nil
}

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

public struct SharingSetting: Codable, Sendable, Equatable {
    public var organizationID: UUID
    public var population: String
    public var level: SharingLevel
}

/// An overlap between the two organizations of a partnership, with both accounts.
public struct StoredOverlap: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var partnershipID: UUID
    /// The accounts, in the partnership's organization order.
    public var accounts: [CRMAccount]
    public var relation: String
    public var method: String
    public var score: Double
    public var jointAccountID: UUID?
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
