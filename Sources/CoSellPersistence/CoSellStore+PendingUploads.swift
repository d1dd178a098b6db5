import FluentKit
import Foundation

extension CoSellStore {
    public func savePendingUpload(
        id: UUID, organizationID: UUID, personID: UUID, fileName: String, data: Data, at: Date
    ) async throws {
        // Uploads nobody confirmed within a day are dropped.
        try await PendingUploadRecord.query(on: db).filter(\.$createdAt < at.addingTimeInterval(-86_400)).delete()
        let r = PendingUploadRecord()
        r.id = id
        r.organizationID = organizationID
        r.personID = personID
        r.fileName = fileName
        r.data = data
        r.createdAt = at
        try await r.create(on: db)
    }

    public func pendingUpload(
        _ id: UUID, personID: UUID
    ) async throws -> (fileName: String, data: Data, organizationID: UUID)? {
        guard let r = try await PendingUploadRecord.find(id, on: db), r.personID == personID else { return nil }
        return (r.fileName, r.data, r.organizationID)
    }

    public func deletePendingUpload(_ id: UUID) async throws {
        try await PendingUploadRecord.query(on: db).filter(\.$id == id).delete()
    }
}
