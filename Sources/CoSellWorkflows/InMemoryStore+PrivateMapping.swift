import Foundation

extension InMemoryStore {
    public func privateMappingKey(partnershipID: UUID, organizationID: UUID) async throws -> PrivateMappingKey? {
        read { $0.privateMappingKeys["\(partnershipID)/\(organizationID)"] }
    }

    public func savePrivateMappingKey(_ key: PrivateMappingKey) async throws {
        write { $0.privateMappingKeys["\(key.partnershipID)/\(key.organizationID)"] = key }
    }

    public func privateMappingRun(_ id: UUID) async throws -> PrivateMappingRun? {
        read { $0.privateMappingRuns[id] }
    }

    public func privateMappingRuns(partnershipID: UUID, since: Date) async throws -> [PrivateMappingRun] {
        read { s in
            s.privateMappingRuns.values.filter { $0.partnershipID == partnershipID && $0.startedAt >= since }
                .sorted { ($0.startedAt, $0.id.uuidString) > ($1.startedAt, $1.id.uuidString) }
        }
    }

    public func insertPrivateMappingRun(_ run: PrivateMappingRun) async throws {
        write { $0.privateMappingRuns[run.id] = run }
    }

    public func updatePrivateMappingRun(_ run: PrivateMappingRun, expectedBatch: Int) async throws -> Bool {
        write { s in
            guard s.privateMappingRuns[run.id]?.nextBatch == expectedBatch else { return false }
            s.privateMappingRuns[run.id] = run
            return true
        }
    }

    public func privateMappingSources(of organizationID: UUID) async throws -> [PrivateMappingSource] {
        read { s in
            s.crmAccounts.values.filter { $0.organizationID == organizationID && $0.status == "active" }.map {
                PrivateMappingSource(name: $0.name, domain: $0.domain, country: $0.country)
            }
        }
    }
}
