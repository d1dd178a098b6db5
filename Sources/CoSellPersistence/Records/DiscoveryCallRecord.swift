import CoSellDomain
import FluentKit
import Foundation

final class DiscoveryCallRecord: Model, @unchecked Sendable {
    static let schema = "discovery_calls"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "held_on") var heldOn: String
    @Field(key: "version") var version: Int
    @Field(key: "document") var document: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    init(_ call: DiscoveryCall) throws {
        id = call.id
        partnershipID = call.partnershipID
        heldOn = call.content.heldOn.description
        version = call.version
        document = try JSONColumn.encode(call)
        createdAt = call.createdAt
        updatedAt = call.updatedAt
    }

    func value() throws -> DiscoveryCall { try JSONColumn.decode(DiscoveryCall.self, from: document) }
}
