import Foundation

public struct HomeModel: Sendable, Equatable {
    public struct MoveItem: Sendable, Equatable {
        public var dealID: UUID
        public var dealTitle: String
        public var stageName: String
        public var description: String
        public var company: String
        public var owner: String?
        public var due: String?
        public var overdue: Bool
    }

    public struct DealItem: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var detail: String
    }

    public struct StalledItem: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var cause: String?
        public var explanation: String
    }

    public var chrome: PageChrome
    public var firstName: String
    public var companyName: String
    public var moves: [MoveItem]
    public var waiting: [DealItem]
    public var stalled: [StalledItem]
}
