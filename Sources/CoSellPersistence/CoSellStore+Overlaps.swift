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
        of partnership: Partnership, at: Date, known: (organizationID: UUID, accounts: AccountsForMatching)? = nil
    ) async throws -> Int {
        let work = forBulkWork
        return try await work.matchAndStoreOverlaps(of: partnership, at: at, known: known)
    }

    private func matchAndStoreOverlaps(
        of partnership: Partnership, at: Date, known: (organizationID: UUID, accounts: AccountsForMatching)?
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
        let rowsA = knownA == nil ? try await accountRowsInPages(of: orgA, activeOnly: true) : StoredAccountRows()
        let rowsB = knownB == nil ? try await accountRowsInPages(of: orgB, activeOnly: true) : StoredAccountRows()
        lap(
            "read \(knownA == nil ? "\(rowsA.count)" : "none") and \(knownB == nil ? "\(rowsB.count)" : "none") accounts (\(knownA?.ids.count ?? knownB?.ids.count ?? 0) known from the import)"
        )
        // Both lists as the matcher's tables, sorted as an import's list is (`AccountsForMatching`), and
        // matched, on the server's work thread with one thread (`CPUWork`): requests keep the rest.
        let (a, b, freshPairs) = try await CPUWork.run {
            () throws -> (AccountsForMatching, AccountsForMatching, [OverlapPair: Overlap]) in
            func list(
                _ rows: StoredAccountRows, known: AccountsForMatching?, of org: UUID
            ) throws -> AccountsForMatching {
                try known ?? AccountsForMatching.make(count: rows.count) { rows[$0].account(of: org) }
            }
            let a = try list(rowsA, known: knownA, of: orgA)
            let b = try list(rowsB, known: knownB, of: orgB)
            var options = MatchOptions()
            options.threads = 1
            let result = AccountMatcher.match(host: a.table, partner: b.table, options: options, findDuplicates: false)
            var fresh: [OverlapPair: Overlap] = [:]
            fresh.reserveCapacity(result.overlaps.count)
            for o in result.overlaps {
                fresh[OverlapPair(a: a.ids[o.hostIndex], b: b.ids[o.partnerIndex])] = o
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
                if activeIDs == nil { activeIDs = Set(a.ids + b.ids) }
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
            var addressed: [UUID: CRMAccount] = [:]
            let sides = Array(Set(linked.flatMap { [$0.accountAID, $0.accountBID] }))
            for start in stride(from: 0, to: sides.count, by: Self.overlapBatch) {
                let ids = Array(sides[start..<min(sides.count, start + Self.overlapBatch)])
                for r in try await CRMAccountRecord.query(on: tx).filter(\.$id ~~ ids).all() {
                    let account = r.value
                    if account.address != nil { addressed[account.id] = account }
                }
            }
            for r in linked {
                guard let joint = r.jointAccountID,
                    let address = (addressed[r.accountAID] ?? addressed[r.accountBID])?.address
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

    /// The partnership's overlaps whose two accounts are active, as their accounts' ids and names and the
    /// joint account linked: one query of overlap rows and two names (`overlaps(of:)` reads both whole lists).
    public func activeOverlapLinks(of partnership: Partnership) async throws -> [OverlapLink] {
        let rows = try await sql.raw(
            """
            SELECT ov.account_a_id, ov.account_b_id, ov.joint_account_id, a.name AS name_a, b.name AS name_b \
            FROM "overlaps" AS ov JOIN crm_accounts a ON a.id = ov.account_a_id JOIN crm_accounts b ON b.id = ov.account_b_id \
            WHERE ov.partnership_id = \(bind: partnership.id) AND a.status = 'active' AND b.status = 'active'
            """
        ).all()
        return try rows.map {
            OverlapLink(
                accountIDs: [
                    try $0.decode(column: "account_a_id", as: UUID.self),
                    try $0.decode(column: "account_b_id", as: UUID.self),
                ],
                accountNames: [
                    try $0.decode(column: "name_a", as: String.self), try $0.decode(column: "name_b", as: String.self),
                ],
                jointAccountID: try $0.decode(column: "joint_account_id", as: UUID?.self))
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
