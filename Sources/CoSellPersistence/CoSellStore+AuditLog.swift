import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    public func audit(_ e: AuditEvent) async throws {
        let r = AuditEventRecord()
        r.id = e.id
        r.organizationID = e.organizationID
        r.actorID = e.actorID
        r.actorName = e.actorName
        r.kind = e.kind
        r.detail = String(e.detail.prefix(2000))
        r.address = e.address
        r.at = e.at
        try await r.create(on: db)
    }

    public func auditEvents(of organizationID: UUID, limit: Int, offset: Int) async throws -> Page<AuditEvent> {
        let q = AuditEventRecord.query(on: db).filter(\.$organizationID == organizationID)
        let total = try await q.count()
        let items = try await q.sort(\.$at, .descending).sort(\.$id).range(offset..<(offset + limit)).all().map(\.value)
        return Page(items: items, total: total)
    }
}
