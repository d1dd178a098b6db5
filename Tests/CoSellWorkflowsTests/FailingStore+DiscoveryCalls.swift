import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func insertDiscoveryCall(_ call: DiscoveryCall) async throws { try await base.insertDiscoveryCall(call) }
    func saveDiscoveryCall(_ call: DiscoveryCall, expectedVersion: Int) async throws {
        try await base.saveDiscoveryCall(call, expectedVersion: expectedVersion)
    }
    func discoveryCall(_ id: UUID) async throws -> DiscoveryCall? { try await base.discoveryCall(id) }
    func discoveryCalls(of id: UUID) async throws -> [DiscoveryCall] { try await base.discoveryCalls(of: id) }
    func discoveryCalls(ofPartnerships ids: [UUID]) async throws -> [UUID: [DiscoveryCall]] {
        try await base.discoveryCalls(ofPartnerships: ids)
    }
}
