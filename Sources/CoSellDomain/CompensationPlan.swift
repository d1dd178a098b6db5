import Foundation

/// Which co-sell deals an organization's account executives are credited for in their compensation,
/// as the organization records it for one partnership ("confirm the comp plan rewards the motion").
public enum CompensationCredit: String, Codable, Sendable, CaseIterable {
    /// Deals the other company brought (registered partner-sourced).
    case sourced
    /// Deals the other company helped win (registered partner-influenced).
    case influenced
    /// Both kinds.
    case both
    /// Neither: the account executives earn nothing more for a co-sell deal than for any other.
    case neither

    /// Whether a deal registered with `attribution` earns the account executives credit.
    public func credits(_ attribution: Attribution) -> Bool {
        switch (self, attribution) {
        case (.both, _), (.sourced, .partnerSourced), (.influenced, .partnerInfluenced): return true
        default: return false
        }
    }

    /// The words a person reads, after "Account executives are credited for".
    public var phrase: String {
        switch self {
        case .sourced: return "partner-sourced deals only"
        case .influenced: return "partner-influenced deals only"
        case .both: return "partner-sourced and partner-influenced deals"
        case .neither: return "neither partner-sourced nor partner-influenced deals"
        }
    }
}

/// What one organization records for one partnership: how its account executives are credited for
/// co-sell deals, with an optional note (e.g. "SPIFF of 2% on sourced deals, from Q1").
public struct CompensationPlan: Codable, Sendable, Equatable {
    public var partnershipID: UUID
    public var organizationID: UUID
    public var credits: CompensationCredit
    public var note: String?
    public var recordedBy: UUID
    public var recordedAt: Date

    /// The longest note kept.
    public static let maxNoteLength = 500

    public init(
        partnershipID: UUID, organizationID: UUID, credits: CompensationCredit, note: String?, recordedBy: UUID,
        recordedAt: Date
    ) {
        self.partnershipID = partnershipID
        self.organizationID = organizationID
        self.credits = credits
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// One organization's line beside the adoption figures: what it recorded, and what is wrong with it.
public struct CompensationCheck: Codable, Sendable, Equatable {
    public enum Flag: String, Codable, Sendable {
        /// Nothing recorded: nobody knows whether the account executives are paid to co-sell.
        case notRecorded = "not_recorded"
        /// The plan credits neither kind of co-sell deal: the motion is not rewarded.
        case creditsNeither = "credits_neither"
        /// The plan credits one kind only, and some of the partnership's registered deals are of the
        /// other kind, so the account executives on them were not rewarded.
        case missesRegisteredDeals = "misses_registered_deals"
    }

    public var organizationID: UUID
    public var plan: CompensationPlan?
    public var flag: Flag?
    /// The partnership's deals registered with an attribution the plan does not credit (only with
    /// `missesRegisteredDeals`).
    public var uncreditedDeals: Int

    public init(organizationID: UUID, plan: CompensationPlan?, flag: Flag?, uncreditedDeals: Int) {
        self.organizationID = organizationID
        self.plan = plan
        self.flag = flag
        self.uncreditedDeals = uncreditedDeals
    }
}

extension Reports {
    /// The compensation line of each organization of the partnership, in the partnership's order.
    /// `registered` are the attributions of the partnership's deals with an accepted registration.
    public static func compensation(
        of partnership: Partnership, plans: [CompensationPlan], registered: [Attribution]
    ) -> [CompensationCheck] {
        partnership.organizationIDs.map { org in
            guard let plan = plans.first(where: { $0.organizationID == org && $0.partnershipID == partnership.id })
            else {
                return CompensationCheck(organizationID: org, plan: nil, flag: .notRecorded, uncreditedDeals: 0)
            }
            if plan.credits == .neither {
                return CompensationCheck(organizationID: org, plan: plan, flag: .creditsNeither, uncreditedDeals: 0)
            }
            let missed = registered.filter { !plan.credits.credits($0) }.count
            return CompensationCheck(
                organizationID: org, plan: plan, flag: missed > 0 ? .missesRegisteredDeals : nil,
                uncreditedDeals: missed)
        }
    }
}
