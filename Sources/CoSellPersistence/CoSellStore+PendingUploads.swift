import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    public func savePendingUpload(
        id: UUID, organizationID: UUID, personID: UUID, fileName: String, data: Data, at: Date
    ) async throws {
        let r = PendingUploadRecord()
        r.id = id
        r.organizationID = organizationID
        r.personID = personID
        r.fileName = fileName
        r.data = data
        r.createdAt = at
        try await r.create(on: db)
    }

    /// The upload, when it is `personID`'s.
    public func pendingUpload(_ id: UUID, personID: UUID) async throws -> PendingUpload? {
        guard let r = try await PendingUploadRecord.find(id, on: db), r.personID == personID else { return nil }
        return PendingUpload(
            id: id, organizationID: r.organizationID, personID: r.personID, fileName: r.fileName, data: r.data,
            createdAt: r.createdAt)
    }

    public func deletePendingUpload(_ id: UUID) async throws {
        try await PendingUploadRecord.query(on: db).filter(\.$id == id).delete()
    }

    /// Drops the uploads made before `date`.
    public func dropPendingUploads(before date: Date) async throws {
        try await PendingUploadRecord.query(on: db).filter(\.$createdAt < date).delete()
    }
}
