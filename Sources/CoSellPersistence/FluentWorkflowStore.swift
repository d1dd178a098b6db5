import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

/// The verbs' store on a Fluent database (SQLite or PostgreSQL): `CoSellStore`'s records behind
/// the `WorkflowStore` protocol, with the unit of work's transaction and its retry.
public struct FluentWorkflowStore: WorkflowStore {
    public let store: CoSellStore
    let inTransaction: Bool
    /// Called before each retry of a transaction SQLite refused for a concurrent writer, with the
    /// retry's number (1 for the first): lets a test act at that moment instead of after a delay.
    let onRetry: (@Sendable (Int) async -> Void)?

    /// Retries after the first attempt, when SQLite refuses a transaction for a concurrent writer.
    public static let maxRetries = 5

    public init(_ store: CoSellStore, onRetry: (@Sendable (Int) async -> Void)? = nil) {
        self.store = store
        self.inTransaction = false
        self.onRetry = onRetry
    }

    private init(transaction db: any Database) {
        store = CoSellStore(db: db)
        inTransaction = true
        onRetry = nil
    }

    public func transaction<T: Sendable>(
        _ work: @escaping @Sendable (any WorkflowStore) async throws -> T
    ) async throws -> T {
        if inTransaction { return try await work(self) }
        var attempt = 0
        while true {
            do {
                return try await store.db.transaction { tx in
                    do {
                        return try await work(FluentWorkflowStore(transaction: tx))
                    } catch let e as StoreError {
                        throw e.asWorkflowError
                    }
                }
            } catch  where isSQLiteWriteConflict(error) {
                // The transaction was rolled back, so running it again is safe.
                guard attempt < Self.maxRetries else { throw WorkflowError.busy }
                attempt += 1
                await onRetry?(attempt)
                try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...30_000_000) * UInt64(attempt))
            }
        }
    }

    // MARK: reads

    public func organizations(_ ids: [UUID]) async throws -> [Organization] { try await store.organizations(ids) }

    public func people(inOrganizations ids: [UUID]) async throws -> [Person] {
        try await store.people(inOrganizations: ids)
    }

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

    public func openDeals(of partnershipID: UUID) async throws -> [Deal] {
        try await store.openDeals(of: partnershipID)
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

    public func savePartnershipStatus(_ partnership: Partnership) async throws {
        try await store.savePartnershipStatus(partnership)
    }

    public func insertJointAccount(_ account: JointAccount) async throws { try await store.insert(account) }

    public func linkOverlap(_ overlapID: UUID, to accountID: UUID) async throws {
        try await store.linkOverlap(overlapID, to: accountID)
    }

    public func audit(_ entry: AuditEvent) async throws { try await store.audit(entry) }
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
