import CoSellDomain
import CoSellMatching
import Foundation

/// The values of a CRM account an import writes, compared to tell a changed account from an
/// unchanged one.
struct AccountValues: Equatable, Sendable {
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

    init(
        name: String, website: String?, domain: String?, country: String?, industry: String?, employees: Int?,
        population: String, status: String, street: String?, city: String?, state: String?, postalCode: String?
    ) {
        self.name = name
        self.website = website
        self.domain = domain
        self.country = country
        self.industry = industry
        self.employees = employees
        self.population = population
        self.status = status
        self.street = street
        self.city = city
        self.state = state
        self.postalCode = postalCode
    }
}

/// A `crm_accounts` row read with SQL, without a Fluent record: what an import compares and
/// matching reads, a million at a time.
struct AccountRow: Decodable, Sendable {
    var id: UUID
    var crmID: String
    var name: String
    var website: String?
    var domain: String?
    var country: String?
    var industry: String?
    var employees: Int?
    var population: String
    var status: String
    var updatedAt: Date
    var street: String?
    var city: String?
    var state: String?
    var postalCode: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case crmID = "crm_id"
        case name, website, domain, country, industry, employees, population, status
        case updatedAt = "updated_at"
        case street, city, state
        case postalCode = "postal_code"
    }

    static var columns: [String] { CodingKeys.allCases.map(\.rawValue) }

    var values: AccountValues {
        AccountValues(
            name: name, website: website, domain: domain, country: country, industry: industry, employees: employees,
            population: population, status: status, street: street, city: city, state: state, postalCode: postalCode)
    }

    func account(of organizationID: UUID) -> CRMAccount {
        CRMAccount(
            id: id, organizationID: organizationID, crmID: crmID, name: name, website: website, domain: domain,
            country: country, industry: industry, employees: employees, population: population, status: status,
            updatedAt: updatedAt,
            address: CustomerAddress(line1: street, city: city, state: state, postalCode: postalCode).nonEmpty)
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
