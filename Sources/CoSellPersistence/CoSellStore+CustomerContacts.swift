import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    /// Keeps the named people on the account (`ON CONFLICT` on the account and the name's key, on
    /// both engines): a new name is inserted; a known one gains the title or e-mail it lacked.
    public func keepCustomerContacts(_ named: [CustomerContacts.Named], on jointAccountID: UUID, at: Date) async throws
    {
        let sql = try sqlDB
        for n in named {
            let name = String(n.name.prefix(200))
            try await sql.raw(
                """
                INSERT INTO customer_contacts (id, joint_account_id, name, name_key, title, email, created_at, updated_at) \
                VALUES (\(bind: UUID()), \(bind: jointAccountID), \(bind: name), \(bind: CustomerContact.key(name)), \
                \(bind: n.title.map { String($0.prefix(200)) }), \(bind: n.email.map { String($0.prefix(200)) }), \
                \(bind: at), \(bind: at)) ON CONFLICT (joint_account_id, name_key) DO UPDATE SET \
                title = COALESCE(customer_contacts.title, excluded.title), \
                email = COALESCE(customer_contacts.email, excluded.email), updated_at = excluded.updated_at
                """
            ).run()
        }
    }

    public func customerContacts(of jointAccountID: UUID) async throws -> [CustomerContact] {
        try await sqlDB.raw(
            """
            SELECT id, joint_account_id, name, title, email, created_at, updated_at FROM customer_contacts \
            WHERE joint_account_id = \(bind: jointAccountID) ORDER BY name_key LIMIT 500
            """
        ).all().map { r in
            CustomerContact(
                id: try r.decode(column: "id", as: UUID.self),
                jointAccountID: try r.decode(column: "joint_account_id", as: UUID.self),
                name: try r.decode(column: "name", as: String.self),
                title: try r.decode(column: "title", as: String?.self),
                email: try r.decode(column: "email", as: String?.self),
                createdAt: try r.decode(column: "created_at", as: Date.self),
                updatedAt: try r.decode(column: "updated_at", as: Date.self))
        }
    }

    /// Keeps the customer's people every saved deal names (the migration that made the table; the
    /// demo loader), 500 deals at a time.
    public func backfillCustomerContacts() async throws {
        let sql = try sqlDB
        var after: UUID? = nil
        while true {
            var q = sql.select().column("id").column("document").column("last_activity_at").from(DealRecord.schema)
            if let after { q = q.where("id", .greaterThan, after) }
            let rows = try await q.orderBy("id").limit(500).all()
            if rows.isEmpty { break }
            for row in rows {
                let deal = try JSONColumn.decode(Deal.self, from: try row.decode(column: "document", as: String.self))
                let named = CustomerContacts.named(in: deal)
                if !named.isEmpty {
                    try await keepCustomerContacts(
                        named, on: deal.jointAccountID,
                        at: (try? row.decode(column: "last_activity_at", as: Date.self)) ?? Date())
                }
            }
            after = try rows.last!.decode(column: "id", as: UUID.self)
        }
    }
}
