import CoSellDomain
import FluentKit
import Foundation

final class AuditEventRecord: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "actor_name") var actorName: String?
    @Field(key: "kind") var kind: String
    @Field(key: "detail") var detail: String
    @OptionalField(key: "address") var address: String?
    @Field(key: "at") var at: Date
    init() {}

    var value: AuditEvent {
        AuditEvent(
            id: id!, organizationID: organizationID, actorID: actorID, actorName: actorName, kind: kind, detail: detail,
            address: address, at: at)
    }
}
