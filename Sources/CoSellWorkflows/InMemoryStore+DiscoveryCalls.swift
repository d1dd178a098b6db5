import CoSellDomain
import Foundation

extension InMemoryStore {
    public func insertDiscoveryCall(_ call: DiscoveryCall) async throws {
        write { $0.discoveryCalls[call.id] = call }
    }

    public func saveDiscoveryCall(_ call: DiscoveryCall, expectedVersion: Int) async throws {
        let saved: Bool = write { s in
            guard s.discoveryCalls[call.id]?.version == expectedVersion else { return false }
            s.discoveryCalls[call.id] = call
            return true
        }
        if !saved {
            throw WorkflowError.conflict(
                "The discovery call was changed by someone else since version \(expectedVersion) was read; reload it and try again."
            )
        }
    }

    public func discoveryCall(_ id: UUID) async throws -> DiscoveryCall? {
        read { $0.discoveryCalls[id] }
    }

    public func discoveryCalls(ofPartnerships ids: [UUID]) async throws -> [UUID: [DiscoveryCall]] {
        var out: [UUID: [DiscoveryCall]] = [:]
        for id in Set(ids) {
            let calls = try await discoveryCalls(of: id)
            if !calls.isEmpty { out[id] = calls }
        }
        return out
    }

    public func discoveryCalls(of partnershipID: UUID) async throws -> [DiscoveryCall] {
        read { s in
            s.discoveryCalls.values.filter { $0.partnershipID == partnershipID }
                .sorted {
                    ($0.content.heldOn, $0.createdAt, $0.id.uuidString) < (
                        $1.content.heldOn, $1.createdAt, $1.id.uuidString
                    )
                }
        }
    }
}
