import CoSellDomain
import FluentKit
import Foundation

final class ValuePropositionRecord: Model, @unchecked Sendable {
    static let schema = "value_propositions"
    @ID(custom: "partnership_id", generatedBy: .user) var id: UUID?
    @Field(key: "revision") var revision: Int
    @Field(key: "document") var document: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    func value() throws -> ValueProposition { try JSONColumn.decode(ValueProposition.self, from: document) }
}
