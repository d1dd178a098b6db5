import Foundation

public struct PartnershipModel: Sendable, Equatable {
    public struct Target: Sendable, Equatable {
        public var overlapID: UUID
        public var account: String
        public var partnersAccount: String
        public var yourPopulation: String
        public var partnerPopulation: String
        public var yourFit: String
        public var partnerFit: String
        public var play: String
        public var doorOpener: String
        public var hasJointAccount: Bool
        /// The deal already being worked on this account, if any.
        public var openDealID: UUID?
        /// `same_account` (the same company in both CRMs) or `same_family` (another company of its group).
        public var relation: String = "same_account"
    }

    public struct SharingRow: Sendable, Equatable {
        public var population: String
        public var yours: String
        public var theirs: String
    }

    public var chrome: PageChrome
    public var id: UUID
    public var name: String
    public var partner: String
    public var status: String
    public var segments: [String]
    public var owners: [String]
    public var cadence: String?
    public var namedAccounts: Int
    public var sharing: [SharingRow]
    public var canEditSharing: Bool
    public var matrixPopulations: [String]
    public var matrix: [(population: String, counts: [Int?])]
    public var targets: [Target]
    public var targetsTotal: Int
    public var canStartDeals: Bool
    public var active: Bool
    /// The targets by relation (nil unless the partnership is active).
    public var counts: TargetCounts? = nil
    public var profiles = ProfileState(yours: true, partners: true)

    public static func == (a: PartnershipModel, b: PartnershipModel) -> Bool {
        a.id == b.id && a.chrome == b.chrome && a.targets == b.targets && a.sharing == b.sharing
            && a.counts == b.counts && a.profiles == b.profiles && a.targetsTotal == b.targetsTotal
            && a.matrix.map { "\($0.population)\($0.counts)" } == b.matrix.map { "\($0.population)\($0.counts)" }
    }
}
