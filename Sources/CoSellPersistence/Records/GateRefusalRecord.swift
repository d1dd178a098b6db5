import CoSellDomain
import FluentKit
import Foundation

final class GateRefusalRecord: Model, @unchecked Sendable {
    static let schema = "gate_refusals"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "stage_key") var stageKey: String
    @Field(key: "unmet") var unmet: String
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "actor_name") var actorName: String
    @Field(key: "at") var at: Date

    init() {}

    func domainValue() throws -> GateRefusal {
        GateRefusal(
            dealID: dealID, stageKey: stageKey, unmet: try JSONColumn.decode([String].self, from: unmet),
            actorID: actorID, actorName: actorName, at: at)
    }
}
