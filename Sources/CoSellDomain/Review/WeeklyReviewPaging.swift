import Foundation

/// The long lists of a weekly review, by their JSON names.
public enum ReviewList: String, Codable, Sendable, CaseIterable {
    case newTargetAccounts = "new_target_accounts"
    case advanced
    case stalled
    case gates
    case awaitingReview = "awaiting_review"
    case abandoned
    case lessons
    case inTheRoom = "in_the_room"
}

/// Which page of its long lists a review holds: the same `limit` and `offset` apply to each list;
/// `totals` are the lists' lengths before paging. The header (week, previous decisions, the record)
/// is never paged.
public struct ReviewPage: Codable, Sendable, Equatable {
    public var limit: Int
    public var offset: Int
    public var totals: Totals

    public struct Totals: Codable, Sendable, Equatable {
        public var newTargetAccounts: Int
        public var advanced: Int
        public var stalled: Int
        public var gates: Int
        public var awaitingReview: Int
        public var abandoned: Int
        public var lessons: Int
        public var inTheRoom: Int

        public subscript(_ list: ReviewList) -> Int {
            switch list {
            case .newTargetAccounts: return newTargetAccounts
            case .advanced: return advanced
            case .stalled: return stalled
            case .gates: return gates
            case .awaitingReview: return awaitingReview
            case .abandoned: return abandoned
            case .lessons: return lessons
            case .inTheRoom: return inTheRoom
            }
        }
    }

    public init(limit: Int, offset: Int, totals: Totals) {
        self.limit = limit
        self.offset = offset
        self.totals = totals
    }

    /// The length of `list` before paging.
    public func total(_ list: ReviewList) -> Int { totals[list] }

    /// Whether any list has items after this page.
    public var hasNext: Bool { ReviewList.allCases.contains { totals[$0] > offset + limit } }

    /// The items of `list` this page holds, as a 1-based range, or nil when it holds none.
    public func shown(_ list: ReviewList) -> ClosedRange<Int>? {
        let total = totals[list]
        guard offset < total else { return nil }
        return (offset + 1)...min(total, offset + limit)
    }

    /// Whether `list` is cut by this page (items before or after it).
    public func isPartial(_ list: ReviewList) -> Bool { offset > 0 || totals[list] > offset + limit }
}

extension WeeklyReview {
    /// The review with each long list cut to `limit` items from `offset`, and the totals. Pure.
    public func paged(limit: Int, offset: Int) -> WeeklyReview {
        precondition(limit > 0 && offset >= 0)
        func cut<T>(_ a: [T]) -> [T] {
            guard offset < a.count else { return [] }
            return Array(a[offset..<min(a.count, offset + limit)])
        }
        var r = self
        r.page = ReviewPage(
            limit: limit, offset: offset,
            totals: .init(
                newTargetAccounts: newTargetAccounts.count, advanced: advanced.count, stalled: stalled.count,
                gates: gates.count, awaitingReview: awaitingReview.count, abandoned: abandoned.count,
                lessons: lessons.count, inTheRoom: inTheRoom.count))
        r.newTargetAccounts = cut(newTargetAccounts)
        r.advanced = cut(advanced)
        r.stalled = cut(stalled)
        r.gates = cut(gates)
        r.awaitingReview = cut(awaitingReview)
        r.abandoned = cut(abandoned)
        r.lessons = cut(lessons)
        r.inTheRoom = cut(inTheRoom)
        return r
    }
}
