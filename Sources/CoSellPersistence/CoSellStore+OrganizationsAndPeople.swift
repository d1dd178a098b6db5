import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    public func insert(_ o: Organization) async throws {
        try await OrganizationRecord(o).create(on: db)
    }

    public func organization(_ id: UUID) async throws -> Organization? {
        try await OrganizationRecord.find(id, on: db)?.domainValue
    }

    public func organizations(_ ids: [UUID]) async throws -> [Organization] {
        try await OrganizationRecord.query(on: db).filter(\.$id ~~ ids).sort(\.$name).all().map(\.domainValue)
    }

    public func organization(domain: String) async throws -> Organization? {
        try await OrganizationRecord.query(on: db).filter(\.$domain == domain.lowercased()).first()?.domainValue
    }

    public func insert(_ p: Person, at: Date) async throws {
        if try await PersonRecord.query(on: db).filter(\.$email == p.email.lowercased()).count() > 0 {
            throw StoreError.conflict("A person with the e-mail \(p.email) already exists.")
        }
        try await PersonRecord(p, createdAt: at).create(on: db)
    }

    public func person(_ id: UUID) async throws -> Person? {
        try await PersonRecord.find(id, on: db)?.domainValue
    }

    public func people(inOrganizations ids: [UUID]) async throws -> [Person] {
        try await PersonRecord.query(on: db).filter(\.$organizationID ~~ ids).sort(\.$name).all().map(\.domainValue)
    }

    public func person(email: String) async throws -> Person? {
        try await PersonRecord.query(on: db).filter(\.$email == email.lowercased()).first()?.domainValue
    }

    public func deactivate(_ personID: UUID, at: Date) async throws {
        guard let p = try await PersonRecord.find(personID, on: db) else { throw StoreError.notFound("person") }
        p.deactivatedAt = at
        try await p.update(on: db)
        try await SessionRecord.query(on: db).filter(\.$personID == personID).delete()
    }

    /// Gives a person another role (their sessions and tokens stay: each request reads the role anew).
    public func setRole(_ role: Role, of personID: UUID) async throws {
        guard let p = try await PersonRecord.find(personID, on: db) else { throw StoreError.notFound("person") }
        p.role = role.rawValue
        try await p.update(on: db)
    }
}
