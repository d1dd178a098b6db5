import Foundation

public struct ReportsModel: Sendable, Equatable {
    public struct StageLine: Sendable, Equatable {
        public var name: String
        public var open: Int
        public var amount: String
        public var conversion: String
        public var medianDays: String
        public var p90Days: String
        public var stalled: Int
    }

    public struct AdoptionLine: Sendable, Equatable {
        public var name: String
        public var passed: Int
        public var overridden: Int
        public var skipped: Int
    }

    public var chrome: PageChrome
    public var partnershipID: UUID
    public var partnershipName: String
    public var asOf: String
    public var stages: [StageLine]
    public var pitfalls: [(name: String, count: Int)]
    public var winRate: String
    public var won: Int
    public var lost: Int
    public var abandoned = 0
    public var cycle: String
    public var adoption: [AdoptionLine]
    public var notes: [String]

    public static func == (a: ReportsModel, b: ReportsModel) -> Bool {
        a.chrome == b.chrome && a.stages == b.stages && a.adoption == b.adoption
            && a.pitfalls.map { "\($0.name)\($0.count)" } == b.pitfalls.map { "\($0.name)\($0.count)" }
            && a.winRate == b.winRate && a.cycle == b.cycle
    }
}
