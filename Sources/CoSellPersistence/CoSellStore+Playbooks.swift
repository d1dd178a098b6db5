import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    public func insert(_ p: Playbook) async throws {
        if try await PlaybookRecord.query(on: db).filter(\.$playbookID == p.id).filter(\.$version == p.version).count()
            > 0
        {
            throw StoreError.conflict("Version \(p.version) of this playbook exists already.")
        }
        do {
            try await PlaybookRecord(p).create(on: db)
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict("Version \(p.version) of this playbook exists already.")
        }
    }

    public func playbook(_ id: UUID, version: Int? = nil) async throws -> Playbook? {
        var q = PlaybookRecord.query(on: db).filter(\.$playbookID == id)
        if let version { q = q.filter(\.$version == version) }
        return try await q.sort(\.$version, .descending).first()?.domainValue()
    }

    /// The newest version of every playbook.
    public func latestPlaybooks() async throws -> [Playbook] {
        let all = try await PlaybookRecord.query(on: db).sort(\.$version, .descending).all()
        var seen = Set<UUID>()
        return try all.filter { seen.insert($0.playbookID).inserted }.map { try $0.domainValue() }
    }

    public func playbookVersions(_ id: UUID) async throws -> [Playbook] {
        try await PlaybookRecord.query(on: db).filter(\.$playbookID == id).sort(\.$version).all().map {
            try $0.domainValue()
        }
    }

    /// Every version of every playbook (few rows: for stall limits and the playbooks page).
    public func allPlaybookVersions() async throws -> [Playbook] {
        try await PlaybookRecord.query(on: db).sort(\.$version).all().map { try $0.domainValue() }
    }

    /// Every playbook version by its id and version (few rows).
    func playbooksByVersion() async throws -> [PlaybookVersion: Playbook] {
        var out: [PlaybookVersion: Playbook] = [:]
        for p in try await allPlaybookVersions() { out[p.versionKey] = p }
        return out
    }
}
