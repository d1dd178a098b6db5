import ArgumentParser
import CoSellDomain
import Foundation
import Testing

@testable import cosell

/// `cosell review --partnership ID [--week YYYY-Www] [--format markdown|json] [--db FILE]`.
@Suite("cosell review")
struct ReviewCommandTests {
    static let partnership = "00000000-0000-4000-8000-00000000000e"

    static let refusals: [Refusal] = [
        Refusal(["review"], "--partnership"),
        Refusal(["review", "--partnership", "quarry-halyard"], "--partnership must be a UUID."),
        Refusal(["review", "--partnership", partnership, "--week", "2026-W60"], "--week:", "2026-W60"),
        Refusal(["review", "--partnership", partnership, "--week", "2026-48"], "--week:", "2026-48"),
        Refusal(["review", "--partnership", partnership, "--week", "last week"], "--week:"),
        Refusal(["review", "--partnership", partnership, "--format", "html"], "--format must be markdown or json."),
        Refusal(["review", "--partnership", partnership, "--format", "JSON"], "--format must be markdown or json."),
        Refusal(["review", "--partnership", partnership, "--since", "2026-W01"], "--since"),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("the defaults: the current week, Markdown")
    func defaults() throws {
        let review = try #require(
            try Cosell.parseAsRoot(["review", "--partnership", Self.partnership]) as? cosell.Review)
        #expect(review.week == nil)
        #expect(review.format == "markdown")
        let weekly = try #require(
            try Cosell.parseAsRoot([
                "review", "--partnership", Self.partnership, "--week", "2026-W53", "--format", "json",
            ])
                as? cosell.Review)
        #expect(weekly.week == "2026-W53")
        #expect(weekly.format == "json")
    }

    @Test("review prints the partnership's weekly review in Markdown")
    func markdown() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let id = DemoFixture.partnership.id.uuidString
            let run = try await runCosell(["review", "--db", db, "--partnership", id, "--week", "2026-W10"])
            #expect(run.output.hasPrefix("# Weekly co-sell deal review: \(DemoFixture.partnership.name), 2026-W10\n"))
            #expect(run.output.contains("Week 2026-W10: Monday 2026-03-02 to Sunday 2026-03-08 (UTC)."))
        }
    }

    @Test("review --format json prints the review as one JSON object")
    func json() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let id = DemoFixture.partnership.id.uuidString
            let run = try await runCosell([
                "review", "--db", db, "--partnership", id, "--week", "2026-W10", "--format", "json",
            ])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
            #expect((object["partnership_id"] as? String)?.lowercased() == id.lowercased())
            #expect(object["partnership_name"] as? String == DemoFixture.partnership.name)
            #expect(object["week"] as? String == "2026-W10")
        }
    }

    @Test("an unknown partnership fails with exit code 1, naming --partnership and the id")
    func unknownPartnership() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let unknown = UUID()
            let run = try await runCosell(
                ["review", "--db", db, "--partnership", unknown.uuidString], exitsWith: .exitCode(1))
            #expect(run.errors.contains("--partnership: no partnership with the id \(unknown.uuidString)."))
            #expect(!run.output.contains("Weekly co-sell deal review"))
        }
    }
}
