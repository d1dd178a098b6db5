import CoSellDomain
import Foundation

/// Playbooks: an organization's own copy of a visible one, and new versions of its own.
public struct PlaybookWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// What a copy is made from and called (`basedOn` nil: the standard playbook).
    public struct Copy: Sendable {
        public var basedOn: UUID?
        public var name: String

        public init(basedOn: UUID?, name: String) {
            self.basedOn = basedOn
            self.name = name
        }
    }

    /// A new version's name, stages and inactivity limit.
    public struct Draft: Sendable {
        public var name: String
        public var stages: [Stage]
        public var inactivityLimitDays: Int

        public init(name: String, stages: [Stage], inactivityLimitDays: Int) {
            self.name = name
            self.stages = stages
            self.inactivityLimitDays = inactivityLimitDays
        }
    }

    /// An admin makes their organization's own playbook (version 1) from a visible one. `copy` is
    /// read after the role and write checks; an invisible source is not found, naming `based_on`.
    public func copy(by p: Principal, _ copy: @escaping @Sendable () async throws -> Copy) async throws -> Playbook {
        try p.require([.admin], "Only admins make playbooks.")
        try p.requireWrite()
        let wanted = try await copy()
        let now = clock()
        return try await store.transaction { s in
            let visible = try await Access(store: s).visiblePlaybookOwners(p)
            guard let source = try await s.playbook(wanted.basedOn ?? Playbook.standardID, version: nil),
                visible.contains(source.organizationID)
            else { throw WorkflowError.notFound("playbook", field: "based_on") }
            var made = source
            made.id = UUID()
            made.version = 1
            made.name = wanted.name.trimmingCharacters(in: .whitespacesAndNewlines)
            made.organizationID = p.person.organizationID
            made.createdAt = now
            made.createdBy = p.person.id
            try Self.validate(made)
            try await s.insertPlaybook(made)
            return made
        }
    }

    /// The newest version of a playbook the principal may edit: visible, an admin of the
    /// organization that owns it, with a credential that may write.
    public func editable(_ id: UUID, by p: Principal) async throws -> Playbook {
        let current = try await Access(store: store).visiblePlaybook(id, p)
        try p.requireWrite()
        try p.require([.admin], "Only admins edit playbooks.")
        guard current.organizationID == p.person.organizationID else {
            throw WorkflowError.forbidden(
                current.organizationID == nil
                    ? "The standard playbook is shared by every organization: make your own copy (POST /api/v1/playbooks) and edit that."
                    : "Only the organization that owns a playbook edits it.")
        }
        return current
    }

    /// Saves a new version of a playbook the principal may edit (see `editable`); deals keep the
    /// version they started on. `draft` is read after those checks, with the current version.
    public func saveVersion(
        of id: UUID, by p: Principal, _ draft: @escaping @Sendable (Playbook) async throws -> Draft
    ) async throws -> Playbook {
        let now = clock()
        return try await store.transaction { s in
            let current = try await PlaybookWorkflows(store: s, clock: clock).editable(id, by: p)
            let d = try await draft(current)
            var next = Playbook(
                id: current.id, version: current.version + 1,
                name: d.name.trimmingCharacters(in: .whitespacesAndNewlines), stages: d.stages,
                inactivityLimitDays: d.inactivityLimitDays, createdAt: now, createdBy: p.person.id)
            next.organizationID = current.organizationID
            try Self.validate(next)
            try await s.insertPlaybook(next)
            return next
        }
    }

    /// The playbook's own rules, as an `invalid` naming the field (`stages[1].name`).
    static func validate(_ playbook: Playbook) throws(WorkflowError) {
        do {
            try playbook.validate()
        } catch {
            switch error {
            case .invalid(let field, let m): throw .invalid(field: field, "\(field) \(m)")
            }
        }
    }
}
