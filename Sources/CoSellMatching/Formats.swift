import Foundation

/// The account fields cosell reads from a CRM export.
public enum AccountField: String, Sendable, Codable, CaseIterable, Hashable {
    case id, name, website, country, industry, employees, population
    /// The postal address (billing address in Salesforce), which co-sell programs require.
    case street, city, state
    case postalCode = "postal_code"
}

/// A CRM export format.
public enum CRMFormat: String, Sendable, Codable, Hashable, CaseIterable {
    case salesforce, hubspot, generic
    /// An explicit mapping supplied by the user.
    case custom

    /// Recognised header names per field (lowercase), API names first, then report labels.
    public var headerNames: [AccountField: [String]] {
        switch self {
        case .salesforce:
            return [
                .id: ["id", "account id", "accountid", "18-digit account id", "account id (18)"],
                .name: ["name", "account name", "accountname"],
                .website: ["website", "web site"],
                .country: [
                    "billingcountry", "billing country", "billingcountrycode", "shippingcountry", "shipping country",
                ],
                .industry: ["industry"],
                .employees: ["numberofemployees", "employees", "number of employees"],
                .population: ["type", "account type"],
                .street: ["billingstreet", "billing street", "shippingstreet", "shipping street"],
                .city: ["billingcity", "billing city", "shippingcity", "shipping city"],
                .state: [
                    "billingstate", "billing state/province", "billing state", "billingstatecode",
                    "shippingstate", "shipping state/province", "shipping state",
                ],
                .postalCode: [
                    "billingpostalcode", "billing zip/postal code", "billing postal code", "billing zip",
                    "shippingpostalcode", "shipping zip/postal code", "shipping postal code",
                ],
            ]
        case .hubspot:
            return [
                .id: ["hs_object_id", "record id", "company id", "companyid"],
                .name: ["name", "company name"],
                .website: ["domain", "company domain name", "website", "website url"],
                .country: ["country", "country/region"],
                .industry: ["industry"],
                .employees: ["numberofemployees", "number of employees"],
                .population: ["lifecyclestage", "lifecycle stage"],
                .street: ["address", "street address"],
                .city: ["city"],
                .state: ["state", "state/region"],
                .postalCode: ["zip", "postal code", "zip code"],
            ]
        case .generic, .custom:
            return [
                .id: ["account_id", "id", "account id"],
                .name: ["name", "account_name", "company", "company_name", "account name"],
                .website: ["website", "domain", "url"],
                .country: ["country"],
                .industry: ["industry"],
                .employees: ["employees", "employee_count", "number_of_employees"],
                .population: ["status", "population"],
                .street: ["street", "address", "street_address", "address_line_1", "address line 1"],
                .city: ["city"],
                .state: ["state", "region", "state_or_region", "province"],
                .postalCode: ["postal_code", "postcode", "zip", "zip_code", "postal code"],
            ]
        }
    }

    /// Headers that identify the format on their own.
    var signatureHeaders: [String] {
        switch self {
        case .salesforce:
            return [
                "billingcountry", "billing country", "numberofemployees", "type", "account name", "account id",
                "account type",
            ]
        case .hubspot:
            return [
                "hs_object_id", "lifecyclestage", "lifecycle stage", "record id", "company domain name",
                "country/region", "company name",
            ]
        case .generic: return ["account_id", "status"]
        case .custom: return []
        }
    }

    /// Default population rules for the format.
    public var defaultPopulationRules: PopulationRules {
        switch self {
        case .salesforce: return .salesforce
        case .hubspot: return .hubspot
        case .generic, .custom: return .generic
        }
    }
}

/// Which population a record belongs to.
public enum Population: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case customer, open_opportunity, prospect

    public static func < (a: Population, b: Population) -> Bool { a.order < b.order }
    var order: Int {
        switch self {
        case .customer: return 0
        case .open_opportunity: return 1
        case .prospect: return 2
        }
    }
    var code: UInt8 { UInt8(order) }
    static func fromCode(_ c: UInt8) -> Population {
        c == 0 ? .customer : (c == 1 ? .open_opportunity : .prospect)
    }
}

/// How an organization maps its CRM values to populations. Rules are tried in order on the trimmed,
/// case-insensitive population column value; the first that matches wins, otherwise `defaultPopulation`.
public struct PopulationRules: Sendable, Codable, Hashable {
    public enum Match: String, Sendable, Codable, Hashable { case equals, prefix, contains }
    public struct Rule: Sendable, Codable, Hashable {
        public var match: Match
        public var value: String
        public var population: Population
        public init(_ match: Match, _ value: String, _ population: Population) {
            self.match = match
            self.value = value
            self.population = population
        }
    }
    public var rules: [Rule]
    public var defaultPopulation: Population

    public init(rules: [Rule], defaultPopulation: Population = .prospect) {
        self.rules = rules
        self.defaultPopulation = defaultPopulation
    }

    /// Salesforce `Type`: values starting with "Customer" (e.g. "Customer - Direct") are customers.
    public static let salesforce = PopulationRules(rules: [
        Rule(.prefix, "customer", .customer),
        Rule(.prefix, "open opportunity", .open_opportunity),
        Rule(.equals, "opportunity", .open_opportunity),
        Rule(.prefix, "prospect", .prospect),
    ])
    /// HubSpot `lifecyclestage`: customer and opportunity.
    public static let hubspot = PopulationRules(rules: [
        Rule(.equals, "customer", .customer),
        Rule(.equals, "opportunity", .open_opportunity),
    ])
    /// Generic `status` column.
    public static let generic = PopulationRules(rules: [
        Rule(.prefix, "customer", .customer),
        Rule(.equals, "client", .customer),
        Rule(.equals, "open_opportunity", .open_opportunity),
        Rule(.equals, "open opportunity", .open_opportunity),
        Rule(.equals, "opportunity", .open_opportunity),
        Rule(.equals, "prospect", .prospect),
    ])

    /// Classifies a raw value.
    public func classify(_ value: String) -> Population {
        Array(value.utf8).withUnsafeBufferPointer { classify(bytes: $0) }
    }

    func compiled() -> CompiledPopulationRules { CompiledPopulationRules(self) }

    func classify(bytes: UnsafeBufferPointer<UInt8>) -> Population {
        Population.fromCode(compiled().classify(bytes))
    }
}

/// Byte-level form of `PopulationRules` for the import hot path.
struct CompiledPopulationRules {
    let rules: [(match: PopulationRules.Match, value: [UInt8], code: UInt8)]
    let defaultCode: UInt8

    init(_ r: PopulationRules) {
        rules = r.rules.map { ($0.match, Array($0.value.lowercased().utf8), $0.population.code) }
        defaultCode = r.defaultPopulation.code
    }

    func classify(_ input: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var lo = 0
        var hi = input.count
        while lo < hi && (input[lo] == 0x20 || input[lo] == 0x09) { lo += 1 }
        while hi > lo && (input[hi - 1] == 0x20 || input[hi - 1] == 0x09) { hi -= 1 }
        let n = hi - lo
        for rule in rules {
            let v = rule.value
            switch rule.match {
            case .equals:
                if n == v.count && eqLower(input, lo, v, 0) { return rule.code }
            case .prefix:
                if n >= v.count && eqLower(input, lo, v, 0) { return rule.code }
            case .contains:
                if n >= v.count {
                    var s = lo
                    while s + v.count <= hi {
                        if eqLower(input, s, v, 0) { return rule.code }
                        s += 1
                    }
                }
            }
        }
        return defaultCode
    }

    @inline(__always)
    private func eqLower(_ a: UnsafeBufferPointer<UInt8>, _ at: Int, _ v: [UInt8], _ unused: Int) -> Bool {
        var i = 0
        while i < v.count {
            var c = a[at + i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != v[i] { return false }
            i += 1
        }
        return true
    }
}

/// Which header holds each field. Build it from a detected format or explicitly.
public struct ColumnMapping: Sendable, Codable, Hashable {
    /// field -> header name as it appears in the file (matched case-insensitively).
    public var headers: [AccountField: String]
    public init(_ headers: [AccountField: String]) { self.headers = headers }
}

/// The outcome of reading a header row.
public struct FormatDetection: Sendable, Hashable, Codable {
    /// `custom` when an explicit mapping was applied, else the detected format.
    public var format: CRMFormat
    /// The format the headers look like (never `custom`); picks default population rules.
    public var detectedFormat: CRMFormat
    /// field -> column index.
    public var columns: [AccountField: Int]
    /// The header row as found.
    public var header: [String]
}

public enum FormatDetector {
    /// Detects the format from a header row and resolves column indices. An explicit mapping overrides
    /// detection for the fields it names. Throws `missingColumn` if no name column is found.
    public static func detect(
        header: [String], mapping: ColumnMapping? = nil
    ) throws(AccountImportError)
        -> FormatDetection
    {
        let lower = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var best: CRMFormat = .generic
        var bestScore = -1
        for format in [CRMFormat.salesforce, .hubspot, .generic] {
            var score = 0
            for sig in format.signatureHeaders where lower.contains(sig) { score += 3 }
            for (_, names) in format.headerNames where names.contains(where: { lower.contains($0) }) { score += 1 }
            if score > bestScore {
                best = format
                bestScore = score
            }
        }
        var columns: [AccountField: Int] = [:]
        for field in AccountField.allCases {
            for name in best.headerNames[field] ?? [] {
                if let i = lower.firstIndex(of: name) {
                    columns[field] = i
                    break
                }
            }
        }
        var format = best
        if let mapping {
            for (field, headerName) in mapping.headers {
                let h = headerName.trimmingCharacters(in: .whitespaces).lowercased()
                guard let i = lower.firstIndex(of: h) else {
                    throw AccountImportError(
                        kind: .badMapping, line: 1,
                        message: "mapped column \"\(headerName)\" for \(field.rawValue) is not in the header")
                }
                columns[field] = i
            }
            if !mapping.headers.isEmpty { format = .custom }
        }
        if columns[.name] == nil {
            throw AccountImportError(
                kind: .missingColumn, line: 1,
                message:
                    "no name column (expected one of: \((best.headerNames[.name] ?? []).joined(separator: ", ")))")
        }
        return FormatDetection(format: format, detectedFormat: best, columns: columns, header: header)
    }
}
