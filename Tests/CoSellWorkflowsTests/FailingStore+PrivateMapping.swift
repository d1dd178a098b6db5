import CoSellWorkflows
import Foundation

extension FailingStore {
    func privateMappingKey(partnershipID: UUID, organizationID: UUID) async throws -> PrivateMappingKey? {
        try await base.privateMappingKey(partnershipID: partnershipID, organizationID: organizationID)
    }

    func savePrivateMappingKey(_ key: PrivateMappingKey) async throws {
        try await base.savePrivateMappingKey(key)
    }

    func privateMappingRun(_ id: UUID) async throws -> PrivateMappingRun? {
        try await base.privateMappingRun(id)
    }

    func privateMappingRuns(partnershipID: UUID, since: Date) async throws -> [PrivateMappingRun] {
        try await base.privateMappingRuns(partnershipID: partnershipID, since: since)
    }

    func insertPrivateMappingRun(_ run: PrivateMappingRun) async throws {
        try await base.insertPrivateMappingRun(run)
    }

    func updatePrivateMappingRun(_ run: PrivateMappingRun, expectedBatch: Int) async throws -> Bool {
        try await base.updatePrivateMappingRun(run, expectedBatch: expectedBatch)
    }

    func privateMappingSources(of organizationID: UUID) async throws -> [PrivateMappingSource] {
        try await base.privateMappingSources(of: organizationID)
    }
}
