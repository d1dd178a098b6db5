import FluentKit
import FluentSQL
import Foundation

/// One partnership per pair of organizations that is not ended, held by the database: each pending
/// or active partnership keeps its pair as `open_pair` (the two ids in order), and a unique index
/// refuses a second one; ending a partnership clears it, so the pair may start again. Before, two
/// invitations sent at once both passed the "exists already" read and both were inserted.
///
/// Existing duplicates are kept as they are: the oldest open partnership of a pair takes the key, the
/// others keep none (and are listed by `cosell doctor`-style reads as before).
struct AddPartnershipOpenPair: AsyncMigration {
    var name: String { "0019_add_partnership_open_pair" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partnerships").field("open_pair", .string).update()
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.raw(
            "SELECT id, organization_a_id, organization_b_id FROM partnerships WHERE status <> 'ended' ORDER BY created_at, id"
        ).all()
        var taken = Set<String>()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let a = try row.decode(column: "organization_a_id", as: UUID.self)
            let b = try row.decode(column: "organization_b_id", as: UUID.self)
            let key = PartnershipRecord.pairKey(a, b)
            guard taken.insert(key).inserted else { continue }
            try await sql.raw("UPDATE partnerships SET open_pair = \(bind: key) WHERE id = \(bind: id)").run()
        }
        try await sql.create(index: "partnerships_open_pair").unique().on("partnerships").column("open_pair").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "partnerships_open_pair").run()
        }
        try await db.schema("partnerships").deleteField("open_pair").update()
    }
}
