import CoSellDomain
import CoSellMatching
import Foundation

/// A `WorkflowStore` in memory, for workflow tests that need no database. It keeps the rules the
/// verbs rely on the store for, as the Fluent store does: the version guard, timeline numbering,
/// one open registration per account and partnership, and all-or-nothing transactions (one at a
/// time; a failed one leaves the state as it was). Webhook payloads are kept as queued, without
/// subscriptions: which organization receives what is the delivery side's business.
public final class InMemoryStore: WorkflowStore, @unchecked Sendable {
    /// Everything the store holds; tests seed it and read it back.
    public struct State: Sendable {
        public var organizations: [UUID: Organization] = [:]
        public var people: [UUID: Person] = [:]
        public var partnerships: [UUID: Partnership] = [:]
        public var accounts: [UUID: JointAccount] = [:]
        public var playbooks: [Playbook] = []
        public var deals: [UUID: Deal] = [:]
        public var stageKeys: [UUID: String] = [:]
        public var timeline: [UUID: [DealEvent]] = [:]
        /// The deal holding the open registration of (partnership, joint account).
        public var openRegistrations: [String: UUID] = [:]
        /// The deal whose accepted registration holds "host organization/account key/opportunity".
        public var acceptedRegistrations: [String: UUID] = [:]
        /// The deal using a registration id, by "submitting organization/registration id".
        public var registrationCodes: [String: UUID] = [:]
        public var overlapLinks: [UUID: UUID] = [:]
        /// Sharing levels by "partnership/organization/population".
        public var sharing: [String: SharingLevel] = [:]
        public var queuedEvents: [WebhookPayload] = []
        public var refusals: [GateRefusal] = []
        public var auditLog: [AuditEvent] = []
        /// Invitations by the hash of their accept token.
        public var invitations: [String: Invitation] = [:]
        /// Partnership invitations by the hash of their link's secret.
        public var partnerInvitations: [String: PartnerInvitation] = [:]
        /// By "partnership id/organization id".
        public var compensationPlans: [String: CompensationPlan] = [:]
        /// Partnerships' discovery calls by id.
        public var discoveryCalls: [UUID: DiscoveryCall] = [:]
        /// Partnerships' joint value propositions by partnership id.
        public var valuePropositions: [UUID: ValueProposition] = [:]
        /// Private mapping's keys by "partnership id/organization id", and its runs by id.
        public var privateMappingKeys: [String: PrivateMappingKey] = [:]
        public var privateMappingRuns: [UUID: PrivateMappingRun] = [:]
        /// Both companies' named accounts per account executive, in every partnership.
        public var namedAccounts: [NamedAccount] = []
        public var lessons: [UUID: LibraryLesson] = [:]
        /// Lessons applied on deals, as "lesson/deal".
        public var appliedLessons: Set<String> = []
        // account imports
        /// Import jobs, settings and pending uploads (accounts and overlaps are the targets' fields).
        public var imports = AccountImportState()
        // reviews, revenue
        public var reviewRecords: [ReviewRecord] = []
        /// Exchange-rate tables by "organization/reporting currency code".
        public var exchangeRates: [String: StoredExchangeRates] = [:]
        // targets
        /// CRM accounts of every organization, by id.
        public var crmAccounts: [UUID: CRMAccount] = [:]
        /// Mapped overlaps, in the order the store returns them (their links in `overlapLinks`).
        public var overlaps: [StoredOverlap] = []
        /// Ideal customer profiles by organization.
        public var profiles: [UUID: IdealCustomerProfile] = [:]
        // security
        /// Password hashes by person.
        public var passwordHashes: [UUID: String] = [:]
        /// Sessions by the hash of their cookie.
        public var sessions: [String: StoredSession] = [:]
        public var signInFailures: [SignInFailure] = []
        /// API tokens by id.
        public var tokens: [UUID: StoredToken] = [:]
        // webhooks
        public var webhookSubscriptions: [UUID: WebhookSubscription] = [:]
        /// Signing secrets by subscription.
        public var webhookSecrets: [UUID: String] = [:]
        public var webhookDeliveries: [UUID: WebhookDelivery] = [:]
        public var mailNotes: [MailNote] = []
        public var accountMails: [AccountMail] = []
        public var customerContacts: [CustomerContact] = []
        public var passwordResets: [StoredPasswordReset] = []
        public var notificationPreferences: [UUID: NotificationPreferences] = [:]
        public var unsubscribeTokens: [UUID: String] = [:]

        public init() {}
    }

    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var state = State()
        /// Transactions run one at a time: the waiting ones, in order.
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let shared: Shared
    private let inTransaction: Bool

    public init(_ state: State = State()) {
        shared = Shared()
        shared.state = state
        inTransaction = false
    }

    private init(shared: Shared) {
        self.shared = shared
        inTransaction = true
    }

    /// The state as it is now.
    public var state: State { read { $0 } }

    /// Changes the state directly (seeding a test).
    public func seed(_ body: (inout State) -> Void) {
        write { body(&$0) }
    }

    func read<T>(_ body: (State) throws -> T) rethrows -> T {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        return try body(shared.state)
    }

    func write<T>(_ body: (inout State) throws -> T) rethrows -> T {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        return try body(&shared.state)
    }

    // MARK: transactions

    public func transaction<T: Sendable>(
        _ work: @escaping @Sendable (any WorkflowStore) async throws -> T
    ) async throws -> T {
        if inTransaction { return try await work(self) }
        await acquire()
        defer { release() }
        let before = state
        do {
            return try await work(InMemoryStore(shared: shared))
        } catch {
            write { $0 = before }
            throw error
        }
    }

    private func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            shared.lock.lock()
            if shared.busy {
                shared.waiting.append(c)
                shared.lock.unlock()
            } else {
                shared.busy = true
                shared.lock.unlock()
                c.resume()
            }
        }
    }

    private func release() {
        shared.lock.lock()
        if shared.waiting.isEmpty {
            shared.busy = false
            shared.lock.unlock()
        } else {
            let next = shared.waiting.removeFirst()
            shared.lock.unlock()
            next.resume()
        }
    }

    // MARK: reads

    public func organizations(_ ids: [UUID]) async throws -> [Organization] {
        read { s in ids.compactMap { s.organizations[$0] }.sorted { $0.name < $1.name } }
    }

    public func people(inOrganizations ids: [UUID]) async throws -> [Person] {
        read { s in s.people.values.filter { ids.contains($0.organizationID) }.sorted { $0.name < $1.name } }
    }

    public func organization(domain: String) async throws -> Organization? {
        read { s in s.organizations.values.first { $0.domain?.lowercased() == domain.lowercased() } }
    }

    public func person(_ id: UUID) async throws -> Person? { read { $0.people[id] } }

    public func person(email: String) async throws -> Person? {
        read { s in s.people.values.first { $0.email.lowercased() == email.lowercased() } }
    }

    public func partnership(_ id: UUID) async throws -> Partnership? { read { $0.partnerships[id] } }

    public func partnerships(of organizationID: UUID) async throws -> [Partnership] {
        read { s in s.partnerships.values.filter { $0.includes(organizationID) }.sorted { $0.createdAt < $1.createdAt }
        }
    }

    public func jointAccount(_ id: UUID) async throws -> JointAccount? { read { $0.accounts[id] } }

    public func playbook(_ id: UUID, version: Int?) async throws -> Playbook? {
        read { s in
            s.playbooks.filter { $0.id == id && (version == nil || $0.version == version) }
                .max { $0.version < $1.version }
        }
    }

    public func latestPlaybooks() async throws -> [Playbook] {
        read { s in
            var seen = Set<UUID>()
            return s.playbooks.sorted { $0.version > $1.version }.filter { seen.insert($0.id).inserted }
        }
    }

    public func deal(_ id: UUID) async throws -> Deal? { read { $0.deals[id] } }

    public func libraryLesson(_ id: UUID) async throws -> LibraryLesson? { read { $0.lessons[id] } }

    public func applyLesson(
        _ lessonID: UUID, on dealID: UUID, by personID: UUID, at: Date
    ) async throws
        -> LibraryLesson
    {
        try write { s in
            guard s.appliedLessons.insert("\(lessonID.uuidString)/\(dealID.uuidString)").inserted else {
                throw WorkflowError.conflict("The lesson is already marked applied on this deal.")
            }
            guard var lesson = s.lessons[lessonID] else { throw WorkflowError.notFound("lesson") }
            lesson.appliedCount += 1
            s.lessons[lessonID] = lesson
            return lesson
        }
    }

    public func openDeals(onJointAccount jointAccountID: UUID) async throws -> [Deal] {
        read { s in s.deals.values.filter { $0.jointAccountID == jointAccountID && $0.status == .open } }
    }

    public func openDeals(of partnershipID: UUID) async throws -> [Deal] {
        read { s in s.deals.values.filter { $0.partnershipID == partnershipID && $0.status == .open } }
    }

    // MARK: writes

    public func insertDeal(_ deal: Deal, stageKey: String, history: [HistoryEntry]) async throws {
        try write { s in
            guard s.deals[deal.id] == nil else { throw WorkflowError.conflict("The deal exists already.") }
            try Self.holdRegistration(deal, in: &s)
            s.deals[deal.id] = deal
            s.stageKeys[deal.id] = stageKey
            s.timeline[deal.id] = history.enumerated().map { i, e in
                Self.event(e.change, deal: deal.id, sequence: i + 1, actor: e.actor, at: e.at)
            }
        }
    }

    public func saveDeal(
        _ deal: Deal, stageKey: String, expectedVersion: Int, changes: [DealChange], actor: Actor, at: Date
    ) async throws -> Deal {
        try write { s in
            guard let stored = s.deals[deal.id], stored.version == expectedVersion else {
                throw WorkflowError.conflict(
                    "The deal was changed by someone else since version \(expectedVersion) was read; reload it and try again."
                )
            }
            var saved = deal
            saved.version = expectedVersion + 1
            try Self.holdRegistration(saved, in: &s)
            s.deals[deal.id] = saved
            s.stageKeys[deal.id] = stageKey
            let last = s.timeline[deal.id]?.last?.sequence ?? 0
            s.timeline[deal.id, default: []] += changes.enumerated().map { i, c in
                Self.event(c, deal: deal.id, sequence: last + i + 1, actor: actor, at: at)
            }
            return saved
        }
    }

    public func enqueue(_ payloads: [WebhookPayload], dealID: UUID?, at: Date) async throws {
        write { $0.queuedEvents += payloads }
    }

    public func recordGateRefusal(_ refusal: GateRefusal, partnershipID: UUID) async throws {
        write { $0.refusals.append(refusal) }
    }

    public func insertPartnership(_ partnership: Partnership) async throws {
        try write { s in
            guard s.partnerships[partnership.id] == nil else { throw WorkflowError.conflict("The partnership exists.") }
            s.partnerships[partnership.id] = partnership
        }
    }

    public func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws {
        write { $0.sharing[Self.sharingKey(partnershipID, organizationID, population)] = level }
    }

    /// The key of one sharing level in `State.sharing`.
    public static func sharingKey(_ partnershipID: UUID, _ organizationID: UUID, _ population: String) -> String {
        "\(partnershipID.uuidString)/\(organizationID.uuidString)/\(population)"
    }

    public func savePartnershipStatus(_ partnership: Partnership) async throws {
        try write { s in
            guard var stored = s.partnerships[partnership.id] else {
                throw WorkflowError.notFound("partnership")
            }
            stored.status = partnership.status
            stored.endedBy = partnership.endedBy
            stored.endedReason = partnership.endedReason
            s.partnerships[partnership.id] = stored
        }
    }

    public func insertJointAccount(_ account: JointAccount) async throws {
        write { $0.accounts[account.id] = account }
    }

    public func linkOverlap(_ overlapID: UUID, to accountID: UUID) async throws {
        write { $0.overlapLinks[overlapID] = accountID }
    }

    public func audit(_ entry: AuditEvent) async throws {
        write { $0.auditLog.append(entry) }
    }

    public func createInvitation(_ invitation: Invitation, tokenHash: String) async throws {
        write { $0.invitations[tokenHash] = invitation }
    }

    public func deactivate(_ personID: UUID, at: Date) async throws {
        try write { s in
            guard s.people[personID] != nil else { throw WorkflowError.notFound("person") }
            s.people[personID]?.deactivatedAt = at
        }
    }

    // MARK: the rules kept here as the Fluent store keeps them

    /// A registered deal in play holds its account's open registration in its partnership; an
    /// accepted registration holds its host account and opportunity across partnerships; a
    /// registration id is used once per submitting organization.
    private static func holdRegistration(_ deal: Deal, in s: inout State) throws {
        let key = "\(deal.partnershipID.uuidString)/\(deal.jointAccountID.uuidString)"
        let reg = deal.evidence.close.registration
        if s.openRegistrations[key] == deal.id, !deal.isInPlay || reg?.status == .rejected {
            s.openRegistrations[key] = nil
        }
        guard let reg else { return }
        if deal.isInPlay, reg.status != .rejected {
            if let holder = s.openRegistrations[key], holder != deal.id {
                throw WorkflowError.conflict(
                    "Duplicate registration: \(reg.registrationID) cannot be opened; another registration is already open for this account in this partnership (deal \(holder.uuidString))."
                )
            }
        }
        let submitter = reg.submittedBy.map { deal.organizationID(of: $0) } ?? deal.hostOrganizationID
        let code = "\(submitter.uuidString)/\(reg.registrationID)"
        if let user = s.registrationCodes[code], user != deal.id {
            throw WorkflowError.invalid(
                field: "registration_id",
                "Registration id \(reg.registrationID) is already used by your company for another deal (\(user.uuidString)); registration ids are unique per company."
            )
        }
        // (No CRM accounts here: the domain, else the joint account.)
        let account =
            RegistrationClaimKeys.domain(s.accounts[deal.jointAccountID]?.domain)
            ?? RegistrationClaimKeys.jointAccount(deal.jointAccountID)
        let claim =
            "\(deal.hostOrganizationID.uuidString)/\(account)/\(RegistrationClaimKeys.opportunity(reg.opportunityID))"
        let today = LocalDate(Date())
        if deal.registrationHoldsClaim(on: today) {
            if let holder = s.acceptedRegistrations[claim], holder != deal.id, let other = s.deals[holder],
                other.registrationHoldsClaim(on: today)
            {
                throw WorkflowError.conflict(
                    "Duplicate registration: this customer is already registered as \(other.evidence.close.registration?.registrationID ?? "?"), accepted (deal \(holder.uuidString)). One opportunity is partner revenue once."
                )
            }
            s.acceptedRegistrations[claim] = deal.id
        } else if s.acceptedRegistrations[claim] == deal.id {
            s.acceptedRegistrations[claim] = nil
        }
        for (k, v) in s.registrationCodes where v == deal.id && k != code { s.registrationCodes[k] = nil }
        s.registrationCodes[code] = deal.id
        if deal.isInPlay, reg.status != .rejected { s.openRegistrations[key] = deal.id }
    }

    private static func event(_ c: DealChange, deal: UUID, sequence: Int, actor: Actor, at: Date) -> DealEvent {
        DealEvent(
            id: UUID(), dealID: deal, sequence: sequence, at: at, actorID: actor.personID, actorName: actor.name,
            kind: c.kind, summary: c.summary, before: c.before, after: c.after)
    }

    /// A deal's timeline, oldest first.
    public func timeline(of dealID: UUID) -> [DealEvent] { read { $0.timeline[dealID] ?? [] } }
}
