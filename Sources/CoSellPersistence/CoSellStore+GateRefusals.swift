import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    public func recordGateRefusal(_ r: GateRefusal, partnershipID: UUID) async throws {
        let row = GateRefusalRecord()
        row.id = UUID()
        row.dealID = r.dealID
        row.partnershipID = partnershipID
        row.stageKey = r.stageKey
        row.unmet = try JSONColumn.encode(r.unmet)
        row.actorID = r.actorID
        row.actorName = r.actorName
        row.at = r.at
        try await row.create(on: db)
    }

    public func gateRefusals(partnershipID: UUID, from: Date, to: Date) async throws -> [GateRefusal] {
        try await GateRefusalRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$at >= from).filter(\.$at < to).sort(\.$at).all().map { try $0.domainValue() }
    }
}
