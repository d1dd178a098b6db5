import Foundation

/// The weekly co-sell deal review of one partnership: what the meeting goes through, in order.
public struct WeeklyReview: Codable, Sendable, Equatable {
    public var partnershipID: UUID
    public var partnershipName: String
    public var week: ISOWeek
    public var startsAt: Date
    public var endsAt: Date
    /// The instant stalls are measured at: the end of the week, or now for the current week.
    public var asOf: Date
    /// The week of the latest review recorded before this one, and its decisions: the meeting starts there.
    public var previousWeek: ISOWeek?
    public var previousDecisions: [ReviewDecision]
    /// New target accounts are the joint accounts added since this instant (the start of the week after
    /// the previous review, or of this week when there is none).
    public var accountsSince: Date
    public var newTargetAccounts: [ReviewAccount]
    public var advanced: [ReviewAdvance]
    public var stalled: [ReviewStall]
    public var gates: [ReviewGateEvent]
    public var awaitingReview: [ReviewAwaiting]
    /// Deals abandoned this week, with the reason (their lesson is among `lessons`).
    public var abandoned: [ReviewAbandoned]
    public var lessons: [ReviewLesson]
    /// This week's record (attendees and decisions), once recorded.
    public var record: ReviewRecord?
    /// Set when the long lists are paged (`paged(limit:offset:)`): which page, and each list's total.
    public var page: ReviewPage? = nil
    /// Decisions still open from reviews before the previous one, and those of them checked off at
    /// this week's review, oldest week first (the previous review's own are `previousDecisions`).
    /// Added by `adding(namedAccounts:carriedDecisions:)`.
    public var carriedDecisions: [WeekDecision] = []
    /// The deals the review discusses, each with its adoption audit (gates passed, overridden or
    /// skipped; late moves), by title.
    public var inTheRoom: [ReviewDealAudit] = []
    /// Named accounts per account executive with their movement this week. Added by
    /// `adding(namedAccounts:carriedDecisions:)`.
    public var namedAccounts: [ReviewSellerAccounts] = []
    /// The thirty-minute agenda, ordered by what needs a decision (`ReviewAgenda.build`).
    public var agenda: [ReviewAgendaItem] = []
}

extension WeeklyReview {
    /// The kinds of timeline entries the review reads (advances, overrides, completions): a loader
    /// may pass only these.
    public static let timelineKinds = ["stage_advanced", "gate_overridden", "completed", "abandoned"]

    /// Builds the review. Pure: the same input gives the same review.
    public static func build(_ input: WeeklyReviewInput) -> WeeklyReview { build(input, page: nil) }

    /// One page of the review: equal to `build(input).paged(limit:offset:)`, but the stalled deals'
    /// diagnoses (the costly part, with their sentences) are worked out only for the deals on the page.
    public static func build(_ input: WeeklyReviewInput, limit: Int, offset: Int) -> WeeklyReview {
        precondition(limit > 0 && offset >= 0)
        return build(input, page: (limit, offset))
    }

    static func build(_ input: WeeklyReviewInput, page: (limit: Int, offset: Int)?) -> WeeklyReview {
        let week = input.week
        // The week's bounds once (each is a calendar computation), not for every entry and deal.
        let weekStart = week.start
        let weekEnd = week.end
        func inWeek(_ d: Date) -> Bool { d >= weekStart && d < weekEnd }
        let asOf = min(input.now, weekEnd)
        var books: [PlaybookVersion: Playbook] = [:]
        for p in input.playbooks { books[p.versionKey] = p }
        func playbook(_ d: DealFacts) -> Playbook? { books[d.playbookVersionKey] }
        func stageName(_ key: String, _ d: DealFacts) -> String {
            playbook(d)?.stages.first { $0.key == key }?.name ?? key
        }
        // Positions, not copies: tens of thousands of facts, looked up a few thousand times.
        var positions: [UUID: Int] = [:]
        positions.reserveCapacity(input.facts.count)
        for (i, d) in input.facts.enumerated() { positions[d.id] = i }
        func facts(_ id: UUID) -> DealFacts? { positions[id].map { input.facts[$0] } }
        var wholeByID: [UUID: Deal] = [:]
        for d in input.deals { wholeByID[d.id] = d }

        // New target accounts since the last review.
        var since = weekStart
        if let prev = input.previous, prev.week < week { since = prev.week.end }
        let accounts = input.accounts.filter { $0.createdAt >= since && $0.createdAt < weekEnd }
            .sorted { ($0.createdAt, $0.name, $0.id.order) < ($1.createdAt, $1.name, $1.id.order) }
            .map {
                ReviewAccount(
                    accountID: $0.id, name: $0.name, origin: $0.origin, reason: $0.reason, createdAt: $0.createdAt)
            }

        // Advances and overrides, from the timeline.
        struct Position: Decodable { var stage: String }
        let decoder = JSONDecoder()
        func position(_ json: String?) -> String? {
            guard let json else { return nil }
            return (try? decoder.decode(Position.self, from: Data(json.utf8)))?.stage
        }
        var advanced: [ReviewAdvance] = []
        var gates: [ReviewGateEvent] = []
        let moves: Set<String> = ["stage_advanced", "gate_overridden", "completed"]
        var abandoned: [ReviewAbandoned] = []
        for e in input.events where inWeek(e.at) && e.kind == "abandoned" {
            guard let d = facts(e.dealID), d.status == .abandoned else { continue }
            let stage =
                playbook(d)?.stages.indices.contains(d.stageIndex) == true
                ? playbook(d)!.stages[d.stageIndex].key : ""
            abandoned.append(
                ReviewAbandoned(
                    dealID: d.id, title: d.title, accountName: d.accountName, stage: stage,
                    stageName: stageName(stage, d), at: e.at, by: e.actorName, summary: e.summary))
        }
        abandoned = abandoned.sorted(byKey: { ($0.at, $0.dealID.order) }, <)
        for e in input.events where inWeek(e.at) && moves.contains(e.kind) {
            guard let d = facts(e.dealID), let from = position(e.before) else { continue }
            let to = position(e.after)
            let overridden = e.kind == "gate_overridden"
            advanced.append(
                ReviewAdvance(
                    dealID: d.id, title: d.title, accountName: d.accountName, fromStage: from,
                    fromStageName: stageName(from, d), toStage: to, toStageName: to.map { stageName($0, d) },
                    overridden: overridden, at: e.at, by: e.actorName))
            if overridden {
                let passage = wholeByID[d.id].flatMap { Self.overridePassage(in: $0, stage: from, at: e.at) }
                gates.append(
                    ReviewGateEvent(
                        kind: .overridden, dealID: d.id, title: d.title, stage: from, stageName: stageName(from, d),
                        at: e.at, by: e.actorName, reason: passage?.reason, unmet: passage?.unmetAtExit ?? []))
            }
        }
        for r in input.refusals where inWeek(r.at) {
            guard let d = facts(r.dealID) else { continue }
            gates.append(
                ReviewGateEvent(
                    kind: .refused, dealID: d.id, title: d.title, stage: r.stageKey,
                    stageName: stageName(r.stageKey, d),
                    at: r.at, by: r.actorName, reason: nil, unmet: r.unmet))
        }
        advanced = advanced.sorted(byKey: { ($0.at, $0.dealID.order) }, <)
        gates = gates.sorted(byKey: { ($0.at, $0.dealID.order, $0.kind.rawValue) }, <)

        // Stalled deals, each with its diagnosis and overdue moves: the cheap stall test for every deal
        // in play, the order from the stall figures, the diagnosis only for the deals described.
        let today = LocalDate(asOf)
        // Positions in `input.facts`, not copies of the facts.
        var candidates: [(position: Int, daysInStage: Int)] = []
        for (i, d) in input.facts.enumerated() where d.isInPlay && d.createdAt < weekEnd {
            guard let pb = playbook(d), pb.stages.indices.contains(d.stageIndex),
                DealDiagnostics.isStalled(d, playbook: pb, now: asOf, today: today)
            else { continue }
            candidates.append((i, max(0, wholeDays(from: d.stageEnteredAt, to: asOf))))
        }
        // Longest in the stage first, then by title and id.
        candidates = candidates.sorted(
            byKey: { (-$0.daysInStage, input.facts[$0.position].title, input.facts[$0.position].id.order) }, <)
        let stalledTotal = candidates.count
        let described = page.map { p in candidates.dropFirst(p.offset).prefix(p.limit) } ?? candidates[...]
        let stalled = described.compactMap { c -> ReviewStall? in
            let d = input.facts[c.position]
            guard let pb = playbook(d) else { return nil }
            let names = SidePair(
                host: input.companyNames[d.hostOrganizationID], partner: input.companyNames[d.partnerOrganizationID])
            var groups = overdueGroups(d.openMoves(in: pb), today: today)
            for i in groups.indices {
                let owing = groups[i].side.sides(doorOpener: d.doorOpenerSide ?? d.suggestedDoorOpener).compactMap {
                    names[$0]
                }
                if !owing.isEmpty { groups[i].company = owing.joined(separator: " and ") }
            }
            let diagnosis = DealDiagnostics.diagnose(d, playbook: pb, now: asOf)
            return ReviewStall(
                dealID: d.id, title: d.title, accountName: d.accountName, stage: pb.stages[d.stageIndex].key,
                stageName: pb.stages[d.stageIndex].name,
                diagnosis: names.host == nil && names.partner == nil ? diagnosis : diagnosis.naming(names),
                overdue: groups)
        }

        // Closed deals waiting for their review.
        var awaiting: [ReviewAwaiting] = []
        for d in input.facts where d.completedAt == nil {
            guard let outcome = d.outcome, outcome.recordedAt < asOf, (d.reviewLessons ?? 0) == 0 else { continue }
            let limit =
                playbook(d)?.stages.first { $0.exitCriterion.kind == .closeRegisterReview }?.stallLimitDays ?? 30
            let days = max(0, wholeDays(from: outcome.recordedAt, to: asOf))
            awaiting.append(
                ReviewAwaiting(
                    dealID: d.id, title: d.title, result: outcome.result, closeDate: outcome.closeDate,
                    registered: d.registration?.counts == true, daysSinceOutcome: days, overdue: days > limit))
        }
        awaiting = awaiting.sorted(byKey: { (-$0.daysSinceOutcome, $0.dealID.order) }, <)

        // Lessons captured this week.
        var lessons: [ReviewLesson] = []
        let captured =
            input.capturedLessons
            ?? input.deals.flatMap { d in
                (d.evidence.close.review?.lessons ?? []).map { CapturedLesson(dealID: d.id, lesson: $0) }
            }
        for c in captured where inWeek(c.lesson.createdAt) {
            guard let f = facts(c.dealID) else { continue }
            let l = c.lesson
            lessons.append(
                ReviewLesson(
                    lessonID: l.id, dealID: f.id, title: f.title, stage: l.stageKey,
                    stageName: stageName(l.stageKey, f), text: l.text, createdAt: l.createdAt))
        }
        lessons = lessons.sorted(byKey: { ($0.createdAt, $0.lessonID.order) }, <)

        // The deals in the room: every deal a list of the review names, with its adoption audit.
        var reasons: [UUID: [ReviewDealAudit.Reason]] = [:]
        func note(_ id: UUID, _ r: ReviewDealAudit.Reason) {
            if reasons[id]?.contains(r) != true { reasons[id, default: []].append(r) }
        }
        for a in advanced { note(a.dealID, .advanced) }
        for c in candidates { note(input.facts[c.position].id, .stalled) }
        for g in gates { note(g.dealID, .gate) }
        for a in awaiting { note(a.dealID, .awaitingReview) }
        for a in abandoned { note(a.dealID, .abandoned) }
        let room = reasons.compactMap { id, why -> ReviewDealAudit? in
            guard let d = facts(id), let pb = playbook(d) else { return nil }
            return ReviewDealAudit.of(
                d, playbook: pb, reasons: ReviewDealAudit.Reason.allCases.filter(why.contains), today: today,
                companyNames: input.companyNames)
        }.sorted(byKey: { ($0.title, $0.dealID.order) }, <)

        let previous = input.previous.flatMap { $0.week < week ? $0 : nil }
        var review = WeeklyReview(
            partnershipID: input.partnership.id, partnershipName: input.partnership.name, week: week,
            startsAt: weekStart, endsAt: weekEnd, asOf: asOf, previousWeek: previous?.week,
            previousDecisions: previous?.decisions ?? [], accountsSince: since, newTargetAccounts: accounts,
            advanced: advanced, stalled: [], gates: gates, awaitingReview: awaiting, abandoned: abandoned,
            lessons: lessons,
            record: input.record)
        review.inTheRoom = room
        guard let page else {
            review.stalled = stalled
            review.agenda = ReviewAgenda.build(review)
            return review
        }
        review = review.paged(limit: page.limit, offset: page.offset)
        review.stalled = stalled
        review.page?.totals.stalled = stalledTotal
        review.agenda = ReviewAgenda.build(review)
        return review
    }

    /// The review with the named accounts per account executive and the decisions carried from
    /// earlier reviews, and its agenda worked out again with them. Pure.
    public func adding(namedAccounts: [ReviewSellerAccounts], carriedDecisions: [WeekDecision]) -> WeeklyReview {
        var r = self
        r.namedAccounts = namedAccounts
        r.carriedDecisions = carriedDecisions
        r.agenda = ReviewAgenda.build(r)
        return r
    }

    /// The skipped passage an override at `at` left in `stage`: where its reason and unmet parts are.
    /// The timeline's instants come back from the database rounded to the microsecond, the document's
    /// are not, so the passage may end a fraction after the entry's `at`: a second's grace. (Without
    /// it, an override made through the API was shown without its reason.)
    static func overridePassage(in deal: Deal, stage: String, at: Date) -> StagePassage? {
        let latest = at.addingTimeInterval(1)
        return deal.passages.last { $0.stageKey == stage && $0.exit == .skipped && $0.exitedAt <= latest }
    }

    /// The review with each overridden gate's reason and unmet parts quoted from these whole deals
    /// (a loader reads whole only the deals whose overrides the review shows). Pure.
    public func quotingOverrides(from deals: [Deal]) -> WeeklyReview {
        var byID: [UUID: Deal] = [:]
        for d in deals { byID[d.id] = d }
        var r = self
        for i in r.gates.indices where r.gates[i].kind == .overridden {
            guard let deal = byID[r.gates[i].dealID],
                let passage = Self.overridePassage(in: deal, stage: r.gates[i].stage, at: r.gates[i].at)
            else { continue }
            r.gates[i].reason = passage.reason
            r.gates[i].unmet = passage.unmetAtExit
        }
        return r
    }

    /// Overdue moves by side (host, partner, door-opener, both), then owner name (unassigned last).
    static func overdueGroups(_ moves: [DealFacts.OpenMove], today: LocalDate) -> [OverdueGroup] {
        var groups: [OverdueGroup] = []
        for m in moves where m.isOverdue(today: today) {
            let item = OverdueMove(
                moveID: m.id, description: m.description, stageKey: m.stageKey, dueOn: m.dueOn!,
                daysOverdue: max(0, wholeDays(from: m.dueOn!.startOfDay, to: today.startOfDay)))
            if let i = groups.firstIndex(where: { $0.side == m.side && $0.ownerID == m.ownerID }) {
                groups[i].moves.append(item)
            } else {
                groups.append(
                    OverdueGroup(side: m.side, ownerID: m.ownerID, ownerName: m.ownerName, moves: [item]))
            }
        }
        let sideOrder = MoveSide.allCases
        func key(_ g: OverdueGroup) -> (Int, Int, String, String) {
            (
                sideOrder.firstIndex(of: g.side) ?? 9, g.ownerID == nil ? 1 : 0, g.ownerName ?? "",
                g.ownerID?.uuidString ?? ""
            )
        }
        for i in groups.indices {
            groups[i].moves.sort { ($0.dueOn, $0.description) < ($1.dueOn, $1.description) }
        }
        return groups.sorted { key($0) < key($1) }
    }
}
