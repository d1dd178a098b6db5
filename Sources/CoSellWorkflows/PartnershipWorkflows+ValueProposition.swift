import CoSellDomain
import Foundation

/// The one-page joint value proposition: a partner manager (or admin) of either company of an
/// active partnership writes a draft, one of each company approves it, and the version both
/// approved is published. Each verb is one transaction; every write has an audit line for both
/// companies. Another company's partnership is not found; sellers and viewers read.
extension PartnershipWorkflows {
    /// A write of the page: the version the writer read (0 before the first), and the content.
    public struct ValuePropositionEdit: Sendable {
        public var version: Int
        public var content: ValueProposition.Content

        public init(version: Int, content: ValueProposition.Content) {
            self.version = version
            self.content = content
        }
    }

    /// The partnership's value proposition for a reader of either company: nil before the first
    /// draft.
    public func valueProposition(
        in partnershipID: UUID, by p: Principal
    ) async throws -> (partnership: Partnership, valueProposition: ValueProposition?) {
        try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            return (ps, try await s.valueProposition(of: ps.id))
        }
    }

    /// Writes the draft. The edit names the newest version it read (a stale one is a conflict); a
    /// new content is the next version, with no approvals; the published version stays published.
    /// `edit` (the request's body) is read after the visibility, status and role checks.
    public func writeValueProposition(
        in partnershipID: UUID, by p: Principal, _ edit: @escaping @Sendable () async throws -> ValuePropositionEdit
    ) async throws -> ValueProposition {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Self.valuePropositionWritable(
                partnershipID, p, "Only partner managers and admins write the value proposition.", on: s)
            let e = try await edit()
            let vp = try await s.valueProposition(of: ps.id) ?? ValueProposition(partnershipID: ps.id)
            guard e.version == vp.latestVersion else {
                throw WorkflowError.conflict(
                    "The value proposition is at version \(vp.latestVersion), not \(e.version): someone changed it since you read it. Reload it and try again."
                )
            }
            let ctx = ValuePropositions.Context(
                partnership: ps, people: try await s.people(inOrganizations: ps.organizationIDs))
            let wanted = try Self.workflowError { () throws(DealError) in
                try ValuePropositions.validated(e.content, in: ctx)
            }
            let written = ValuePropositions.written(vp, wanted, by: p.person, at: now)
            guard written != vp else { return vp }
            try await s.saveValueProposition(written, expectedRevision: vp.revision)
            let replaced = vp.draft.map { " It replaces the draft version \($0.number)." } ?? ""
            let published =
                vp.published.map { " Version \($0.number) stays published until both companies approve." } ?? ""
            try await Self.audit(
                "value_proposition_written",
                "\(p.person.name) wrote version \(written.latestVersion) of the joint value proposition of \"\(ps.name)\".\(replaced)\(published)",
                ps, p, now, on: s)
            return written
        }
    }

    /// A partner manager or admin approves the draft numbered `version` for their company, once;
    /// when both companies have, it is published.
    public func approveValueProposition(
        in partnershipID: UUID, by p: Principal, _ version: @escaping @Sendable () async throws -> Int
    ) async throws -> ValueProposition {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Self.valuePropositionWritable(
                partnershipID, p, "Only partner managers and admins approve the value proposition.", on: s)
            let number = try await version()
            guard let vp = try await s.valueProposition(of: ps.id) else {
                throw WorkflowError.conflict("There is no value proposition to approve yet: write it first.")
            }
            let approved = try Self.workflowError { () throws(DealError) in
                try ValuePropositions.approved(vp, version: number, by: p.person, in: ps, at: now)
            }
            try await s.saveValueProposition(approved, expectedRevision: vp.revision)
            let company = try await s.organizations([p.person.organizationID]).first?.name ?? "their company"
            let published =
                approved.published?.number == number
                ? " Both companies have approved it: version \(number) is published." : ""
            try await Self.audit(
                approved.published?.number == number ? "value_proposition_published" : "value_proposition_approved",
                "\(p.person.name) approved version \(number) of the joint value proposition of \"\(ps.name)\" for \(company).\(published)",
                ps, p, now, on: s)
            return approved
        }
    }

    static func valuePropositionWritable(
        _ partnershipID: UUID, _ p: Principal, _ roles: String, on s: any WorkflowStore
    ) async throws -> Partnership {
        let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
        try p.requireWrite()
        try p.require([.admin, .partnerManager], roles)
        guard ps.status == .active else {
            throw WorkflowError.conflict(
                "The partnership is \(ps.status.rawValue): its value proposition changes only while both companies co-sell."
            )
        }
        return ps
    }
}
