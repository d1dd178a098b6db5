import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// Reports over a partnership's joint deals, as JSON and CSV, computed by the pure report functions of
/// the core over the deals the person may see.
enum ReportsAPI {
    static func operations() -> [APIOperation] {
        let pipelineSchema = Schema.object(
            [
                ("as_of", .date), ("stages", .array(.any)), ("joint", .any), ("notes", .array(.string())),
                ("stalled_without_pitfall", .integer()),
            ], required: ["stages", "joint"])
        let adoptionSchema = Schema.object(
            [
                ("stages", .array(.any)), ("overall", .any), ("by_partnership", .array(.any)),
                ("by_owner", .array(.any)),
            ],
            required: ["stages"])
        return [
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/reports/pipeline", id: "getPipelineReport",
                summary:
                    "Pipeline by stage, stage-to-stage conversion, days in stage, stalls by pitfall, win rate and cycle time",
                tag: "reports", response: pipelineSchema
            ) { req in
                let (deals, playbook, playbooks) = try await inputs(req)
                return try APIJSON.response(
                    Reports.pipeline(facts: deals, playbook: playbook, playbooks: playbooks, now: Date()))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/partnerships/{partnership_id}/reports/pipeline.csv", id: "exportPipelineReport",
                    summary: "The pipeline report as CSV, one row per stage", tag: "reports", response: .string()
                ) { req in
                    let (deals, playbook, playbooks) = try await inputs(req)
                    return APIOperation.csvResponse(
                        Reports.pipeline(facts: deals, playbook: playbook, playbooks: playbooks, now: Date()).csv(),
                        name: "pipeline")
                }),
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/reports/adoption", id: "getAdoptionReport",
                summary: "Playbook adoption: the share of deals that passed each gate with evidence or overrode it",
                tag: "reports", response: adoptionSchema
            ) { req in
                let (deals, playbook, playbooks) = try await inputs(req)
                return try APIJSON.response(Reports.adoption(facts: deals, playbook: playbook, playbooks: playbooks))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/partnerships/{partnership_id}/reports/adoption.csv", id: "exportAdoptionReport",
                    summary: "The adoption report as CSV", tag: "reports", response: .string()
                ) { req in
                    let (deals, playbook, playbooks) = try await inputs(req)
                    return APIOperation.csvResponse(
                        Reports.adoption(facts: deals, playbook: playbook, playbooks: playbooks).csv(), name: "adoption"
                    )
                }),
        ]
    }

    /// The deals of the partnership this person may see, with the playbook versions they run on.
    static func inputs(_ req: Request) async throws -> ([DealFacts], Playbook, [Playbook]) {
        let p = try await req.principal()
        let ps = try await API.visiblePartnership(req, p)
        let deals = try await req.store.reportFacts(visibleTo: p.person.organizationID, partnershipID: ps.id).filter {
            Visibility.canSee($0, person: p.person, partnership: ps)
        }
        guard let standard = try await req.store.playbook(API.standardPlaybookID) else {
            throw Problem.conflict("No playbook exists.")
        }
        var versions: [Playbook] = []
        for id in Set(deals.map(\.playbookID)) { versions += try await req.store.playbookVersions(id) }
        return (deals, standard, versions)
    }
}
