import CoSellWorkflows
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    public func privateMappingKey(partnershipID: UUID, organizationID: UUID) async throws -> PrivateMappingKey? {
        try await PrivateMappingKeyRecord.query(on: db)
            .filter(\.$partnershipID == partnershipID)
            .filter(\.$organizationID == organizationID)
            .first()
            .map {
                PrivateMappingKey(
                    id: try $0.requireID(), partnershipID: $0.partnershipID, organizationID: $0.organizationID,
                    secret: $0.secret,
                    createdAt: $0.createdAt)
            }
    }

    /// Replaces the key: the old row is deleted and the new one inserted in the caller's transaction.
    public func savePrivateMappingKey(_ key: PrivateMappingKey) async throws {
        try await PrivateMappingKeyRecord.query(on: db)
            .filter(\.$partnershipID == key.partnershipID)
            .filter(\.$organizationID == key.organizationID)
            .delete()
        let r = PrivateMappingKeyRecord()
        r.id = key.id
        r.partnershipID = key.partnershipID
        r.organizationID = key.organizationID
        r.secret = key.secret
        r.createdAt = key.createdAt
        try await r.create(on: db)
    }

    public func privateMappingRun(_ id: UUID) async throws -> PrivateMappingRun? {
        try await PrivateMappingRunRecord.find(id, on: db).map {
            try JSONColumn.decode(PrivateMappingRun.self, from: $0.document)
        }
    }

    public func privateMappingRuns(partnershipID: UUID, since: Date) async throws -> [PrivateMappingRun] {
        try await PrivateMappingRunRecord.query(on: db)
            .filter(\.$partnershipID == partnershipID)
            .filter(\.$startedAt >= since)
            .sort(\.$startedAt, .descending)
            .sort(\.$id, .descending)
            .all()
            .map { try JSONColumn.decode(PrivateMappingRun.self, from: $0.document) }
    }

    public func insertPrivateMappingRun(_ run: PrivateMappingRun) async throws {
        let r = PrivateMappingRunRecord()
        r.id = run.id
        r.partnershipID = run.partnershipID
        r.startedAt = run.startedAt
        r.nextBatch = run.nextBatch
        r.document = try JSONColumn.encode(run)
        try await r.create(on: db)
    }

    /// One conditional UPDATE on the batch counter, so two requests carrying the same batch cannot
    /// both move the run on either engine.
    public func updatePrivateMappingRun(_ run: PrivateMappingRun, expectedBatch: Int) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw StoreError.conflict("The database does not speak SQL.") }
        let rows = try await sql.update(PrivateMappingRunRecord.schema)
            .set("next_batch", to: run.nextBatch)
            .set("document", to: try JSONColumn.encode(run))
            .where("id", .equal, run.id)
            .where("next_batch", .equal, expectedBatch)
            .returning("id")
            .all()
        return !rows.isEmpty
    }
}

extension CoSellStore {
    /// Three columns of the organization's active accounts, without building the account models.
    public func privateMappingSources(of organizationID: UUID) async throws -> [PrivateMappingSource] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.conflict("The database does not speak SQL.") }
        return try await sql.select()
            .columns("name", "domain", "country")
            .from("crm_accounts")
            .where("organization_id", .equal, organizationID)
            .where("status", .equal, "active")
            .all(decoding: PrivateMappingSource.self)
    }
}

extension FluentWorkflowStore {
    public func privateMappingSources(of organizationID: UUID) async throws -> [PrivateMappingSource] {
        try await store.privateMappingSources(of: organizationID)
    }

    public func privateMappingKey(partnershipID: UUID, organizationID: UUID) async throws -> PrivateMappingKey? {
        try await store.privateMappingKey(partnershipID: partnershipID, organizationID: organizationID)
    }

    public func savePrivateMappingKey(_ key: PrivateMappingKey) async throws {
        try await store.savePrivateMappingKey(key)
    }

    public func privateMappingRun(_ id: UUID) async throws -> PrivateMappingRun? {
        try await store.privateMappingRun(id)
    }

    public func privateMappingRuns(partnershipID: UUID, since: Date) async throws -> [PrivateMappingRun] {
        try await store.privateMappingRuns(partnershipID: partnershipID, since: since)
    }

    public func insertPrivateMappingRun(_ run: PrivateMappingRun) async throws {
        try await store.insertPrivateMappingRun(run)
    }

    public func updatePrivateMappingRun(_ run: PrivateMappingRun, expectedBatch: Int) async throws -> Bool {
        try await store.updatePrivateMappingRun(run, expectedBatch: expectedBatch)
    }
}
