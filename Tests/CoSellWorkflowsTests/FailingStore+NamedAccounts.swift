import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func namedAccounts(of id: UUID) async throws -> [NamedAccount] { try await base.namedAccounts(of: id) }
    func namedAccounts(ofPerson id: UUID) async throws -> [NamedAccount] {
        try await base.namedAccounts(ofPerson: id)
    }
    func replaceNamedAccounts(_ list: [NamedAccount], of o: UUID, in p: UUID) async throws {
        try await base.replaceNamedAccounts(list, of: o, in: p)
    }
    func deals(onJointAccounts ids: [UUID]) async throws -> [Deal] { try await base.deals(onJointAccounts: ids) }
    func jointAccounts(_ ids: [UUID], of p: UUID) async throws -> [JointAccount] {
        try await base.jointAccounts(ids, of: p)
    }
    func namedAccountChoices(of p: UUID, limit: Int) async throws -> [JointAccount] {
        try await base.namedAccountChoices(of: p, limit: limit)
    }
}
