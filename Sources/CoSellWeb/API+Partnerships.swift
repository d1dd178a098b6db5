import CoSellDomain
import Foundation
import Vapor

extension API {
    /// The organization's partnerships and their co-sell plans.
    static func partnershipOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/partnerships", id: "listPartnerships", summary: "Your organization's partnerships",
                tag: "partnerships", response: .array(.ref("Partnership"))
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(try await req.store.partnerships(of: p.person.organizationID))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}", id: "getPartnership",
                summary: "One partnership with its co-sell plan",
                tag: "partnerships", response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(try await visiblePartnership(req, p))
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/plan", id: "putPlan",
                summary: "Set the co-sell plan: scope, an owner on each side, review weekday", tag: "partnerships",
                body: .ref("CoSellPlan"), response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                var partnership = try await visiblePartnership(req, p)
                try p.requireWrite()
                guard p.person.role == .admin || p.person.role == .partnerManager else {
                    throw Problem.forbidden("Only admins and partner managers change the co-sell plan.")
                }
                let plan = try APIJSON.decode(CoSellPlan.self, from: req)
                try await validate(plan, of: partnership, req)
                try await req.store.updatePlan(plan, of: partnership.id)
                partnership.plan = plan
                return try APIJSON.response(partnership)
            },
        ]
    }

    static func validate(_ plan: CoSellPlan, of partnership: Partnership, _ req: Request) async throws {
        if plan.segments.count > 50 { throw Problem.invalid("segments", "At most 50 segments.") }
        for (i, s) in plan.segments.enumerated() where s.trimmingCharacters(in: .whitespaces).isEmpty || s.count > 200 {
            throw Problem.invalid("segments[\(i)]", "A segment must be 1 to 200 characters.")
        }
        if plan.namedAccountIDs.count > 1000 {
            throw Problem.invalid("named_account_ids", "At most 1000 named accounts.")
        }
        for (i, id) in plan.namedAccountIDs.enumerated() {
            guard let a = try await req.store.jointAccount(id), a.partnershipID == partnership.id else {
                throw Problem.invalid("named_account_ids[\(i)]", "No joint account of this partnership has that id.")
            }
        }
        guard plan.owners.count == 2, Set(plan.owners.map(\.organizationID)) == Set(partnership.organizationIDs) else {
            throw Problem.invalid("owners", "Name exactly one owner for each of the partnership's two organizations.")
        }
        for (i, o) in plan.owners.enumerated() {
            guard let person = try await req.store.person(o.personID), person.organizationID == o.organizationID else {
                throw Problem.invalid("owners[\(i)].person_id", "That person is not in that organization.")
            }
        }
    }
}
