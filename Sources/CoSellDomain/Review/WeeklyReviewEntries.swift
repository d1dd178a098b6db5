import Foundation

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
    /// The company (or companies) that owe the moves, by name, when the review knows the names.
    public var company: String?
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

/// A deal abandoned this week: who gave it up, at which stage, and why (the timeline's sentence).
public struct ReviewAbandoned: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var title: String
    public var accountName: String
    public var stage: String
    public var stageName: String
    public var at: Date
    public var by: String
    /// "Daniel Reyes abandoned the deal: <reason>".
    public var summary: String
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
