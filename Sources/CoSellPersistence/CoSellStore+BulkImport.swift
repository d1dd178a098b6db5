import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    /// Writes many joint accounts and deals with their timelines at once, in one transaction, with
    /// multi-row inserts: what `importDeal` does deal by deal (registration ledger, lesson library),
    /// for data generated or migrated in bulk. The deals must be new, and so must their accounts.
    public func bulkImport(
        accounts: [JointAccount], deals: [(deal: Deal, stageKey: String)], events: [DealEvent]
    ) async throws {
        var byID: [UUID: JointAccount] = [:]
        for a in accounts { byID[a.id] = a }
        let accountsByID = byID
        let versions = try await playbooksByVersion()
        var partnershipOf: [UUID: UUID] = [:]
        for (deal, _) in deals { partnershipOf[deal.id] = deal.partnershipID }
        let eventRecords = try events.map { e in
            guard let p = partnershipOf[e.dealID] else {
                throw StoreError.invalid(
                    field: "events", "Timeline entry \(e.id) belongs to deal \(e.dealID), which is not in this import.")
            }
            return DealEventRecord(e, partnershipID: p)
        }
        try await transaction { tx in
            try await Self.insertChunked(try accounts.map(JointAccountRecord.init), on: tx)
            try await Self.insertChunked(try deals.map { try DealRecord($0.deal, stageKey: $0.stageKey) }, on: tx)
            var revisions: [UUID: Int64] = [:]
            for p in Set(deals.map(\.deal.partnershipID)) {
                revisions[p] = try await Self.nextFactsRevision(p, on: tx)
            }
            try await Self.insertChunked(
                deals.map {
                    let r = DealFactsRecord($0.deal, playbook: versions[$0.deal.playbookVersionKey])
                    r.changedAtRevision = revisions[$0.deal.partnershipID]
                    return r
                }, on: tx)
            try await Self.insertChunked(eventRecords, on: tx)
            var registrations: [RegistrationRecord] = []
            var lessons: [LessonRecord] = []
            for (deal, _) in deals {
                if let reg = deal.evidence.close.registration {
                    let r = RegistrationRecord(
                        deal, registration: reg,
                        openSlot: deal.isInPlay && reg.status != .rejected ? "open" : deal.id.uuidString)
                    // New accounts have no mapping yet: their key is their domain, else themselves.
                    r.accountKey =
                        RegistrationClaimKeys.domain(accountsByID[deal.jointAccountID]?.domain)
                        ?? RegistrationClaimKeys.jointAccount(deal.jointAccountID)
                    registrations.append(r)
                }
                let play = accountsByID[deal.jointAccountID].flatMap {
                    LessonLibrary.play(
                        of: $0, hostOrganizationID: deal.hostOrganizationID,
                        partnerOrganizationID: deal.partnerOrganizationID)
                }
                for l in deal.evidence.close.review?.lessons ?? [] {
                    lessons.append(LessonRecord(l, deal: deal, play: play))
                }
            }
            try await Self.insertChunked(registrations, on: tx)
            try await Self.insertChunked(lessons, on: tx)
        }
    }

    /// Multi-row inserts of at most `rows` records each (SQLite and PostgreSQL cap the bound values
    /// of one statement).
    static func insertChunked<M: Model>(_ records: [M], rows: Int = 300, on db: any Database) async throws {
        var start = 0
        while start < records.count {
            let end = min(records.count, start + rows)
            try await Array(records[start..<end]).create(on: db)
            start = end
        }
    }
}
