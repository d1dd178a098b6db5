import CoSellDomain
import CoSellMatching
import FluentKit
import Foundation

final class CRMAccountRecord: Model, @unchecked Sendable {
    static let schema = "crm_accounts"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "crm_id") var crmID: String
    @Field(key: "name") var name: String
    @OptionalField(key: "website") var website: String?
    @OptionalField(key: "domain") var domain: String?
    @OptionalField(key: "country") var country: String?
    @OptionalField(key: "industry") var industry: String?
    @OptionalField(key: "employees") var employees: Int?
    @Field(key: "population") var population: String
    @Field(key: "status") var status: String
    @OptionalField(key: "import_id") var importID: UUID?
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "street") var street: String?
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "state") var state: String?
    @OptionalField(key: "postal_code") var postalCode: String?

    init() {}

    var value: CRMAccount {
        CRMAccount(
            id: id!, organizationID: organizationID, crmID: crmID, name: name, website: website, domain: domain,
            country: country, industry: industry, employees: employees, population: population, status: status,
            updatedAt: updatedAt,
            address: CustomerAddress(line1: street, city: city, state: state, postalCode: postalCode).nonEmpty)
    }
}

final class AccountImportRecord: Model, @unchecked Sendable {
    static let schema = "account_imports"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "file_name") var fileName: String
    @OptionalField(key: "format") var format: String?
    @Field(key: "status") var status: String
    @Field(key: "total_rows") var totalRows: Int
    @Field(key: "added") var added: Int
    @Field(key: "updated") var updated: Int
    @Field(key: "unchanged") var unchanged: Int
    @Field(key: "retired") var retired: Int
    @Field(key: "skipped") var skipped: Int
    @Field(key: "duplicate_pairs") var duplicatePairs: Int
    @OptionalField(key: "message") var message: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// The process running the job (`ImportRunner.text`); nil for jobs recorded before 0020.
    @OptionalField(key: "runner") var runner: String?
    /// True on the organization's latest applied import until it is restored (its undo rows are kept).
    @OptionalField(key: "restorable") var restorable: Bool?
    @OptionalField(key: "restored_at") var restoredAt: Date?
    @OptionalField(key: "restored_by") var restoredBy: UUID?
    @OptionalField(key: "restored_accounts") var restoredAccounts: Int?
    @OptionalField(key: "restored_retired") var restoredRetired: Int?

    init() {}

    var value: AccountImport {
        AccountImport(
            id: id!, organizationID: organizationID, fileName: fileName, format: format, status: status,
            totalRows: totalRows, added: added, updated: updated, unchanged: unchanged, retired: retired,
            skipped: skipped, duplicatePairs: duplicatePairs, message: message, startedAt: startedAt,
            finishedAt: finishedAt, restoredAt: restoredAt, restoredBy: restoredBy, restoredAccounts: restoredAccounts,
            restoredRetired: restoredRetired)
    }
}

final class OrganizationSettingsRecord: Model, @unchecked Sendable {
    static let schema = "organization_settings"
    @ID(custom: "organization_id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "icp") var icp: String?
    @OptionalField(key: "population_rules") var populationRules: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class SharingRecord: Model, @unchecked Sendable {
    static let schema = "partnership_sharing"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "population") var population: String
    @Field(key: "level") var level: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class OverlapRecord: Model, @unchecked Sendable {
    static let schema = "overlaps"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "account_a_id") var accountAID: UUID
    @Field(key: "account_b_id") var accountBID: UUID
    @Field(key: "relation") var relation: String
    @Field(key: "method") var method: String
    @Field(key: "score") var score: Double
    @OptionalField(key: "joint_account_id") var jointAccountID: UUID?
    @Field(key: "refreshed_at") var refreshedAt: Date

    init() {}
}
