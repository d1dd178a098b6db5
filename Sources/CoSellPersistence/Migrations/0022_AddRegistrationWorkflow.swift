import FluentKit
import FluentSQL
import Foundation

/// Registrations agreed by both companies, and counted once.
///
/// Each row now keeps its status, the company that submitted it, the host organization, the host's
/// account (`account_key`: its CRM account, else its domain, else the joint account) and the CRM
/// opportunity id (`opportunity_key`, empty when not given). Two unique indexes hold the rules:
/// - `registrations_accepted_once`: one accepted registration per host account and opportunity,
///   across all the host's partnerships (`accepted_slot` is "accepted" for the one that holds the
///   claim, the row's id otherwise);
/// - `registrations_code_per_organization`: a registration id once per submitting organization.
///
/// Registrations stored before the workflow were one company's word; they are kept as accepted,
/// submitted by the registering person's organization. Where old rows already break a rule (two
/// accepted registrations of one account, a code used twice), the oldest keeps the claim or code and
/// the others are left out of the key (their slot is their id; a repeated code gets its row id as
/// suffix), so the upgrade never fails on data it cannot change. Every deal's facts are written
/// again: the last stage's gate has a part more (the acceptance), and a pending registration is an
/// action of the company that decides on it.
struct AddRegistrationWorkflow: AsyncMigration {
    var name: String { "0022_add_registration_workflow" }

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for (name, type) in Self.columns {
            try await db.schema("registrations").field(FieldKey(stringLiteral: name), type).update()
        }
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.raw(
            """
            SELECT r.id, r.deal_id, r.joint_account_id, r.registration_code, d.host_organization_id, p.organization_id \
            FROM registrations r JOIN deals d ON d.id = r.deal_id LEFT JOIN people p ON p.id = r.registered_by \
            ORDER BY r.registered_at, r.id
            """
        ).all()
        var claims = Set<String>()
        var codes = Set<String>()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let host = try row.decode(column: "host_organization_id", as: UUID.self)
            let submitter = try row.decode(column: "organization_id", as: UUID?.self) ?? host
            let joint = try row.decode(column: "joint_account_id", as: UUID.self)
            var code = try row.decode(column: "registration_code", as: String.self)
            let key = try await CoSellStore.accountKey(jointAccountID: joint, hostOrganizationID: host, on: sql)
            let slot = claims.insert("\(host)|\(key)|").inserted ? "accepted" : id.uuidString
            if !codes.insert("\(submitter)|\(code)").inserted { code += " (\(id.uuidString.prefix(8)))" }
            try await sql.raw(
                """
                UPDATE registrations SET status = 'accepted', host_organization_id = \(bind: host), \
                submitting_organization_id = \(bind: submitter), account_key = \(bind: key), opportunity_key = '', \
                accepted_slot = \(bind: slot), registration_code = \(bind: code) WHERE id = \(bind: id)
                """
            ).run()
        }
        try await sql.create(index: "registrations_accepted_once").unique().on("registrations")
            .column("host_organization_id").column("account_key").column("opportunity_key").column("accepted_slot")
            .run()
        try await sql.create(index: "registrations_code_per_organization").unique().on("registrations")
            .column("submitting_organization_id").column("registration_code").run()
        try await CoSellStore(db: db).rebuildDealFacts()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "registrations_accepted_once").run()
            try await sql.drop(index: "registrations_code_per_organization").run()
        }
        for (name, _) in Self.columns.reversed() {
            try await db.schema("registrations").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }

    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("status", .string), ("host_organization_id", .uuid), ("submitting_organization_id", .uuid),
        ("account_key", .string), ("opportunity_key", .string), ("accepted_slot", .string),
    ]
}
