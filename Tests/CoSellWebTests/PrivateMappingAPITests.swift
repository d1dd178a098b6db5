import CoSellApp
import CoSellMatching
import CoSellPrivateSet
import CoSellTestSupport
import CoSellWorkflows
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// Private mapping over the API: a run from start to completion, and every bad message refused with
/// a problem naming what is wrong, never a 5xx.
@Suite("Private mapping over the API")
struct PrivateMappingAPITests {
    static let partnership = "00000000-0000-4000-8000-00000000000E"
    static let base = "/api/v1/partnerships/\(partnership)/private-mapping"

    static func json(_ v: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: v), as: UTF8.self)
    }

    static func batch(_ n: Int, _ elements: Data) throws -> String {
        try json(["batch": n, "elements": elements.base64EncodedString()])
    }

    func expectProblem(
        _ r: Answer, _ status: HTTPStatus, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == status, "\(r.status) \(r.json ?? "")", sourceLocation: sourceLocation)
        #expect(r.contentType.hasPrefix("application/problem+json"), sourceLocation: sourceLocation)
        if let field { #expect(r["field"] as? String == field, "\(r.json ?? "")", sourceLocation: sourceLocation) }
    }

    @Test(
        "a run from start to completion; malformed, replayed, oversized and over-budget batches refused",
        arguments: TestDatabase.all)
    func run(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let started = try await app.call(.POST, "\(Self.base)/runs", body: #"{"declared_accounts": 2}"#)
            #expect(started.status == .created, "\(started.json ?? "")")
            let runID = try #require(started.path("run", "id") as? String)
            #expect(started.path("run", "max_evaluations") as? Int == 8)
            #expect(started["max_batch"] as? Int == PrivateMappingWorkflows.maxBatch)
            let setText = try #require(started["set"] as? String)
            let set = try #require(Data(base64Encoded: setText))
            #expect(set.count % PrivateSet.elementBytes == 0 && set.count > 0)
            let evaluations = "\(Self.base)/runs/\(runID)/evaluations"

            // The keys of Meridian Health Partners (a demo account of Halyard's) and of an account it does not have.
            let mine = try AccountTable.load(
                data: Data(
                    """
                    id,name,website,country
                    Q1,Meridian Health Partners,meridianhealth.example,US
                    Q2,Unheard Of Widgets,unheardofwidgets.example,US
                    """.utf8), fileName: "q.csv", threads: 1
            ).records
            let query = PrivateSet.Query(keysPerAccount: mine.map { PrivateMatchKeys.keys(of: $0, role: .query) })
            #expect(query.keys.count == 6)
            let blinded = try query.blinded()

            // Malformed: not base64, not whole points, a small-order point, no batch number.
            expectProblem(
                try await app.call(.POST, evaluations, body: #"{"batch": 0, "elements": "not base64!"}"#),
                .unprocessableEntity, field: "elements")
            expectProblem(
                try await app.call(.POST, evaluations, body: try Self.batch(0, Data(count: 33))), .unprocessableEntity,
                field: "elements")
            expectProblem(
                try await app.call(.POST, evaluations, body: try Self.batch(0, Data(count: 32))), .unprocessableEntity,
                field: "elements")
            expectProblem(
                try await app.call(.POST, evaluations, body: #"{"elements": "AAAA"}"#), .unprocessableEntity,
                field: "batch")
            // Out of turn.
            expectProblem(try await app.call(.POST, evaluations, body: try Self.batch(3, blinded)), .conflict)
            // Not Quarry's admin: a seller, Halyard's admin, another partnership, another run.
            expectProblem(
                try await app.call(.POST, evaluations, token: Token.hostSeller, body: try Self.batch(0, blinded)),
                .forbidden)
            expectProblem(
                try await app.call(.POST, evaluations, token: Token.partnerAdmin, body: try Self.batch(0, blinded)),
                .notFound, field: "run_id")
            expectProblem(
                try await app.call(
                    .POST, "/api/v1/partnerships/\(UUID())/private-mapping/runs/\(runID)/evaluations",
                    body: try Self.batch(0, blinded)), .notFound)
            // Over the budget: 2 declared accounts, 8 evaluations; 9 are refused.
            let three = try PrivateSet.encrypt(
                ["d:x.example", "d:y.example", "d:z.example"], with: PrivateSet.Secret())
            let nine = blinded + three
            let spent = try await app.call(.POST, evaluations, body: try Self.batch(0, nine))
            expectProblem(spent, .tooManyRequests, field: "elements")

            // The run goes on after every refusal: batch 0 is still to come.
            let answered = try await app.call(.POST, evaluations, body: try Self.batch(0, blinded))
            #expect(answered.status == .ok, "\(answered.json ?? "")")
            let answerText = try #require(answered["elements"] as? String)
            let evaluated = try #require(Data(base64Encoded: answerText))
            #expect(try query.overlap(evaluated: evaluated, set: set) == [0])
            // The same batch again is a replay.
            expectProblem(try await app.call(.POST, evaluations, body: try Self.batch(0, blinded)), .conflict)
            expectProblem(try await app.call(.POST, evaluations, body: try Self.batch(1, blinded)), .tooManyRequests)

            let completed = try await app.call(
                .POST, "\(Self.base)/runs/\(runID)/completion", body: #"{"overlap_accounts": 1}"#)
            #expect(completed.status == .ok && completed["status"] as? String == "completed")
            // Halyard's seller sees Quarry's run.
            let runs = try await app.call(.GET, "\(Self.base)/runs", token: Token.partnerSeller)
            #expect((runs["runs"] as? [[String: Any]])?.first?["overlap_accounts"] as? Int == 1)
        }
    }

    @Test(
        "starting: admins only, a declared size in range, five runs a day, a key rotation", arguments: TestDatabase.all)
    func starting(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let runs = "\(Self.base)/runs"
            expectProblem(
                try await app.call(.POST, runs, token: Token.hostPartnerManager, body: #"{"declared_accounts": 5}"#),
                .forbidden)
            expectProblem(
                try await app.call(.POST, runs, body: #"{"declared_accounts": 0}"#), .unprocessableEntity,
                field: "declared_accounts")
            expectProblem(
                try await app.call(.POST, runs, body: #"{"declared_accounts": 2000001}"#), .unprocessableEntity)
            expectProblem(
                try await app.call(.POST, runs, body: #"{"declared_accounts": "many"}"#), .unprocessableEntity,
                field: "declared_accounts")
            expectProblem(
                try await app.call(.POST, "/api/v1/partnerships/\(UUID())/private-mapping/runs", body: "{}"),
                .notFound)
            for _ in 0..<PrivateMappingWorkflows.runsPerDay {
                let r = try await app.call(.POST, runs, body: #"{"declared_accounts": 5}"#)
                #expect(r.status == .created)
            }
            let sixth = try await app.call(.POST, runs, body: #"{"declared_accounts": 5}"#)
            expectProblem(sixth, .tooManyRequests)
            #expect(Int(sixth.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            let rotated = try await app.call(.POST, "\(Self.base)/key-rotation", token: Token.partnerAdmin)
            #expect(rotated.status == .ok)
            expectProblem(
                try await app.call(.POST, "\(Self.base)/key-rotation", token: Token.partnerSeller), .forbidden)
        }
    }
}
