import CoSellMatching
import CoSellPrivateSet
import CoSellWorkflows
import Foundation
import Vapor

/// Private account mapping, the server's side of `cosell private-map` (`docs/private-mapping.md`):
/// start a run, have batches of blinded keys evaluated, complete it; rotate your list's secret; list
/// both companies' runs. Admins of the partnership's two companies only.
enum PrivateMappingAPI {
    struct RunView: Encodable {
        var id: UUID
        var partnershipId: UUID
        var organizationId: UUID
        var setOrganizationId: UUID
        var startedBy: UUID
        var startedByName: String
        var startedAt: Date
        var declaredAccounts: Int
        var maxEvaluations: Int
        var evaluated: Int
        var nextBatch: Int
        var setAccounts: Int
        var status: String
        var completedAt: Date?
        var overlapAccounts: Int?

        init(_ r: PrivateMappingRun) {
            id = r.id
            partnershipId = r.partnershipID
            organizationId = r.organizationID
            setOrganizationId = r.setOrganizationID
            startedBy = r.startedBy
            startedByName = r.startedByName
            startedAt = r.startedAt
            declaredAccounts = r.declaredAccounts
            maxEvaluations = r.maxEvaluations
            evaluated = r.evaluated
            nextBatch = r.nextBatch
            setAccounts = r.setAccounts
            status = r.status.rawValue
            completedAt = r.completedAt
            overlapAccounts = r.overlapAccounts
        }
    }

    struct Started: Encodable {
        var run: RunView
        var elementBytes: Int
        var maxBatch: Int
        /// The other company's keys encrypted by the server, concatenated, in random order.
        var set: Data
    }

    struct StartBody: Decodable { var declaredAccounts: Int }
    struct EvaluateBody: Decodable {
        var batch: Int
        var elements: Data
    }
    struct Evaluated: Encodable {
        var batch: Int
        var elements: Data
    }
    struct CompleteBody: Decodable { var overlapAccounts: Int }
    struct Rotated: Encodable {
        var partnershipId: UUID
        var organizationId: UUID
        var createdAt: Date
    }
    struct Runs: Encodable { var runs: [RunView] }

    static func operations() -> [APIOperation] {
        let base = "/api/v1/partnerships/{partnership_id}/private-mapping"
        var evaluate = APIOperation(
            .POST, base + "/runs/{run_id}/evaluations", id: "evaluatePrivateMappingBatch",
            summary:
                "Encrypt one batch of the run's blinded keys with the server's secret, in order (batches numbered from 0, each once; at most \(PrivateMappingWorkflows.maxBatch) points; the run's budget is \(PrivateMatchKeys.maxPerAccount) per declared account)",
            tag: "mapping", body: .ref("PrivateMappingBatch"), response: .ref("PrivateMappingBatch")
        ) { req in
            let p = try await req.principal()
            let id = try req.id("partnership_id", "partnership")
            let runID = try req.id("run_id", "private mapping run")
            try await req.workflows.privateMapping.checkOpen(run: runID, in: id, by: p)
            // The body (up to 1 MB of base64) is decoded once, after the run is known to be the caller's.
            let body = try APIJSON.decode(EvaluateBody.self, from: req)
            let out = try await req.workflows.privateMapping.evaluate(run: runID, in: id, by: p, batch: body.batch) {
                body.elements
            }
            return try APIJSON.response(Evaluated(batch: body.batch, elements: out))
        }
        evaluate.maxBody = "1mb"
        return [
            APIOperation(
                .GET, base + "/runs", id: "listPrivateMappingRuns",
                summary: "Both companies' private mapping runs of the last 30 days, newest first",
                tag: "mapping", response: .ref("PrivateMappingRuns")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let runs = try await req.workflows.privateMapping.runs(in: id, by: p)
                return try APIJSON.response(Runs(runs: runs.map(RunView.init)))
            },
            APIOperation(
                .POST, base + "/runs", id: "startPrivateMappingRun",
                summary:
                    "Start a private mapping run of your list (kept on your machine) against the other company's list on this server (admins; \(PrivateMappingWorkflows.runsPerDay) runs a day per company); answers the other list's keys encrypted by the server",
                tag: "mapping", body: .ref("PrivateMappingStart"), status: 201, response: .ref("PrivateMappingStarted")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                _ = try await req.workflows.access.activePartnership(id, p)
                try PrivateMappingWorkflows.requireAdmin(p)
                let declared = try APIJSON.decode(StartBody.self, from: req).declaredAccounts
                let s = try await req.workflows.privateMapping.start(in: id, by: p, declaredAccounts: declared)
                return try APIJSON.response(
                    Started(
                        run: RunView(s.run), elementBytes: PrivateSet.elementBytes,
                        maxBatch: PrivateMappingWorkflows.maxBatch, set: s.set), status: .created)
            },
            evaluate,
            APIOperation(
                .POST, base + "/runs/{run_id}/completion", id: "completePrivateMappingRun",
                summary:
                    "End the run, saying how many of your accounts were in the overlap (the accounts you then import as a partial update)",
                tag: "mapping", body: .ref("PrivateMappingCompletion"), response: .ref("PrivateMappingRun")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let runID = try req.id("run_id", "private mapping run")
                try await req.workflows.privateMapping.checkOpen(run: runID, in: id, by: p)
                let n = try APIJSON.decode(CompleteBody.self, from: req).overlapAccounts
                let run = try await req.workflows.privateMapping.complete(
                    run: runID, in: id, by: p, overlapAccounts: n)
                return try APIJSON.response(RunView(run))
            },
            APIOperation(
                .POST, base + "/key-rotation", id: "rotatePrivateMappingKey",
                summary:
                    "Replace the secret that encrypts your company's list in this partnership's private mapping (admins); open runs against it end",
                tag: "mapping", response: .ref("PrivateMappingKey")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let key = try await req.workflows.privateMapping.rotateKey(in: id, by: p)
                return try APIJSON.response(
                    Rotated(
                        partnershipId: key.partnershipID, organizationId: key.organizationID, createdAt: key.createdAt))
            },
        ]
    }

    static let runSchema: Schema = .object(
        [
            ("id", .uuid), ("partnership_id", .uuid), ("organization_id", .uuid), ("set_organization_id", .uuid),
            ("started_by", .uuid), ("started_by_name", .string()), ("started_at", .dateTime),
            ("declared_accounts", .integer(min: 1)), ("max_evaluations", .integer(min: 0)),
            ("evaluated", .integer(min: 0)), ("next_batch", .integer(min: 0)), ("set_accounts", .integer(min: 0)),
            ("status", .enumeration(["open", "completed"])), ("completed_at", .nullable(.dateTime)),
            ("overlap_accounts", .nullable(.integer(min: 0))),
        ],
        required: [
            "id", "partnership_id", "organization_id", "set_organization_id", "started_by", "started_by_name",
            "started_at", "declared_accounts", "max_evaluations", "evaluated", "next_batch", "set_accounts", "status",
        ])

    static let components: [(String, Schema)] = [
        (
            "PrivateMappingStart",
            .object(
                [("declared_accounts", .integer(min: 1, max: PrivateMappingWorkflows.maxDeclaredAccounts))],
                required: ["declared_accounts"])
        ),
        ("PrivateMappingRun", runSchema),
        ("PrivateMappingRuns", .object([("runs", .array(.ref("PrivateMappingRun")))], required: ["runs"])),
        (
            "PrivateMappingStarted",
            .object(
                [
                    ("run", .ref("PrivateMappingRun")), ("element_bytes", .integer(min: 1)),
                    ("max_batch", .integer(min: 1)), ("set", .string(format: "byte")),
                ], required: ["run", "element_bytes", "max_batch", "set"])
        ),
        (
            "PrivateMappingBatch",
            .object(
                [("batch", .integer(min: 0)), ("elements", .string(minLength: 1, format: "byte"))],
                required: ["batch", "elements"])
        ),
        (
            "PrivateMappingCompletion",
            .object([("overlap_accounts", .integer(min: 0))], required: ["overlap_accounts"])
        ),
        (
            "PrivateMappingKey",
            .object(
                [("partnership_id", .uuid), ("organization_id", .uuid), ("created_at", .dateTime)],
                required: ["partnership_id", "organization_id", "created_at"])
        ),
    ]
}
