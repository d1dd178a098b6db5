import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    public func insert(_ a: JointAccount) async throws {
        try await JointAccountRecord(a).create(on: db)
    }

    public func jointAccount(_ id: UUID) async throws -> JointAccount? {
        try await JointAccountRecord.find(id, on: db)?.domainValue()
    }

    public func jointAccounts(of partnershipID: UUID, limit: Int, offset: Int) async throws -> Page<JointAccount> {
        let q = JointAccountRecord.query(on: db).filter(\.$partnershipID == partnershipID)
        let total = try await q.count()
        let items = try await q.sort(\.$name).sort(\.$id).range(offset..<(offset + limit)).all().map {
            try $0.domainValue()
        }
        return Page(items: items, total: total)
    }

    /// Joint accounts by id, for exports.
    public func jointAccounts(ids: [UUID]) async throws -> [UUID: JointAccount] {
        var out: [UUID: JointAccount] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for r in try await JointAccountRecord.query(on: db).filter(\.$id ~~ chunk).all() {
                let a = try r.domainValue()
                out[a.id] = a
            }
            start += 500
        }
        return out
    }

    /// The partnership's joint accounts created within [from, to), oldest first. Read with SQL, not
    /// the model: a week of a busy partnership holds thousands, and the model's reflection and a JSON
    /// decoder per row cost more than the query.
    public func jointAccounts(of partnershipID: UUID, createdFrom from: Date, to: Date) async throws -> [JointAccount] {
        let columns = [
            "id", "name", "domain", "country", "industry", "employees", "origin", "reason", "populations",
            "created_at", "street", "city", "state", "postal_code",
        ]
        var q = try sql.select()
        for c in columns { q = q.column(c) }
        let rows = try await q.from(JointAccountRecord.schema).where("partnership_id", .equal, partnershipID)
            .where("created_at", .greaterThanOrEqual, from).where("created_at", .lessThan, to)
            .orderBy("created_at").orderBy("id").all()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return try rows.map { r in
            func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
            return JointAccount(
                id: try r.decode(column: "id", as: UUID.self), partnershipID: partnershipID,
                name: try r.decode(column: "name", as: String.self), domain: try text("domain"),
                country: try text("country"), industry: try text("industry"),
                employees: try r.decode(column: "employees", as: Int?.self),
                origin: JointAccount.Origin(rawValue: try r.decode(column: "origin", as: String.self)) ?? .added,
                reason: try text("reason"),
                populations: try decoder.decode(
                    [AccountPopulation].self, from: Data(try r.decode(column: "populations", as: String.self).utf8)),
                createdAt: try r.decode(column: "created_at", as: Date.self),
                address: CustomerAddress(
                    line1: try text("street"), city: try text("city"), state: try text("state"),
                    postalCode: try text("postal_code")
                ).nonEmpty)
        }
    }
}
