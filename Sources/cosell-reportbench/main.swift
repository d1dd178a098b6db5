// cosell-reportbench: fills a SQLite file with generated joint deals (spread over stages, statuses,
// currencies and partnerships, with their timelines, registrations and lessons) through the store's
// bulk import, then times every report request end to end (routing, authentication, loading from
// SQLite, the pure report code, JSON or CSV encoding) several times and prints median and max.
//
//   cosell-reportbench [--deals N] [--partnerships P] [--runs R] [--db PATH] [--keep]
//                      [--only requests,loading,review]
//
// Defaults: 100000 deals, 4 partnerships (the first, the demo's, holds 40 % of the deals), 7 runs,
// /tmp/cosell-reportbench.sqlite. --keep reuses an existing file instead of generating it again;
// --only runs some of the three parts: the requests, where loading the deals' data goes, where the
// weekly review's time goes (all three by default).
// Build and run in release (see BENCHMARKS.md); timings of a debug build mean little.
import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellWeb
import FluentSQL
import Foundation
import Vapor

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
guard let dealCount = Int(option("--deals", "100000")), dealCount > 0,
    let partnershipCount = Int(option("--partnerships", "4")), partnershipCount >= 1,
    let runs = Int(option("--runs", "7")), runs >= 1
else {
    FileHandle.standardError.write(
        Data("cosell-reportbench: --deals, --partnerships and --runs take positive integers\n".utf8))
    exit(2)
}
let path = option("--db", "/tmp/cosell-reportbench.sqlite")
let keep = arguments.contains("--keep") && FileManager.default.fileExists(atPath: path)
let parts = Set(option("--only", "requests,loading,review").split(separator: ",").map(String.init))

/// A small deterministic generator (SplitMix64).
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func uuid() -> UUID {
        let a = next()
        let b = next()
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: a), UInt8(truncatingIfNeeded: a >> 8), UInt8(truncatingIfNeeded: a >> 16),
                UInt8(truncatingIfNeeded: a >> 24), UInt8(truncatingIfNeeded: a >> 32),
                UInt8(truncatingIfNeeded: a >> 40), 0x40 | UInt8(truncatingIfNeeded: a >> 48) & 0x0F,
                UInt8(truncatingIfNeeded: a >> 56), 0x80 | UInt8(truncatingIfNeeded: b) & 0x3F,
                UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16),
                UInt8(truncatingIfNeeded: b >> 24), UInt8(truncatingIfNeeded: b >> 32),
                UInt8(truncatingIfNeeded: b >> 40), UInt8(truncatingIfNeeded: b >> 48),
                UInt8(truncatingIfNeeded: b >> 56)
            ))
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func stageJSON(_ key: String, _ at: Date) -> String {
    "{\"entered_at\":\"\(ISO8601DateFormatter().string(from: at))\",\"stage\":\"\(key)\"}"
}

/// One generated deal with its account and timeline.
func generate(
    _ i: Int, rng: inout Generator, partnership: Partnership, host: UUID, playbook: Playbook, people: [UUID],
    now: Date
) -> (JointAccount, Deal, [DealEvent]) {
    let stages = playbook.stages
    let partner = partnership.counterpart(of: host)!
    let populations = ["customer", "open_opportunity", "prospect"]
    let account = JointAccount(
        id: rng.uuid(), partnershipID: partnership.id, name: "Generated Account \(i)", domain: "account\(i).example",
        country: ["US", "DE", "GB", "FR"][i % 4], industry: "Software", employees: 100 + rng.int(20_000),
        origin: .overlap, reason: nil,
        populations: [
            AccountPopulation(organizationID: host, population: populations[rng.int(3)]),
            AccountPopulation(organizationID: partner, population: populations[rng.int(3)]),
        ], createdAt: now.addingTimeInterval(-Double(rng.int(420 * 86_400))))
    let created = max(account.createdAt, now.addingTimeInterval(-Double(rng.int(400 * 86_400))))
    let currencies = ["USD", "EUR", "GBP", "JPY"]
    let currency = Currency(code: currencies[rng.int(100) < 55 ? 0 : 1 + rng.int(3)])!
    let amount = Money(
        minorUnits: Int64(10_000 + rng.int(2_000_000)) * (currency.code == "JPY" ? 1 : 100), currency: currency)
    let status: DealStatus
    switch rng.int(100) {
    case 0..<60: status = .open
    case 60..<80: status = .won
    case 80..<92: status = .lost
    default: status = .abandoned
    }
    let stageIndex = status == .won ? 4 : rng.int(5)
    let person = { (k: Int) in people[(i + k) % people.count] }
    var events: [DealEvent] = []
    func event(_ at: Date, _ kind: String, before: String?, after: String?) {
        events.append(
            DealEvent(
                id: UUID(), dealID: UUID(), sequence: events.count + 1, at: at, actorID: person(0),
                actorName: "Generated Person", kind: kind, summary: kind.replacingOccurrences(of: "_", with: " "),
                before: before, after: after))
    }
    event(created, "deal_opened", before: nil, after: nil)
    // Passages spread evenly from creation to a point before now.
    // Most open deals are being worked: they entered their stage within its limit and saw activity in
    // the last ten days; the others (and every closed deal) moved on an even pace since creation.
    let healthy = status == .open && rng.chance(85)
    let currentEntry =
        healthy
        ? max(created, now.addingTimeInterval(-Double(rng.int(stages[stageIndex].stallLimitDays * 86_400))))
        : now
    let span = currentEntry.timeIntervalSince(created)
    var passages: [StagePassage] = []
    var entered = created
    for s in 0..<stageIndex {
        let exited =
            healthy && s == stageIndex - 1
            ? currentEntry
            : entered.addingTimeInterval(span / Double(stageIndex + 2) * (0.5 + Double(rng.int(100)) / 100))
        let skipped = rng.chance(8)
        passages.append(
            StagePassage(
                stageKey: stages[s].key, enteredAt: entered, exitedAt: exited, exit: skipped ? .skipped : .passed,
                by: person(1), reason: skipped ? "Generated override" : nil,
                unmetAtExit: skipped ? ["Generated unmet part."] : []))
        event(
            exited, skipped ? "gate_overridden" : "stage_advanced", before: stageJSON(stages[s].key, entered),
            after: stageJSON(stages[s + 1].key, exited))
        entered = exited
    }
    var moves: [DealMove] = []
    for s in 0...stageIndex {
        for (k, m) in stages[s].moves.enumerated() {
            let due = LocalDate(
                (s == stageIndex ? entered : created).addingTimeInterval(Double(m.dueAfterDays) * 86_400))
            moves.append(
                DealMove(
                    id: rng.uuid(), stageKey: stages[s].key, templateKey: m.key, description: m.description,
                    side: m.side, ownerID: k == 0 ? nil : person(k), ownerName: k == 0 ? nil : "Generated Owner \(k)",
                    dueOn: due,
                    doneAt: s < stageIndex || rng.chance(40) || (healthy && due < LocalDate(now)) ? entered : nil))
        }
    }
    var evidence = DealEvidence()
    for side in Side.allCases {
        evidence.targetSelection.icpFit[side] = IcpFitRecord(
            fit: [.strong, .strong, .partial, .none][rng.int(4)], note: nil, recordedBy: person(2), recordedAt: created)
        if stageIndex > 0 {
            evidence.targetSelection.commitments[side] = Signoff(
                personID: person(3), personName: "Generated Person", at: created)
        }
    }
    if stageIndex > 1 {
        evidence.doorOpener.doorOpener = DoorOpenerMove(
            side: .partner, kind: .warmIntroduction, ownerID: person(4), ownerName: "Generated Opener",
            namedAt: created)
        evidence.doorOpener.firstMeeting = JointMeeting(
            scheduledFor: created.addingTimeInterval(7 * 86_400),
            attendees: [
                Attendee(name: "Host Seller", party: .host), Attendee(name: "Partner Seller", party: .partner),
                Attendee(name: "Customer Buyer", party: .customer),
            ], bookedBy: person(4), bookedAt: created)
    }
    if stageIndex > 2 {
        evidence.jointDiscovery.briefs = [
            AccountBrief(
                id: rng.uuid(), writtenBy: .host, customerNeed: "A generated need, written once for both sides.",
                buyingProcess: BuyingProcess(
                    steps: ["Evaluation", "Security review", "Procurement"], decisionMakers: ["CIO", "CFO"],
                    timeline: "This quarter"),
                stakeholders: [Stakeholder(name: "Generated CIO", title: "CIO")],
                approvals: SidePair(
                    host: Signoff(personID: person(5), personName: "Generated", at: created),
                    partner: Signoff(personID: person(6), personName: "Generated", at: created)), updatedAt: created)
        ]
    }
    if stageIndex > 3 {
        evidence.jointPursuit.proof = ProofRecord(
            kind: .proofOfConcept, summary: "Generated proof of concept.", recordedBy: person(7), recordedAt: entered)
        evidence.jointPursuit.closePlans = [
            ClosePlan(
                id: rng.uuid(), writtenBy: .host,
                milestones: [
                    Milestone(title: "Decision", ownerParty: .customer, ownerName: "CFO", dueOn: LocalDate(now))
                ], decisionDate: LocalDate(now), updatedAt: entered)
        ]
    }
    var completedAt: Date? = nil
    if status == .won || status == .lost {
        let closeAt = min(now.addingTimeInterval(-3_600), entered.addingTimeInterval(Double(rng.int(40 * 86_400))))
        evidence.close.outcome = Outcome(
            result: status == .won ? .won : .lost, finalAmount: amount, closeDate: LocalDate(closeAt),
            lossReason: status == .lost ? "Generated loss" : nil, recordedBy: person(8), recordedAt: closeAt)
        event(closeAt, "outcome_logged", before: nil, after: nil)
        if status == .won && rng.chance(85) {
            let attribution: Attribution = rng.chance(50) ? .partnerSourced : .partnerInfluenced
            evidence.close.registration = Registration(
                registrationID: "GEN-\(i)", attribution: attribution,
                sourcedBy: attribution == .partnerSourced ? .partner : .host, registeredBy: person(9),
                registeredByName: "Generated", registeredAt: closeAt)
        }
        if rng.chance(60) {
            let reviewAt = min(now.addingTimeInterval(-60), closeAt.addingTimeInterval(Double(rng.int(20 * 86_400))))
            evidence.close.review = Review(
                heldOn: LocalDate(reviewAt), attendees: ["Host", "Partner"],
                lessons: (0..<(1 + rng.int(2))).map { k in
                    Lesson(
                        id: rng.uuid(), stageKey: stages[rng.int(5)].key,
                        text: "Generated lesson \(i)-\(k): ask the partner for the introduction by name.",
                        authorID: person(10), createdAt: reviewAt)
                })
            event(reviewAt, "review_recorded", before: nil, after: nil)
            if rng.chance(70) { completedAt = reviewAt }
        }
    }
    let deal = Deal(
        id: rng.uuid(), partnershipID: partnership.id, jointAccountID: account.id, accountName: account.name,
        accountOnOverlap: true, accountReason: nil, title: "Generated deal \(i)", hostOrganizationID: host,
        partnerOrganizationID: partner, playbookID: playbook.id, playbookVersion: playbook.version,
        stageIndex: stageIndex, stageEnteredAt: entered,
        lastActivityAt: healthy
            ? max(entered, now.addingTimeInterval(-Double(rng.int(10 * 86_400))))
            : events.map(\.at).max() ?? created,
        status: status, statusReason: status == .abandoned ? "Generated" : nil, amount: amount,
        expectedCloseDate: LocalDate(now.addingTimeInterval(60 * 86_400)), moves: moves, evidence: evidence,
        passages: passages, completedAt: completedAt, createdAt: created, createdBy: person(0))
    for k in events.indices { events[k].dealID = deal.id }
    return (account, deal, events)
}

var env = Environment(name: "production", arguments: ["cosell-reportbench"])
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
app.logger.logLevel = .warning
do {
    if !keep {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    try CoSellApp.configure(
        app, CoSellConfig(database: .sqliteFile(path), loadDemo: false, security: SecuritySettings(bcryptCost: 4)))
    try await CoSellApp.prepare(app)
    let store = CoSellStore(db: app.db)
    let clock = ContinuousClock()
    if !keep {
        let started = clock.now
        try await CoSellApp.loadDemoIfEmpty(app)
        guard
            let demo = try await store.partnerships(
                of: try await store.person(forTokenHash: APITokens.hash("cosell_demo_host_admin"), at: Date())!.0
                    .organizationID
            ).first
        else { throw CoSellSetupError("The demo partnership is missing.") }
        let host = demo.organizationIDs[0]
        var partnerships = [demo]
        for k in 1..<max(1, partnershipCount) {
            let org = Organization(
                id: UUID(), name: "Generated Partner \(k)", domain: "partner\(k).example", createdAt: Date())
            try await store.insert(org)
            let ps = Partnership(
                id: UUID(), name: "Generated partnership \(k)", organizationIDs: [host, org.id], createdAt: Date())
            try await store.insert(ps)
            partnerships.append(ps)
        }
        let playbook = try await store.playbook(API.standardPlaybookID)!
        let people = try await store.people(inOrganizations: demo.organizationIDs).map(\.id)
        var rng = Generator(state: 42)
        let now = Date()
        let batch = 5_000
        var done = 0
        while done < dealCount {
            var accounts: [JointAccount] = []
            var deals: [(deal: Deal, stageKey: String)] = []
            var events: [DealEvent] = []
            for i in done..<min(dealCount, done + batch) {
                // The first partnership holds 40 % of the deals, the others share the rest.
                let p =
                    partnerships.count == 1 || i % 10 < 4 ? 0 : 1 + (i / 10) % (partnerships.count - 1)
                let (a, d, e) = generate(
                    i, rng: &rng, partnership: partnerships[p], host: host, playbook: playbook, people: people, now: now
                )
                accounts.append(a)
                deals.append((d, playbook.stages[d.stageIndex].key))
                events += e
            }
            try await store.bulkImport(accounts: accounts, deals: deals, events: events)
            done += deals.count
        }
        print(
            "Generated \(dealCount) deals over \(partnerships.count) partnerships in \(String(format: "%.1f", seconds(clock.now - started))) s into \(path)."
        )
    }

    let demo = try await store.partnerships(
        of: try await store.person(forTokenHash: APITokens.hash("cosell_demo_host_admin"), at: Date())!.0.organizationID
    ).first!
    let inDemo = try await store.deals(
        visibleTo: demo.organizationIDs[0], filter: DealFilter(partnershipID: demo.id, limit: 1, offset: 0)
    ).total
    let all = try await store.deals(visibleTo: demo.organizationIDs[0], filter: DealFilter(limit: 1, offset: 0)).total
    let anyDeal = try await store.deals(
        visibleTo: demo.organizationIDs[0],
        filter: DealFilter(partnershipID: demo.id, status: .open, stageKey: "door_opener", limit: 1, offset: 0)
    ).items.first!
    let week = ISOWeek(containing: Date())
    print(
        "The host admin sees \(all) deals; the demo partnership holds \(inDemo). \(runs) runs per request after one warm-up."
    )

    func call(_ path: String) async throws -> (Int, Int) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: "cosell_demo_host_admin")
        let req = Request(
            application: app, method: .GET, url: URI(string: path), headers: headers, on: app.eventLoopGroup.next())
        let res = try await app.responder.respond(to: req).get()
        return (Int(res.status.code), res.body.data?.count ?? res.body.string?.utf8.count ?? 0)
    }
    let requests: [(String, String)] = [
        ("pipeline report (demo partnership)", "/api/v1/partnerships/\(demo.id)/reports/pipeline"),
        ("pipeline report CSV", "/api/v1/partnerships/\(demo.id)/reports/pipeline.csv"),
        ("adoption report (demo partnership)", "/api/v1/partnerships/\(demo.id)/reports/adoption"),
        ("revenue report (all partnerships, USD)", "/api/v1/reports/revenue?currency=USD"),
        ("revenue report CSV", "/api/v1/reports/revenue.csv?currency=USD"),
        ("weekly review JSON (demo partnership)", "/api/v1/partnerships/\(demo.id)/reviews/\(week)"),
        ("weekly review Markdown", "/api/v1/partnerships/\(demo.id)/reviews/\(week)/markdown"),
        ("lesson library search", "/api/v1/lessons?q=introduction&stage=door_opener"),
        ("lessons for a deal", "/api/v1/deals/\(anyDeal.id)/lessons"),
    ]
    // One deal of the demo partnership saved again (a new version, its facts rewritten): what a
    // colleague's edit does between two requests.
    let admin = try await store.person(forTokenHash: APITokens.hash("cosell_demo_host_admin"), at: Date())!.0
    let actor = Actor(personID: admin.id, organizationID: admin.organizationID, role: admin.role, name: admin.name)
    func changeOneDeal() async throws {
        let d = try await store.deal(anyDeal.id)!
        let key = try await store.playbook(d.playbookID, version: d.playbookVersion)!.stages[d.stageIndex].key
        _ = try await store.save(d, stageKey: key, expectedVersion: d.version, changes: [], actor: actor, at: Date())
    }
    func medianOf(_ t: [Double]) -> Double {
        let t = t.sorted()
        return t.count % 2 == 1 ? t[t.count / 2] : (t[t.count / 2 - 1] + t[t.count / 2]) / 2
    }
    let cacheOn = app.factsCache != nil
    if parts.contains("requests") {
        print("")
        print(
            "Facts cache: \(cacheOn ? "on (first: emptied before the first request of each row; then every partnership read, as `cosell serve` does before it listens)" : "off (COSELL_FACTS_CACHE=0)")."
        )
        print("")
        print(
            "| Request | Status | Bytes | First, cold (s) | Median (s) | Max (s) | Median after one deal changed (s) |")
        print("|---|---|---|---|---|---|---|")
    }
    for (label, p) in requests where parts.contains("requests") {
        var first = 0.0
        var times: [Double] = []
        var afterChange: [Double] = []
        var status = 0
        var bytes = 0
        if cacheOn { app.factsCache = FactsCache() }
        for run in 0...runs {
            let t = clock.now
            (status, bytes) = try await call(p)
            let s = seconds(clock.now - t)
            if run == 0 { first = s } else { times.append(s) }
            // After the cold request, the cache as a running server has it: every partnership read
            // (`cosell serve` does this before it listens).
            if run == 0, cacheOn {
                _ = try await CoSellStore(db: app.db, factsCache: app.factsCache).warmFactsCache()
            }
        }
        for _ in 0..<runs {
            try await changeOneDeal()
            let t = clock.now
            _ = try await call(p)
            afterChange.append(seconds(clock.now - t))
        }
        print(
            "| \(label) | \(status) | \(bytes) | \(String(format: "%.3f", first)) | \(String(format: "%.3f", medianOf(times))) | \(String(format: "%.3f", times.max()!)) | \(String(format: "%.3f", medianOf(afterChange))) |"
        )
    }
    // Where the time of loading goes, for the demo partnership's deals (median of the runs).
    func median(_ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(3, runs) {
            let t = clock.now
            try await body()
            times.append(seconds(clock.now - t))
        }
        return times.sorted()[times.count / 2]
    }
    let org = demo.organizationIDs[0]
    if parts.contains("loading") {
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
    if parts.contains("review") {
        // Where the weekly review's time goes without the facts cache: each step of `WeeklyReviewLoader.load`, then the pure
        // build, the paging and the JSON encoding (median of the runs).
        let reviewWeek = ISOWeek(containing: Date())
        var reviewFacts: [DealFacts] = []
        var reviewPlaybooks: [Playbook] = []
        var reviewAccounts: [JointAccount] = []
        var reviewEvents: [DealEvent] = []
        var reviewRefusals: [GateRefusal] = []
        var reviewLessons: [CapturedLesson] = []
        var reviewRecords: (ReviewRecord?, ReviewRecord?) = (nil, nil)
        let rFacts = try await median {
            reviewFacts = try await store.reportFacts(visibleTo: org, partnershipID: demo.id)
        }
        let rPlaybooks = try await median {
            reviewPlaybooks = []
            for id in Set(reviewFacts.map(\.playbookID)) { reviewPlaybooks += try await store.playbookVersions(id) }
        }
        let rRecords = try await median {
            reviewRecords = (
                try await store.reviewRecord(partnershipID: demo.id, week: reviewWeek),
                try await store.reviewRecord(partnershipID: demo.id, before: reviewWeek)
            )
        }
        let rAccounts = try await median {
            reviewAccounts = try await store.jointAccounts(
                of: demo.id,
                createdFrom: min(reviewRecords.1.map { $0.week.end } ?? reviewWeek.start, reviewWeek.start),
                to: reviewWeek.end)
        }
        let rEvents = try await median {
            reviewEvents = try await store.events(
                ofPartnership: demo.id, from: reviewWeek.start, to: reviewWeek.end, kinds: WeeklyReview.timelineKinds)
        }
        let rRefusals = try await median {
            reviewRefusals = try await store.gateRefusals(
                partnershipID: demo.id, from: reviewWeek.start, to: reviewWeek.end)
        }
        var uncompleted: [DealFacts] = []
        let rUncompleted = try await median {
            uncompleted = try await store.reportFacts(visibleTo: org, partnershipID: demo.id, uncompletedOnly: true)
        }
        let named = Array(
            Set(reviewEvents.map(\.dealID)).union(reviewLessons.map(\.dealID)).subtracting(uncompleted.map(\.id)))
        let rNamed = try await median { _ = try await store.facts(ids: named) }
        let overridden = Array(Set(reviewEvents.filter { $0.kind == "gate_overridden" }.map(\.dealID)))
        let rOverridden = try await median { _ = try await store.deals(ids: overridden) }
        var visibleIDs = Set<UUID>()
        let rVisible = try await median {
            visibleIDs = Set(reviewFacts.map(\.id))
            _ = reviewEvents.filter { visibleIDs.contains($0.dealID) }
        }
        let rLessons = try await median {
            reviewLessons = try await store.lessonsCaptured(
                partnershipID: demo.id, from: reviewWeek.start, to: reviewWeek.end)
        }
        var built: WeeklyReview? = nil
        let rBuild = try await median {
            built = WeeklyReview.build(
                WeeklyReviewInput(
                    partnership: demo, week: reviewWeek, now: Date(), accounts: reviewAccounts, facts: reviewFacts,
                    deals: [], capturedLessons: reviewLessons, events: reviewEvents, refusals: reviewRefusals,
                    playbooks: reviewPlaybooks, record: reviewRecords.0, previous: reviewRecords.1))
        }
        var pagedReview: WeeklyReview? = nil
        let rPage = try await median { pagedReview = built!.paged(limit: 50, offset: 0) }
        let rMarkdown = try await median { _ = pagedReview!.markdown() }
        let rJSON = try await median { _ = try JSONEncoder().encode(pagedReview!) }
        let rLoader = try await median {
            _ = try await WeeklyReviewLoader.load(
                store: store, partnership: demo, week: reviewWeek, viewer: nil, now: Date())
        }
        let rLoaderPage = try await median {
            _ = try await WeeklyReviewLoader.load(
                store: store, partnership: demo, week: reviewWeek, viewer: nil, now: Date(), page: (50, 0))
        }
        let rBuildPage = try await median {
            _ = WeeklyReview.build(
                WeeklyReviewInput(
                    partnership: demo, week: reviewWeek, now: Date(), accounts: reviewAccounts, facts: reviewFacts,
                    deals: [], capturedLessons: reviewLessons, events: reviewEvents, refusals: reviewRefusals,
                    playbooks: reviewPlaybooks, record: reviewRecords.0, previous: reviewRecords.1),
                limit: 50, offset: 0)
        }
        print("")
        print(
            "The weekly review of \(reviewWeek) for the demo partnership: \(reviewFacts.count) facts, \(reviewAccounts.count) new accounts, \(reviewEvents.count) events, \(reviewRefusals.count) refusals, \(reviewLessons.count) lessons; median:"
        )
        if let r = built {
            print(
                "It lists \(r.newTargetAccounts.count) new accounts, \(r.advanced.count) advances, \(r.stalled.count) stalled deals, \(r.gates.count) gate events, \(r.awaitingReview.count) deals awaiting review, \(r.lessons.count) lessons."
            )
        }
        print("")
        print("| Step | Seconds |")
        print("|---|---|")
        for (label, t) in [
            ("`reportFacts`", rFacts), ("playbook versions", rPlaybooks),
            ("review records (this week, previous)", rRecords),
            ("new joint accounts", rAccounts), ("the week's events", rEvents), ("gate refusals", rRefusals),
            ("`reportFacts` of the \(uncompleted.count) deals not completed (what the loader reads)", rUncompleted),
            ("facts of the \(named.count) other deals the week's entries and lessons name", rNamed),
            ("whole deals of the \(overridden.count) deals with a gate overridden", rOverridden),
            ("the set of visible ids, and the events filtered by it", rVisible),
            ("lessons captured", rLessons), ("`WeeklyReview.build` (pure)", rBuild),
            ("paging (first 50 per list)", rPage),
            ("Markdown of the first page", rMarkdown), ("JSON of the first page (`JSONEncoder`)", rJSON),
            ("`WeeklyReview.build` of the first page only (diagnoses for 50 stalled deals)", rBuildPage),
            (
                "all of `WeeklyReviewLoader.load`, whole review (the steps above, with whole deals for overrides)",
                rLoader
            ),
            ("all of `WeeklyReviewLoader.load`, first page (what the API and the page run)", rLoaderPage),
        ] {
            print("| \(label) | \(String(format: "%.3f", t)) |")
        }
    }
} catch {
    try? await app.asyncShutdown()
    FileHandle.standardError.write(Data("cosell-reportbench: \(error)\n".utf8))
    exit(1)
}
try await app.asyncShutdown()
