import CoSellDomain
import CoSellWorkflows
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
        let credits = Schema.enumeration(CompensationCredit.allCases.map(\.rawValue))
        let compensationSchema = Schema.object(
            [
                ("organization_id", .uuid),
                (
                    "plan",
                    .nullable(
                        .object(
                            [
                                ("partnership_id", .uuid), ("organization_id", .uuid), ("credits", credits),
                                ("note", .nullable(.string())), ("recorded_by", .uuid), ("recorded_at", .dateTime),
                            ], required: ["partnership_id", "organization_id", "credits", "recorded_by", "recorded_at"])
                    )
                ),
                (
                    "flag",
                    .nullable(.enumeration(["not_recorded", "credits_neither", "misses_registered_deals"]))
                ),
                ("uncredited_deals", .integer(min: 0)),
            ], required: ["organization_id", "uncredited_deals"])
        let adoptionSchema = Schema.object(
            [
                ("from", .date), ("to", .date), ("stages", .array(.any)), ("overall", .any),
                ("by_partnership", .array(.any)), ("by_owner", .array(.any)),
                ("compensation", .array(compensationSchema)),
            ],
            required: ["stages"])
        let range = [
            QueryParameter(
                name: "from", schema: .date, description: "Only passages that left their stage on or after this day."),
            QueryParameter(
                name: "to", schema: .date, description: "Only passages that left their stage on or before this day."),
        ]
        return [
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/reports/pipeline", id: "getPipelineReport",
                summary:
                    "Pipeline by stage, stage-to-stage conversion, days in stage, stalls by pitfall, win rate and cycle time",
                tag: "reports", response: pipelineSchema
            ) { req in
                let i = try await inputs(req)
                return try APIJSON.response(
                    Reports.pipeline(facts: i.facts, playbook: i.playbook, playbooks: i.playbooks, now: Date()))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/partnerships/{partnership_id}/reports/pipeline.csv", id: "exportPipelineReport",
                    summary: "The pipeline report as CSV, one row per stage", tag: "reports", response: .string()
                ) { req in
                    let i = try await inputs(req)
                    return APIOperation.csvResponse(
                        Reports.pipeline(facts: i.facts, playbook: i.playbook, playbooks: i.playbooks, now: Date())
                            .csv(),
                        name: "pipeline")
                }),
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/reports/adoption", id: "getAdoptionReport",
                summary: "Playbook adoption: the share of deals that passed each gate with evidence or overrode it",
                tag: "reports", query: range, response: adoptionSchema
            ) { req in
                let (from, to) = try dateRange(req)
                let i = try await inputs(req)
                var report = Reports.adoption(
                    facts: i.facts, playbook: i.playbook, playbooks: i.playbooks, from: from, to: to)
                report.compensation = try await req.workflows.reports.compensation(i)
                return try APIJSON.response(report)
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/compensation", id: "getCompensation",
                summary:
                    "How each company's account executives are credited for co-sell deals, with what is wrong with it",
                tag: "reports", response: .array(compensationSchema)
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(
                    try await req.workflows.reports.compensation(
                        of: try req.id("partnership_id", "partnership"), by: p))
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/compensation", id: "putCompensation",
                summary:
                    "Record, for your company, which co-sell deals your account executives are credited for (admins and partner managers)",
                tag: "reports",
                body: .object(
                    [("credits", credits), ("note", .nullable(.string(maxLength: CompensationPlan.maxNoteLength)))],
                    required: ["credits"]),
                response: .array(compensationSchema)
            ) { req in
                let p = try await req.principal()
                let checks = try await req.workflows.reports.recordCompensation(
                    in: try req.id("partnership_id", "partnership"), by: p, at: Date()
                ) {
                    let body = try APIJSON.decode(CompensationBody.self, from: req)
                    return .init(credits: body.credits, note: body.note)
                }
                return try APIJSON.response(checks)
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/partnerships/{partnership_id}/reports/adoption.csv", id: "exportAdoptionReport",
                    summary: "The adoption report as CSV", tag: "reports", query: range, response: .string()
                ) { req in
                    let (from, to) = try dateRange(req)
                    let i = try await inputs(req)
                    return APIOperation.csvResponse(
                        Reports.adoption(
                            facts: i.facts, playbook: i.playbook, playbooks: i.playbooks, from: from, to: to
                        )
                        .csv(),
                        name: "adoption"
                    )
                }),
        ]
    }

    /// `from` and `to` of the query (422 naming the field: not a date, or `to` before `from`).
    private static func dateRange(_ req: Request) throws -> (LocalDate?, LocalDate?) {
        let from = try RequestInput.date(req, "from")
        let to = try RequestInput.date(req, "to")
        if let from, let to, to < from { throw Problem.invalid("to", "to must not be before from.") }
        return (from, to)
    }

    /// The deals of the partnership this person may see, with the playbook versions they run on.
    private static func inputs(_ req: Request) async throws -> ReportWorkflows.Inputs {
        let p = try await req.principal()
        return try await req.workflows.reports.inputs(of: try req.id("partnership_id", "partnership"), by: p)
    }

    private struct CompensationBody: Decodable {
        var credits: String?
        var note: String?
    }
}
