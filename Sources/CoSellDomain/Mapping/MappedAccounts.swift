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

    public init(
        id: UUID, organizationID: UUID, crmID: String, name: String, website: String? = nil, domain: String? = nil,
        country: String? = nil, industry: String? = nil, employees: Int? = nil, population: String,
        status: String = "active", updatedAt: Date, address: CustomerAddress? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.crmID = crmID
        self.name = name
        self.website = website
        self.domain = domain
        self.country = country
        self.industry = industry
        self.employees = employees
        self.population = population
        self.status = status
        self.updatedAt = updatedAt
        self.address = address
    }
}

/// What one organization shares of one population with its partner.
public struct SharingSetting: Codable, Sendable, Equatable {
    public var organizationID: UUID
    public var population: String
    public var level: SharingLevel

    public init(organizationID: UUID, population: String, level: SharingLevel) {
        self.organizationID = organizationID
        self.population = population
        self.level = level
    }
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

    public init(
        id: UUID, partnershipID: UUID, accounts: [CRMAccount], relation: String, method: String, score: Double,
        jointAccountID: UUID? = nil
    ) {
        self.id = id
        self.partnershipID = partnershipID
        self.accounts = accounts
        self.relation = relation
        self.method = method
        self.score = score
        self.jointAccountID = jointAccountID
    }
}

extension [SharingSetting] {
    /// The level at which `organizationID` shares `population`; a population it never set is hidden.
    public func level(of organizationID: UUID, _ population: String) -> SharingLevel {
        first { $0.organizationID == organizationID && $0.population == population }?.level ?? .hidden
    }
}
