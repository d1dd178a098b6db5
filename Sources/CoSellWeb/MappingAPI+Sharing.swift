import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation
import Vapor

extension MappingAPI {
    struct SharingBody: Decodable {
        var population: String
        var level: SharingLevel
    }

    /// What each side of a partnership shares with the other, per population.
    static func sharingOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/sharing", id: "getSharing",
                summary: "What each side shares with the other, per population", tag: "partnerships",
                response: .ref("Sharing")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                return try APIJSON.response(try await req.workflows.targets.sharing(in: id, by: p))
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/sharing", id: "putSharing",
                summary: "Set what your organization shares of one population (admins)", tag: "partnerships",
                body: .object(
                    [
                        ("population", .enumeration(Population.allCases.map(\.rawValue))),
                        ("level", .enumeration(SharingLevel.allCases.map(\.rawValue))),
                    ],
                    required: ["population", "level"]),
                response: .ref("Sharing")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let ps = try await req.workflows.partnerships.setSharing(in: id, by: p) {
                    let body = try APIJSON.decode(SharingBody.self, from: req)
                    guard Population(rawValue: body.population) != nil else {
                        throw Problem.invalid(
                            "population", "population must be one of: customer, open_opportunity, prospect.")
                    }
                    return .init(population: body.population, level: body.level)
                }
                return try APIJSON.response(try await req.workflows.targets.sharing(in: ps.id, by: p))
            },
        ]
    }
}
