import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// Parsed deal facts per partnership, kept in the server's memory and brought up to date by
/// revision: every write of a partnership's facts raises its revision in `facts_revisions` and marks
/// the written rows with it (in the same transaction), so a reader asks the database for the
/// revision (one row) and reads only the rows changed since the revision it holds. Several server
/// instances on one PostgreSQL each keep their own cache and see each other's writes the same way.
///
/// Reports, the weekly review and their pages read whole partnerships; without the cache each of them
/// read and parsed every line again (0.4–0.6 s for 40,000 deals).
public final class FactsCache: @unchecked Sendable {
    struct Entry {
        var revision: Int64
        /// Newest first (`DealFacts.newestFirst`), as `reportFacts` returns them.
        var facts: [DealFacts]
        var lastUse: UInt64
    }

    /// The most facts kept over all partnerships (about 2.4 KB each in memory); the partnership read
    /// least recently goes first.
    public let capacity: Int
    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    private var clock: UInt64 = 0

    public init(capacity: Int = 300_000) { self.capacity = capacity }

    /// Whether a partnership's facts are kept (at some revision).
    func holds(_ partnershipID: UUID) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return entries[partnershipID] != nil
    }

    func entry(_ partnershipID: UUID) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        entries[partnershipID]?.lastUse = clock
        return entries[partnershipID]
    }

    /// Keeps `facts` at `revision`, unless a newer revision is kept already.
    func keep(_ partnershipID: UUID, revision: Int64, facts: [DealFacts]) {
        lock.lock()
        defer { lock.unlock() }
        if let e = entries[partnershipID], e.revision > revision { return }
        clock += 1
        entries[partnershipID] = Entry(revision: revision, facts: facts, lastUse: clock)
        var total = entries.values.reduce(0) { $0 + $1.facts.count }
        while total > capacity, entries.count > 1,
            let oldest = entries.filter({ $0.key != partnershipID }).min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            total -= oldest.value.facts.count
            entries[oldest.key] = nil
        }
        if total > capacity { entries[partnershipID] = nil }
    }

    /// How many partnerships and facts are kept (for tests and the benchmark).
    public var size: (partnerships: Int, facts: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (entries.count, entries.values.reduce(0) { $0 + $1.facts.count })
    }
}

extension DealFacts {
    /// Created last first, then by id: the order of the facts query (`created_at DESC, deal_id`).
    static func newestFirst(_ facts: [DealFacts]) -> [DealFacts] {
        facts.sorted(byKey: { (-$0.createdAt.timeIntervalSince1970, $0.id.order) }, <)
    }
}

extension CoSellStore {
    /// Raises the revision of a partnership's facts and returns it (in the caller's transaction;
    /// the revision's row stays locked until it commits, so revisions follow the commits).
    static func nextFactsRevision(_ partnershipID: UUID, on db: any Database) async throws -> Int64 {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let row = try await sql.raw(
            """
            INSERT INTO facts_revisions (partnership_id, revision) VALUES (\(bind: partnershipID), 1)
            ON CONFLICT (partnership_id) DO UPDATE SET revision = facts_revisions.revision + 1
            RETURNING revision
            """
        ).first()
        return try row?.decode(column: "revision", as: Int64.self) ?? 0
    }

    /// The current revision of a partnership's facts (0 before the first write).
    func factsRevision(_ partnershipID: UUID) async throws -> Int64 {
        try await sql.select().column("revision").from("facts_revisions")
            .where("partnership_id", .equal, partnershipID).first()?.decode(column: "revision", as: Int64.self) ?? 0
    }

    /// Reads every partnership's facts into the cache (largest first, while they fit), so that the
    /// first report after a start does not pay for it. Returns how many deals' facts were read.
    public func warmFactsCache() async throws -> Int {
        guard let cache = factsCache else { return 0 }
        let rows = try await sql.select().column("partnership_id").column(SQLRaw("CAST(COUNT(*) AS BIGINT)"), as: "n")
            .from(DealFactsRecord.schema).groupBy("partnership_id").all()
        var sizes: [(id: UUID, count: Int)] = []
        for r in rows {
            sizes.append(
                (try r.decode(column: "partnership_id", as: UUID.self), try r.decode(column: "n", as: Int.self)))
        }
        var read = 0
        for p in sizes.sorted(by: { $0.count > $1.count }) where read + p.count <= cache.capacity {
            read += try await partnershipFacts(p.id, cache: cache).count
        }
        return read
    }

    /// Every deal's facts of a partnership, newest first: from the cache, brought up to date, or read
    /// whole (and kept) when the cache holds none.
    func partnershipFacts(_ partnershipID: UUID, cache: FactsCache) async throws -> [DealFacts] {
        // The revision first: rows written after it are read again at the next revision.
        let revision = try await factsRevision(partnershipID)
        if let e = cache.entry(partnershipID) {
            if e.revision == revision { return e.facts }
            let changed = try await factsOfRows(
                try factsSelect().where("partnership_id", .equal, partnershipID)
                    .where("changed_at_revision", .greaterThan, e.revision).all())
            var facts = e.facts
            if !changed.isEmpty {
                var position: [UUID: Int] = [:]
                position.reserveCapacity(facts.count)
                for (i, f) in facts.enumerated() { position[f.id] = i }
                var added = false
                for f in changed {
                    if let i = position[f.id] {
                        facts[i] = f
                    } else {
                        facts.append(f)
                        added = true
                    }
                }
                if added { facts = DealFacts.newestFirst(facts) }
            }
            cache.keep(partnershipID, revision: revision, facts: facts)
            return facts
        }
        let facts = try await factsOfRows(
            try factsSelect().where("partnership_id", .equal, partnershipID)
                .orderBy("created_at", .descending).orderBy("deal_id").all())
        cache.keep(partnershipID, revision: revision, facts: facts)
        return facts
    }
}
