import CoSellDomain
import CoSellPersistence
import FluentSQL
import Foundation

extension Bench {
    /// Where the time of loading goes, for the demo partnership's deals (median of the runs).
    func timeLoading() async throws {
        let org = demo.organizationIDs[0]
        let sql = app.db as! any SQLDatabase
        var texts: [String] = []
        let fluent = try await median {
            _ = try await store.deals(
                visibleTo: org, filter: DealFilter(partnershipID: demo.id, limit: 10_000_000, offset: 0))
        }
        let fetch = try await median {
            texts = try await sql.select().column("document").column("version").from("deals")
                .where("partnership_id", .equal, demo.id).all().map {
                    try $0.decode(column: "document", as: String.self)
                }
        }
        let decodeOne = try await median {
            let decoder = JSONDecoder()
            for t in texts { _ = try decoder.decode(Deal.self, from: Data(t.utf8)) }
        }
        let parallel = try await median { _ = try await store.reportDeals(visibleTo: org, partnershipID: demo.id) }
        var factLines: [String] = []
        let factsFetch = try await median {
            factLines = try await sql.select().column("facts").from("deal_facts").where(
                "partnership_id", .equal, demo.id
            )
            .all().map { try $0.decode(column: "facts", as: String.self) }
        }
        let factsParse = try await median {
            for t in factLines { precondition(DealFacts(encoded: t, version: 1) != nil) }
        }
        let facts = try await median { _ = try await store.reportFacts(visibleTo: org, partnershipID: demo.id) }
        let factsMegabytes = Double(factLines.reduce(0) { $0 + $1.utf8.count }) / 1_048_576
        let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1_048_576
        print("")
        print(
            "Loading the demo partnership's \(texts.count) deals (\(String(format: "%.1f", megabytes)) MB of documents), median:"
        )
        print("")
        print("| Step | Seconds |")
        print("|---|---|")
        print(
            "| Fluent models, every column (`deals(visibleTo:filter:)`, the list endpoint's path) | \(String(format: "%.3f", fluent)) |"
        )
        print("| SQL select of document and version only, no decoding | \(String(format: "%.3f", fetch)) |")
        print("| JSON decoding of the documents on one core | \(String(format: "%.3f", decodeOne)) |")
        print(
            "| `reportDeals` (select document and version, decode on every core) | \(String(format: "%.3f", parallel)) |"
        )
        print(
            "| SQL select of the facts lines only (\(String(format: "%.1f", factsMegabytes)) MB), no parsing | \(String(format: "%.3f", factsFetch)) |"
        )
        print("| parsing the facts lines on one core | \(String(format: "%.3f", factsParse)) |")
        print(
            "| `reportFacts` (select facts and version, parse on every core): what the reports read | \(String(format: "%.3f", facts)) |"
        )
    }
}
