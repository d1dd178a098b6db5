import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Foundation

extension Bench {
    /// Where the weekly review's time goes without the facts cache: each step of `WeeklyReviewLoader.load`, then the pure
    /// build, the paging and the JSON encoding (median of the runs).
    func timeReview() async throws {
        let org = demo.organizationIDs[0]
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
}
