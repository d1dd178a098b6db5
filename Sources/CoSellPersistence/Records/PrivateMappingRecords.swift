import FluentKit
import Foundation

final class PrivateMappingKeyRecord: Model, @unchecked Sendable {
    static let schema = "private_mapping_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "secret") var secret: Data
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class PrivateMappingRunRecord: Model, @unchecked Sendable {
    static let schema = "private_mapping_runs"
    @ID(key: .id) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "next_batch") var nextBatch: Int
    @Field(key: "document") var document: String
    init() {}
}
