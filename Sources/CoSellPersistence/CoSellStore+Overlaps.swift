import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    /// Matches the two organizations' active accounts and stores the overlaps, keeping the link of
    /// pairs that were already known (and the joint accounts started from them).
    /// Runs on the `bulk` pool when the store has one and no transaction is open (matching takes
    /// seconds on large lists). `known` is one organization's active accounts as an import just left them
    /// (`importAccountsForMatching`), used instead of reading that list back.
    @discardableResult
    public func refreshOverlaps(
        of partnership: Partnership, at: Date, known: (organizationID: UUID, accounts: [CRMAccount])? = nil
    ) async throws -> Int {
        let work = forBulkWork
        return try await work.matchAndStoreOverlaps(of: partnership, at: at, known: known)
    }

    private func matchAndStoreOverlaps(
        of partnership: Partnership, at: Date, known: (organizationID: UUID, accounts: [CRMAccount])?
    ) async throws -> Int {
        let (orgA, orgB) = (partnership.organizationIDs[0], partnership.organizationIDs[1])
        let clock = ContinuousClock()
        var phaseStart = clock.now
        /// Logs how long the step just ended took (the import benchmark reads the figures per step).
        func lap(_ step: String) {
            let now = clock.now
            db.logger.info("overlaps of partnership \(partnership.id): \(step) in \(now - phaseStart)")
            phaseStart = now
        }
        let knownA = known?.organizationID == orgA ? known?.accounts : nil
        let knownB = known?.organizationID == orgB ? known?.accounts : nil
        let rowsA = knownA == nil ? try await accountRowsInPages(of: orgA, activeOnly: true) : []
        let rowsB = knownB == nil ? try await accountRowsInPages(of: orgB, activeOnly: true) : []
        lap(
            "read \(knownA == nil ? "\(rowsA.count)" : "none") and \(knownB == nil ? "\(rowsB.count)" : "none") accounts (\(knownA?.count ?? knownB?.count ?? 0) known from the import)"
        )
        // Ordered as `accounts(of:)` gives them, and matched, on the server's work thread with one
        // thread (`CPUWork`): requests keep the rest.
        let (a, b, freshPairs) = try await CPUWork.run {
            () throws -> ([CRMAccount], [CRMAccount], [OverlapPair: Overlap]) in
            func sorted(_ rows: [AccountRow], known: [CRMAccount]?, of org: UUID) -> [CRMAccount] {
                let list = known ?? rows.map { $0.account(of: org) }
                // An import's list comes in order: used as it is, not copied (a million accounts are
                // hundreds of megabytes).
                if zip(list, list.dropFirst()).allSatisfy({ ($0.name, $0.crmID) <= ($1.name, $1.crmID) }) {
                    return list
                }
                return list.sorted { ($0.name, $0.crmID) < ($1.name, $1.crmID) }
            }
            let a = sorted(rowsA, known: knownA, of: orgA)
            let b = sorted(rowsB, known: knownB, of: orgB)
            let ta = try AccountTable.of(a)
            let tb = try AccountTable.of(b)
            var options = MatchOptions()
            options.threads = 1
            let result = AccountMatcher.match(host: ta, partner: tb, options: options, findDuplicates: false)
            // A table row is the account at the same place of its list when the table has one row per
            // account (`AccountTable.of` keeps their order); otherwise found by CRM id. (A dictionary of a
            // million CRM ids took a second and a hundred megabytes for a handful of overlaps.)
            func accountID(
                _ list: [CRMAccount], _ table: AccountTable, _ byCRM: inout [String: UUID]?, _ row: Int
            ) -> UUID? {
                let crmID = table.id(at: row)
                if table.count == list.count, list[row].crmID == crmID { return list[row].id }
                if byCRM == nil { byCRM = Dictionary(list.map { ($0.crmID, $0.id) }, uniquingKeysWith: { x, _ in x }) }
                return byCRM?[crmID]
            }
            var byCRM: ([String: UUID]?, [String: UUID]?) = (nil, nil)
            var fresh: [OverlapPair: Overlap] = [:]
            fresh.reserveCapacity(result.overlaps.count)
            for o in result.overlaps {
                guard let ia = accountID(a, ta, &byCRM.0, o.hostIndex),
                    let ib = accountID(b, tb, &byCRM.1, o.partnerIndex)
                else { continue }
                fresh[OverlapPair(a: ia, b: ib)] = o
            }
            return (a, b, fresh)
        }
        lap("matched (\(freshPairs.count) overlaps)")
        try await transaction { tx in
            // Write first (see importAccounts): concurrent refreshes of one partnership run one after the other.
            try await PartnershipRecord.query(on: tx).filter(\.$id == partnership.id).set(\.$name, to: partnership.name)
                .update()
            let sql = try CoSellStore(db: tx).sql
            let old = try await sql.select().columns(StoredOverlapRow.columns.map { SQLColumn($0) }).from("overlaps")
                .where("partnership_id", .equal, partnership.id).all(decoding: StoredOverlapRow.self)
            // Pairs no longer found are dropped, the others keep their id and link (their values
            // refreshed), and the new ones are added: set-based statements, a batch of rows each.
            // Built only when a linked pair is gone (a million ids took seconds for nothing otherwise).
            var activeIDs: Set<UUID>? = nil
            func active(_ id: UUID) -> Bool {
                if activeIDs == nil { activeIDs = Set((a + b).map(\.id)) }
                return activeIDs!.contains(id)
            }
            var kept = Set<OverlapPair>()
            var stale: [UUID] = []
            var changed: [(id: UUID, overlap: Overlap)] = []
            for r in old {
                let pair = OverlapPair(a: r.accountAID, b: r.accountBID)
                if let o = freshPairs[pair] {
                    kept.insert(pair)
                    if r.relation != o.relation.rawValue || r.method != o.method.rawValue || r.score != o.score {
                        changed.append((r.id, o))
                    }
                } else if r.jointAccountID != nil
                    && !(active(r.accountAID) && active(r.accountBID))
                {
                    // A deal's pair with an account retired from its CRM list: kept, hidden while the account
                    // is retired (`overlaps(of:)` lists active accounts only), so that restoring or importing
                    // the account again brings the target back with its link to the deal.
                    continue
                } else {
                    stale.append(r.id)
                }
            }
            for start in stride(from: 0, to: stale.count, by: Self.overlapBatch) {
                let ids = Array(stale[start..<min(stale.count, start + Self.overlapBatch)])
                try await sql.delete(from: "overlaps").where("id", .in, ids).run()
            }
            try await sql.update("overlaps").set("refreshed_at", to: at).where("partnership_id", .equal, partnership.id)
                .run()
            for (id, o) in changed {
                try await sql.update("overlaps").set("relation", to: o.relation.rawValue)
                    .set("method", to: o.method.rawValue).set("score", to: o.score).where("id", .equal, id).run()
            }
            let added = freshPairs.filter { !kept.contains($0.key) }
            var insert = sql.insert(into: "overlaps")
            var rowsInStatement = 0
            for (pair, o) in added {
                if rowsInStatement == 0 {
                    insert = sql.insert(into: "overlaps").columns(
                        "id", "partnership_id", "account_a_id", "account_b_id", "relation", "method", "score",
                        "refreshed_at")
                }
                insert = insert.values(
                    UUID(), partnership.id, pair.a, pair.b, o.relation.rawValue, o.method.rawValue, o.score, at)
                rowsInStatement += 1
                if rowsInStatement == Self.overlapBatch {
                    try await insert.run()
                    rowsInStatement = 0
                }
            }
            if rowsInStatement > 0 { try await insert.run() }
            // A joint account started before either export carried an address gets one now, from the
            // first side of the pair that has one (never overwriting an address it holds).
            let linked = old.filter {
                $0.jointAccountID != nil && kept.contains(OverlapPair(a: $0.accountAID, b: $0.accountBID))
            }
            let byID =
                linked.isEmpty ? [:] : Dictionary((a + b).map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            for r in linked {
                guard let joint = r.jointAccountID,
                    let source = [byID[r.accountAID], byID[r.accountBID]].compactMap({ $0 }).first(where: {
                        $0.address != nil
                    }), let address = source.address
                else { continue }
                try await JointAccountRecord.query(on: tx).filter(\.$id == joint).filter(\.$street == nil)
                    .filter(\.$city == nil).filter(\.$state == nil).filter(\.$postalCode == nil)
                    .set(\.$street, to: address.line1).set(\.$city, to: address.city).set(\.$state, to: address.state)
                    .set(\.$postalCode, to: address.postalCode).update()
            }
        }
        lap("stored")
        return freshPairs.count
    }

    /// Overlap rows one statement adds or drops (8 bound values a row).
    public static let overlapBatch = 1_000

    public func overlaps(of partnership: Partnership) async throws -> [StoredOverlap] {
        let rows = try await OverlapRecord.query(on: db).filter(\.$partnershipID == partnership.id).all()
        let a = Dictionary(
            uniqueKeysWithValues: try await accounts(of: partnership.organizationIDs[0], includeRetired: true).map {
                ($0.id, $0)
            })
        let b = Dictionary(
            uniqueKeysWithValues: try await accounts(of: partnership.organizationIDs[1], includeRetired: true).map {
                ($0.id, $0)
            })
        return rows.compactMap { r in
            guard let x = a[r.accountAID], let y = b[r.accountBID], x.status == "active", y.status == "active" else {
                return nil
            }
            return StoredOverlap(
                id: r.id!, partnershipID: r.partnershipID, accounts: [x, y], relation: r.relation, method: r.method,
                score: r.score, jointAccountID: r.jointAccountID)
        }
    }

    public func linkOverlap(_ overlapID: UUID, to jointAccountID: UUID) async throws {
        guard let r = try await OverlapRecord.find(overlapID, on: db) else { throw StoreError.notFound("overlap") }
        r.jointAccountID = jointAccountID
        try await r.update(on: db)
    }
}

/// The two accounts of an overlap, A's first.
struct OverlapPair: Hashable, Sendable {
    var a: UUID
    var b: UUID
}

/// An `overlaps` row as stored, read with SQL (a refresh of large lists reads many).
struct StoredOverlapRow: Decodable, Sendable {
    var id: UUID
    var accountAID: UUID
    var accountBID: UUID
    var relation: String
    var method: String
    var score: Double
    var jointAccountID: UUID?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, relation, method, score
        case accountAID = "account_a_id"
        case accountBID = "account_b_id"
        case jointAccountID = "joint_account_id"
    }

    static var columns: [String] { CodingKeys.allCases.map(\.rawValue) }
}
