import CoSellDomain
import Foundation

/// One entry of a deal's history as it is written: the change, who made it, when.
public struct HistoryEntry: Sendable {
    public var change: DealChange
    public var actor: Actor
    public var at: Date

    public init(_ change: DealChange, by actor: Actor, at: Date) {
        self.change = change
        self.actor = actor
        self.at = at
    }
}

/// What the verbs read and write, as plain values. Two implementations: the Fluent one in
/// `CoSellPersistence` (SQLite and PostgreSQL) and `InMemoryStore` for fast workflow tests.
///
/// A verb opens one `transaction` and does all of its reads and writes on the store handed to it:
/// either everything it wrote is kept, or nothing is. Errors a store throws for a rule it enforces
/// (a stale version, a duplicate registration) are `WorkflowError`s.
///
/// The deals', partnerships', people's and lessons' reads and writes are declared here. Every other
/// capability declares its own in a protocol of its own file (`Stores/<Capability>Store.swift`),
/// implemented in `InMemoryStore+<Capability>.swift` and `FluentWorkflowStore+<Capability>.swift`,
/// and `WorkflowStore` refines it.
public protocol WorkflowStore:
    Sendable, SecurityStore, WebhookStore, TargetStore, CoSellPlanStore, AccountImportStore,
    ReviewStore, RevenueStore, ReportStore, PlaybookStore, MailStore, CustomerContactStore, PartnerInvitationStore,
    CompensationStore, DiscoveryCallStore, NamedAccountStore, ValuePropositionStore, PrivateMappingStore
{
    /// Runs `work` in one transaction on a store bound to it. A write conflict that the engine
    /// reports as retryable (SQLite's busy lock) runs `work` again, a few times, then throws
    /// `WorkflowError.busy`; any other error rolls back and is rethrown.
    func transaction<T: Sendable>(
        _ work: @escaping @Sendable (any WorkflowStore) async throws -> T
    ) async throws -> T

    // MARK: reads

    func organizations(_ ids: [UUID]) async throws -> [Organization]
    /// The organization whose domain this is (compared in lower case).
    func organization(domain: String) async throws -> Organization?
    func people(inOrganizations ids: [UUID]) async throws -> [Person]
    func person(_ id: UUID) async throws -> Person?
    /// The person with this e-mail (compared in lower case), deactivated or not.
    func person(email: String) async throws -> Person?
    func partnership(_ id: UUID) async throws -> Partnership?
    /// Every partnership the organization is one of the two sides of, oldest first.
    func partnerships(of organizationID: UUID) async throws -> [Partnership]
    func jointAccount(_ id: UUID) async throws -> JointAccount?
    /// A playbook's given version, or its newest when `version` is nil.
    func playbook(_ id: UUID, version: Int?) async throws -> Playbook?
    /// The newest version of every playbook, newest first.
    func latestPlaybooks() async throws -> [Playbook]
    func deal(_ id: UUID) async throws -> Deal?
    /// A lesson of the library (captured in a deal's review).
    func libraryLesson(_ id: UUID) async throws -> LibraryLesson?
    /// The partnership's deals whose status is open.
    func openDeals(of partnershipID: UUID) async throws -> [Deal]
    /// The open deals on one joint account (a second one needs a reason).
    func openDeals(onJointAccount jointAccountID: UUID) async throws -> [Deal]

    // MARK: writes

    /// Writes a new deal with its history (timeline entries numbered from 1), its facts and its
    /// registration; refuses a second open registration of one account in one partnership.
    func insertDeal(_ deal: Deal, stageKey: String, history: [HistoryEntry]) async throws
    /// Saves a changed deal if its stored version is still `expectedVersion` (else
    /// `WorkflowError.conflict`), appends `changes` to its timeline and keeps its facts, participants,
    /// registration and lessons in step. Returns the deal at its new version.
    func saveDeal(
        _ deal: Deal, stageKey: String, expectedVersion: Int, changes: [DealChange], actor: Actor, at: Date
    ) async throws -> Deal
    /// Queues webhook deliveries for the payloads, to every active subscription of their organizations.
    func enqueue(_ payloads: [WebhookPayload], dealID: UUID?, at: Date) async throws
    /// Remembers a refused advance for the weekly review.
    func recordGateRefusal(_ refusal: GateRefusal, partnershipID: UUID) async throws
    func insertPartnership(_ partnership: Partnership) async throws
    func savePartnershipStatus(_ partnership: Partnership) async throws
    /// What one organization shares of one population with its partner in a partnership.
    func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws
    func insertJointAccount(_ account: JointAccount) async throws
    /// Links a mapped overlap to the joint account made from it.
    func linkOverlap(_ overlapID: UUID, to accountID: UUID) async throws
    func audit(_ entry: AuditEvent) async throws
    /// Marks a lesson applied on a deal and counts it; a second time on the same deal is a
    /// `WorkflowError.conflict`. Returns the lesson with its new count.
    func applyLesson(_ lessonID: UUID, on dealID: UUID, by personID: UUID, at: Date) async throws -> LibraryLesson
    /// Keeps an invitation with the hash of its secret accept token.
    func createInvitation(_ invitation: Invitation, tokenHash: String) async throws
    /// Marks a person deactivated: no more sign-ins, tokens or sessions.
    func deactivate(_ personID: UUID, at: Date) async throws
}

extension WorkflowStore {
    func playbook(of deal: Deal) async throws -> Playbook? {
        try await playbook(deal.playbookID, version: deal.playbookVersion)
    }
}
