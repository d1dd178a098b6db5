import CoSellDomain
import Vapor

extension API {
    /// The person behind the token, their organization and the organizations they partner with.
    static func organizationOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/me", id: "getMe", summary: "The person behind the token", tag: "people",
                response: .ref("Me")
            ) { req in
                let p = try await req.principal()
                guard let org = try await req.store.organization(p.person.organizationID) else {
                    throw Problem.notFound("organization")
                }
                return try APIJSON.response(Me(person: p.person, organization: org, scope: p.scope.rawValue))
            },
            APIOperation(
                .GET, "/api/v1/organizations", id: "listOrganizations",
                summary: "Your organization and the organizations you partner with", tag: "organizations",
                response: .array(.ref("Organization"))
            ) { req in
                let p = try await req.principal()
                let ids = try await visibleOrganizationIDs(req, p)
                return try APIJSON.response(try await req.store.organizations(ids))
            },
            APIOperation(
                .GET, "/api/v1/organizations/{organization_id}", id: "getOrganization", summary: "One organization",
                tag: "organizations", response: .ref("Organization")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("organization_id", "organization")
                guard try await visibleOrganizationIDs(req, p).contains(id),
                    let org = try await req.store.organization(id)
                else {
                    throw Problem.notFound("organization")
                }
                return try APIJSON.response(org)
            },
            APIOperation(
                .GET, "/api/v1/organizations/{organization_id}/people", id: "listPeople",
                summary: "The people of an organization you work with (to name owners)", tag: "organizations",
                response: .array(.ref("Person"))
            ) { req in
                let p = try await req.principal()
                let id = try req.id("organization_id", "organization")
                guard try await visibleOrganizationIDs(req, p).contains(id) else {
                    throw Problem.notFound("organization")
                }
                return try APIJSON.response(try await req.store.people(inOrganizations: [id]))
            },
        ]
    }
}
