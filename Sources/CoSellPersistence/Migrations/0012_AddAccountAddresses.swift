import FluentKit

/// The customer's postal address on CRM accounts and joint accounts (street, city, state or region,
/// postal code; the country was there already), which the AWS ACE and Partner Center exports require.
/// Nullable columns: accounts imported before hold none until the next import.
struct AddAccountAddresses: AsyncMigration {
    var name: String { "0012_add_account_addresses" }

    static let columns = ["street", "city", "state", "postal_code"]

    func prepare(on db: any Database) async throws {
        for table in ["crm_accounts", "joint_accounts"] {
            for column in Self.columns {
                try await db.schema(table).field(.string(column), .string).update()
            }
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["joint_accounts", "crm_accounts"] {
            for column in Self.columns.reversed() {
                try await db.schema(table).deleteField(.string(column)).update()
            }
        }
    }
}
