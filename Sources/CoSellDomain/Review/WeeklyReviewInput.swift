import Foundation

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
    /// The two companies' names by organization id: what a person reads instead of host and
    /// partner (an id without a name reads as its side).
    public var companyNames: [UUID: String] = [:]

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
