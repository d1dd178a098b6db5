import Foundation

/// Who is making a change: a person acting for their organization.
public struct Actor: Codable, Sendable, Equatable {
    public var personID: UUID
    public var organizationID: UUID
    public var role: Role
    public var name: String

    public init(personID: UUID, organizationID: UUID, role: Role, name: String) {
        self.personID = personID
        self.organizationID = organizationID
        self.role = role
        self.name = name
    }

    public init(_ person: Person) {
        self.init(
            personID: person.id, organizationID: person.organizationID, role: person.role, name: person.name)
    }
}
