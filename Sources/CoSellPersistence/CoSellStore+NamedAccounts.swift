import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    public func namedAccounts(of partnershipID: UUID) async throws -> [NamedAccount] {
        try await NamedAccountRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .sort(\.$organizationID).sort(\.$position).all().map(\.value)
    }

    public func namedAccounts(ofPerson personID: UUID) async throws -> [NamedAccount] {
        try await NamedAccountRecord.query(on: db).filter(\.$personID == personID).sort(\.$partnershipID)
            .sort(\.$position).all().map(\.value)
    }

    /// Deletes the company's rows and writes the new list; the caller's transaction makes it one change.
    public func replaceNamedAccounts(
        _ list: [NamedAccount], of organizationID: UUID, in partnershipID: UUID
    )
        async throws
    {
        try await NamedAccountRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$organizationID == organizationID).delete()
        for (i, n) in list.enumerated() {
            try await NamedAccountRecord(n, position: i).create(on: db)
        }
    }

    public func deals(onJointAccounts ids: [UUID]) async throws -> [Deal] {
        guard !ids.isEmpty else { return [] }
        var out: [Deal] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            start += chunk.count
            out += try await DealRecord.query(on: db).filter(\.$jointAccountID ~~ chunk).all().map {
                try $0.domainValue()
            }
        }
        return out
    }

    public func jointAccounts(_ ids: [UUID], of partnershipID: UUID) async throws -> [JointAccount] {
        let found = try await jointAccounts(ids: ids)
        return ids.compactMap { found[$0] }.filter { $0.partnershipID == partnershipID }
    }

    public func namedAccountChoices(of partnershipID: UUID, limit: Int) async throws -> [JointAccount] {
        try await jointAccounts(of: partnershipID, limit: limit, offset: 0).items
    }
}

extension FluentWorkflowStore {
    public func namedAccounts(of partnershipID: UUID) async throws -> [NamedAccount] {
        try await store.namedAccounts(of: partnershipID)
    }

    public func namedAccounts(ofPerson personID: UUID) async throws -> [NamedAccount] {
        try await store.namedAccounts(ofPerson: personID)
    }

    public func replaceNamedAccounts(
        _ list: [NamedAccount], of organizationID: UUID, in partnershipID: UUID
    )
        async throws
    {
        try await store.replaceNamedAccounts(list, of: organizationID, in: partnershipID)
    }

    public func deals(onJointAccounts ids: [UUID]) async throws -> [Deal] {
        try await store.deals(onJointAccounts: ids)
    }

    public func jointAccounts(_ ids: [UUID], of partnershipID: UUID) async throws -> [JointAccount] {
        try await store.jointAccounts(ids, of: partnershipID)
    }

    public func namedAccountChoices(of partnershipID: UUID, limit: Int) async throws -> [JointAccount] {
        try await store.namedAccountChoices(of: partnershipID, limit: limit)
    }
}
