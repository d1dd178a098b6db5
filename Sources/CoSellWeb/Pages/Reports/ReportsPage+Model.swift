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

    /// One company's line beside the adoption figures: how its account executives are paid for
    /// co-sell deals, and what is wrong with it (nil when nothing is).
    public struct CompensationLine: Sendable, Equatable {
        public var company: String
        public var credits: String
        public var note: String?
        public var recorded: String?
        public var warning: String?
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
    public var compensation: [CompensationLine] = []
    /// The reader's company, when the reader may record its line (admin or partner manager).
    public var recordsCompensationFor: String? = nil
    /// What the reader's company recorded, to preselect.
    public var currentCredits: String? = nil
    public var currentNote: String? = nil

    public static func == (a: ReportsModel, b: ReportsModel) -> Bool {
        a.chrome == b.chrome && a.stages == b.stages && a.adoption == b.adoption
            && a.compensation == b.compensation && a.recordsCompensationFor == b.recordsCompensationFor
            && a.pitfalls.map { "\($0.name)\($0.count)" } == b.pitfalls.map { "\($0.name)\($0.count)" }
            && a.winRate == b.winRate && a.cycle == b.cycle
    }
}
