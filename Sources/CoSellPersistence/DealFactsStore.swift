import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    /// The facts of an organization's deals (optionally of one partnership, with one status), newest
    /// first, for the reports. Reads the `facts` column and the version only, and parses on every core.
    public func reportFacts(
        visibleTo organizationID: UUID, partnershipID: UUID? = nil, status: DealStatus? = nil
    ) async throws -> [DealFacts] {
        var q = try factsSelect()
            .where {
                $0.where("host_organization_id", .equal, organizationID)
                    .orWhere("partner_organization_id", .equal, organizationID)
            }
        if let partnershipID { q = q.where("partnership_id", .equal, partnershipID) }
        if let status { q = q.where("status", .in, [status.rawValue]) }
        return try await factsOfRows(q.orderBy("created_at", .descending).orderBy("id").all())
    }

    /// Deals with their facts: `id`, `version` and `facts` (NULL when missing), for a query to narrow
    /// with the columns of `deals`.
    func factsSelect() throws -> SQLSelectBuilder {
        try sql.select().column(SQLColumn("id", table: DealRecord.schema))
            .column(SQLColumn("version", table: DealRecord.schema))
            .column(SQLColumn("facts", table: DealFactsRecord.schema))
            .from(DealRecord.schema)
            .join(
                DealFactsRecord.schema, method: SQLJoinMethod.left,
                on: SQLColumn("deal_id", table: DealFactsRecord.schema), .equal,
                SQLColumn("id", table: DealRecord.schema))
    }

    /// Writes a deal's facts, replacing the ones it had (in the caller's transaction).
    static func saveFacts(_ record: DealFactsRecord, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, let id = record.id else { return }
        try await sql.insert(into: DealFactsRecord.schema).columns("deal_id", "facts")
            .values(SQLBind(id), SQLBind(record.facts))
            .onConflict(with: ["deal_id"]) { $0.set(excludedValueOf: "facts") }
            .run()
    }

    /// Parses rows of `id`, `facts` and `version`, in order. A row whose facts are missing or in an
    /// older format (written by an earlier version of cosell, before a migration rebuilt them) is
    /// read from its document instead, so a list is never wrong, only slower.
    func factsOfRows(_ rows: [any SQLRow]) async throws -> [DealFacts] {
        var lines: [(String?, Int)] = []
        lines.reserveCapacity(rows.count)
        for row in rows {
            lines.append(
                (try row.decode(column: "facts", as: String?.self), try row.decode(column: "version", as: Int.self)))
        }
        let slices = lines.count < 4_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = (lines.count + slices - 1) / max(1, slices)
        var parsed: [DealFacts?] = []
        if slices == 1 {
            parsed = lines.map { line in line.0.flatMap { DealFacts(encoded: $0, version: line.1) } }
        } else {
            let all = lines
            parsed = await withTaskGroup(of: (Int, [DealFacts?]).self) { group in
                for s in 0..<slices {
                    let range = (s * size)..<min(all.count, s * size + size)
                    guard !range.isEmpty else { continue }
                    group.addTask {
                        (s, all[range].map { line in line.0.flatMap { DealFacts(encoded: $0, version: line.1) } })
                    }
                }
                var parts = Array(repeating: [DealFacts?](), count: slices)
                for await (s, part) in group { parts[s] = part }
                return parts.flatMap { $0 }
            }
        }
        // Rows without usable facts: from their documents.
        var missing: [UUID] = []
        for (i, f) in parsed.enumerated() where f == nil {
            missing.append(try rows[i].decode(column: "id", as: UUID.self))
        }
        guard !missing.isEmpty else { return parsed.map { $0! } }
        var rebuilt: [UUID: DealFacts] = [:]
        for f in try await factsFromDocuments(ids: missing) { rebuilt[f.id] = f }
        var out: [DealFacts] = []
        out.reserveCapacity(parsed.count)
        for (i, f) in parsed.enumerated() {
            if let f {
                out.append(f)
            } else if let r = rebuilt[try rows[i].decode(column: "id", as: UUID.self)] {
                out.append(r)
            }
        }
        return out
    }

    /// Facts computed from the stored documents of these deals.
    func factsFromDocuments(ids: [UUID]) async throws -> [DealFacts] {
        let versions = try await playbooksByVersion()
        var out: [DealFacts] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            start += chunk.count
            let rows = try await sql.select().column("document").column("version").from(DealRecord.schema)
                .where("id", .in, chunk).all()
            let documents = try rows.map {
                (try $0.decode(column: "document", as: String.self), try $0.decode(column: "version", as: Int.self))
            }
            for deal in try Self.decodeSlice(documents[...]) {
                out.append(DealFacts(deal, playbook: versions[Self.versionKey(deal.playbookID, deal.playbookVersion)]))
            }
        }
        return out
    }

    /// Writes every deal's facts again from its document (in batches), e.g. after the facts format
    /// changed. Returns how many deals were rewritten.
    @discardableResult
    public func rebuildDealFacts() async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let versions = try await playbooksByVersion()
        var after: UUID? = nil
        var count = 0
        while true {
            var q = sql.select().column("id").column("document").column("version").from(DealRecord.schema)
            if let after { q = q.where("id", .greaterThan, after) }
            let rows = try await q.orderBy("id").limit(500).all()
            if rows.isEmpty { break }
            for row in rows {
                var deal = try JSONColumn.decode(Deal.self, from: try row.decode(column: "document", as: String.self))
                deal.version = try row.decode(column: "version", as: Int.self)
                try await Self.saveFacts(
                    DealFactsRecord(
                        deal, playbook: versions[Self.versionKey(deal.playbookID, deal.playbookVersion)]),
                    on: db)
                count += 1
            }
            after = try rows.last!.decode(column: "id", as: UUID.self)
        }
        return count
    }

    static func versionKey(_ id: UUID, _ version: Int) -> String { "\(id)#\(version)" }

    /// Every playbook version by `versionKey` (few rows).
    func playbooksByVersion() async throws -> [String: Playbook] {
        var out: [String: Playbook] = [:]
        for p in try await allPlaybookVersions() { out[Self.versionKey(p.id, p.version)] = p }
        return out
    }
}

extension CoSellStore {
    /// Whole deals by id (in no particular order), read in chunks.
    public func deals(ids: [UUID]) async throws -> [Deal] {
        var out: [Deal] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            start += chunk.count
            let rows = try await sql.select().column("document").column("version").from(DealRecord.schema)
                .where("id", .in, chunk).all()
            out += try await Self.decodeDeals(
                try rows.map {
                    (try $0.decode(column: "document", as: String.self), try $0.decode(column: "version", as: Int.self))
                })
        }
        return out
    }

    /// The deals of a partnership with a lesson captured in `[from, to)`.
    public func dealIDsWithLessons(partnershipID: UUID, from: Date, to: Date) async throws -> Set<UUID> {
        let rows = try await sql.select().distinct().column("deal_id").from(LessonRecord.schema)
            .where("partnership_id", .equal, partnershipID).where("created_at", .greaterThanOrEqual, from)
            .where("created_at", .lessThan, to).all()
        return Set(try rows.map { try $0.decode(column: "deal_id", as: UUID.self) })
    }
}
