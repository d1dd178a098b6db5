import FluentKit
import FluentSQL

/// Opening a deal asks for the open deals on its joint account (a second one needs a reason): an
/// index on `deals.joint_account_id` keeps that one lookup instead of a scan of every deal.
struct AddDealAccountIndex: AsyncMigration {
    var name: String { "0023_add_deal_account_index" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "deals_joint_account").on("deals").column("joint_account_id").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "deals_joint_account").run()
    }
}
