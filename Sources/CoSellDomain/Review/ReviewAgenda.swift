import Foundation

/// One item of the weekly review's thirty-minute agenda.
public struct ReviewAgendaItem: Codable, Sendable, Equatable {
    /// What the item goes through: one part of the review.
    public enum Topic: String, Codable, Sendable, CaseIterable {
        case stalled
        case decisions
        case gates
        case awaitingReview = "awaiting_review"
        case namedAccounts = "named_accounts"
        case newTargetAccounts = "new_target_accounts"
        case progress
        case wrapUp = "wrap_up"
    }

    public var topic: Topic
    public var title: String
    /// What the meeting decides on this item (nil: read out, nothing to decide).
    public var question: String?
    /// How many things the item covers (deals, decisions, accounts).
    public var count: Int
    /// The minutes the agenda gives it; 0 when the thirty minutes ran out before it.
    public var minutes: Int
    public var needsDecision: Bool { question != nil }
}

/// The thirty-minute agenda of a weekly review: what needs a decision first, the most costly
/// first (stalled deals, then last week's decisions, then gates, closed deals overdue for their
/// review, named accounts that did not move, new target accounts), what is only read out after;
/// the last two minutes confirm the decisions taken. A light week takes less than thirty minutes.
public enum ReviewAgenda {
    public static let totalMinutes = 30
    public static let wrapUpMinutes = 2

    /// The agenda of `review`. Pure. Counts come from the whole lists (the page's totals when the
    /// review is paged: a page's agenda is the whole review's). Each item asks minutes by its count,
    /// within a floor and a ceiling; in agenda order it gets what it asks while minutes remain, then
    /// what remains, then none (an item with no minutes is taken after the meeting).
    public static func build(_ review: WeeklyReview) -> [ReviewAgendaItem] {
        func total(_ list: ReviewList, _ count: Int) -> Int { review.page?.total(list) ?? count }
        let stalled = total(.stalled, review.stalled.count)
        let gates = total(.gates, review.gates.count)
        let awaiting = total(.awaitingReview, review.awaitingReview.count)
        let newAccounts = total(.newTargetAccounts, review.newTargetAccounts.count)
        let progress =
            total(.advanced, review.advanced.count) + total(.lessons, review.lessons.count)
            + total(.abandoned, review.abandoned.count)
        let openDecisions =
            review.previousDecisions.filter(\.isOpen).count + review.carriedDecisions.filter(\.decision.isOpen).count
        let idleSellers = review.namedAccounts.filter { $0.moved == 0 && !$0.accounts.isEmpty }.count

        func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

        // Each candidate item, in agenda order, with the minutes it asks: `each` a thing, within
        // `floor` and `ceiling`. An item with nothing to cover is left out.
        var items: [(ReviewAgendaItem, Int)] = []
        func add(
            _ topic: ReviewAgendaItem.Topic, _ count: Int, _ title: String, _ question: String?,
            each: Int, floor: Int, ceiling: Int
        ) {
            guard count > 0 else { return }
            items.append(
                (
                    ReviewAgendaItem(topic: topic, title: title, question: question, count: count, minutes: 0),
                    min(ceiling, max(floor, count * each))
                ))
        }
        add(
            .stalled, stalled, plural(stalled, "stalled deal", "stalled deals"),
            "For each: who does what by when to unstick it, or abandon it with its lesson?", each: 2, floor: 3,
            ceiling: 10)
        add(
            .decisions, openDecisions,
            "\(plural(openDecisions, "open decision", "open decisions")) from earlier reviews",
            "Check each off: done, dropped, or still open with its owner and date?", each: 1, floor: 2, ceiling: 5)
        add(
            .gates, gates, plural(gates, "gate refused or overridden", "gates refused or overridden"),
            "For each refused gate: what evidence is missing, and who brings it? For each override: was it right?",
            each: 1, floor: 2, ceiling: 5)
        add(
            .awaitingReview, awaiting, "\(plural(awaiting, "closed deal", "closed deals")) awaiting their review",
            "When is each deal's review held, and who captures the lesson?", each: 1, floor: 1, ceiling: 4)
        add(
            .namedAccounts, idleSellers,
            "\(plural(idleSellers, "account executive", "account executives")) with no movement on their named accounts",
            "What is each one's next step on an account, or which account replaces one that is not moving?",
            each: 1, floor: 2, ceiling: 5)
        add(
            .newTargetAccounts, newAccounts, plural(newAccounts, "new target account", "new target accounts"),
            "Which to open a deal on, and who commits to working each?", each: 1, floor: 2, ceiling: 4)
        add(
            .progress, progress, "Progress and lessons: what advanced, closed or was learned", nil, each: 1,
            floor: 2, ceiling: 4)
        // What needs a decision first; among those and among the rest, the order above.
        let ordered = items.enumerated().sorted {
            ($0.element.0.needsDecision ? 0 : 1, $0.offset) < ($1.element.0.needsDecision ? 0 : 1, $1.offset)
        }.map(\.element)
        var left = totalMinutes - wrapUpMinutes
        var agenda: [ReviewAgendaItem] = []
        for (item, ask) in ordered {
            var item = item
            item.minutes = min(ask, left)
            left -= item.minutes
            agenda.append(item)
        }
        agenda.append(
            .init(
                topic: .wrapUp, title: "Confirm the decisions taken",
                question: "Does each decision have one owner and a due date?", count: 0,
                minutes: wrapUpMinutes))
        return agenda
    }
}
