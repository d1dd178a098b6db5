import ArgumentParser
import CoSellDomain
import CoSellPersistence
import Foundation
import Testing

@testable import cosell

/// `cosell demo [--extra-deals N] [--db FILE]`.
@Suite("cosell demo")
struct DemoCommandTests {
    static let refusals: [Refusal] = [
        Refusal(["demo", "--extra-deals=-1"], "--extra-deals must be between 0 and 1000000."),
        Refusal(["demo", "--extra-deals", "1000001"], "--extra-deals must be between 0 and 1000000."),
        Refusal(["demo", "--extra-deals", "many"], "'many'", "--extra-deals"),
        // Refused, though the parser reads -1 as an option and says the value is missing.
        Refusal(["demo", "--extra-deals", "-1"], "--extra-deals"),
        Refusal(["demo", "--extra-deals"], "--extra-deals"),
        Refusal(["demo", "--seed", "1"], "--seed"),
    ]

    @Test("bad arguments are refused with exit code 64 and a message naming them", arguments: refusals)
    func refused(_ refusal: Refusal) {
        expectRefused(refusal.arguments, mentioning: refusal.mentions)
    }

    @Test("--extra-deals takes 0 to 1000000, 0 by default")
    func extraDealsRange() throws {
        #expect((try #require(try Cosell.parseAsRoot(["demo"]) as? Demo)).extraDeals == 0)
        for n in [0, 1_000_000] {
            let demo = try #require(try Cosell.parseAsRoot(["demo", "--extra-deals", "\(n)"]) as? Demo)
            #expect(demo.extraDeals == n)
        }
    }

    @Test("demo loads the demo workspace into a new database")
    func loads() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("d.sqlite").path
            let run = try await runCosell(["demo", "--db", db])
            #expect(run.output.contains("Loaded the demo workspace into SQLite file \(db)."))
            let ws = DemoFixture.workspace
            let (organizations, people, partnership, deals, credentials) = try await withStore(db) { store in
                (
                    try await store.organizations(ws.organizations.map(\.id)).map(\.name).sorted(),
                    try await store.people(inOrganizations: ws.organizations.map(\.id)).map(\.email).sorted(),
                    try await store.partnership(ws.partnership.id)?.name,
                    try await store.deals(visibleTo: DemoFixture.host.id, filter: DealFilter(limit: 1)).total,
                    try await store.credentials(email: DemoFixture.hostAdmin.email) != nil
                )
            }
            #expect(organizations == ws.organizations.map(\.name).sorted())
            #expect(people == ws.people.map(\.email).sorted())
            #expect(partnership == ws.partnership.name)
            #expect(deals == ws.deals.count)
            #expect(credentials, "the demo people can sign in with the demo password")
        }
    }

    @Test("demo on a database that holds data says so and changes nothing")
    func refusesNonEmpty() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await demoDatabase(in: dir)
            let run = try await runCosell(["demo", "--db", db, "--extra-deals", "2"])
            #expect(
                run.output.contains(
                    "SQLite file \(db) already holds data; the demo workspace loads only into an empty database."))
            let (people, deals) = try await withStore(db) { store in
                (
                    try await store.people(inOrganizations: DemoFixture.workspace.organizations.map(\.id)).count,
                    try await store.deals(visibleTo: DemoFixture.host.id, filter: DealFilter(limit: 1)).total
                )
            }
            #expect(people == DemoFixture.workspace.people.count)
            #expect(deals == DemoFixture.workspace.deals.count)
        }
    }

    @Test("--extra-deals adds that many generated deals")
    func extraDeals() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir.appendingPathComponent("x.sqlite").path
            let run = try await runCosell(["demo", "--db", db, "--extra-deals", "3"])
            #expect(run.output.contains("Loaded the demo workspace and 3 generated deals into SQLite file \(db)."))
            let deals = try await withStore(db) { store in
                try await store.deals(visibleTo: DemoFixture.host.id, filter: DealFilter(limit: 1)).total
            }
            #expect(deals == DemoFixture.workspace.deals.count + 3)
        }
    }
}
