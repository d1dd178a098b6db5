import CoSellDomain
import CoSellMatching
import FluentSQLiteDriver
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

extension AccountValues {
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

    init(id: UUID, crmID: String, updatedAt: Date, values: AccountValues) {
        self.id = id
        self.crmID = crmID
        self.updatedAt = updatedAt
        self.values = values
    }

    /// A row read with SQLiteNIO, its columns named as `columns`; as the decoder would read it.
    init(sqlite r: SQLiteRow) throws {
        func corrupt(_ c: String) -> any Error {
            DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "crm_accounts.\(c) cannot be read"))
        }
        func text(_ c: String) throws -> String {
            guard let d = r.column(c), let s = String(sqliteData: d) else { throw corrupt(c) }
            return s
        }
        func optional(_ c: String) throws -> String? {
            guard let d = r.column(c) else { throw corrupt(c) }
            if case .null = d { return nil }
            guard let s = String(sqliteData: d) else { throw corrupt(c) }
            return s
        }
        guard let id = UUID(uuidString: try text("id")) else { throw corrupt("id") }
        guard let u = r.column("updated_at"), let updated = Date(sqliteData: u) else {
            throw corrupt("updated_at")
        }
        var employees: Int? = nil
        switch r.column("employees") {
        case .null?: break
        case .some(let d):
            guard let n = Int(sqliteData: d) else { throw corrupt("employees") }
            employees = n
        case nil: throw corrupt("employees")
        }
        self.id = id
        crmID = try text("crm_id")
        updatedAt = updated
        values = AccountValues(
            name: try text("name"), website: try optional("website"), domain: try optional("domain"),
            country: try optional("country"), industry: try optional("industry"), employees: employees,
            population: try text("population"), status: try text("status"), street: try optional("street"),
            city: try optional("city"), state: try optional("state"), postalCode: try optional("postal_code"))
    }

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
