import FluentKit
import Foundation

final class PendingUploadRecord: Model, @unchecked Sendable {
    static let schema = "pending_uploads"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "data") var data: Data
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
