import CoSellDomain
import FluentKit
import FluentSQL

/// The customer's people kept on a joint account (named on one deal, offered on the next), one per
/// name (`name_key`: lower case, single spaces), filled from the deals already saved.
struct CreateCustomerContacts: AsyncMigration {
    var name: String { "0025_create_customer_contacts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("customer_contacts")
            .field("id", .uuid, .identifier(auto: false))
            .field("joint_account_id", .uuid, .required, .references("joint_accounts", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("title", .string)
            .field("email", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "joint_account_id", "name_key")
            .create()
        try await CoSellStore(db: db).backfillCustomerContacts()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("customer_contacts").delete()
    }
}
