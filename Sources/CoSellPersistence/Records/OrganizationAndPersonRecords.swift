import CoSellDomain
import FluentKit
import Foundation

final class OrganizationRecord: Model, @unchecked Sendable {
    static let schema = "organizations"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "domain") var domain: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ o: Organization) {
        id = o.id
        name = o.name
        domain = o.domain
        createdAt = o.createdAt
    }

    var domainValue: Organization { Organization(id: id!, name: name, domain: domain, createdAt: createdAt) }
}

final class PersonRecord: Model, @unchecked Sendable {
    static let schema = "people"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @OptionalField(key: "title") var title: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?

    init() {}

    init(_ p: Person, createdAt: Date) {
        id = p.id
        organizationID = p.organizationID
        name = p.name
        email = p.email.lowercased()
        role = p.role.rawValue
        title = p.title
        self.createdAt = createdAt
        deactivatedAt = p.deactivatedAt
    }

    var domainValue: Person {
        var p = Person(
            id: id!, organizationID: organizationID, name: name, email: email, role: Role(rawValue: role) ?? .viewer,
            title: title)
        p.deactivatedAt = deactivatedAt
        return p
    }
}
