import CoSellDomain
import CoSellWorkflows
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    public func insertDiscoveryCall(_ call: DiscoveryCall) async throws {
        try await DiscoveryCallRecord(call).create(on: db)
    }

    /// Writes the call only while the stored version is `expectedVersion` (one conditional UPDATE,
    /// so two concurrent edits cannot both win on either engine).
    public func saveDiscoveryCall(_ call: DiscoveryCall, expectedVersion: Int) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.conflict("The database does not speak SQL.") }
        let rows = try await sql.update(DiscoveryCallRecord.schema)
            .set("held_on", to: call.content.heldOn.description)
            .set("version", to: call.version)
            .set("document", to: try JSONColumn.encode(call))
            .set("updated_at", to: call.updatedAt)
            .where("id", .equal, call.id)
            .where("version", .equal, expectedVersion)
            .returning("id")
            .all()
        guard !rows.isEmpty else {
            throw WorkflowError.conflict(
                "The discovery call was changed by someone else since version \(expectedVersion) was read; reload it and try again."
            )
        }
    }

    public func discoveryCall(_ id: UUID) async throws -> DiscoveryCall? {
        try await DiscoveryCallRecord.find(id, on: db)?.value()
    }

    public func discoveryCalls(of partnershipID: UUID) async throws -> [DiscoveryCall] {
        try await DiscoveryCallRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .sort(\.$heldOn).sort(\.$createdAt).sort(\.$id).limit(500).all().map { try $0.value() }
    }

    /// The discovery calls of several partnerships, by partnership (for lists and the mail sweep).
    public func discoveryCalls(ofPartnerships ids: [UUID]) async throws -> [UUID: [DiscoveryCall]] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: [DiscoveryCall]] = [:]
        for r in try await DiscoveryCallRecord.query(on: db).filter(\.$partnershipID ~~ ids).sort(\.$heldOn)
            .sort(\.$createdAt).all()
        {
            out[r.partnershipID, default: []].append(try r.value())
        }
        return out
    }
}

extension FluentWorkflowStore {
    public func insertDiscoveryCall(_ call: DiscoveryCall) async throws {
        try await store.insertDiscoveryCall(call)
    }

    public func saveDiscoveryCall(_ call: DiscoveryCall, expectedVersion: Int) async throws {
        try await store.saveDiscoveryCall(call, expectedVersion: expectedVersion)
    }

    public func discoveryCall(_ id: UUID) async throws -> DiscoveryCall? {
        try await store.discoveryCall(id)
    }

    public func discoveryCalls(of partnershipID: UUID) async throws -> [DiscoveryCall] {
        try await store.discoveryCalls(of: partnershipID)
    }

    public func discoveryCalls(ofPartnerships ids: [UUID]) async throws -> [UUID: [DiscoveryCall]] {
        try await store.discoveryCalls(ofPartnerships: ids)
    }
}
