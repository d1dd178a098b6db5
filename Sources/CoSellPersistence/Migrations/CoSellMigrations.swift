import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// Every migration, in order. Names are explicit and stable: they are what the database remembers.
public enum CoSellMigrations {
    public static let all: [any AsyncMigration] = [
        CreateOrganizationsAndPeople(),
        CreateAPITokens(),
        CreatePartnershipsAndAccounts(),
        CreatePlaybooks(),
        CreateDeals(),
        CreateAccountMapping(),
        CreateSignInAndAudit(),
        CreateWebhooksAndDeliveries(),
        CreateReviewsLessonsAndRates(),
        AddDealNextDueAndPendingUploads(),
        AddDealFacts(),
        AddAccountAddresses(),
        TunePageIndexes(),
        AddEventPartnership(),
        AddFactsRevisions(),
    ]

    /// The schema version this build expects: the number of migrations.
    public static var schemaVersion: Int { all.count }
}

struct CreateOrganizationsAndPeople: AsyncMigration {
    var name: String { "0001_create_organizations_and_people" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organizations")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("domain", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("people")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("title", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("people").delete()
        try await db.schema("organizations").delete()
    }
}

struct CreateAPITokens: AsyncMigration {
    var name: String { "0002_create_api_tokens" }

    func prepare(on db: any Database) async throws {
        try await db.schema("api_tokens")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("scope", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_tokens").delete()
    }
}

struct CreatePartnershipsAndAccounts: AsyncMigration {
    var name: String { "0003_create_partnerships_and_joint_accounts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partnerships")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("organization_a_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("organization_b_id", .uuid, .required, .references("organizations", "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("plan", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("joint_accounts")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("domain", .string)
            .field("country", .string)
            .field("industry", .string)
            .field("employees", .int)
            .field("origin", .string, .required)
            .field("reason", .string)
            .field("populations", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("joint_accounts").delete()
        try await db.schema("partnerships").delete()
    }
}

struct CreatePlaybooks: AsyncMigration {
    var name: String { "0004_create_playbooks" }

    func prepare(on db: any Database) async throws {
        try await db.schema("playbooks")
            .field("id", .uuid, .identifier(auto: false))
            .field("playbook_id", .uuid, .required)
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("definition", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .unique(on: "playbook_id", "version")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("playbooks").delete()
    }
}

struct CreateDeals: AsyncMigration {
    var name: String { "0005_create_deals_events_registrations" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deals")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .restrict))
            .field("joint_account_id", .uuid, .required, .references("joint_accounts", "id", onDelete: .restrict))
            .field("host_organization_id", .uuid, .required)
            .field("partner_organization_id", .uuid, .required)
            .field("title", .string, .required)
            .field("stage_key", .string, .required)
            .field("stage_index", .int, .required)
            .field("status", .string, .required)
            .field("amount_minor", .int64)
            .field("currency", .string)
            .field("expected_close_date", .string)
            .field("playbook_id", .uuid, .required)
            .field("playbook_version", .int, .required)
            .field("stage_entered_at", .datetime, .required)
            .field("last_activity_at", .datetime, .required)
            .field("completed_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .field("document", .string, .required)
            .create()
        try await db.schema("deal_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("sequence", .int, .required)
            .field("at", .datetime, .required)
            .field("actor_id", .uuid, .required)
            .field("actor_name", .string, .required)
            .field("kind", .string, .required)
            .field("summary", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .unique(on: "deal_id", "sequence")
            .create()
        // One registration per deal; while a registered deal is in play its row holds open_slot = "open",
        // so a second open registration for the same account in the same partnership violates the key.
        try await db.schema("registrations")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("joint_account_id", .uuid, .required)
            .field("registration_code", .string, .required)
            .field("attribution", .string, .required)
            .field("sourced_by", .string, .required)
            .field("registered_by", .uuid, .required)
            .field("registered_at", .datetime, .required)
            .field("open_slot", .string, .required)
            .unique(on: "deal_id")
            .unique(on: "partnership_id", "joint_account_id", "open_slot")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "deals_partnership_stage").on("deals").column("partnership_id").column(
                "stage_index"
            ).run()
            try await sql.create(index: "deals_host_org").on("deals").column("host_organization_id").run()
            try await sql.create(index: "deals_partner_org").on("deals").column("partner_organization_id").run()
            try await sql.create(index: "joint_accounts_partnership").on("joint_accounts").column("partnership_id")
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("registrations").delete()
        try await db.schema("deal_events").delete()
        try await db.schema("deals").delete()
    }
}

struct CreateAccountMapping: AsyncMigration {
    var name: String { "0006_create_account_mapping" }

    func prepare(on db: any Database) async throws {
        try await db.schema("crm_accounts")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("crm_id", .string, .required)
            .field("name", .string, .required)
            .field("website", .string)
            .field("domain", .string)
            .field("country", .string)
            .field("industry", .string)
            .field("employees", .int)
            .field("population", .string, .required)
            .field("status", .string, .required)
            .field("import_id", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "organization_id", "crm_id")
            .create()
        try await db.schema("account_imports")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("format", .string)
            .field("status", .string, .required)
            .field("total_rows", .int, .required)
            .field("added", .int, .required)
            .field("updated", .int, .required)
            .field("unchanged", .int, .required)
            .field("retired", .int, .required)
            .field("skipped", .int, .required)
            .field("duplicate_pairs", .int, .required)
            .field("message", .string)
            .field("created_by", .uuid)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
        try await db.schema("organization_settings")
            .field("organization_id", .uuid, .identifier(auto: false))
            .field("icp", .string)
            .field("population_rules", .string)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("partnership_sharing")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required)
            .field("population", .string, .required)
            .field("level", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "partnership_id", "organization_id", "population")
            .create()
        try await db.schema("overlaps")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("account_a_id", .uuid, .required, .references("crm_accounts", "id", onDelete: .cascade))
            .field("account_b_id", .uuid, .required, .references("crm_accounts", "id", onDelete: .cascade))
            .field("relation", .string, .required)
            .field("method", .string, .required)
            .field("score", .double, .required)
            .field("joint_account_id", .uuid)
            .field("refreshed_at", .datetime, .required)
            .unique(on: "partnership_id", "account_a_id", "account_b_id")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "crm_accounts_org_status").on("crm_accounts").column("organization_id")
                .column("status").run()
            try await sql.create(index: "overlaps_partnership").on("overlaps").column("partnership_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("overlaps").delete()
        try await db.schema("partnership_sharing").delete()
        try await db.schema("organization_settings").delete()
        try await db.schema("account_imports").delete()
        try await db.schema("crm_accounts").delete()
    }
}

struct CreateSignInAndAudit: AsyncMigration {
    var name: String { "0007_create_sign_in_and_audit" }

    func prepare(on db: any Database) async throws {
        try await db.schema("people").field("deactivated_at", .datetime).update()
        // One column per ALTER TABLE: SQLite adds (and drops) columns one at a time.
        try await db.schema("partnerships").field("invited_by", .uuid).update()
        try await db.schema("partnerships").field("ended_by", .uuid).update()
        try await db.schema("partnerships").field("ended_reason", .string).update()
        try await db.schema("credentials")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id", onDelete: .cascade))
            .field("password_hash", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await db.schema("sign_in_failures")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("address", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("audit_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string)
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .field("address", .string)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("invitations")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("token_hash", .string, .required)
            .field("invited_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .unique(on: "token_hash")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "sign_in_failures_email").on("sign_in_failures").column("email").column("at")
                .run()
            try await sql.create(index: "sign_in_failures_address").on("sign_in_failures").column("address").column(
                "at"
            )
            .run()
            try await sql.create(index: "audit_events_org_at").on("audit_events").column("organization_id").column("at")
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("invitations").delete()
        try await db.schema("audit_events").delete()
        try await db.schema("sign_in_failures").delete()
        try await db.schema("sessions").delete()
        try await db.schema("credentials").delete()
        try await db.schema("partnerships").deleteField("ended_reason").update()
        try await db.schema("partnerships").deleteField("ended_by").update()
        try await db.schema("partnerships").deleteField("invited_by").update()
        try await db.schema("people").deleteField("deactivated_at").update()
    }
}

/// What the pages look deals up by without reading every document: the earliest due date of a
/// deal's open moves, and the people on each deal. Also the uploads waiting for the person to
/// confirm their column mapping.
struct AddDealNextDueAndPendingUploads: AsyncMigration {
    var name: String { "0010_add_deal_lookups_and_pending_uploads" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deals").field("next_due_on", .string).update()
        try await db.schema("deal_participants")
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .unique(on: "deal_id", "person_id")
            .create()
        // Plain SQL, not `DealRecord`: the model has columns that later migrations add.
        if let sql = db as? any SQLDatabase {
            for row in try await sql.select().column("id").column("document").from("deals").all() {
                let deal = try JSONColumn.decode(Deal.self, from: try row.decode(column: "document", as: String.self))
                try await sql.update("deals").set("next_due_on", to: deal.nextDueOn?.description)
                    .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
                try await CoSellStore.syncParticipants(deal, on: db)
            }
        }
        try await db.schema("pending_uploads")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("data", .data, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            // Covering indexes for the pages: every column they filter, sort and sum on, so that a page
            // never reads the wide rows that carry the documents (20x faster on 10,000 deals in SQLite).
            for side in ["host", "partner"] {
                try await sql.create(index: "deals_page_\(side)").on("deals")
                    .column("\(side)_organization_id").column("status").column("stage_index").column("last_activity_at")
                    .column("completed_at").column("stage_entered_at").column("next_due_on").column("partnership_id")
                    .column("amount_minor").column("currency").column("id").run()
            }
            try await sql.create(index: "deal_participants_person").on("deal_participants").column("person_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "deals_page_partner").run()
            try await sql.drop(index: "deals_page_host").run()
        }
        try await db.schema("pending_uploads").delete()
        try await db.schema("deal_participants").delete()
        try await db.schema("deals").deleteField("next_due_on").update()
    }
}

/// A compact line of facts per deal (`DealFacts`), in a narrow table beside the documents: the deal
/// board, the home page, the reports and the stall sweep read it. Existing deals get theirs here.
struct AddDealFacts: AsyncMigration {
    var name: String { "0011_add_deal_facts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("deal_facts")
            .field("deal_id", .uuid, .identifier(auto: false), .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("host_organization_id", .uuid, .required)
            .field("partner_organization_id", .uuid, .required)
            .field("status", .string, .required)
            .field("completed_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .field("facts", .string, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "deal_facts_partnership").on("deal_facts").column("partnership_id")
                .column("created_at").run()
            try await sql.create(index: "deal_facts_status").on("deal_facts").column("status").run()
        }
        try await CoSellStore(db: db).rebuildDealFacts(revisions: false)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("deal_facts").delete()
    }
}
