import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

/// The stored facts of every deal against facts computed afresh from its document.
private func storedAndFresh(_ app: Application) async throws -> (stored: [UUID: DealFacts], fresh: [UUID: DealFacts]) {
    let store = CoSellStore(db: app.db)
    let sql = try #require(app.db as? any SQLDatabase)
    let orgs = try await sql.raw("SELECT DISTINCT host_organization_id AS o FROM deals").all().map {
        try $0.decode(column: "o", as: UUID.self)
    }
    var stored: [UUID: DealFacts] = [:]
    var fresh: [UUID: DealFacts] = [:]
    for org in orgs {
        for f in try await store.reportFacts(visibleTo: org) { stored[f.id] = f }
        for deal in try await store.reportDeals(visibleTo: org) {
            fresh[deal.id] = DealFacts(
                deal, playbook: try await store.playbook(deal.playbookID, version: deal.playbookVersion))
        }
    }
    return (stored, fresh)
}

/// The host organization of the demo's deals and its (first) partnership.
private func demoPartnership(_ app: Application) async throws -> (org: UUID, partnership: Partnership) {
    let sql = try #require(app.db as? any SQLDatabase)
    let org = try #require(
        try await sql.raw("SELECT DISTINCT host_organization_id AS o FROM deals").first()?.decode(
            column: "o", as: UUID.self))
    return (org, try #require(try await CoSellStore(db: app.db).partnerships(of: org).first))
}

@Suite("Deal facts in the store")
struct DealFactsStoreTests {
    @Test("every deal's stored facts equal the facts of its document, also after changes", arguments: TestDatabase.all)
    func inStep(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            var (stored, fresh) = try await storedAndFresh(app)
            #expect(stored.count >= 14)
            #expect(stored == fresh)
            #expect(stored.values.contains { $0.gateMet != nil && $0.gateMet! > 0 })

            // A change through the API: a move's owner and due date. The facts follow in the same save.
            let (id, move) = try await changeADueDate(app, to: "2031-02-03")
            (stored, fresh) = try await storedAndFresh(app)
            let changed = try #require(stored[id])
            #expect(changed.openMoves.contains { $0.id.uuidString == move && $0.dueOn?.description == "2031-02-03" })
            #expect(stored == fresh)
        }
    }

    @Test("facts in an older format are read from the documents, and rebuilt", arguments: TestDatabase.all)
    func rebuild(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let store = CoSellStore(db: app.db)
            let (before, _) = try await storedAndFresh(app)
            try await sql.update("deal_facts").set("facts", to: "f0\u{1F}older format").run()
            let (fallback, _) = try await storedAndFresh(app)
            #expect(fallback == before)

            // A deal without a facts row: the board's query reads it from its document.
            let someID = try #require(before.keys.sorted { $0.uuidString < $1.uuidString }.first)
            try await sql.delete(from: "deal_facts").where("deal_id", .equal, someID).run()
            let org = try #require(before[someID]?.hostOrganizationID)
            let board = try await store.dealFacts(DealQuery(organizationID: org, limit: 1_000))
            #expect(board.first { $0.id == someID } == before[someID])

            let rewritten = try await store.rebuildDealFacts()
            #expect(rewritten == before.count)
            let current = try await sql.raw(
                "SELECT COUNT(*) AS n FROM deal_facts WHERE facts LIKE '\(DealFacts.formatMarker)%'"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(current == before.count)
            let (after, _) = try await storedAndFresh(app)
            #expect(after == before)
        }
    }
}

@Suite("Weekly review from facts")
struct WeeklyReviewFromFactsTests {
    @Test(
        "the review the loader builds from facts equals the review built from every whole deal, week by week",
        arguments: TestDatabase.all)
    func sameAsFromDocuments(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let store = CoSellStore(db: app.db)
            let (org, partnership) = try await demoPartnership(app)
            // A refused advance this week, so that the gates section has an entry.
            let list = try await app.call(.GET, "/api/v1/deals?status=open&limit=1", token: Token.hostAdmin)
            let open = try #require((list["items"] as? [[String: Any]])?.first)
            let openID = try #require((open["deal"] as? [String: Any])?["id"] as? String)
            let refused = try await app.call(.POST, "/api/v1/deals/\(openID)/advance", token: Token.hostAdmin)
            #expect(refused.status == .unprocessableEntity)
            // And an override with its reason, which the review quotes from the whole deal.
            var overridden = try await app.call(
                .POST, "/api/v1/deals/\(openID)/advance", token: Token.hostAdmin,
                body: jsonString(["override_reason": "Customer asked us to hurry"]))
            #expect(overridden.status == .ok)
            if overridden.path("deal", "pending_override") != nil {
                // It skips Halyard's part: Halyard's admin gives the second key.
                overridden = try await app.call(
                    .POST, "/api/v1/deals/\(openID)/advance", token: Token.partnerAdmin,
                    body: jsonString(["override_reason": "Agreed with Quarry on the call"]))
                #expect(overridden.status == .ok)
                #expect(overridden.path("deal", "pending_override") == nil)
            }
            var quotedReason = false
            // Every deal whole, as they are now: the reference.
            let deals = try await store.reportDeals(visibleTo: org, partnershipID: partnership.id)
            var playbooks: [Playbook] = []
            for id in Set(deals.map(\.playbookID)) { playbooks += try await store.playbookVersions(id) }
            var week = ISOWeek(containing: Date())
            var sectionsSeen = Set<String>()
            for _ in 0..<12 {
                let now = week.end
                let fromFacts = try await WeeklyReviewLoader.load(
                    store: store, partnership: partnership, week: week, viewer: nil, now: now)
                let record = try await store.reviewRecord(partnershipID: partnership.id, week: week)
                let previous = try await store.reviewRecord(partnershipID: partnership.id, before: week)
                let since = previous.map { $0.week.end } ?? week.start
                var input = WeeklyReviewInput(
                    partnership: partnership, week: week, now: now,
                    accounts: try await store.jointAccounts(
                        of: partnership.id, createdFrom: min(since, week.start), to: week.end),
                    deals: deals,
                    events: try await store.events(ofPartnership: partnership.id, from: week.start, to: week.end),
                    refusals: try await store.gateRefusals(
                        partnershipID: partnership.id, from: week.start, to: week.end),
                    playbooks: playbooks, record: record, previous: previous)
                for o in try await store.organizations(partnership.organizationIDs) {
                    input.companyNames[o.id] = o.name
                }
                let reference = WeeklyReview.build(input)
                #expect(fromFacts == reference, "\(week)")
                // One page of it, as the API asks for it, equals the reference paged.
                let firstPage = try await WeeklyReviewLoader.load(
                    store: store, partnership: partnership, week: week, viewer: nil, now: now, page: (2, 1))
                #expect(firstPage == reference.paged(limit: 2, offset: 1), "\(week)")
                if reference.gates.contains(where: { $0.reason?.hasPrefix("Customer asked us to hurry") == true }) {
                    quotedReason = true
                }
                if !reference.advanced.isEmpty { sectionsSeen.insert("advanced") }
                if !reference.stalled.isEmpty { sectionsSeen.insert("stalled") }
                if !reference.gates.isEmpty { sectionsSeen.insert("gates") }
                if !reference.awaitingReview.isEmpty { sectionsSeen.insert("awaiting") }
                if !reference.lessons.isEmpty { sectionsSeen.insert("lessons") }
                week = week.previous
            }
            // Not vacuous: the demo's weeks fill every section somewhere.
            #expect(sectionsSeen == ["advanced", "stalled", "gates", "awaiting", "lessons"])
            #expect(quotedReason)
        }
    }
}

@Suite("Facts cache")
struct FactsCacheTests {
    /// The same questions to a store with a cache and to one without: equal answers.
    static func expectSame(
        _ cached: CoSellStore, _ plain: CoSellStore, org: UUID, partnership: UUID, _ note: String
    ) async throws {
        #expect(
            try await cached.reportFacts(visibleTo: org, partnershipID: partnership)
                == plain.reportFacts(visibleTo: org, partnershipID: partnership), "\(note)")
        #expect(
            try await cached.reportFacts(visibleTo: org, partnershipID: partnership, uncompletedOnly: true)
                == plain.reportFacts(visibleTo: org, partnershipID: partnership, uncompletedOnly: true), "\(note)")
        #expect(
            try await cached.reportFacts(visibleTo: org, partnershipID: partnership, status: .won)
                == plain.reportFacts(visibleTo: org, partnershipID: partnership, status: .won), "\(note)")
        #expect(
            try await cached.reportFacts(visibleTo: org) == plain.reportFacts(visibleTo: org), "\(note)")
    }

    @Test(
        "a cache brought up to date by revision answers as the database does after every kind of write, also another instance's",
        arguments: TestDatabase.all)
    func followsWrites(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            // The application's own cache is another instance's, seen from this one.
            let cache = FactsCache()
            let cached = CoSellStore(db: app.db, factsCache: cache)
            let plain = CoSellStore(db: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            let (org, demo) = try await demoPartnership(app)
            let partnership = demo.id
            let before = try await plain.reportFacts(visibleTo: org, partnershipID: partnership)
            #expect(before.count >= 14)
            try await Self.expectSame(cached, plain, org: org, partnership: partnership, "at first")
            #expect(cache.size.facts == before.count)

            // A change through the API (the other instance): the changed line is read again.
            let (id, move) = try await changeADueDate(app, to: "2031-02-03")
            let changed = try #require(
                try await cached.reportFacts(visibleTo: org, partnershipID: partnership).first { $0.id == id })
            #expect(changed.openMoves.contains { $0.id.uuidString == move && $0.dueOn?.description == "2031-02-03" })
            try await Self.expectSame(cached, plain, org: org, partnership: partnership, "after an API change")

            // A new deal written by an import: it joins the cached list in its place (newest first).
            var copy = try #require(try await plain.deal(id))
            copy.id = UUID()
            copy.createdAt = Date()
            copy.version = 1
            copy.evidence.close.registration = nil
            try await plain.importDeal(copy, stageKey: "door_opener", events: [])
            let after = try await cached.reportFacts(visibleTo: org, partnershipID: partnership)
            #expect(after.count == before.count + 1)
            #expect(after.first?.id == copy.id)
            try await Self.expectSame(cached, plain, org: org, partnership: partnership, "after an import")

            // Facts rebuilt from the documents raise the revision too.
            try await sql.raw("UPDATE deal_facts SET facts = 'f0' WHERE deal_id = \(bind: id)").run()
            #expect(try await plain.rebuildDealFacts() == before.count + 1)
            try await Self.expectSame(cached, plain, org: org, partnership: partnership, "after a rebuild")

            // A cache too small for the partnership keeps nothing and still answers right.
            let tiny = FactsCache(capacity: 5)
            try await Self.expectSame(
                CoSellStore(db: app.db, factsCache: tiny), plain, org: org, partnership: partnership, "tiny cache")
            #expect(tiny.size.facts == 0)

            // Warming at start reads every partnership that fits; none when none fits.
            let warm = FactsCache()
            let warmed = try await CoSellStore(db: app.db, factsCache: warm).warmFactsCache()
            #expect(warmed == before.count + 1)
            #expect(warm.size == (1, before.count + 1))
            #expect(try await CoSellStore(db: app.db, factsCache: FactsCache(capacity: 5)).warmFactsCache() == 0)
        }
    }
}

@Suite("Joint accounts read with SQL")
struct JointAccountsBySQLTests {
    @Test(
        "the review's account read equals the model's, field by field, addresses included", arguments: TestDatabase.all)
    func sameAsModel(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let store = CoSellStore(db: app.db)
            let partnership = try await demoPartnership(app).partnership.id
            let bySQL = try await store.jointAccounts(
                of: partnership, createdFrom: .distantPast, to: .distantFuture)
            let byModel = try await store.jointAccounts(of: partnership, limit: 1_000, offset: 0).items
            #expect(bySQL.count == byModel.count && bySQL.count >= 20)
            #expect(bySQL.contains { $0.address != nil } && bySQL.contains { !$0.populations.isEmpty })
            let key: (JointAccount) -> String = { $0.id.uuidString }
            #expect(bySQL.sorted { key($0) < key($1) } == byModel.sorted { key($0) < key($1) })
            // Oldest first, as the review lists them.
            #expect(bySQL.map(\.createdAt) == bySQL.map(\.createdAt).sorted())
        }
    }
}
