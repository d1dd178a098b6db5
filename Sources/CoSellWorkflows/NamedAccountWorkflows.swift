import CoSellDomain
import Foundation

/// Named accounts per account executive: each company names, for each of its sellers, a few accounts
/// of the partnership's joint account list (its targets) to work jointly, at most the plan's
/// `namedAccountsPerSeller` per person (three by default).
///
/// Who may do what: everyone of the two companies reads their own company's list; the other
/// company's list is shown account by account as far as that company shares the account's
/// population (overlapping accounts or more; an account added by hand is on the shared joint list
/// already). Admins and partner managers set their company's whole list; a seller sets only their
/// own named accounts (the rest of the list stays as it is); viewers and read-only tokens read.
public struct NamedAccountWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    public init(store: any WorkflowStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// The most entries one request may send.
    public static let maxEntries = 1000
    /// The most joint accounts offered to choose from.
    public static let maxChoices = 500

    /// One entry of a company's list as a request sends it.
    public struct Choice: Sendable, Equatable {
        public var personID: UUID
        public var accountID: UUID

        public init(personID: UUID, accountID: UUID) {
            self.personID = personID
            self.accountID = accountID
        }
    }

    /// A named account with the names to show and where it stands.
    public struct Row: Sendable {
        public var named: NamedAccount
        public var personName: String
        public var accountName: String
        public var progress: NamedAccountProgress
        /// The target (overlap) the reader can start a deal from, while the account has no deal.
        public var overlapID: UUID?
    }

    /// One company's side: its account executives and their named accounts.
    public struct Company: Sendable {
        public var organizationID: UUID
        public var name: String
        /// The company's active sellers, by name (the reader's company only; the other's are the
        /// people on its shared rows).
        public var sellers: [Person]
        public var rows: [Row]
    }

    /// A partnership's named accounts as the principal may see them.
    public struct Board: Sendable {
        public var partnership: Partnership
        public var limit: Int
        public var yours: Company
        /// The other company's shared rows; nil while the partnership is not active.
        public var theirs: Company?
        /// The joint accounts the reader's company may name.
        public var choices: [JointAccount]
    }

    // MARK: reading

    /// The partnership's named accounts: the principal's company's, and the other company's where
    /// its sharing allows.
    public func board(in partnershipID: UUID, by p: Principal) async throws -> Board {
        try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            return try await Self.board(ps, p, on: s, now: clock())
        }
    }

    /// The principal's own named accounts in every active partnership of their company, oldest
    /// partnership first; partnerships where they have none are left out.
    public func mine(by p: Principal) async throws -> [(partnership: Partnership, rows: [Row])] {
        let now = clock()
        return try await store.transaction { s in
            let mine = try await s.namedAccounts(ofPerson: p.person.id)
            guard !mine.isEmpty else { return [] }
            var out: [(partnership: Partnership, rows: [Row])] = []
            for ps in try await s.partnerships(of: p.person.organizationID) where ps.status == .active {
                let here = mine.filter { $0.partnershipID == ps.id && $0.organizationID == p.person.organizationID }
                guard !here.isEmpty else { continue }
                out.append((ps, try await Self.rows(here, ps, p, on: s, now: now, people: [p.person.id: p.person])))
            }
            return out
        }
    }

    // MARK: changing

    /// Replaces the principal's company's named accounts in an active partnership. An admin or a
    /// partner manager sends the company's whole list; a seller sends their own entries only (an
    /// entry naming someone else is refused) and the others' stay. `list` (a request's body) is read
    /// after the visibility, write and role checks; the first entry that does not hold is refused
    /// naming it (`named_accounts[3].account_id`), and nothing changes.
    public func replace(
        in partnershipID: UUID, by p: Principal, _ list: @escaping @Sendable () async throws -> [Choice]
    ) async throws -> Board {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require(
                [.admin, .partnerManager, .seller],
                "Only admins, partner managers and account executives change named accounts.")
            guard ps.status == .active else {
                throw WorkflowError.conflict("The partnership is \(ps.status.rawValue): named accounts cannot change.")
            }
            let wanted = try await list()
            let sellerOnly = p.person.role == .seller
            if sellerOnly, let i = wanted.firstIndex(where: { $0.personID != p.person.id }) {
                throw WorkflowError.forbidden(
                    "An account executive sets only their own named accounts (named_accounts[\(i)].person_id names someone else)."
                )
            }
            let before = try await s.namedAccounts(of: ps.id).filter { $0.organizationID == p.person.organizationID }
            let kept = sellerOnly ? before.filter { $0.personID != p.person.id } : []
            try await Self.write(wanted, keeping: kept, before: before, ps, p, on: s, now: now)
            return try await Self.board(ps, p, on: s, now: now)
        }
    }

    /// An admin or partner manager sets how many named accounts each account executive may hold in
    /// the partnership (the plan's `namedAccountsPerSeller`, 1 to 10). The partnership needs a plan.
    /// Lists already longer stay until they are next changed.
    public func setLimit(
        in partnershipID: UUID, by p: Principal, _ limit: @escaping @Sendable () async throws -> Int
    ) async throws -> Partnership {
        let now = clock()
        return try await store.transaction { s in
            var ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin, .partnerManager], "Only admins and partner managers change the co-sell plan.")
            let n = try await limit()
            guard CoSellPlan.namedAccountsPerSellerRange.contains(n) else {
                throw WorkflowError.invalid(
                    field: "named_accounts_per_seller",
                    "Each account executive holds \(CoSellPlan.namedAccountsPerSellerRange.lowerBound) to \(CoSellPlan.namedAccountsPerSellerRange.upperBound) named accounts."
                )
            }
            guard var plan = ps.plan else {
                throw WorkflowError.conflict("The partnership has no co-sell plan yet: agree one first.")
            }
            plan.namedAccountsPerSeller = n
            try await s.updatePlan(plan, of: ps.id)
            ps.plan = plan
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "plan_changed",
                        "\(p.person.name) set the named accounts per account executive in \"\(ps.name)\" to \(n).",
                        organizationID: org, at: now))
            }
            return ps
        }
    }

    /// One person's named accounts, the rest of their company's list kept (the pages' form): an
    /// admin or partner manager for any account executive of their company, a seller for themselves.
    public func replace(
        for personID: UUID, in partnershipID: UUID, by p: Principal,
        _ accounts: @escaping @Sendable () async throws -> [UUID]
    ) async throws -> Board {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require(
                [.admin, .partnerManager, .seller],
                "Only admins, partner managers and account executives change named accounts.")
            if p.person.role == .seller && personID != p.person.id {
                throw WorkflowError.forbidden("An account executive sets only their own named accounts.")
            }
            guard ps.status == .active else {
                throw WorkflowError.conflict("The partnership is \(ps.status.rawValue): named accounts cannot change.")
            }
            let chosen = try await accounts()
            let before = try await s.namedAccounts(of: ps.id).filter { $0.organizationID == p.person.organizationID }
            let others = before.filter { $0.personID != personID }
            let wanted =
                chosen.map { Choice(personID: personID, accountID: $0) }
                + others.map { Choice(personID: $0.personID, accountID: $0.accountID) }
            try await Self.write(wanted, keeping: [], before: before, ps, p, on: s, now: now)
            return try await Self.board(ps, p, on: s, now: now)
        }
    }

    /// Validates `wanted` (the sent entries) and writes `kept + wanted` as the company's list, with
    /// an audit line; `before` is the list as it was (to keep when each pair was first named).
    static func write(
        _ wanted: [Choice], keeping kept: [NamedAccount], before: [NamedAccount], _ ps: Partnership,
        _ p: Principal, on s: any WorkflowStore, now: Date
    ) async throws {
        if wanted.count > maxEntries {
            throw WorkflowError.invalid(field: "named_accounts", "At most \(maxEntries) named accounts in one list.")
        }
        let org = p.person.organizationID
        let people = try await s.people(inOrganizations: [org])
        let sellers = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let accounts = try await s.jointAccounts(Array(Set(wanted.map(\.accountID))), of: ps.id)
        let limit = ps.plan?.namedAccountsPerSeller ?? CoSellPlan.defaultNamedAccountsPerSeller
        if let bad = NamedAccounts.problem(
            wanted.map { ($0.personID, $0.accountID) }, sellers: sellers, accountIDs: Set(accounts.map(\.id)),
            limit: limit)
        {
            throw WorkflowError.invalid(field: "named_accounts[\(bad.index)].\(bad.field)", bad.message)
        }
        func since(_ c: Choice) -> Date {
            before.first { $0.personID == c.personID && $0.accountID == c.accountID }?.createdAt ?? now
        }
        let sent = wanted.map {
            NamedAccount(
                partnershipID: ps.id, organizationID: org, personID: $0.personID, accountID: $0.accountID,
                createdAt: since($0))
        }
        let list = kept + sent
        try await s.replaceNamedAccounts(list, of: org, in: ps.id)
        let company = try await s.organizations([org]).first?.name ?? "their company"
        var counts: [UUID: Int] = [:]
        for n in list { counts[n.personID, default: 0] += 1 }
        let summary =
            counts.isEmpty
            ? "none"
            : counts.map { "\(sellers[$0.key]?.name ?? "someone") \($0.value)" }.sorted().joined(separator: ", ")
        try await s.audit(
            p.auditEntry(
                "named_accounts_changed",
                "\(p.person.name) set \(company)'s named accounts in \"\(ps.name)\": \(summary).",
                organizationID: org, at: now))
    }

    // MARK: the steps

    static func board(_ ps: Partnership, _ p: Principal, on s: any WorkflowStore, now: Date) async throws -> Board {
        let org = p.person.organizationID
        let all = try await s.namedAccounts(of: ps.id)
        let people = Dictionary(
            try await s.people(inOrganizations: ps.organizationIDs).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }
        )
        let names = try await companyNames(ps, on: s)
        let sellers = people.values.filter { $0.organizationID == org && $0.role == .seller && $0.deactivatedAt == nil }
            .sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
        let yours = Company(
            organizationID: org, name: names[org] ?? "Your company", sellers: sellers,
            rows: try await rows(all.filter { $0.organizationID == org }, ps, p, on: s, now: now, people: people))
        var theirs: Company? = nil
        if ps.status == .active, let other = ps.counterpart(of: org) {
            let theirRows = try await sharedRows(all, of: other, ps, p, on: s, now: now, people: people)
            theirs = Company(organizationID: other, name: names[other] ?? "Your partner", sellers: [], rows: theirRows)
        }
        let limit = ps.plan?.namedAccountsPerSeller ?? CoSellPlan.defaultNamedAccountsPerSeller
        let choices = try await s.namedAccountChoices(of: ps.id, limit: maxChoices)
        return Board(partnership: ps, limit: limit, yours: yours, theirs: theirs, choices: choices)
    }

    /// The rows of the other company `other` that its sharing shows the principal: an account whose
    /// population it shares as overlapping accounts or more (an account added by hand is shared).
    static func sharedRows(
        _ all: [NamedAccount], of other: UUID, _ ps: Partnership, _ p: Principal, on s: any WorkflowStore, now: Date,
        people: [UUID: Person], deals: [Deal]? = nil
    ) async throws -> [Row] {
        let sharing = try await s.sharing(of: ps)
        let theirRows = try await rows(
            all.filter { $0.organizationID == other }, ps, p, on: s, now: now, people: people, startable: false,
            deals: deals)
        let accounts = Dictionary(
            try await s.jointAccounts(theirRows.map(\.named.accountID), of: ps.id).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        return theirRows.filter { row in
            guard let a = accounts[row.named.accountID] else { return false }
            guard let pop = a.populations.first(where: { $0.organizationID == other })?.population else {
                return true
            }
            return sharing.level(of: other, pop) >= .overlappingAccounts
        }
    }

    /// Every named account the principal may see, their company's then the other company's shared
    /// ones (while the partnership is active), with progress; no targets to start from.
    /// The deals on these joint accounts that the principal may see (of this partnership).
    static func visibleDeals(
        on accountIDs: [UUID], _ ps: Partnership, _ p: Principal, on s: any WorkflowStore
    )
        async throws -> [Deal]
    {
        try await s.deals(onJointAccounts: accountIDs).filter {
            $0.partnershipID == ps.id && Visibility.canSee($0, person: p.person, partnership: ps)
        }
    }

    /// Every named account the principal may see, their company's then the other company's shared
    /// ones (while the partnership is active), with progress; no targets to start from. With the
    /// deals on them the principal may see (read once for both companies' rows).
    static func visibleRows(
        _ ps: Partnership, _ p: Principal, on s: any WorkflowStore, now: Date
    ) async throws -> (rows: [Row], deals: [Deal]) {
        let org = p.person.organizationID
        let all = try await s.namedAccounts(of: ps.id)
        guard !all.isEmpty else { return ([], []) }
        let people = Dictionary(
            try await s.people(inOrganizations: ps.organizationIDs).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }
        )
        let deals = try await visibleDeals(on: Array(Set(all.map(\.accountID))), ps, p, on: s)
        var out = try await rows(
            all.filter { $0.organizationID == org }, ps, p, on: s, now: now, people: people, startable: false,
            deals: deals)
        if ps.status == .active, let other = ps.counterpart(of: org) {
            out += try await sharedRows(all, of: other, ps, p, on: s, now: now, people: people, deals: deals)
        }
        return (out, deals)
    }

    static func companyNames(_ ps: Partnership, on s: any WorkflowStore) async throws -> [UUID: String] {
        Dictionary(
            try await s.organizations(ps.organizationIDs).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The rows of named accounts with their progress over the deals the principal may see.
    static func rows(
        _ list: [NamedAccount], _ ps: Partnership, _ p: Principal, on s: any WorkflowStore, now: Date,
        people: [UUID: Person], startable: Bool = true, deals preloaded: [Deal]? = nil
    ) async throws -> [Row] {
        guard !list.isEmpty else { return [] }
        let ids = Array(Set(list.map(\.accountID)))
        let accounts = Dictionary(
            try await s.jointAccounts(ids, of: ps.id).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let deals: [Deal]
        if let preloaded { deals = preloaded } else { deals = try await visibleDeals(on: ids, ps, p, on: s) }
        var playbooks: [String: Playbook] = [:]
        for d in deals where playbooks["\(d.playbookID)/\(d.playbookVersion)"] == nil {
            playbooks["\(d.playbookID)/\(d.playbookVersion)"] = try await s.playbook(
                d.playbookID, version: d.playbookVersion)
        }
        let names = try await companyNames(ps, on: s)
        var targets: [UUID: UUID] = [:]
        if startable, ps.status == .active, p.person.role.canWrite {
            for (t, _) in try await TargetWorkflows.ranked(ps, p, on: s) {
                if let a = t.jointAccountID { targets[a] = targets[a] ?? t.overlapID }
            }
        }
        var byPerson = people
        let missing = Set(list.map(\.personID)).subtracting(byPerson.keys)
        if !missing.isEmpty {
            for person in try await s.people(inOrganizations: ps.organizationIDs) { byPerson[person.id] = person }
        }
        return list.compactMap { n in
            guard let account = accounts[n.accountID] else { return nil }
            let progress = NamedAccounts.progress(
                of: deals.filter { $0.jointAccountID == n.accountID },
                playbook: { playbooks["\($0.playbookID)/\($0.playbookVersion)"] }, companyNames: names, now: now)
            return Row(
                named: n, personName: byPerson[n.personID]?.name ?? "Someone", accountName: account.name,
                progress: progress, overlapID: progress == .noDeal ? targets[n.accountID] : nil)
        }
    }
}
