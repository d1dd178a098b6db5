import CoSellDomain
import Foundation

extension ReportWorkflows {
    /// What one organization records about how its account executives are credited for co-sell deals.
    public struct CompensationInput: Sendable {
        public var credits: String?
        public var note: String?

        public init(credits: String?, note: String?) {
            self.credits = credits
            self.note = note
        }
    }

    /// Each organization's compensation line for the partnership, as the adoption report shows it:
    /// its deals registered with an attribution a plan does not credit are counted over the deals the
    /// principal may see.
    public func compensation(of partnershipID: UUID, by p: Principal) async throws -> [CompensationCheck] {
        try await compensation(try await inputs(of: partnershipID, by: p))
    }

    /// `compensation(of:by:)` over inputs already read.
    public func compensation(_ i: Inputs) async throws -> [CompensationCheck] {
        Self.compensation(i.partnership, plans: try await store.compensationPlans(of: i.partnership.id), i.facts)
    }

    static func compensation(_ ps: Partnership, plans: [CompensationPlan], _ facts: [DealFacts]) -> [CompensationCheck]
    {
        let registered = facts.compactMap { f in f.registration.flatMap { $0.counts ? $0.attribution : nil } }
        return Reports.compensation(of: ps, plans: plans, registered: registered)
    }

    /// An admin or partner manager records, for their own organization, which co-sell deals its
    /// account executives are credited for in this partnership; it replaces what was recorded before.
    /// One unit of work with an audit line for the organization. `input` (a request's body) is read
    /// after the visibility, write and role checks; a field that does not hold is refused naming it.
    public func recordCompensation(
        in partnershipID: UUID, by p: Principal, at now: Date,
        _ input: @escaping @Sendable () async throws -> CompensationInput
    ) async throws -> [CompensationCheck] {
        try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require(
                [.admin, .partnerManager],
                "Only admins and partner managers record how their account executives are paid for co-sell deals.")
            guard ps.status == .active else {
                throw WorkflowError.conflict("The partnership is \(ps.status.rawValue); record this on an active one.")
            }
            let wanted = try await input()
            let choices = CompensationCredit.allCases.map(\.rawValue).joined(separator: ", ")
            guard let raw = wanted.credits else {
                throw WorkflowError.invalid(field: "credits", "Say which co-sell deals are credited: \(choices).")
            }
            guard let credits = CompensationCredit(rawValue: raw) else {
                throw WorkflowError.invalid(field: "credits", "\(raw.debugDescription) is not one of \(choices).")
            }
            let note = wanted.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let note, note.count > CompensationPlan.maxNoteLength {
                throw WorkflowError.invalid(
                    field: "note", "A note is at most \(CompensationPlan.maxNoteLength) characters.")
            }
            let plan = CompensationPlan(
                partnershipID: ps.id, organizationID: p.person.organizationID, credits: credits,
                note: note?.isEmpty == false ? note : nil, recordedBy: p.person.id, recordedAt: now)
            try await s.saveCompensationPlan(plan)
            let org = try await s.organizations([p.person.organizationID]).first?.name ?? "the organization"
            try await s.audit(
                p.auditEntry(
                    "compensation_recorded",
                    "\(p.person.name) recorded that \(org)'s account executives are credited for \(credits.phrase) in the partnership \"\(ps.name)\".",
                    organizationID: p.person.organizationID, at: now))
            let facts = try await s.reportFacts(visibleTo: p.person.organizationID, partnershipID: ps.id, status: nil)
                .filter { Visibility.canSee($0, person: p.person, partnership: ps) }
            return Self.compensation(ps, plans: try await s.compensationPlans(of: ps.id), facts)
        }
    }
}
