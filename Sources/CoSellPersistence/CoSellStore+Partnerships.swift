import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    /// Inserts a partnership; a second one that is not ended for the same pair of organizations is
    /// refused by the database (`partnerships_open_pair`): `StoreError.conflict`.
    public func insert(_ p: Partnership) async throws {
        do {
            try await PartnershipRecord(p).create(on: db)
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict("A partnership with that organization exists or is pending already.")
        }
    }

    public func partnership(_ id: UUID) async throws -> Partnership? {
        try await PartnershipRecord.find(id, on: db)?.domainValue()
    }

    public func partnerships(of organizationID: UUID) async throws -> [Partnership] {
        try await PartnershipRecord.query(on: db)
            .group(.or) { $0.filter(\.$organizationAID == organizationID).filter(\.$organizationBID == organizationID) }
            .sort(\.$createdAt).all().map { try $0.domainValue() }
    }

    public func updatePlan(_ plan: CoSellPlan?, of partnershipID: UUID) async throws {
        guard let r = try await PartnershipRecord.find(partnershipID, on: db) else {
            throw StoreError.notFound("partnership")
        }
        r.plan = try plan.map(JSONColumn.encode)
        try await r.update(on: db)
    }

    public func savePartnershipStatus(_ p: Partnership) async throws {
        guard let r = try await PartnershipRecord.find(p.id, on: db) else { throw StoreError.notFound("partnership") }
        r.status = p.status.rawValue
        r.endedBy = p.endedBy
        r.endedReason = p.endedReason
        if p.status == .ended { r.openPair = nil }
        try await r.update(on: db)
    }

    /// Every active partnership, for the weekly review events.
    public func activePartnerships() async throws -> [Partnership] {
        try await PartnershipRecord.query(on: db).filter(\.$status == Partnership.Status.active.rawValue).all().map {
            try $0.domainValue()
        }
    }
}
