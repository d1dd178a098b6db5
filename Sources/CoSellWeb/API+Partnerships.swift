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
                let id = try req.id("partnership_id", "partnership")
                let partnership = try await req.workflows.partnerships.setPlan(in: id, by: p) {
                    try APIJSON.decode(CoSellPlan.self, from: req)
                }
                return try APIJSON.response(partnership)
            },
        ]
    }
}
