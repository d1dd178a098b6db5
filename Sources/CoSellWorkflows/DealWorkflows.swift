import CoSellDomain
import Foundation

/// The version a client says it read (`If-Match`): a change is refused when the deal has moved on.
public struct IfMatch: Sendable, Equatable {
    /// What the client sent, repeated in the refusal.
    public var raw: String
    /// The version asked for; nil for `*` (any version).
    public var version: Int?

    /// Parses an `If-Match` value: `"7"`, `W/"7"`, `7` or `*`.
    public init(header raw: String) {
        self.raw = raw
        if raw.trimmingCharacters(in: .whitespaces) == "*" {
            version = nil
        } else {
            // A value that is not a number can match no version: -1 is never stored.
            version = Int(raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) ?? -1
        }
    }
}

/// A deal after a verb: the deal as saved, the playbook version it runs on, and the verb's instant.
public struct DealResult: Sendable {
    public var deal: Deal
    public var playbook: Playbook
    public var at: Date
}

/// What opening a deal on a joint account takes.
public struct OpenDeal: Sendable {
    public var partnershipID: UUID
    public var jointAccountID: UUID
    public var title: String
    public var playbookID: UUID?
    public var hostOrganizationID: UUID?
    public var reason: String?
    public var amount: Money?
    public var expectedCloseDate: LocalDate?
    /// Why a second deal is opened while the account has an open one.
    public var parallelReason: String?

    public init(
        partnershipID: UUID, jointAccountID: UUID, title: String, playbookID: UUID? = nil,
        hostOrganizationID: UUID? = nil, reason: String? = nil, amount: Money? = nil,
        expectedCloseDate: LocalDate? = nil, parallelReason: String? = nil
    ) {
        self.parallelReason = parallelReason
        self.partnershipID = partnershipID
        self.jointAccountID = jointAccountID
        self.title = title
        self.playbookID = playbookID
        self.hostOrganizationID = hostOrganizationID
        self.reason = reason
        self.amount = amount
        self.expectedCloseDate = expectedCloseDate
    }
}

/// The verbs that change deals. Each runs as one unit of work: it loads what the principal may see,
/// applies the pure rule of `DealEngine`, and writes the deal, its timeline, the refusal log, the
/// webhook outbox and the audit log in one transaction, at one instant.
public struct DealWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// A deal the principal may see, with its playbook version.
    public func visible(_ id: UUID, by p: Principal) async throws -> (Deal, Playbook) {
        try await Access(store: store).visibleDeal(id, p)
    }

    /// Applies one command to a deal: the one way the API and the pages change a deal. A gate that
    /// refuses an advance is remembered (refusal log, `deal.gate_refused` webhook) and then thrown as
    /// `DealError.gateClosed`.
    public func apply(
        _ command: DealCommand, to dealID: UUID, by p: Principal, ifMatch: IfMatch? = nil
    ) async throws -> DealResult {
        try await apply(to: dealID, by: p, ifMatch: ifMatch) { _, _ in command }
    }

    /// `apply`, with the command built from the deal as it is read in the transaction, after the
    /// visibility, write and version checks: a request's body is judged only once those passed, and
    /// a form can name parts of the deal (a brief, a close plan) by what the deal holds.
    ///
    /// With `thenAdvance`, when the command leaves the current stage's gate open, the deal advances in
    /// the same unit of work (the one who met the gate's last part passes it); a gate still closed is
    /// left as it is, without a refusal.
    public func apply(
        to dealID: UUID, by p: Principal, ifMatch: IfMatch? = nil, thenAdvance: Bool = false,
        _ command: @escaping @Sendable (Deal, Playbook) async throws -> DealCommand
    ) async throws -> DealResult {
        let now = clock()
        let outcome = try await store.transaction { s -> ChangeOutcome in
            let (deal, playbook) = try await Access(store: s).visibleDeal(dealID, p)
            try p.requireWrite()
            if let ifMatch, let wanted = ifMatch.version, wanted != deal.version {
                throw WorkflowError.staleVersion(sent: ifMatch.raw, current: deal.version)
            }
            let command = try await command(deal, playbook)
            let people = try await s.people(inOrganizations: [deal.hostOrganizationID, deal.partnerOrganizationID])
            let first = try await Self.change(
                deal, playbook: playbook, command, by: p, people: people, at: now, on: s)
            guard thenAdvance, case .saved(let saved, let playbook) = first, saved.completedAt == nil,
                saved.status == .open || saved.status == .won,
                saved.pendingOverride == nil, playbook.stages.indices.contains(saved.stageIndex),
                Gate.evaluateCurrent(saved, in: playbook).isOpen
            else { return first }
            return try await Self.change(
                saved, playbook: playbook, .advance(overrideReason: nil), by: p, people: people, at: now, on: s)
        }
        switch outcome {
        case .saved(let deal, let playbook): return DealResult(deal: deal, playbook: playbook, at: now)
        case .refused(let error): throw error
        }
    }

    /// Opens a deal at stage one on a joint account of one of the principal's partnerships.
    public func open(_ request: OpenDeal, by p: Principal) async throws -> DealResult {
        try p.requireWrite()
        let now = clock()
        return try await store.transaction { s in
            guard let partnership = try await s.partnership(request.partnershipID),
                partnership.includes(p.person.organizationID)
            else { throw WorkflowError.notFound("partnership", field: "partnership_id") }
            guard let account = try await s.jointAccount(request.jointAccountID),
                account.partnershipID == partnership.id
            else { throw WorkflowError.notFound("joint account in this partnership", field: "joint_account_id") }
            let host = request.hostOrganizationID ?? p.person.organizationID
            let playbookID: UUID
            if let id = request.playbookID {
                playbookID = id
            } else {
                playbookID = try await Self.defaultPlaybookID(of: host, in: partnership.id, on: s)
            }
            // The standard playbook, or one of the host organization's own.
            guard let playbook = try await s.playbook(playbookID, version: nil),
                playbook.organizationID == nil || playbook.organizationID == host
            else { throw WorkflowError.notFound("playbook", field: "playbook_id") }
            let (deal, change) = try DealEngine.open(
                id: UUID(), partnership: partnership, account: account, title: request.title,
                hostOrganizationID: host, reason: request.reason, amount: request.amount,
                expectedCloseDate: request.expectedCloseDate, actor: p.actor,
                context: DealContext(playbook: playbook, people: [:], now: now),
                openOnAccount: try await s.openDeals(onJointAccount: account.id),
                parallelReason: request.parallelReason)
            try await Self.insert(
                deal, playbook: playbook, history: [HistoryEntry(change, by: p.actor, at: now)], on: s)
            return DealResult(deal: deal, playbook: playbook, at: now)
        }
    }

    // MARK: the unit of work's steps, shared with the partnership verbs

    /// The playbook a new deal follows when none is named: the one the host organization chose for
    /// its newest open deal in this partnership (its own or the standard one), else the standard one.
    /// Never another organization's: one company's playbook edit changes nobody else's deals.
    static func defaultPlaybookID(of host: UUID, in partnershipID: UUID, on s: any WorkflowStore) async throws -> UUID {
        let own = try await s.openDeals(of: partnershipID).filter { $0.hostOrganizationID == host }
        for deal in own.sorted(by: { $0.createdAt > $1.createdAt }) {
            if let pb = try await s.playbook(deal.playbookID, version: nil),
                pb.organizationID == nil || pb.organizationID == host
            {
                return pb.id
            }
        }
        return Playbook.standardID
    }

    enum ChangeOutcome: Sendable {
        case saved(Deal, Playbook)
        case refused(DealError)
    }

    /// Writes a new deal with its history and queues its webhook events.
    static func insert(
        _ deal: Deal, playbook: Playbook, history: [HistoryEntry], on s: any WorkflowStore
    )
        async throws
    {
        let stageKey = playbook.stages[deal.stageIndex].key
        try await s.insertDeal(deal, stageKey: stageKey, history: history)
        let at = history.last?.at ?? deal.createdAt
        try await s.enqueue(
            WebhookEvents.events(deal: deal, stageKey: stageKey, changes: history.map(\.change), at: at),
            dealID: deal.id, at: at)
        // The other company learns that the new deal waits on it.
        let people = try await s.people(inOrganizations: [deal.hostOrganizationID, deal.partnerOrganizationID])
        let notes = Notifications.afterChange(
            from: nil, to: deal, playbook: playbook, people: people,
            companyNames: byOrganization(try await companyNames(of: deal, on: s), of: deal),
            actorID: history.last?.actor.personID, today: LocalDate(at))
        try await tell(notes, deal: deal, stageKey: stageKey, people: people, at: at, on: s)
    }

    /// Queues what people are told of a change, by mail and to their organization's webhooks, in the
    /// change's transaction.
    static func tell(
        _ notes: [MailNote], deal: Deal, stageKey: String, people: [Person], at: Date, on s: any WorkflowStore
    ) async throws {
        try await s.queueMail(notes, at: at)
        try await s.enqueue(
            WebhookEvents.events(notes: notes, deal: deal, stageKey: stageKey, people: people, at: at),
            dealID: deal.id, at: at)
    }

    /// The two companies' names by organization id (what the notifications read).
    static func byOrganization(_ names: SidePair<String>, of deal: Deal) -> [UUID: String] {
        var out: [UUID: String] = [:]
        if let h = names.host { out[deal.hostOrganizationID] = h }
        if let p = names.partner { out[deal.partnerOrganizationID] = p }
        return out
    }

    /// Applies `command` through the engine and writes what follows, on the caller's transaction:
    /// the saved deal, its webhook events and audit lines; or, for a closed gate, the refusal.
    static func change(
        _ deal: Deal, playbook: Playbook, _ command: DealCommand, by p: Principal, people: [Person], at now: Date,
        on s: any WorkflowStore
    ) async throws -> ChangeOutcome {
        let names = try await companyNames(of: deal, on: s)
        let partnership = try await s.partnership(deal.partnershipID)
        var context = DealContext(
            playbook: playbook, people: Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            now: now, companyNames: names,
            registrationValidityDays: partnership?.plan?.registrationValidityDays
                ?? CoSellPlan.defaultRegistrationValidityDays)
        context.partnershipEnded = partnership?.status == .ended
        if case .register = command {
            // What the host's CRM had the account as: a partner-sourced claim on a customer is flagged.
            context.hostPopulation = try await s.jointAccount(deal.jointAccountID)?.populations.first {
                $0.organizationID == deal.hostOrganizationID
            }?.population
        }
        let byOrganization = Self.byOrganization(names, of: deal)
        let updated: Deal
        let changes: [DealChange]
        do {
            (updated, changes) = try DealEngine.apply(command, to: deal, by: p.actor, context: context)
        } catch {
            guard case .gateClosed(let report) = error else { throw error }
            try await recordRefusal(deal, playbook: playbook, report: report, by: p, at: now, on: s)
            // The people the missing parts wait on are told, in the same transaction.
            try await s.queueMail(
                Notifications.gateRefused(
                    deal, report: report, playbook: playbook, people: people, companyNames: byOrganization,
                    actorID: p.person.id, actorName: p.person.name, at: now, today: LocalDate(now)),
                at: now)
            return .refused(error)
        }
        let stageKey = playbook.stages[updated.stageIndex].key
        let saved = try await s.saveDeal(
            updated, stageKey: stageKey, expectedVersion: deal.version, changes: changes, actor: p.actor, at: now)
        try await s.enqueue(
            WebhookEvents.events(deal: saved, stageKey: stageKey, changes: changes, at: now), dealID: saved.id, at: now)
        // Mail for what now waits on someone, queued with the change (the outbox), and the same for
        // the organizations' webhooks (Slack).
        let notes = Notifications.afterChange(
            from: deal, to: saved, playbook: playbook, people: people, companyNames: byOrganization,
            actorID: p.person.id, today: LocalDate(now))
        try await tell(notes, deal: saved, stageKey: stageKey, people: people, at: now, on: s)
        // The customer's people the change named are kept on the joint account, for the next deal.
        let named = CustomerContacts.newlyNamed(before: deal, after: saved)
        if !named.isEmpty { try await s.keepCustomerContacts(named, on: saved.jointAccountID, at: now) }
        for c in changes where Self.auditedKinds.contains(c.kind) {
            for org in [deal.hostOrganizationID, deal.partnerOrganizationID] {
                try await s.audit(p.auditEntry(c.kind, "\(deal.title): \(c.summary)", organizationID: org, at: now))
            }
        }
        return .saved(saved, playbook)
    }

    /// The changes finance audits: overrides, the registration's workflow and amendments, in both
    /// companies' audit logs.
    static let auditedKinds: Set<String> = [
        "gate_overridden", "override_requested", "registered", "registration_resubmitted", "registration_accepted",
        "registration_rejected",
        "registration_renewed", "outcome_amended", "registration_amendment_proposed", "registration_amended",
        "registration_amendment_rejected",
    ]

    /// The two companies' names, for the engine's sentences ("Halyard Security committed…").
    static func companyNames(of deal: Deal, on s: any WorkflowStore) async throws -> SidePair<String> {
        let orgs = try await s.organizations([deal.hostOrganizationID, deal.partnerOrganizationID])
        return SidePair(
            host: orgs.first { $0.id == deal.hostOrganizationID }?.name,
            partner: orgs.first { $0.id == deal.partnerOrganizationID }?.name)
    }

    /// A refused advance is kept for the weekly review and told to the webhooks.
    static func recordRefusal(
        _ deal: Deal, playbook: Playbook, report: GateReport, by p: Principal, at now: Date, on s: any WorkflowStore
    ) async throws {
        try await s.recordGateRefusal(
            GateRefusal(
                dealID: deal.id, stageKey: report.stageKey, unmet: report.unmet.compactMap(\.missing),
                actorID: p.person.id, actorName: p.person.name, at: now),
            partnershipID: deal.partnershipID)
        let change = DealChange(
            kind: "gate_refused",
            summary: "\(p.person.name) tried to advance the deal: \(DealError.gateClosed(report).message)",
            before: nil, after: nil)
        try await s.enqueue(
            WebhookEvents.events(
                deal: deal, stageKey: playbook.stages[deal.stageIndex].key, changes: [change], at: now),
            dealID: deal.id, at: now)
    }
}
