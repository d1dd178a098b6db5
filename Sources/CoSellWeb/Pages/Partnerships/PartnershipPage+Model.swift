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
        /// How the mapping found the pair (`domain`, `name`, `domain+name`, `group`) and its score (0–1).
        public var method: String = ""
        public var score: Double = 1
    }

    public struct SharingRow: Sendable, Equatable {
        public var population: String
        public var yours: String
        public var theirs: String
    }

    /// One line of "what the targets wait for": done or not, in words naming the companies, with
    /// what the reader can do about it.
    public struct Step: Sendable, Equatable {
        public var done: Bool
        public var text: String
        public var action: Action?

        public enum Action: Sendable, Equatable {
            /// A link: the address (from a `SiteRoute`) and its text.
            case link(href: String, text: String)
            case sharingPreset
            case matchAgain
        }
    }

    /// A pending partnership as the reader sees it.
    public enum Answer: Sendable, Equatable {
        /// The reader is an admin of the invited company.
        case canAnswer(invitedBy: String)
        /// The reader's company waits for the other's answer.
        case waitingFor(String)
        /// The reader's company was invited; its admins answer.
        case askAdmins(String)
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
    public var answer: Answer? = nil
    public var steps: [Step] = []
    /// Matching runs in this process: the page refreshes itself.
    public var matchingRuns: Bool = false
    /// The targets by relation (nil unless the partnership is active).
    public var counts: TargetCounts? = nil
    public var profiles = ProfileState(yours: true, partners: true)
    /// The discovery call section.
    public var discovery: DiscoverySection? = nil
    /// The link to the published joint value proposition, or that none is published yet.
    public var valueProposition: ValuePropositionLink? = nil

    public static func == (a: PartnershipModel, b: PartnershipModel) -> Bool {
        a.id == b.id && a.chrome == b.chrome && a.targets == b.targets && a.sharing == b.sharing
            && a.counts == b.counts && a.discovery == b.discovery && a.profiles == b.profiles
            && a.valueProposition == b.valueProposition
            && a.targetsTotal == b.targetsTotal
            && a.matrix.map { "\($0.population)\($0.counts)" } == b.matrix.map { "\($0.population)\($0.counts)" }
    }
}
