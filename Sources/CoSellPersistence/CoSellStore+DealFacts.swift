import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    /// The facts of an organization's deals (optionally of one partnership, with one status, or not
    /// completed), newest first, for the reports. Reads the `facts` column and the version only, and
    /// parses on every core.
    public func reportFacts(
        visibleTo organizationID: UUID, partnershipID: UUID? = nil, status: DealStatus? = nil,
        uncompletedOnly: Bool = false
    ) async throws -> [DealFacts] {
        if let cache = factsCache {
            // From the cache, one partnership at a time, narrowed here as the query would narrow them.
            // A narrowed question about a partnership the cache does not hold yet goes to the database
            // (reading the partnership whole to keep it would cost more than the narrow read).
            let ids =
                if let partnershipID { [partnershipID] } else { try await partnershipIDs(of: organizationID) }
            let narrowed = status != nil || uncompletedOnly
            if !narrowed || ids.allSatisfy({ cache.holds($0) }) {
                return try await cachedFacts(
                    ids, cache: cache, organizationID: organizationID, status: status,
                    uncompletedOnly: uncompletedOnly)
            }
        }
        return try await databaseFacts(
            visibleTo: organizationID, partnershipID: partnershipID, status: status, uncompletedOnly: uncompletedOnly)
    }

    func cachedFacts(
        _ ids: [UUID], cache: FactsCache, organizationID: UUID, status: DealStatus?, uncompletedOnly: Bool
    ) async throws -> [DealFacts] {
        var out: [DealFacts] = []
        for p in ids {
            let all = try await partnershipFacts(p, cache: cache)
            if ids.count == 1, status == nil, !uncompletedOnly,
                all.allSatisfy({ $0.hostOrganizationID == organizationID || $0.partnerOrganizationID == organizationID }
                )
            {
                return all  // the kept array itself, not a copy of each deal's facts
            }
            out += all.filter {
                ($0.hostOrganizationID == organizationID || $0.partnerOrganizationID == organizationID)
                    && (status == nil || $0.status == status) && (!uncompletedOnly || $0.completedAt == nil)
            }
        }
        if ids.count > 1 { out = DealFacts.newestFirst(out) }
        return out
    }

    func databaseFacts(
        visibleTo organizationID: UUID, partnershipID: UUID?, status: DealStatus?, uncompletedOnly: Bool
    ) async throws -> [DealFacts] {
        var q = try factsSelect()
            .where {
                $0.where("host_organization_id", .equal, organizationID)
                    .orWhere("partner_organization_id", .equal, organizationID)
            }
        if let partnershipID { q = q.where("partnership_id", .equal, partnershipID) }
        if let status { q = q.where("status", .in, [status.rawValue]) }
        if uncompletedOnly { q = q.where("completed_at", .is, SQLLiteral.null) }
        return try await factsOfRows(q.orderBy("created_at", .descending).orderBy("deal_id").all())
    }

    /// The partnerships an organization takes part in (host or partner).
    func partnershipIDs(of organizationID: UUID) async throws -> [UUID] {
        try await partnerships(of: organizationID).map(\.id)
    }

    /// The facts table's `id`, `version` and `facts`, for a query to narrow by its other columns.
    func factsSelect() throws -> SQLSelectBuilder {
        try sql.select().column(SQLColumn("deal_id"), as: "id").column("version").column("facts")
            .from(DealFactsRecord.schema)
    }

    /// The facts of these deals, by id; a deal without a row is read from its document.
    public func facts(ids: [UUID]) async throws -> [UUID: DealFacts] {
        var byID: [UUID: DealFacts] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            start += chunk.count
            for f in try await factsOfRows(try factsSelect().where("deal_id", .in, chunk).all()) { byID[f.id] = f }
        }
        let missing = ids.filter { byID[$0] == nil }
        if !missing.isEmpty { for f in try await factsFromDocuments(ids: missing) { byID[f.id] = f } }
        return byID
    }

    /// Writes a deal's facts, replacing the ones it had (in the caller's transaction).
    static func saveFacts(_ r: DealFactsRecord, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, let id = r.id else { return }
        var columns = [
            "partnership_id", "host_organization_id", "partner_organization_id", "status", "completed_at",
            "created_at", "version", "facts",
        ]
        var values: [any SQLExpression] = [
            SQLBind(id), SQLBind(r.partnershipID), SQLBind(r.hostOrganizationID), SQLBind(r.partnerOrganizationID),
            SQLBind(r.status), SQLBind(r.completedAt), SQLBind(r.createdAt), SQLBind(r.version), SQLBind(r.facts),
        ]
        // Without a revision (the facts migration, before revisions existed), the column is left out.
        if let revision = r.changedAtRevision {
            columns.append("changed_at_revision")
            values.append(SQLBind(revision))
        }
        try await sql.insert(into: DealFactsRecord.schema).columns(["deal_id"] + columns)
            .values(values)
            .onConflict(with: ["deal_id"]) { u in
                var u = u
                for c in columns { u = u.set(excludedValueOf: c) }
                return u
            }
            .run()
    }

    /// Parses rows of `id`, `facts` and `version`, in order. A row whose facts are in an older format
    /// (written by an earlier version of cosell, before a migration rebuilt them) or unreadable is
    /// read from its document instead, so a list is never wrong, only slower.
    func factsOfRows(_ rows: [any SQLRow]) async throws -> [DealFacts] {
        var lines: [(String, Int)] = []
        lines.reserveCapacity(rows.count)
        for row in rows {
            lines.append(
                (try row.decode(column: "facts", as: String.self), try row.decode(column: "version", as: Int.self)))
        }
        let slices = lines.count < 4_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = (lines.count + slices - 1) / max(1, slices)
        var parts: [(facts: [DealFacts], unread: [Int])] = []
        if slices == 1 {
            parts = [Self.parseFacts(lines[...], offset: 0)]
        } else {
            let all = lines
            parts = await withTaskGroup(of: (Int, ([DealFacts], [Int])).self) { group in
                for s in 0..<slices {
                    let range = (s * size)..<min(all.count, s * size + size)
                    guard !range.isEmpty else { continue }
                    group.addTask { (s, Self.parseFacts(all[range], offset: range.lowerBound)) }
                }
                var out = Array(repeating: ([DealFacts](), [Int]()), count: slices)
                for await (s, part) in group { out[s] = part }
                return out.map { (facts: $0.0, unread: $0.1) }
            }
        }
        let unread = parts.flatMap(\.unread)
        guard !unread.isEmpty else { return parts.count == 1 ? parts[0].facts : parts.flatMap(\.facts) }
        // Rows without usable facts: from their documents, in the rows' order.
        var rebuilt: [UUID: DealFacts] = [:]
        let ids = try unread.map { try rows[$0].decode(column: "id", as: UUID.self) }
        for f in try await factsFromDocuments(ids: ids) { rebuilt[f.id] = f }
        var out: [DealFacts] = []
        out.reserveCapacity(rows.count)
        var next = parts.flatMap(\.facts).makeIterator()
        let unreadSet = Set(unread)
        for i in rows.indices {
            if unreadSet.contains(i) {
                if let f = rebuilt[try rows[i].decode(column: "id", as: UUID.self)] { out.append(f) }
            } else if let f = next.next() {
                out.append(f)
            }
        }
        return out
    }

    /// Parses lines; returns the facts read and the row numbers (from `offset`) that could not be.
    static func parseFacts(_ lines: ArraySlice<(String, Int)>, offset: Int) -> ([DealFacts], [Int]) {
        var facts: [DealFacts] = []
        facts.reserveCapacity(lines.count)
        var unread: [Int] = []
        for (i, line) in zip(lines.indices, lines) {
            if let f = DealFacts(encoded: line.0, version: line.1) {
                facts.append(f)
            } else {
                unread.append(i - lines.startIndex + offset)
            }
        }
        return (facts, unread)
    }

    /// Facts computed from the stored documents of these deals.
    func factsFromDocuments(ids: [UUID]) async throws -> [DealFacts] {
        let versions = try await playbooksByVersion()
        return try await deals(ids: ids).map {
            DealFacts($0, playbook: versions[$0.playbookVersionKey])
        }
    }

    /// Writes every deal's facts again from its document (in batches), e.g. after the facts format
    /// changed. Returns how many deals were rewritten. `revisions`: raise each partnership's facts
    /// revision so that caches read the rebuilt lines (false only in the migration that created the
    /// facts, before revisions existed).
    @discardableResult
    public func rebuildDealFacts(revisions: Bool = true) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let versions = try await playbooksByVersion()
        var after: UUID? = nil
        var count = 0
        var partnerships = Set<UUID>()
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
                        deal, playbook: versions[deal.playbookVersionKey]),
                    on: db)
                count += 1
                partnerships.insert(deal.partnershipID)
            }
            after = try rows.last!.decode(column: "id", as: UUID.self)
        }
        if revisions {
            for p in partnerships {
                try await transaction { tx in
                    let revision = try await Self.nextFactsRevision(p, on: tx)
                    try await (tx as! any SQLDatabase).update(DealFactsRecord.schema)
                        .set("changed_at_revision", to: revision).where("partnership_id", .equal, p).run()
                }
            }
        }
        return count
    }

    /// The facts of every deal in play, for the stall sweep.
    public func factsInPlay() async throws -> [DealFacts] {
        let rows = try await factsSelect()
            .where("completed_at", .is, SQLLiteral.null)
            .where("status", .in, [DealStatus.open, .won, .lost].map(\.rawValue))
            .orderBy("deal_id").all()
        return try await factsOfRows(rows)
    }
}
