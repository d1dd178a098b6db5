import CoSellDomain
import Foundation

extension PartnershipWorkflows {
    /// An admin or partner manager sets the partnership's co-sell plan: segments, named joint accounts
    /// of this partnership, one owner in each organization, the review weekday. `plan` (a request's
    /// body) is read after the visibility, write and role checks; a field that does not hold is
    /// refused naming it. Returns the partnership with its new plan.
    public func setPlan(
        in partnershipID: UUID, by p: Principal, _ plan: @escaping @Sendable () async throws -> CoSellPlan
    ) async throws -> Partnership {
        try await store.transaction { s in
            var ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin, .partnerManager], "Only admins and partner managers change the co-sell plan.")
            let wanted = try await plan()
            try await Self.validate(wanted, of: ps, on: s)
            try await s.updatePlan(wanted, of: ps.id)
            ps.plan = wanted
            return ps
        }
    }

    /// Refuses a plan whose field does not hold, naming the field.
    static func validate(_ plan: CoSellPlan, of ps: Partnership, on s: any WorkflowStore) async throws {
        if plan.segments.count > 50 { throw WorkflowError.invalid(field: "segments", "At most 50 segments.") }
        for (i, seg) in plan.segments.enumerated()
        where seg.trimmingCharacters(in: .whitespaces).isEmpty || seg.count > 200 {
            throw WorkflowError.invalid(field: "segments[\(i)]", "A segment must be 1 to 200 characters.")
        }
        if !CoSellPlan.registrationValidityRange.contains(plan.registrationValidityDays) {
            throw WorkflowError.invalid(
                field: "registration_validity_days",
                "A registration holds for \(CoSellPlan.registrationValidityRange.lowerBound) to \(CoSellPlan.registrationValidityRange.upperBound) days."
            )
        }
        if !CoSellPlan.namedAccountsPerSellerRange.contains(plan.namedAccountsPerSeller) {
            throw WorkflowError.invalid(
                field: "named_accounts_per_seller",
                "Each account executive holds \(CoSellPlan.namedAccountsPerSellerRange.lowerBound) to \(CoSellPlan.namedAccountsPerSellerRange.upperBound) named accounts."
            )
        }
        if plan.namedAccountIDs.count > 1000 {
            throw WorkflowError.invalid(field: "named_account_ids", "At most 1000 named accounts.")
        }
        for (i, id) in plan.namedAccountIDs.enumerated() {
            guard let a = try await s.jointAccount(id), a.partnershipID == ps.id else {
                throw WorkflowError.invalid(
                    field: "named_account_ids[\(i)]", "No joint account of this partnership has that id.")
            }
        }
        guard plan.owners.count == 2, Set(plan.owners.map(\.organizationID)) == Set(ps.organizationIDs) else {
            throw WorkflowError.invalid(
                field: "owners", "Name exactly one owner for each of the partnership's two organizations.")
        }
        for (i, o) in plan.owners.enumerated() {
            guard let person = try await s.person(o.personID), person.organizationID == o.organizationID else {
                throw WorkflowError.invalid(field: "owners[\(i)].person_id", "That person is not in that organization.")
            }
        }
    }
}
