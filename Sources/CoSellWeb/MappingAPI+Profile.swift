import CoSellMatching
import CoSellWorkflows
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
                let org = try req.id("organization_id", "organization")
                let accepted = try await req.workflows.imports.setSettings(of: org, by: p) {
                    try APIJSON.decode(SettingsBody.self, from: req).input
                }
                return try APIJSON.response(SettingsBody(accepted))
            },
        ]
    }

    static func profileBody(_ p: IdealCustomerProfile) -> ProfileBody {
        ProfileBody(
            industries: p.industries.sorted(), employeesMin: p.employeeRange?.lowerBound,
            employeesMax: p.employeeRange?.upperBound,
            countries: p.countries.sorted())
    }
}

extension MappingAPI.SettingsBody {
    /// The settings as the verb takes them.
    var input: AccountImportWorkflows.SettingsInput {
        .init(
            idealCustomerProfile: idealCustomerProfile.map {
                .init(
                    industries: $0.industries, employeesMin: $0.employeesMin, employeesMax: $0.employeesMax,
                    countries: $0.countries)
            }, populationRules: populationRules)
    }

    /// The settings the verb accepted, as they were written.
    init(_ input: AccountImportWorkflows.SettingsInput) {
        self.init(
            idealCustomerProfile: input.idealCustomerProfile.map {
                .init(
                    industries: $0.industries, employeesMin: $0.employeesMin, employeesMax: $0.employeesMax,
                    countries: $0.countries)
            }, populationRules: input.populationRules)
    }
}
