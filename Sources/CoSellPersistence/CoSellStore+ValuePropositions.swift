import CoSellDomain
import CoSellWorkflows
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    public func valueProposition(of partnershipID: UUID) async throws -> ValueProposition? {
        try await ValuePropositionRecord.find(partnershipID, on: db)?.value()
    }

    /// Writes the value proposition only over the revision that was read: an insert that does
    /// nothing when another writer inserted first, or one conditional UPDATE, so two concurrent
    /// writers cannot both win on either engine.
    public func saveValueProposition(_ vp: ValueProposition, expectedRevision: Int) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.conflict("The database does not speak SQL.") }
        let document = try JSONColumn.encode(vp)
        let now = Date()
        let rows: [any SQLRow]
        if expectedRevision == 0 {
            rows = try await sql.insert(into: ValuePropositionRecord.schema)
                .columns("partnership_id", "revision", "document", "updated_at")
                .values(SQLBind(vp.partnershipID), SQLBind(vp.revision), SQLBind(document), SQLBind(now))
                .ignoringConflicts(with: ["partnership_id"])
                .returning("partnership_id")
                .all()
        } else {
            rows = try await sql.update(ValuePropositionRecord.schema)
                .set("revision", to: vp.revision)
                .set("document", to: document)
                .set("updated_at", to: now)
                .where("partnership_id", .equal, vp.partnershipID)
                .where("revision", .equal, expectedRevision)
                .returning("partnership_id")
                .all()
        }
        guard !rows.isEmpty else {
            throw WorkflowError.conflict(
                "The value proposition was changed by someone else since you read it; reload it and try again.")
        }
    }
}

extension FluentWorkflowStore {
    public func valueProposition(of partnershipID: UUID) async throws -> ValueProposition? {
        try await store.valueProposition(of: partnershipID)
    }

    public func saveValueProposition(_ vp: ValueProposition, expectedRevision: Int) async throws {
        try await store.saveValueProposition(vp, expectedRevision: expectedRevision)
    }
}
