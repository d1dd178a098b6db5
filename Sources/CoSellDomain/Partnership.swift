import Foundation

/// Two organizations that agreed to co-sell. Either can host a given deal.
public struct Partnership: Codable, Sendable, Equatable, Identifiable {
    public enum Status: String, Codable, Sendable {
        /// Invited by one organization, not yet accepted by the other.
        case pending
        case active
        case ended
    }

    public var id: UUID
    public var name: String
    public var organizationIDs: [UUID]
    public var status: Status
    public var plan: CoSellPlan?
    public var createdAt: Date
    /// The organization that invited the other (dual opt-in: the other accepts).
    public var invitedBy: UUID?
    /// The organization that ended the partnership, and why.
    public var endedBy: UUID?
    public var endedReason: String?

    public init(
        id: UUID, name: String, organizationIDs: [UUID], status: Status = .active, plan: CoSellPlan? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.organizationIDs = organizationIDs
        self.status = status
        self.plan = plan
        self.createdAt = createdAt
    }

    public func includes(_ organizationID: UUID) -> Bool { organizationIDs.contains(organizationID) }

    /// The other organization of the partnership, or nil when `organizationID` is not in it.
    public func counterpart(of organizationID: UUID) -> UUID? {
        guard includes(organizationID) else { return nil }
        return organizationIDs.first { $0 != organizationID }
    }
}

/// The partnership-level scope: which accounts or segments, an owner on each side, the review cadence.
public struct CoSellPlan: Codable, Sendable, Equatable {
    public enum Weekday: String, Codable, Sendable, CaseIterable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday
    }

    /// Target segments in words (e.g. "EMEA fintech, 200-2000 employees").
    public var segments: [String]
    /// Named joint accounts in scope.
    public var namedAccountIDs: [UUID]
    /// The owner of the plan in each organization, by organization id.
    public var owners: [PlanOwner]
    public var reviewWeekday: Weekday
    /// How many days an accepted deal registration protects the deal before it lapses (renewable).
    public var registrationValidityDays: Int
    /// How many named accounts each account executive (a seller) of either company may hold in the
    /// partnership: three by default, the co-sell field guide's number.
    public var namedAccountsPerSeller: Int

    public static let defaultRegistrationValidityDays = 90
    public static let defaultNamedAccountsPerSeller = 3
    /// The range a plan may set for `namedAccountsPerSeller`.
    public static let namedAccountsPerSellerRange = 1...10
    /// The range a plan may set: a week to two years.
    public static let registrationValidityRange = 7...730

    public init(
        segments: [String], namedAccountIDs: [UUID], owners: [PlanOwner], reviewWeekday: Weekday,
        registrationValidityDays: Int = defaultRegistrationValidityDays,
        namedAccountsPerSeller: Int = defaultNamedAccountsPerSeller
    ) {
        self.segments = segments
        self.namedAccountIDs = namedAccountIDs
        self.owners = owners
        self.reviewWeekday = reviewWeekday
        self.registrationValidityDays = registrationValidityDays
        self.namedAccountsPerSeller = namedAccountsPerSeller
    }

    /// Plans stored before registrations expired have the default period; plans stored before named
    /// accounts per account executive have the default of three.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        segments = try c.decode([String].self, forKey: .segments)
        namedAccountIDs = try c.decode([UUID].self, forKey: .namedAccountIDs)
        owners = try c.decode([PlanOwner].self, forKey: .owners)
        reviewWeekday = try c.decode(Weekday.self, forKey: .reviewWeekday)
        registrationValidityDays =
            try c.decodeIfPresent(Int.self, forKey: .registrationValidityDays) ?? Self.defaultRegistrationValidityDays
        namedAccountsPerSeller =
            try c.decodeIfPresent(Int.self, forKey: .namedAccountsPerSeller) ?? Self.defaultNamedAccountsPerSeller
    }
}

public struct PlanOwner: Codable, Sendable, Equatable {
    public var organizationID: UUID
    public var personID: UUID

    public init(organizationID: UUID, personID: UUID) {
        self.organizationID = organizationID
        self.personID = personID
    }
}

/// An account on a partnership's joint account list: found in both CRMs (the overlap), or added by
/// hand with a reason.
public struct JointAccount: Codable, Sendable, Equatable, Identifiable {
    public enum Origin: String, Codable, Sendable {
        /// Found by account mapping in both companies' CRM exports.
        case overlap
        /// Added by a person, with a reason.
        case added
    }

    public var id: UUID
    public var partnershipID: UUID
    public var name: String
    public var domain: String?
    public var country: String?
    public var industry: String?
    public var employees: Int?
    public var origin: Origin
    public var reason: String?
    /// Each organization's population for the account (customer, open_opportunity, prospect).
    public var populations: [AccountPopulation]
    public var createdAt: Date
    /// The customer's postal address (from the host's CRM export, else the partner's); the country is `country`.
    public var address: CustomerAddress?

    public init(
        id: UUID, partnershipID: UUID, name: String, domain: String?, country: String?, industry: String?,
        employees: Int?, origin: Origin, reason: String?, populations: [AccountPopulation], createdAt: Date,
        address: CustomerAddress? = nil
    ) {
        self.id = id
        self.partnershipID = partnershipID
        self.name = name
        self.domain = domain
        self.country = country
        self.industry = industry
        self.employees = employees
        self.origin = origin
        self.reason = reason
        self.populations = populations
        self.createdAt = createdAt
        self.address = address
    }
}

/// Which population of one organization's CRM an account falls in.
public struct AccountPopulation: Codable, Sendable, Equatable {
    public var organizationID: UUID
    /// customer, open_opportunity or prospect.
    public var population: String

    public init(organizationID: UUID, population: String) {
        self.organizationID = organizationID
        self.population = population
    }
}
