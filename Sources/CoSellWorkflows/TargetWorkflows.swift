import CoSellDomain
import CoSellMatching
import Foundation

/// The overlap of a partnership's two CRMs as the principal may see it: the population matrix, the
/// ranked target accounts, the partner's shared accounts, and starting a deal on a target. Mapping
/// data exists only while the partnership is active, and the partner's side only as far as its
/// sharing allows.
public struct TargetWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// The principal's populations (rows) by the partner's (columns), with overlap counts of same-account
    /// pairs; a column the partner hides has nil counts.
    public struct Matrix: Sendable {
        public struct Row: Sendable {
            public var population: String
            public var counts: [Int?]
        }

        public var populations: [String]
        public var rows: [Row]
        /// What the partner shares of each population.
        public var partnerSharing: [SharingSetting]
    }

    /// One overlap as a target account, from the principal's side: "yours" is the principal's
    /// organization's account, the host of a deal started on it.
    public struct RankedTarget: Sendable {
        public var overlapID: UUID
        public var yours: CRMAccount
        public var partners: CRMAccount
        public var relation: String
        public var method: String
        public var score: Double
        public var play: Play
        /// Your account against your ideal customer profile; nil when you have none.
        public var yourFit: CoSellMatching.Fit?
        /// The partner's account against the partner's profile; nil when it has none.
        public var partnerFit: CoSellMatching.Fit?
        /// Which side opens the door: `.host` is you.
        public var doorOpener: CoSellDomain.Side?
        public var priority: Int
        /// The joint account already made from this overlap, if any.
        public var jointAccountID: UUID?

        public init(
            overlapID: UUID, yours: CRMAccount, partners: CRMAccount, relation: String, method: String, score: Double,
            play: Play, yourFit: CoSellMatching.Fit?, partnerFit: CoSellMatching.Fit?, doorOpener: CoSellDomain.Side?,
            priority: Int, jointAccountID: UUID? = nil
        ) {
            self.overlapID = overlapID
            self.yours = yours
            self.partners = partners
            self.relation = relation
            self.method = method
            self.score = score
            self.play = play
            self.yourFit = yourFit
            self.partnerFit = partnerFit
            self.doorOpener = doorOpener
            self.priority = priority
            self.jointAccountID = jointAccountID
        }
    }

    /// What a deal started on a target takes besides the target.
    public struct TargetDeal: Sendable {
        public var overlapID: UUID
        public var title: String?
        public var amount: Money?
        public var expectedCloseDate: LocalDate?
        /// Why a second deal is started while the account has an open one.
        public var parallelReason: String?

        public init(
            overlapID: UUID, title: String? = nil, amount: Money? = nil, expectedCloseDate: LocalDate? = nil,
            parallelReason: String? = nil
        ) {
            self.parallelReason = parallelReason
            self.overlapID = overlapID
            self.title = title
            self.amount = amount
            self.expectedCloseDate = expectedCloseDate
        }
    }

    /// What each side of an active partnership of the principal's organization shares, per population.
    public func sharing(in partnershipID: UUID, by p: Principal) async throws -> [SharingSetting] {
        try await store.sharing(of: Self.activePartnership(partnershipID, p, on: store))
    }

    /// The population matrix of an active partnership of the principal's organization.
    public func matrix(in partnershipID: UUID, by p: Principal) async throws -> Matrix {
        let ps = try await Self.activePartnership(partnershipID, p, on: store)
        let (mine, theirs) = Self.sides(ps, p)
        let sharing = try await store.sharing(of: ps)
        let partnerSharing = sharing.filter { $0.organizationID == ps.organizationIDs[theirs] }
        let pairs = try await store.overlaps(of: ps).compactMap { o -> (host: Population, partner: Population)? in
            guard o.relation == OverlapRelation.same_account.rawValue,
                let h = Population(rawValue: o.accounts[mine].population),
                let t = Population(rawValue: o.accounts[theirs].population)
            else { return nil }
            return (h, t)
        }
        let rows = PopulationMatrix.counting(pairs).rows { pop in
            partnerSharing.level(of: ps.organizationIDs[theirs], pop.rawValue) != .hidden
        }
        return Matrix(
            populations: Population.allCases.map(\.rawValue),
            rows: rows.map { Matrix.Row(population: $0.population.rawValue, counts: $0.counts) },
            partnerSharing: partnerSharing)
    }

    /// The target accounts of an active partnership, best first: the overlaps whose partner account is
    /// in a population the partner shares at least as overlapping accounts.
    public func ranked(in partnershipID: UUID, by p: Principal) async throws -> [RankedTarget] {
        let ps = try await Self.activePartnership(partnershipID, p, on: store)
        return try await Self.ranked(ps, p, on: store).map(\.target)
    }

    /// Whether the principal's organization and the partner have an ideal customer profile: without one,
    /// that company's fit of every target is unknown.
    public func profiles(in partnershipID: UUID, by p: Principal) async throws -> (yours: Bool, partners: Bool) {
        let ps = try await Self.activePartnership(partnershipID, p, on: store)
        let partner = ps.organizationIDs[Self.sides(ps, p).theirs]
        return (
            try await store.idealCustomerProfile(of: p.person.organizationID) != nil,
            try await store.idealCustomerProfile(of: partner) != nil
        )
    }

    /// The partner's active accounts in the populations it shares as all accounts (greenfield), by name.
    public func partnerAccounts(in partnershipID: UUID, by p: Principal) async throws -> [CRMAccount] {
        let ps = try await Self.activePartnership(partnershipID, p, on: store)
        let partner = ps.organizationIDs[Self.sides(ps, p).theirs]
        let shared = Set(
            try await store.sharing(of: ps).filter { $0.organizationID == partner && $0.level == .allAccounts }.map(
                \.population))
        return try await store.crmAccounts(of: partner).filter { shared.contains($0.population) }
    }

    /// Starts a deal on a ranked target account, hosted by the principal's organization: its joint
    /// account is made from the overlap on first use (and linked to it), and the deal opens with what
    /// the mapping knows (each company's fit, the suggested door-opener), in one transaction.
    /// `target` (a request's path and body) is read after the visibility, status and write checks.
    public func openDeal(
        in partnershipID: UUID, by p: Principal, onTarget target: @escaping @Sendable () async throws -> TargetDeal
    ) async throws -> DealResult {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Self.activePartnership(partnershipID, p, on: s)
            try p.requireWrite()
            let wanted = try await target()
            guard
                let hit = try await Self.ranked(ps, p, on: s).first(where: { $0.target.overlapID == wanted.overlapID })
            else { throw WorkflowError.notFound("target account") }
            let (found, overlap) = hit
            var account = Self.proposedAccount(overlap, in: ps, p, at: now)
            if let id = overlap.jointAccountID, let linked = try await s.jointAccount(id) {
                account = linked
            } else {
                try await s.insertJointAccount(account)
                try await s.linkOverlap(overlap.id, to: account.id)
            }
            let playbookID = try await DealWorkflows.defaultPlaybookID(
                of: p.person.organizationID, in: ps.id, on: s)
            guard let playbook = try await s.playbook(playbookID, version: nil) else {
                throw WorkflowError.conflict("The standard playbook is missing; run cosell migrate.")
            }
            let (opened, first) = try DealEngine.open(
                id: UUID(), partnership: ps, account: account, title: wanted.title ?? "\(account.name) joint deal",
                hostOrganizationID: p.person.organizationID, reason: nil, amount: wanted.amount,
                expectedCloseDate: wanted.expectedCloseDate, actor: p.actor,
                context: DealContext(playbook: playbook, people: [:], now: now),
                openOnAccount: try await s.openDeals(onJointAccount: account.id),
                parallelReason: wanted.parallelReason)
            let orgs = try await s.organizations(ps.organizationIDs)
            let names = SidePair<String>(
                host: orgs.first { $0.id == p.person.organizationID }?.name,
                partner: orgs.first { $0.id == ps.counterpart(of: p.person.organizationID) }?.name)
            let fits = SidePair<CoSellDomain.Fit>(
                host: found.yourFit.flatMap { CoSellDomain.Fit(rawValue: $0.rawValue) },
                partner: found.partnerFit.flatMap { CoSellDomain.Fit(rawValue: $0.rawValue) })
            var (deal, more) = DealEngine.prefillFromOverlap(
                opened, fits: fits, profileNames: names, doorOpener: found.doorOpener, actor: p.actor, now: now,
                playbook: playbook, companyNames: names)
            deal.version = 1 + more.count
            let history = ([first] + more).map { HistoryEntry($0, by: p.actor, at: now) }
            try await DealWorkflows.insert(deal, playbook: playbook, history: history, on: s)
            return DealResult(deal: deal, playbook: playbook, at: now)
        }
    }

    // MARK: the steps

    static func activePartnership(_ id: UUID, _ p: Principal, on s: any WorkflowStore) async throws -> Partnership {
        try await Access(store: s).activePartnership(id, p)
    }

    /// The principal's index in the partnership's organizations, and the partner's.
    static func sides(_ ps: Partnership, _ p: Principal) -> (mine: Int, theirs: Int) {
        let mine = ps.organizationIDs.firstIndex(of: p.person.organizationID) ?? 0
        return (mine, 1 - mine)
    }

    /// Every visible overlap ranked (with the overlap it came from), by priority, score, then your account's name
    /// compared without case or accents.
    static func ranked(
        _ ps: Partnership, _ p: Principal, on s: any WorkflowStore
    ) async throws -> [(target: RankedTarget, overlap: StoredOverlap)] {
        let (mine, theirs) = sides(ps, p)
        let partner = ps.organizationIDs[theirs]
        let sharing = try await s.sharing(of: ps).filter { $0.organizationID == partner }
        let myProfile = try await s.idealCustomerProfile(of: p.person.organizationID)
        let partnerProfile = try await s.idealCustomerProfile(of: partner)
        var out: [(target: RankedTarget, overlap: StoredOverlap)] = []
        for o in try await s.overlaps(of: ps) {
            let yours = o.accounts[mine]
            let partners = o.accounts[theirs]
            guard sharing.level(of: partner, partners.population) >= .overlappingAccounts else { continue }
            let a = TargetRanking.assess(
                host: TargetSide(
                    populationNamed: yours.population, industry: yours.industry, employees: yours.employees,
                    country: yours.country),
                partner: TargetSide(
                    populationNamed: partners.population, industry: partners.industry, employees: partners.employees,
                    country: partners.country),
                relation: OverlapRelation(rawValue: o.relation) ?? .same_account, hostProfile: myProfile,
                partnerProfile: partnerProfile)
            let target = RankedTarget(
                overlapID: o.id, yours: yours, partners: partners, relation: o.relation, method: o.method,
                score: o.score,
                play: a.play, yourFit: a.hostFit, partnerFit: a.partnerFit,
                doorOpener: a.doorOpener.map { $0 == .host ? .host : .partner }, priority: a.priority,
                jointAccountID: o.jointAccountID)
            out.append((target, o))
        }
        // The name without case or accents ("Ärzte", "acme" and "Zephyr" in that order), then as written,
        // then the partner's record and the overlap's id, so that equal names keep one order.
        typealias Keyed = (item: (target: RankedTarget, overlap: StoredOverlap), key: String, partnerKey: String)
        let keyed: [Keyed] = out.map { ($0, searchKey($0.target.yours.name), searchKey($0.target.partners.name)) }
        let sorted = TargetRanking.ordered(
            keyed, priority: { (k: Keyed) in k.item.target.priority }, score: { (k: Keyed) in k.item.target.score }
        ) { (a: Keyed, b: Keyed) -> Bool in
            if a.key != b.key { return a.key < b.key }
            if a.item.target.yours.name != b.item.target.yours.name {
                return a.item.target.yours.name < b.item.target.yours.name
            }
            if a.partnerKey != b.partnerKey { return a.partnerKey < b.partnerKey }
            return a.item.target.overlapID.uuidString < b.item.target.overlapID.uuidString
        }
        return sorted.map(\.item)
    }

    /// The joint account a target becomes: the host's (the principal's) CRM first, the partner's where
    /// the host has no address.
    static func proposedAccount(_ o: StoredOverlap, in ps: Partnership, _ p: Principal, at now: Date) -> JointAccount {
        let (mine, theirs) = sides(ps, p)
        let yours = o.accounts[mine]
        let partners = o.accounts[theirs]
        let fromPartner = yours.address == nil && partners.address != nil
        return JointAccount(
            id: UUID(), partnershipID: ps.id, name: yours.name, domain: yours.domain ?? partners.domain,
            country: fromPartner ? (partners.country ?? yours.country) : (yours.country ?? partners.country),
            industry: yours.industry, employees: yours.employees, origin: .overlap, reason: nil,
            populations: o.accounts.map {
                AccountPopulation(organizationID: $0.organizationID, population: $0.population)
            },
            createdAt: now, address: fromPartner ? partners.address : yours.address)
    }
}
