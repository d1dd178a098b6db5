import Foundation

/// One account executive's named account in a partnership: a person with the seller role of one of
/// the two companies, and an account of the partnership's joint account list (its targets). Each
/// company keeps its own list; the plan's `namedAccountsPerSeller` caps it per person.
public struct NamedAccount: Codable, Sendable, Equatable {
    public var partnershipID: UUID
    public var organizationID: UUID
    public var personID: UUID
    public var accountID: UUID
    /// When the account was first named for the person (kept while it stays on the list).
    public var createdAt: Date

    public init(partnershipID: UUID, organizationID: UUID, personID: UUID, accountID: UUID, createdAt: Date) {
        self.partnershipID = partnershipID
        self.organizationID = organizationID
        self.personID = personID
        self.accountID = accountID
        self.createdAt = createdAt
    }
}

/// Why a company's list of named accounts does not hold: the entry (by its index in the list), the
/// field of the entry at fault (`person_id` or `account_id`) and a sentence that says why.
public struct NamedAccountProblem: Error, Sendable, Equatable {
    public var index: Int
    public var field: String
    public var message: String

    public init(index: Int, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }
}

/// Where one named account stands, from the deals on it.
public enum NamedAccountProgress: Sendable, Equatable {
    /// Who acts next on a deal in play: one of its next actions that nothing blocks.
    public struct Waiting: Sendable, Equatable {
        public var title: String
        /// The companies that can do it (one, or both).
        public var organizationIDs: [UUID]
        /// The named owner of the move that produces it.
        public var ownerID: UUID?

        public init(title: String, organizationIDs: [UUID], ownerID: UUID?) {
            self.title = title
            self.organizationIDs = organizationIDs
            self.ownerID = ownerID
        }
    }

    /// A deal on the account: which, its stage, and what waits on whom (in play only).
    public struct DealState: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var waiting: [Waiting]
        /// Why the deal is stalled, in words; nil unless stalled.
        public var stall: String?

        public init(dealID: UUID, title: String, stageName: String, waiting: [Waiting], stall: String? = nil) {
            self.dealID = dealID
            self.title = title
            self.stageName = stageName
            self.waiting = waiting
            self.stall = stall
        }
    }

    /// Named, no deal on it yet (or only abandoned ones).
    case noDeal
    /// A deal is in play and moving.
    case open(DealState)
    /// A deal is in play and stalled (over its stage's limit, idle, or with overdue moves).
    case stalled(DealState)
    case won(DealState)
    case lost(DealState)

    /// The state's key in the API: `no_deal`, `open`, `stalled`, `won` or `lost`.
    public var key: String {
        switch self {
        case .noDeal: return "no_deal"
        case .open: return "open"
        case .stalled: return "stalled"
        case .won: return "won"
        case .lost: return "lost"
        }
    }

    public var deal: DealState? {
        switch self {
        case .noDeal: return nil
        case .open(let d), .stalled(let d), .won(let d), .lost(let d): return d
        }
    }
}

/// The rules of named accounts, pure: validating a company's whole list, and each account's progress.
public enum NamedAccounts {
    /// The first entry of `entries` (person, account) that does not hold, or nil when the list is
    /// good: the person must be an active seller of the company (`sellers`, by id), the account one of
    /// the partnership's (`accountIDs`), no pair twice, and at most `limit` accounts per person.
    public static func problem(
        _ entries: [(personID: UUID, accountID: UUID)], sellers: [UUID: Person], accountIDs: Set<UUID>, limit: Int
    ) -> NamedAccountProblem? {
        var seen: Set<[UUID]> = []
        var counts: [UUID: Int] = [:]
        for (i, e) in entries.enumerated() {
            guard let person = sellers[e.personID], person.role == .seller, person.deactivatedAt == nil else {
                return NamedAccountProblem(
                    index: i, field: "person_id",
                    message: "Name an active account executive (a person with the seller role) of your company.")
            }
            guard accountIDs.contains(e.accountID) else {
                return NamedAccountProblem(
                    index: i, field: "account_id", message: "No joint account of this partnership has that id.")
            }
            guard seen.insert([e.personID, e.accountID]).inserted else {
                return NamedAccountProblem(
                    index: i, field: "account_id",
                    message: "\(person.name) has that account on the list twice.")
            }
            counts[e.personID, default: 0] += 1
        }
        for (i, e) in entries.enumerated() {
            let total = counts[e.personID] ?? 0
            guard total > limit else { continue }
            // The entry that goes past the limit: the (limit + 1)th of that person.
            let nth = entries[...i].filter { $0.personID == e.personID }.count
            guard nth == limit + 1, let person = sellers[e.personID] else { continue }
            return NamedAccountProblem(
                index: i, field: "person_id", message: limitMessage(limit: limit, person: person.name, count: total))
        }
        return nil
    }

    /// "at most 3 named accounts per account executive in this partnership; Sofia Alvarez has 4".
    public static func limitMessage(limit: Int, person: String, count: Int) -> String {
        "at most \(limit) named account\(limit == 1 ? "" : "s") per account executive in this partnership; \(person) has \(count)"
    }

    /// Where a named account stands, from the deals on it: the newest deal in play (stalled when the
    /// stall rules say so, with what waits on whom from its next actions), else the newest won or lost
    /// one, else no deal. `playbook` finds each deal's playbook version; a deal without one is skipped.
    public static func progress(
        of deals: [Deal], playbook: (Deal) -> Playbook?, companyNames: [UUID: String], now: Date
    ) -> NamedAccountProgress {
        let newestFirst = deals.sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
        let today = LocalDate(now)
        for deal in newestFirst where deal.isInPlay {
            guard let pb = playbook(deal), pb.stages.indices.contains(deal.stageIndex) else { continue }
            let actions = NextActions.of(deal, playbook: pb, companyNames: companyNames, today: today)
            let waiting = actions.filter { !$0.isBlocked }.map {
                NamedAccountProgress.Waiting(title: $0.title, organizationIDs: $0.organizationIDs, ownerID: $0.ownerID)
            }
            var state = NamedAccountProgress.DealState(
                dealID: deal.id, title: deal.title, stageName: pb.stages[deal.stageIndex].name, waiting: waiting)
            let stall = DealDiagnostics.stall(of: deal, playbook: pb, now: now)
            if stall.stalled {
                state.stall = stall.signals.map(\.explanation).joined(separator: " ")
                return .stalled(state)
            }
            return .open(state)
        }
        let closed = deals.filter { $0.status == .won || $0.status == .lost }.sorted {
            ($0.completedAt ?? $0.createdAt, $0.id.uuidString) > ($1.completedAt ?? $1.createdAt, $1.id.uuidString)
        }
        guard let last = closed.first else { return .noDeal }
        let stageName = playbook(last).flatMap { pb in
            pb.stages.indices.contains(last.stageIndex) ? pb.stages[last.stageIndex].name : nil
        }
        let state = NamedAccountProgress.DealState(
            dealID: last.id, title: last.title, stageName: stageName ?? "", waiting: [])
        return last.status == .won ? .won(state) : .lost(state)
    }
}
