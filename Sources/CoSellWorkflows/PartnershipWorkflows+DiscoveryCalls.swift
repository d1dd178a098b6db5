import CoSellDomain
import Foundation

/// The partner discovery call: both companies of an active partnership record it, each company's
/// partner manager (or admin) confirms it. Each verb is one transaction; every write has an audit
/// line for both companies. Another company's partnership is not found; a viewer reads only.
extension PartnershipWorkflows {
    /// An edit of a call: the version the writer read, and the content they want.
    public struct DiscoveryCallEdit: Sendable {
        public var version: Int
        public var content: DiscoveryCall.Content

        public init(version: Int, content: DiscoveryCall.Content) {
            self.version = version
            self.content = content
        }
    }

    /// The partnership's calls (the earliest held first), for a reader of either company.
    public func discoveryCalls(
        in partnershipID: UUID, by p: Principal
    ) async throws -> (partnership: Partnership, calls: [DiscoveryCall]) {
        try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            return (ps, try await s.discoveryCalls(of: ps.id))
        }
    }

    /// One call of the partnership.
    public func discoveryCall(
        _ callID: UUID, in partnershipID: UUID, by p: Principal
    ) async throws -> (partnership: Partnership, call: DiscoveryCall) {
        try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            return (ps, try await Self.call(callID, of: ps, on: s))
        }
    }

    /// A seller, partner manager or admin of either company records a call. `content` (the
    /// request's body) is read after the visibility, status and role checks.
    public func recordDiscoveryCall(
        in partnershipID: UUID, by p: Principal,
        _ content: @escaping @Sendable () async throws -> DiscoveryCall.Content
    ) async throws -> DiscoveryCall {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Self.writable(partnershipID, p, on: s)
            let wanted = try await Self.validated(try await content(), of: ps, on: s)
            let call = DiscoveryCall(
                id: UUID(), partnershipID: ps.id, content: wanted, recordedBy: p.person.id, createdAt: now,
                updatedAt: now)
            try await s.insertDiscoveryCall(call)
            try await Self.audit(
                "discovery_call_recorded",
                "\(p.person.name) recorded the discovery call of \(wanted.heldOn) in \"\(ps.name)\" (\(wanted.verdict.words.lowercased())).",
                ps, p, now, on: s)
            return call
        }
    }

    /// Changes a call's content. The edit names the version it read (a stale one is a conflict); a
    /// change clears both companies' confirmations, so the other company confirms what was changed.
    public func editDiscoveryCall(
        _ callID: UUID, in partnershipID: UUID, by p: Principal,
        _ edit: @escaping @Sendable () async throws -> DiscoveryCallEdit
    ) async throws -> DiscoveryCall {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Self.writable(partnershipID, p, on: s)
            let call = try await Self.call(callID, of: ps, on: s)
            let e = try await edit()
            guard e.version == call.version else {
                throw WorkflowError.conflict(
                    "The discovery call is at version \(call.version), not \(e.version): someone changed or confirmed it since you read it. Reload it and try again."
                )
            }
            let wanted = try await Self.validated(e.content, of: ps, on: s)
            let changed = DiscoveryCalls.edited(call, to: wanted, at: now)
            guard changed != call else { return call }
            try await s.saveDiscoveryCall(changed, expectedVersion: call.version)
            let cleared = call.confirmations.isEmpty ? "" : " The confirmations were cleared."
            try await Self.audit(
                "discovery_call_changed",
                "\(p.person.name) changed the discovery call of \(wanted.heldOn) in \"\(ps.name)\".\(cleared)", ps, p,
                now, on: s)
            return changed
        }
    }

    /// A partner manager or admin confirms the call for their company, once.
    public func confirmDiscoveryCall(
        _ callID: UUID, in partnershipID: UUID, by p: Principal
    ) async throws -> DiscoveryCall {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin, .partnerManager], "Only partner managers and admins confirm a discovery call.")
            guard ps.status == .active else {
                throw WorkflowError.conflict(
                    "The partnership is \(ps.status.rawValue): its discovery call cannot change.")
            }
            let call = try await Self.call(callID, of: ps, on: s)
            let ctx = DiscoveryCalls.Context(
                partnership: ps, people: try await s.people(inOrganizations: ps.organizationIDs), accountIDs: [])
            let confirmed = try Self.workflowError { () throws(DealError) in
                try DiscoveryCalls.confirmed(call, by: p.person, in: ctx, at: now)
            }
            try await s.saveDiscoveryCall(confirmed, expectedVersion: call.version)
            let names = try await s.organizations(ps.organizationIDs)
            let company = names.first { $0.id == p.person.organizationID }?.name ?? "their company"
            let both = confirmed.isConfirmed(in: ps) ? " Both companies have confirmed it." : ""
            try await Self.audit(
                "discovery_call_confirmed",
                "\(p.person.name) confirmed the discovery call of \(call.content.heldOn) in \"\(ps.name)\" for \(company).\(both)",
                ps, p, now, on: s)
            return confirmed
        }
    }

    // MARK: helpers

    static func writable(_ partnershipID: UUID, _ p: Principal, on s: any WorkflowStore) async throws -> Partnership {
        let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
        try p.requireWrite()
        try p.require(
            [.admin, .partnerManager, .seller], "Only sellers, partner managers and admins record a discovery call.")
        guard ps.status == .active else {
            throw WorkflowError.conflict(
                "The partnership is \(ps.status.rawValue): a discovery call is recorded once both companies accepted it."
            )
        }
        return ps
    }

    static func call(_ id: UUID, of ps: Partnership, on s: any WorkflowStore) async throws -> DiscoveryCall {
        guard let call = try await s.discoveryCall(id), call.partnershipID == ps.id else {
            throw WorkflowError.notFound("discovery call")
        }
        return call
    }

    static func validated(
        _ content: DiscoveryCall.Content, of ps: Partnership, on s: any WorkflowStore
    ) async throws -> DiscoveryCall.Content {
        var accounts: Set<UUID> = []
        for id in Set(content.accountIDs.prefix(DiscoveryCalls.maxAccounts + 1)) {
            if let a = try await s.jointAccount(id), a.partnershipID == ps.id { accounts.insert(id) }
        }
        let ctx = DiscoveryCalls.Context(
            partnership: ps, people: try await s.people(inOrganizations: ps.organizationIDs), accountIDs: accounts)
        return try workflowError { () throws(DealError) in try DiscoveryCalls.validated(content, in: ctx) }
    }

    /// Runs a domain rule, its refusals as the verbs' errors.
    static func workflowError<T>(_ rule: () throws(DealError) -> T) throws -> T {
        switch Result(catching: rule) {
        case .success(let v): return v
        case .failure(let e):
            switch e {
            case .invalid(let field, let m): throw WorkflowError.invalid(field: field, m)
            case .forbidden(let m): throw WorkflowError.forbidden(m)
            case .conflict(let m): throw WorkflowError.conflict(m)
            default: throw e
            }
        }
    }

    static func audit(
        _ kind: String, _ detail: String, _ ps: Partnership, _ p: Principal, _ at: Date, on s: any WorkflowStore
    ) async throws {
        for org in ps.organizationIDs {
            try await s.audit(p.auditEntry(kind, detail, organizationID: org, at: at))
        }
    }
}
