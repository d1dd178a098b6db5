import Foundation

public struct BoardModel: Sendable, Equatable {
    public struct Card: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var account: String
        public var amount: String
        public var owners: [(company: String, names: String)]
        public var gateMet: Int
        public var gateTotal: Int
        public var stalled: Bool
        public var pitfall: String?
        public var status: String?

        public static func == (a: Card, b: Card) -> Bool {
            a.dealID == b.dealID && a.title == b.title && a.account == b.account && a.amount == b.amount
                && a.owners.map { $0.company + "|" + $0.names } == b.owners.map { $0.company + "|" + $0.names }
                && a.gateMet == b.gateMet && a.gateTotal == b.gateTotal && a.stalled == b.stalled
                && a.pitfall == b.pitfall && a.status == b.status
        }
    }

    public struct Column: Sendable, Equatable {
        public var stageName: String
        public var count: Int
        public var total: String
        public var cards: [Card]
    }

    public struct Option: Sendable, Equatable {
        public var value: String
        public var label: String
    }

    public var chrome: PageChrome
    public var columns: [Column]
    public var partnerships: [Option]
    public var owners: [Option]
    public var filter: [String: String]
}
