import Foundation

/// A decision taken at a weekly co-sell deal review: what, who owns it (optional), by when (optional).
public struct ReviewDecision: Codable, Sendable, Equatable {
    public var text: String
    public var ownerID: UUID?
    public var ownerName: String?
    public var dueOn: LocalDate?

    public init(text: String, ownerID: UUID? = nil, ownerName: String? = nil, dueOn: LocalDate? = nil) {
        self.text = text
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.dueOn = dueOn
    }
}

/// What a partnership recorded about one weekly co-sell deal review: who attended, what was decided.
/// One per partnership and ISO week.
public struct ReviewRecord: Codable, Sendable, Equatable {
    public var partnershipID: UUID
    public var week: ISOWeek
    public var attendees: [String]
    public var decisions: [ReviewDecision]
    public var recordedBy: UUID
    public var recordedByName: String
    public var recordedAt: Date
    public var updatedAt: Date

    public init(
        partnershipID: UUID, week: ISOWeek, attendees: [String], decisions: [ReviewDecision], recordedBy: UUID,
        recordedByName: String, recordedAt: Date, updatedAt: Date
    ) {
        self.partnershipID = partnershipID
        self.week = week
        self.attendees = attendees
        self.decisions = decisions
        self.recordedBy = recordedBy
        self.recordedByName = recordedByName
        self.recordedAt = recordedAt
        self.updatedAt = updatedAt
    }

    public static let maxAttendees = 100
    public static let maxDecisions = 100

    /// Checks and tidies what a person sends: attendees and decision texts trimmed and non-empty.
    /// Errors name the field as the API spells it.
    public static func validated(
        attendees: [String], decisions: [ReviewDecision]
    ) throws(DealError) -> ([String], [ReviewDecision]) {
        if attendees.count > maxAttendees { throw .invalid(field: "attendees", "At most \(maxAttendees) attendees.") }
        if decisions.count > maxDecisions { throw .invalid(field: "decisions", "At most \(maxDecisions) decisions.") }
        var names: [String] = []
        for (i, a) in attendees.enumerated() {
            let t = a.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, t.count <= DealEngine.maxName else {
                throw .invalid(field: "attendees[\(i)]", "An attendee is a name of 1 to 200 characters.")
            }
            names.append(t)
        }
        var out: [ReviewDecision] = []
        for (i, d) in decisions.enumerated() {
            var d = d
            d.text = d.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !d.text.isEmpty, d.text.count <= DealEngine.maxText else {
                throw .invalid(field: "decisions[\(i)].text", "A decision is a text of 1 to 10,000 characters.")
            }
            out.append(d)
        }
        return (names, out)
    }
}

/// A gate that refused to open: someone asked to advance a deal whose exit criterion was unmet.
public struct GateRefusal: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var stageKey: String
    /// What was missing, part by part.
    public var unmet: [String]
    public var actorID: UUID
    public var actorName: String
    public var at: Date

    public init(dealID: UUID, stageKey: String, unmet: [String], actorID: UUID, actorName: String, at: Date) {
        self.dealID = dealID
        self.stageKey = stageKey
        self.unmet = unmet
        self.actorID = actorID
        self.actorName = actorName
        self.at = at
    }
}

/// A lesson as the lesson library keeps it: with the deal it came from.
public struct CapturedLesson: Sendable, Equatable {
    public var dealID: UUID
    public var lesson: Lesson

    public init(dealID: UUID, lesson: Lesson) {
        self.dealID = dealID
        self.lesson = lesson
    }
}

/// Everything the weekly review is built from. `facts` are those of every deal the reader may see
/// that is not completed, and of every deal the week's entries, refusals and lessons name (deals
/// completed before the week appear in no list otherwise); `deals` are whole deals whose overridden
/// gates the review quotes (the reason and the unmet parts; without them, `quotingOverrides(from:)`
/// adds them later); the week's lessons come from `capturedLessons` (the lesson library) or, when nil,
/// from the reviews of `deals`; `events` and `refusals` belong to the visible deals (entries outside
/// the week are ignored).
public struct WeeklyReviewInput: Sendable {
    public var partnership: Partnership
    public var week: ISOWeek
    public var now: Date
    public var accounts: [JointAccount]
    public var facts: [DealFacts]
    public var deals: [Deal]
    public var capturedLessons: [CapturedLesson]?
    public var events: [DealEvent]
    public var refusals: [GateRefusal]
    /// Every playbook version the deals run on.
    public var playbooks: [Playbook]
    /// This week's record, when the review was recorded.
    public var record: ReviewRecord?
    /// The latest record before this week.
    public var previous: ReviewRecord?

    /// The input over whole deals: every visible deal read whole.
    public init(
        partnership: Partnership, week: ISOWeek, now: Date, accounts: [JointAccount], deals: [Deal],
        events: [DealEvent], refusals: [GateRefusal], playbooks: [Playbook], record: ReviewRecord?,
        previous: ReviewRecord?
    ) {
        self.init(
            partnership: partnership, week: week, now: now, accounts: accounts, facts: deals.map { DealFacts($0) },
            deals: deals, events: events, refusals: refusals, playbooks: playbooks, record: record,
            previous: previous)
    }

    public init(
        partnership: Partnership, week: ISOWeek, now: Date, accounts: [JointAccount], facts: [DealFacts],
        deals: [Deal], capturedLessons: [CapturedLesson]? = nil, events: [DealEvent], refusals: [GateRefusal],
        playbooks: [Playbook], record: ReviewRecord?, previous: ReviewRecord?
    ) {
        self.capturedLessons = capturedLessons
        self.partnership = partnership
        self.week = week
        self.now = now
        self.accounts = accounts
        self.facts = facts
        self.deals = deals
        self.events = events
        self.refusals = refusals
        self.playbooks = playbooks
        self.record = record
        self.previous = previous
    }
}

/// A joint account that joined the list since the last review.
public struct ReviewAccount: Codable, Sendable, Equatable {
    public var accountID: UUID
    public var name: String
    public var origin: JointAccount.Origin
    public var reason: String?
    public var createdAt: Date
}

/// A deal that left a stage this week, with the gate passed (or overridden).
public struct ReviewAdvance: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var title: String
    public var accountName: String
    public var fromStage: String
    public var fromStageName: String
    /// Nil when the deal completed the playbook.
    public var toStage: String?
    public var toStageName: String?
    public var overridden: Bool
    public var at: Date
    public var by: String
}

/// A move past its due date and not done.
public struct OverdueMove: Codable, Sendable, Equatable {
    public var moveID: UUID
    public var description: String
    public var stageKey: String
    public var dueOn: LocalDate
    public var daysOverdue: Int
}

/// The overdue moves of one owner on one side (owner nil: nobody named yet).
public struct OverdueGroup: Codable, Sendable, Equatable {
    public var side: MoveSide
    public var ownerID: UUID?
    public var ownerName: String?
    public var moves: [OverdueMove]
}

/// A stalled deal with its diagnosis and the overdue moves, grouped by side then owner.
public struct ReviewStall: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var title: String
    public var accountName: String
    public var stage: String
    public var stageName: String
    public var diagnosis: Diagnosis
    public var overdue: [OverdueGroup]
}

/// A gate refused (advance asked with the criterion unmet) or overridden (an admin skipped it).
public struct ReviewGateEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case refused
        case overridden
    }

    public var kind: Kind
    public var dealID: UUID
    public var title: String
    public var stage: String
    public var stageName: String
    public var at: Date
    public var by: String
    /// The override's written reason.
    public var reason: String?
    /// The parts of the criterion that were unmet.
    public var unmet: [String]
}

/// A closed deal (outcome logged) that has no lesson yet: its review is still to hold.
public struct ReviewAwaiting: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var title: String
    public var result: OutcomeResult
    public var closeDate: LocalDate
    public var registered: Bool
    public var daysSinceOutcome: Int
    /// Past the close stage's limit: the "no review" pitfall.
    public var overdue: Bool
}

/// A lesson captured this week.
public struct ReviewLesson: Codable, Sendable, Equatable {
    public var lessonID: UUID
    public var dealID: UUID
    public var title: String
    public var stage: String
    public var stageName: String
    public var text: String
    public var createdAt: Date
}

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
    public var lessons: [ReviewLesson]
    /// This week's record (attendees and decisions), once recorded.
    public var record: ReviewRecord?
    /// Set when the long lists are paged (`paged(limit:offset:)`): which page, and each list's total.
    public var page: ReviewPage? = nil
}

extension WeeklyReview {
    /// The kinds of timeline entries the review reads (advances, overrides, completions): a loader
    /// may pass only these.
    public static let timelineKinds = ["stage_advanced", "gate_overridden", "completed"]

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
        let moves = Set(timelineKinds)
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
            return ReviewStall(
                dealID: d.id, title: d.title, accountName: d.accountName, stage: pb.stages[d.stageIndex].key,
                stageName: pb.stages[d.stageIndex].name,
                diagnosis: DealDiagnostics.diagnose(d, playbook: pb, now: asOf),
                overdue: overdueGroups(d.openMoves, today: today))
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
                    registered: d.registration != nil, daysSinceOutcome: days, overdue: days > limit))
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

        let previous = input.previous.flatMap { $0.week < week ? $0 : nil }
        var review = WeeklyReview(
            partnershipID: input.partnership.id, partnershipName: input.partnership.name, week: week,
            startsAt: weekStart, endsAt: weekEnd, asOf: asOf, previousWeek: previous?.week,
            previousDecisions: previous?.decisions ?? [], accountsSince: since, newTargetAccounts: accounts,
            advanced: advanced, stalled: [], gates: gates, awaitingReview: awaiting, lessons: lessons,
            record: input.record)
        guard let page else {
            review.stalled = stalled
            return review
        }
        review = review.paged(limit: page.limit, offset: page.offset)
        review.stalled = stalled
        review.page?.totals.stalled = stalledTotal
        return review
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
                groups.append(OverdueGroup(side: m.side, ownerID: m.ownerID, ownerName: m.ownerName, moves: [item]))
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
