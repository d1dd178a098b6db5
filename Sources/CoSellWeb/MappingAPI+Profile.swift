import CoSellMatching
import Foundation
import Vapor

extension MappingAPI {
    struct ProfileBody: Codable {
        var industries: [String]
        var employeesMin: Int?
        var employeesMax: Int?
        var countries: [String]
    }

    struct SettingsBody: Codable {
        var idealCustomerProfile: ProfileBody?
        /// How this organization's CRM values map to populations; nil uses the detected format's defaults.
        var populationRules: PopulationRules?
    }

    /// Your organization's settings: the ideal customer profile and the population rules.
    static func profileOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/organizations/{organization_id}/settings", id: "getOrganizationSettings",
                summary: "Your organization's ideal customer profile", tag: "accounts",
                response: .ref("OrganizationSettings")
            ) { req in
                let p = try await req.principal()
                let org = try ownOrganization(req, p)
                let s = try await req.store.settings(of: org)
                return try APIJSON.response(
                    SettingsBody(
                        idealCustomerProfile: s.idealCustomerProfile.map(profileBody),
                        populationRules: s.populationRules))
            },
            APIOperation(
                .PUT, "/api/v1/organizations/{organization_id}/settings", id: "putOrganizationSettings",
                summary: "Set your organization's ideal customer profile (admins)", tag: "accounts",
                body: .ref("OrganizationSettings"), response: .ref("OrganizationSettings")
            ) { req in
                let p = try await req.principal()
                let org = try ownOrganization(req, p)
                try p.requireWrite()
                guard p.person.role == .admin else {
                    throw Problem.forbidden("Only admins change the ideal customer profile.")
                }
                let body = try APIJSON.decode(SettingsBody.self, from: req)
                var settings = try await req.store.settings(of: org)
                settings.idealCustomerProfile = try body.idealCustomerProfile.map(profile)
                if let rules = body.populationRules {
                    if rules.rules.count > 50 { throw Problem.invalid("population_rules.rules", "At most 50 rules.") }
                    for (i, r) in rules.rules.enumerated() where r.value.isEmpty || r.value.count > 200 {
                        throw Problem.invalid(
                            "population_rules.rules[\(i)].value", "Each value must be 1 to 200 characters.")
                    }
                }
                settings.populationRules = body.populationRules
                try await req.store.saveSettings(settings, of: org, at: Date())
                return try APIJSON.response(body)
            },
        ]
    }

    static func profileBody(_ p: IdealCustomerProfile) -> ProfileBody {
        ProfileBody(
            industries: p.industries.sorted(), employeesMin: p.employeeRange?.lowerBound,
            employeesMax: p.employeeRange?.upperBound,
            countries: p.countries.sorted())
    }

    static func profile(_ b: ProfileBody) throws -> IdealCustomerProfile {
        if b.industries.count > 100 {
            throw Problem.invalid("ideal_customer_profile.industries", "At most 100 industries.")
        }
        if b.countries.count > 300 {
            throw Problem.invalid("ideal_customer_profile.countries", "At most 300 countries.")
        }
        for (field, list) in [("industries", b.industries), ("countries", b.countries)] {
            for (i, v) in list.enumerated() where v.trimmingCharacters(in: .whitespaces).isEmpty || v.count > 200 {
                throw Problem.invalid(
                    "ideal_customer_profile.\(field)[\(i)]", "Each entry must be 1 to 200 characters.")
            }
        }
        var range: ClosedRange<Int>? = nil
        if b.employeesMin != nil || b.employeesMax != nil {
            let lo = b.employeesMin ?? 0
            let hi = b.employeesMax ?? Int(Int32.max)
            guard lo >= 0 else {
                throw Problem.invalid("ideal_customer_profile.employees_min", "employees_min must not be negative.")
            }
            guard hi >= lo else {
                throw Problem.invalid(
                    "ideal_customer_profile.employees_max", "employees_max must be at least employees_min.")
            }
            range = lo...hi
        }
        return IdealCustomerProfile(industries: Set(b.industries), employeeRange: range, countries: Set(b.countries))
    }
}
