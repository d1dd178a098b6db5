import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

/// The verbs' store on a Fluent database (SQLite or PostgreSQL): `CoSellStore`'s records behind
/// the `WorkflowStore` protocol, with the unit of work's transaction and its retry.
public struct FluentWorkflowStore: WorkflowStore {
    public let store: CoSellStore

    /// The verbs' store over `store`; its transactions retry as `CoSellStore.transaction` does.
    public init(_ store: CoSellStore) {
        self.store = store
    }

    /// A verb's unit of work: `CoSellStore.transaction` (retried while SQLite is busy), on a store
    /// bound to the transaction. A store's refusal becomes the verbs' `WorkflowError`; a database
    /// still busy after the retries becomes `WorkflowError.busy`.
    public func transaction<T: Sendable>(
        _ work: @escaping @Sendable (any WorkflowStore) async throws -> T
    ) async throws -> T {
        try await mappingStoreErrors {
            try await store.transaction { tx in
                try await work(FluentWorkflowStore(CoSellStore(db: tx)))
            }
        }
    }

    /// Runs `work`, giving the store's errors as the workflows' (`StoreError` as its `WorkflowError`,
    /// SQLite's busy lock as `busy`): for `transaction` and for the verbs that open their own.
    func mappingStoreErrors<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let e as StoreError {
            throw e.asWorkflowError
        } catch  where isSQLiteWriteConflict(error) {
            throw WorkflowError.busy
        }
    }

    // MARK: reads

    public func organizations(_ ids: [UUID]) async throws -> [Organization] { try await store.organizations(ids) }

    public func organization(domain: String) async throws -> Organization? {
        try await store.organization(domain: domain)
    }

    public func people(inOrganizations ids: [UUID]) async throws -> [Person] {
        try await store.people(inOrganizations: ids)
    }

    public func person(_ id: UUID) async throws -> Person? { try await store.person(id) }

    public func person(email: String) async throws -> Person? { try await store.person(email: email) }

    public func partnership(_ id: UUID) async throws -> Partnership? { try await store.partnership(id) }

    public func partnerships(of organizationID: UUID) async throws -> [Partnership] {
        try await store.partnerships(of: organizationID)
    }

    public func jointAccount(_ id: UUID) async throws -> JointAccount? { try await store.jointAccount(id) }

    public func playbook(_ id: UUID, version: Int?) async throws -> Playbook? {
        try await store.playbook(id, version: version)
    }

    public func latestPlaybooks() async throws -> [Playbook] { try await store.latestPlaybooks() }

    public func deal(_ id: UUID) async throws -> Deal? { try await store.deal(id) }

    public func libraryLesson(_ id: UUID) async throws -> LibraryLesson? { try await store.libraryLesson(id) }

    public func applyLesson(
        _ lessonID: UUID, on dealID: UUID, by personID: UUID, at: Date
    ) async throws
        -> LibraryLesson
    {
        try await store.applyLesson(lessonID, on: dealID, by: personID, at: at)
    }

    public func openDeals(of partnershipID: UUID) async throws -> [Deal] {
        try await store.openDeals(of: partnershipID)
    }

    public func openDeals(onJointAccount jointAccountID: UUID) async throws -> [Deal] {
        try await store.openDeals(onJointAccount: jointAccountID)
    }

    // MARK: writes

    public func insertDeal(_ deal: Deal, stageKey: String, history: [HistoryEntry]) async throws {
        try await store.importDeal(deal, stageKey: stageKey, events: history.map { ($0.change, $0.actor, $0.at) })
    }

    public func saveDeal(
        _ deal: Deal, stageKey: String, expectedVersion: Int, changes: [DealChange], actor: Actor, at: Date
    ) async throws -> Deal {
        try await store.save(
            deal, stageKey: stageKey, expectedVersion: expectedVersion, changes: changes, actor: actor, at: at)
    }

    public func enqueue(_ payloads: [WebhookPayload], dealID: UUID?, at: Date) async throws {
        try await EventOutbox.enqueue(payloads, dealID: dealID, at: at, on: store.db)
    }

    public func recordGateRefusal(_ refusal: GateRefusal, partnershipID: UUID) async throws {
        try await store.recordGateRefusal(refusal, partnershipID: partnershipID)
    }

    public func insertPartnership(_ partnership: Partnership) async throws { try await store.insert(partnership) }

    public func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws {
        try await store.setSharing(
            level, population: population, organizationID: organizationID, partnershipID: partnershipID, at: at)
    }

    public func savePartnershipStatus(_ partnership: Partnership) async throws {
        try await store.savePartnershipStatus(partnership)
    }

    public func insertJointAccount(_ account: JointAccount) async throws { try await store.insert(account) }

    public func linkOverlap(_ overlapID: UUID, to accountID: UUID) async throws {
        try await store.linkOverlap(overlapID, to: accountID)
    }

    public func audit(_ entry: AuditEvent) async throws { try await store.audit(entry) }

    public func createInvitation(_ invitation: Invitation, tokenHash: String) async throws {
        try await store.createInvitation(invitation, tokenHash: tokenHash)
    }

    public func deactivate(_ personID: UUID, at: Date) async throws { try await store.deactivate(personID, at: at) }
}

extension StoreError {
    /// The same refusal, in the verbs' terms.
    public var asWorkflowError: WorkflowError {
        switch self {
        case .conflict(let m): return .conflict(m)
        case .notFound(let what): return .notFound(what)
        case .invalid(let field, let m): return .invalid(field: field, m)
        }
    }
}
