import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWorkflows
import Foundation
import Vapor

/// The stores the workflow tests run on: in memory always; SQLite always; PostgreSQL when
/// `COSELL_TEST_POSTGRES_URL` names a server.
enum StoreKind: CustomStringConvertible, Sendable {
    case memory
    case fluent(TestDatabase)

    static var all: [StoreKind] { [.memory] + TestDatabase.all.map { .fluent($0) } }

    var description: String {
        switch self {
        case .memory: return "memory"
        case .fluent(let db): return db.description
        }
    }
}

/// Two companies in an active partnership, a third company outside it, a joint account and the
/// standard playbook: what a deal needs, written into the store under test.
struct WorkflowFixture: Sendable {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let quarry = Organization(
        id: UUID(), name: "Quarry Data", domain: "quarrydata.example", createdAt: Date(timeIntervalSince1970: 0))
    let halyard = Organization(
        id: UUID(), name: "Halyard Security", domain: "halyardsecurity.example",
        createdAt: Date(timeIntervalSince1970: 0))
    let outsider = Organization(
        id: UUID(), name: "Beacon Cloud", domain: "beaconcloud.example", createdAt: Date(timeIntervalSince1970: 0))
    let daniel: Person
    let priya: Person
    let marcus: Person
    let olga: Person
    let partnership: Partnership
    let account: JointAccount

    init() {
        daniel = Person(
            id: UUID(), organizationID: quarry.id, name: "Daniel Reyes", email: "daniel@quarrydata.example",
            role: .admin)
        priya = Person(
            id: UUID(), organizationID: quarry.id, name: "Priya Shah", email: "priya@quarrydata.example",
            role: .seller)
        marcus = Person(
            id: UUID(), organizationID: halyard.id, name: "Marcus Chen", email: "marcus@halyardsecurity.example",
            role: .admin)
        olga = Person(
            id: UUID(), organizationID: outsider.id, name: "Olga Berg", email: "olga@beaconcloud.example",
            role: .admin)
        partnership = Partnership(
            id: UUID(), name: "Quarry Data + Halyard Security", organizationIDs: [quarry.id, halyard.id],
            createdAt: Date(timeIntervalSince1970: 1_780_000_000))
        account = JointAccount(
            id: UUID(), partnershipID: partnership.id, name: "Northwind Logistics", domain: "northwind.example",
            country: "US", industry: "Logistics", employees: 4_000, origin: .added, reason: "Both sell to them",
            populations: [], createdAt: Date(timeIntervalSince1970: 1_780_000_000))
    }

    var organizations: [Organization] { [quarry, halyard, outsider] }
    var people: [Person] { [daniel, priya, marcus, olga] }

    /// Daniel Reyes (Quarry Data) opens a deal on the joint account.
    func openDeal(_ w: Workflows) async throws -> Deal {
        try await w.deals.open(
            // (A second deal on the fixture's one account says why; a first one keeps no reason.)
            OpenDeal(
                partnershipID: partnership.id, jointAccountID: account.id, title: "Northwind rollout",
                parallelReason: "Another rollout, budgeted apart"),
            by: principal(daniel)
        ).deal
    }

    func principal(_ person: Person, scope: TokenScope = .readWrite) -> Principal {
        Principal(person: person, scope: scope, address: "127.0.0.1")
    }

    /// Runs `body` on a store of `kind` holding the fixture, with verbs whose clock reads `now`.
    func run(_ kind: StoreKind, _ body: (Workflows, Probe) async throws -> Void) async throws {
        let clock: @Sendable () -> Date = { [now] in now }
        switch kind {
        case .memory:
            var state = InMemoryStore.State()
            for o in organizations { state.organizations[o.id] = o }
            for p in people { state.people[p.id] = p }
            state.partnerships[partnership.id] = partnership
            state.accounts[account.id] = account
            state.playbooks = [Playbook.standard(id: Playbook.standardID, createdAt: now)]
            let store = InMemoryStore(state)
            try await body(Workflows(store: store, clock: clock), .memory(store))
        case .fluent(let engine):
            try await withTestApp(engine, demo: false) { app in
                let store = CoSellStore(db: app.db)
                for o in organizations { try await store.insert(o) }
                for p in people { try await store.insert(p, at: now) }
                try await store.insert(partnership)
                try await store.insert(account)
                try await body(Workflows(store: FluentWorkflowStore(store), clock: clock), .fluent(store))
            }
        }
    }
}

/// Reads what a verb wrote besides the deal, from the store under test.
enum Probe: Sendable {
    case memory(InMemoryStore)
    case fluent(CoSellStore)

    func timeline(_ dealID: UUID) async throws -> [DealEvent] {
        switch self {
        case .memory(let s): return s.timeline(of: dealID)
        case .fluent(let s): return try await s.timeline(of: dealID)
        }
    }

    func refusals(_ partnershipID: UUID) async throws -> [GateRefusal] {
        switch self {
        case .memory(let s): return s.state.refusals
        case .fluent(let s):
            return try await s.gateRefusals(
                partnershipID: partnershipID, from: .distantPast, to: .distantFuture)
        }
    }

    func sharingLevel(
        _ partnershipID: UUID, _ organizationID: UUID, _ population: String
    ) async throws
        -> SharingLevel?
    {
        switch self {
        case .memory(let s): return s.state.sharing[InMemoryStore.sharingKey(partnershipID, organizationID, population)]
        case .fluent(let s):
            guard let ps = try await s.partnership(partnershipID) else { return nil }
            return try await s.sharing(of: ps).first {
                $0.organizationID == organizationID && $0.population == population
            }?.level
        }
    }

    /// Puts a lesson captured in `deal`'s review into the library, as a completed review would.
    func captureLesson(_ text: String, on deal: Deal, by author: Person, at: Date) async throws -> UUID {
        let lesson = Lesson(
            id: UUID(), stageKey: "close_register_review", text: text, authorID: author.id, createdAt: at)
        switch self {
        case .memory(let s):
            s.seed {
                $0.lessons[lesson.id] = LibraryLesson(
                    id: lesson.id, dealID: deal.id, partnershipID: deal.partnershipID, stageKey: lesson.stageKey,
                    play: nil, text: text, authorID: author.id, createdAt: at)
            }
        case .fluent(let s):
            var reviewed = deal
            reviewed.evidence.close.review = Review(heldOn: LocalDate(at), attendees: [author.name], lessons: [lesson])
            try await LessonLibrary.sync(reviewed, on: s.db)
        }
        return lesson.id
    }

    func auditKinds(_ organizationID: UUID) async throws -> [String] {
        switch self {
        case .memory(let s): return s.state.auditLog.filter { $0.organizationID == organizationID }.map(\.kind)
        case .fluent(let s): return try await s.auditEvents(of: organizationID, limit: 100, offset: 0).items.map(\.kind)
        }
    }
}

/// A store that fails one kind of write: shows that a verb's unit of work is all or nothing.
struct FailingStore: WorkflowStore {
    let base: any WorkflowStore
    struct Injected: Error {}

    func transaction<T: Sendable>(_ work: @escaping @Sendable (any WorkflowStore) async throws -> T) async throws -> T {
        try await base.transaction { tx in try await work(FailingStore(base: tx)) }
    }

    func organizations(_ ids: [UUID]) async throws -> [Organization] { try await base.organizations(ids) }
    func organization(domain: String) async throws -> Organization? { try await base.organization(domain: domain) }
    func person(_ id: UUID) async throws -> Person? { try await base.person(id) }
    func person(email: String) async throws -> Person? { try await base.person(email: email) }
    func createInvitation(_ i: Invitation, tokenHash: String) async throws {
        try await base.createInvitation(i, tokenHash: tokenHash)
    }
    func deactivate(_ id: UUID, at: Date) async throws { try await base.deactivate(id, at: at) }
    func people(inOrganizations ids: [UUID]) async throws -> [Person] { try await base.people(inOrganizations: ids) }
    func partnership(_ id: UUID) async throws -> Partnership? { try await base.partnership(id) }
    func partnerships(of o: UUID) async throws -> [Partnership] { try await base.partnerships(of: o) }
    func jointAccount(_ id: UUID) async throws -> JointAccount? { try await base.jointAccount(id) }
    func playbook(_ id: UUID, version: Int?) async throws -> Playbook? { try await base.playbook(id, version: version) }
    func latestPlaybooks() async throws -> [Playbook] { try await base.latestPlaybooks() }
    func deal(_ id: UUID) async throws -> Deal? { try await base.deal(id) }
    func libraryLesson(_ id: UUID) async throws -> LibraryLesson? { try await base.libraryLesson(id) }
    func applyLesson(_ l: UUID, on d: UUID, by p: UUID, at: Date) async throws -> LibraryLesson {
        try await base.applyLesson(l, on: d, by: p, at: at)
    }
    func openDeals(of id: UUID) async throws -> [Deal] { try await base.openDeals(of: id) }
    func openDeals(onJointAccount id: UUID) async throws -> [Deal] { try await base.openDeals(onJointAccount: id) }
    func insertDeal(_ deal: Deal, stageKey: String, history: [HistoryEntry]) async throws {
        try await base.insertDeal(deal, stageKey: stageKey, history: history)
    }
    func saveDeal(
        _ deal: Deal, stageKey: String, expectedVersion: Int, changes: [DealChange], actor: Actor, at: Date
    ) async throws -> Deal {
        try await base.saveDeal(
            deal, stageKey: stageKey, expectedVersion: expectedVersion, changes: changes, actor: actor, at: at)
    }
    func enqueue(_ payloads: [WebhookPayload], dealID: UUID?, at: Date) async throws {
        try await base.enqueue(payloads, dealID: dealID, at: at)
    }
    func recordGateRefusal(_ r: GateRefusal, partnershipID: UUID) async throws {
        try await base.recordGateRefusal(r, partnershipID: partnershipID)
    }
    func savePartnershipStatus(_ p: Partnership) async throws { try await base.savePartnershipStatus(p) }
    func insertPartnership(_ p: Partnership) async throws { try await base.insertPartnership(p) }
    func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws {
        try await base.setSharing(
            level, population: population, organizationID: organizationID, partnershipID: partnershipID, at: at)
    }
    func insertJointAccount(_ a: JointAccount) async throws { try await base.insertJointAccount(a) }
    func linkOverlap(_ o: UUID, to a: UUID) async throws { try await base.linkOverlap(o, to: a) }
    /// The last step of every verb that audits: failing here must undo the whole unit of work.
    func audit(_ entry: AuditEvent) async throws { throw Injected() }
}
