import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// Account mapping over the API: imports of CRM exports, ideal customer profiles, sharing, the
/// population matrix, ranked target accounts, and starting a deal from one.
enum MappingAPI {
    static let accountSummary = Schema.object(
        [
            ("crm_id", .string()), ("name", .string()), ("domain", .string()), ("country", .string()),
            ("industry", .string()), ("employees", .integer()), ("population", .string()),
        ], required: ["crm_id", "name", "population"])

    static let components: [(String, Schema)] = [
        (
            "AccountImport",
            .object(
                [
                    (
                        "job",
                        .object(
                            [
                                ("id", .uuid), ("organization_id", .uuid), ("file_name", .string()),
                                ("format", .string()),
                                ("status", .enumeration(["running", "succeeded", "failed"])),
                                ("total_rows", .integer()),
                                ("added", .integer()), ("updated", .integer()), ("unchanged", .integer()),
                                ("retired", .integer()), ("skipped", .integer()), ("duplicate_pairs", .integer()),
                                ("message", .string()), ("started_at", .dateTime), ("finished_at", .dateTime),
                                ("restored_at", .dateTime), ("restored_by", .uuid),
                                ("restored_accounts", .integer(min: 0)), ("restored_retired", .integer(min: 0)),
                            ], required: ["id", "organization_id", "file_name", "status", "started_at"])
                    ),
                    ("percent", .integer(min: 0, max: 100)),
                ], required: ["job", "percent"])
        ),
        (
            "OrganizationSettings",
            .object(
                [
                    (
                        "ideal_customer_profile",
                        .object(
                            [
                                ("industries", .array(.name, maxItems: 100)), ("employees_min", .integer(min: 0)),
                                ("employees_max", .integer(min: 0)), ("countries", .array(.name, maxItems: 300)),
                            ], required: ["industries", "countries"])
                    ),
                    (
                        "population_rules",
                        .object(
                            [
                                (
                                    "rules",
                                    .array(
                                        .object(
                                            [
                                                ("match", .enumeration(["equals", "prefix", "contains"])),
                                                ("value", .name),
                                                ("population", .enumeration(Population.allCases.map(\.rawValue))),
                                            ], required: ["match", "value", "population"]), maxItems: 50)
                                ),
                                ("default_population", .enumeration(Population.allCases.map(\.rawValue))),
                            ], required: ["rules", "default_population"])
                    ),
                ], required: [])
        ),
        (
            "Sharing",
            .array(
                .object(
                    [
                        ("organization_id", .uuid), ("population", .string()),
                        ("level", .enumeration(SharingLevel.allCases.map(\.rawValue))),
                    ], required: ["organization_id", "population", "level"]))
        ),
        (
            "Target",
            .object(
                [
                    ("overlap_id", .uuid), ("yours", accountSummary), ("partners", accountSummary),
                    ("relation", .string()),
                    ("method", .string()), ("score", .any), ("play", .enumeration(Play.allCases.map(\.rawValue))),
                    ("your_fit", .string()), ("partner_fit", .string()), ("door_opener", .string()),
                    ("priority", .integer()),
                    ("joint_account_id", .uuid),
                ], required: ["overlap_id", "yours", "partners", "relation", "method", "score", "play", "priority"])
        ),
    ]

    /// Every account-mapping operation: imports, the ideal customer profile, sharing, then the overlap's targets.
    static func operations() -> [APIOperation] {
        importOperations() + profileOperations() + sharingOperations() + targetOperations()
    }

    static func ownOrganization(_ req: Request, _ p: Principal) throws -> UUID {
        let id = try req.id("organization_id", "organization")
        guard id == p.person.organizationID else { throw Problem.notFound("organization") }
        return id
    }
}
