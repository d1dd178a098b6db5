import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    /// Matches the two organizations' active accounts and stores the overlaps, keeping the link of
    /// pairs that were already known (and the joint accounts started from them).
    /// Runs on the `bulk` pool when the store has one and no transaction is open (matching takes
    /// seconds on large lists).
    @discardableResult
    public func refreshOverlaps(of partnership: Partnership, at: Date) async throws -> Int {
        let work = forBulkWork
        return try await work.matchAndStoreOverlaps(of: partnership, at: at)
    }

    private func matchAndStoreOverlaps(of partnership: Partnership, at: Date) async throws -> Int {
        let (orgA, orgB) = (partnership.organizationIDs[0], partnership.organizationIDs[1])
        let rowsA = try await accountRowsInPages(of: orgA, activeOnly: true)
        let rowsB = try await accountRowsInPages(of: orgB, activeOnly: true)
        // Ordered as `accounts(of:)` gives them, and matched, on the server's work thread with one
        // thread (`CPUWork`): requests keep the rest.
        let (a, b, freshPairs) = try await CPUWork.run {
            () throws -> ([CRMAccount], [CRMAccount], [String: (UUID, UUID, Overlap)]) in
            func sorted(_ rows: [AccountRow], of org: UUID) -> [CRMAccount] {
                rows.map { $0.account(of: org) }.sorted { ($0.name, $0.crmID) < ($1.name, $1.crmID) }
            }
            let a = sorted(rowsA, of: orgA)
            let b = sorted(rowsB, of: orgB)
            let ta = try AccountTable.of(a)
            let tb = try AccountTable.of(b)
            var options = MatchOptions()
            options.threads = 1
            let result = AccountMatcher.match(host: ta, partner: tb, options: options, findDuplicates: false)
            let byCRM = (
                Dictionary(uniqueKeysWithValues: a.map { ($0.crmID, $0.id) }),
                Dictionary(uniqueKeysWithValues: b.map { ($0.crmID, $0.id) })
            )
            var fresh: [String: (UUID, UUID, Overlap)] = [:]
            for o in result.overlaps {
                guard let ia = byCRM.0[ta.id(at: o.hostIndex)], let ib = byCRM.1[tb.id(at: o.partnerIndex)] else {
                    continue
                }
                fresh["\(ia)|\(ib)"] = (ia, ib, o)
            }
            return (a, b, fresh)
        }
        try await transaction { tx in
            // Write first (see importAccounts): concurrent refreshes of one partnership run one after the other.
            try await PartnershipRecord.query(on: tx).filter(\.$id == partnership.id).set(\.$name, to: partnership.name)
                .update()
            let old = try await OverlapRecord.query(on: tx).filter(\.$partnershipID == partnership.id).all()
            let activeIDs = Set((a + b).map(\.id))
            var kept = Set<String>()
            for r in old {
                let key = "\(r.accountAID)|\(r.accountBID)"
                if let (_, _, o) = freshPairs[key] {
                    r.relation = o.relation.rawValue
                    r.method = o.method.rawValue
                    r.score = o.score
                    r.refreshedAt = at
                    try await r.update(on: tx)
                    kept.insert(key)
                } else if r.jointAccountID != nil
                    && !(activeIDs.contains(r.accountAID) && activeIDs.contains(r.accountBID))
                {
                    // A deal's pair with an account retired from its CRM list: kept, hidden while the account
                    // is retired (`overlaps(of:)` lists active accounts only), so that restoring or importing
                    // the account again brings the target back with its link to the deal.
                    continue
                } else {
                    try await r.delete(on: tx)
                }
            }
            var batch: [OverlapRecord] = []
            for (key, (ia, ib, o)) in freshPairs where !kept.contains(key) {
                let r = OverlapRecord()
                r.id = UUID()
                r.partnershipID = partnership.id
                r.accountAID = ia
                r.accountBID = ib
                r.relation = o.relation.rawValue
                r.method = o.method.rawValue
                r.score = o.score
                r.refreshedAt = at
                batch.append(r)
                if batch.count == 500 {
                    try await batch.create(on: tx)
                    batch.removeAll()
                }
            }
            if !batch.isEmpty { try await batch.create(on: tx) }
            // A joint account started before either export carried an address gets one now, from the
            // first side of the pair that has one (never overwriting an address it holds).
            let byID = Dictionary((a + b).map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            for r in old where kept.contains("\(r.accountAID)|\(r.accountBID)") {
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
        return freshPairs.count
    }

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
