import CoSellDomain
import CoSellMatching
import Foundation

/// The values of a CRM account an import writes, compared to tell a changed account from an
/// unchanged one; decoded from a `crm_accounts` row by their column names.
struct AccountValues: Equatable, Sendable, Decodable {
    var name: String
    var website: String?
    var domain: String?
    var country: String?
    var industry: String?
    var employees: Int?
    var population: String
    var status: String
    var street: String?
    var city: String?
    var state: String?
    var postalCode: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, website, domain, country, industry, employees, population, status, street, city, state
        case postalCode = "postal_code"
    }

    /// What an imported record makes of an account: active, with its domain as matched.
    init(_ r: AccountRecord) {
        name = r.name
        website = r.website
        domain = r.domain.matchable
        country = r.country
        industry = r.industry
        employees = r.employees
        population = r.population.rawValue
        status = "active"
        street = r.street
        city = r.city
        state = r.state
        postalCode = r.postalCode
    }
}

/// A `crm_accounts` row read with SQL, without a Fluent record: what an import compares and
/// matching reads, a million at a time.
struct AccountRow: Decodable, Sendable {
    var id: UUID
    var crmID: String
    var updatedAt: Date
    var values: AccountValues

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case crmID = "crm_id"
        case updatedAt = "updated_at"
    }

    /// The columns to select: these and the values'.
    static var columns: [String] {
        CodingKeys.allCases.map(\.rawValue) + AccountValues.CodingKeys.allCases.map(\.rawValue)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        crmID = try c.decode(String.self, forKey: .crmID)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        values = try AccountValues(from: decoder)
    }

    var status: String { values.status }

    func account(of organizationID: UUID) -> CRMAccount {
        let v = values
        return CRMAccount(
            id: id, organizationID: organizationID, crmID: crmID, name: v.name, website: v.website, domain: v.domain,
            country: v.country, industry: v.industry, employees: v.employees, population: v.population,
            status: v.status, updatedAt: updatedAt,
            address: CustomerAddress(line1: v.street, city: v.city, state: v.state, postalCode: v.postalCode).nonEmpty)
    }
}

/// One entry of an import's plan: a new account made from file row `record`, an existing account
/// `accountID` changed to file row `record`, or existing row `record` (of the rows read) retired.
struct StagedChange: Sendable {
    enum Kind: UInt8, Sendable { case add, change, retire }
    var kind: Kind
    var accountID: UUID
    var record: Int
}
