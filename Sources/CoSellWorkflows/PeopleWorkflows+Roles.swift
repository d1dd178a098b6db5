import CoSellDomain
import Foundation

extension PeopleWorkflows {
    /// Why an organization's last active admin keeps the role: nobody could manage its people then.
    public static func lastAdminMessage(_ person: Person, organizationName: String) -> String {
        "\(person.name) is the last active admin of \(organizationName): make another person admin first."
    }

    /// An admin changes the role of a person of their own organization, with an audit line naming
    /// both people and the two roles, in one transaction. A person of another organization is not
    /// found; a deactivated person keeps their role; the organization's last active admin stays an
    /// admin (also when they demote themselves). The same role again changes nothing and writes no
    /// audit line. `role` is read after the person, write and role checks.
    public func changeRole(
        _ personID: UUID, by p: Principal, to role: @escaping @Sendable () async throws -> Role
    ) async throws -> Person {
        let now = clock()
        let organizationID = p.person.organizationID
        return try await store.transaction { s in
            guard var target = try await s.person(personID), target.organizationID == organizationID else {
                throw WorkflowError.notFound("person")
            }
            try p.requireWrite()
            try p.require([.admin], "Only admins change roles.")
            let wanted = try await role()
            guard target.deactivatedAt == nil else {
                throw WorkflowError.conflict(
                    "\(target.name) is deactivated: a deactivated person's role stays as it is.")
            }
            let old = target.role
            guard wanted != old else { return target }
            if old == .admin {
                let admins = try await s.people(inOrganizations: [organizationID]).filter {
                    $0.role == .admin && $0.deactivatedAt == nil
                }
                if admins.count <= 1 {
                    let name = try await s.organizations([organizationID]).first?.name ?? "your organization"
                    throw WorkflowError.conflict(Self.lastAdminMessage(target, organizationName: name))
                }
            }
            try await s.setRole(wanted, of: personID)
            target.role = wanted
            try await s.audit(
                p.auditEntry(
                    "person_role_changed",
                    "\(p.person.name) changed \(target.name)'s role from \(old.title.lowercased()) to \(wanted.title.lowercased()).",
                    organizationID: organizationID, at: now))
            return target
        }
    }

    /// `changeRole` with the role at hand.
    public func changeRole(_ personID: UUID, to role: Role, by p: Principal) async throws -> Person {
        try await changeRole(personID, by: p) { role }
    }
}
