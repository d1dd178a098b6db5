import CoSellDomain
import FluentKit
import Foundation

final class PlaybookRecord: Model, @unchecked Sendable {
    static let schema = "playbooks"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "playbook_id") var playbookID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "name") var name: String
    @Field(key: "definition") var definition: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?

    init() {}

    init(_ p: Playbook) throws {
        id = UUID()
        playbookID = p.id
        version = p.version
        name = p.name
        definition = try JSONColumn.encode(p)
        createdAt = p.createdAt
        createdBy = p.createdBy
    }

    func domainValue() throws -> Playbook { try JSONColumn.decode(Playbook.self, from: definition) }
}
