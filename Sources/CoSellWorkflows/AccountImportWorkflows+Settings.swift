import CoSellDomain
import CoSellMatching
import Foundation

extension AccountImportWorkflows {
    /// An ideal customer profile as a client writes it.
    public struct ProfileInput: Sendable {
        public var industries: [String]
        public var employeesMin: Int?
        public var employeesMax: Int?
        public var countries: [String]

        public init(industries: [String], employeesMin: Int? = nil, employeesMax: Int? = nil, countries: [String]) {
            self.industries = industries
            self.employeesMin = employeesMin
            self.employeesMax = employeesMax
            self.countries = countries
        }
    }

    /// An organization's settings as a client writes them; nil parts are cleared.
    public struct SettingsInput: Sendable {
        public var idealCustomerProfile: ProfileInput?
        public var populationRules: PopulationRules?

        public init(idealCustomerProfile: ProfileInput? = nil, populationRules: PopulationRules? = nil) {
            self.idealCustomerProfile = idealCustomerProfile
            self.populationRules = populationRules
        }
    }

    /// An admin replaces their organization's ideal customer profile and population rules. `input` is
    /// read after the organization, write and role checks; a field out of range is refused by its
    /// path (`ideal_customer_profile.industries[3]`, `population_rules.rules[0].value`). Returns the
    /// settings as they were written, accepted.
    @discardableResult
    public func setSettings(
        of organizationID: UUID, by p: Principal, _ input: @escaping @Sendable () async throws -> SettingsInput
    ) async throws -> SettingsInput {
        guard organizationID == p.person.organizationID else { throw WorkflowError.notFound("organization") }
        try p.requireWrite()
        try p.require([.admin], "Only admins change the ideal customer profile.")
        let wanted = try await input()
        let settings = MappingSettings(
            idealCustomerProfile: try wanted.idealCustomerProfile.map(Self.profile),
            populationRules: try wanted.populationRules.map(Self.checked))
        let now = clock()
        try await store.transaction { s in try await s.saveSettings(settings, of: organizationID, at: now) }
        return wanted
    }

    static func profile(_ b: ProfileInput) throws -> IdealCustomerProfile {
        if b.industries.count > 100 {
            throw WorkflowError.invalid(field: "ideal_customer_profile.industries", "At most 100 industries.")
        }
        if b.countries.count > 300 {
            throw WorkflowError.invalid(field: "ideal_customer_profile.countries", "At most 300 countries.")
        }
        for (field, list) in [("industries", b.industries), ("countries", b.countries)] {
            for (i, v) in list.enumerated() where v.trimmingCharacters(in: .whitespaces).isEmpty || v.count > 200 {
                throw WorkflowError.invalid(
                    field: "ideal_customer_profile.\(field)[\(i)]", "Each entry must be 1 to 200 characters.")
            }
        }
        var range: ClosedRange<Int>? = nil
        if b.employeesMin != nil || b.employeesMax != nil {
            let lo = b.employeesMin ?? 0
            let hi = b.employeesMax ?? Int(Int32.max)
            guard lo >= 0 else {
                throw WorkflowError.invalid(
                    field: "ideal_customer_profile.employees_min", "employees_min must not be negative.")
            }
            guard hi >= lo else {
                throw WorkflowError.invalid(
                    field: "ideal_customer_profile.employees_max", "employees_max must be at least employees_min.")
            }
            range = lo...hi
        }
        return IdealCustomerProfile(industries: Set(b.industries), employeeRange: range, countries: Set(b.countries))
    }

    static func checked(_ rules: PopulationRules) throws -> PopulationRules {
        if rules.rules.count > 50 {
            throw WorkflowError.invalid(field: "population_rules.rules", "At most 50 rules.")
        }
        for (i, r) in rules.rules.enumerated() where r.value.isEmpty || r.value.count > 200 {
            throw WorkflowError.invalid(
                field: "population_rules.rules[\(i)].value", "Each value must be 1 to 200 characters.")
        }
        return rules
    }
}
