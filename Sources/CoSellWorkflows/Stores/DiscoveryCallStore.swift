import CoSellDomain
import Foundation

/// Where a partnership's discovery calls are kept.
public protocol DiscoveryCallStore: Sendable {
    func insertDiscoveryCall(_ call: DiscoveryCall) async throws
    /// Saves a changed call if its stored version is still `expectedVersion`, else
    /// `WorkflowError.conflict`.
    func saveDiscoveryCall(_ call: DiscoveryCall, expectedVersion: Int) async throws
    func discoveryCall(_ id: UUID) async throws -> DiscoveryCall?
    /// The partnership's calls, the earliest held first.
    func discoveryCalls(of partnershipID: UUID) async throws -> [DiscoveryCall]
    /// The calls of several partnerships at once, by partnership (the earliest held first).
    func discoveryCalls(ofPartnerships ids: [UUID]) async throws -> [UUID: [DiscoveryCall]]
}
