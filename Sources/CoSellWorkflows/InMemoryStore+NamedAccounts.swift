import CoSellDomain
import Foundation

extension InMemoryStore {
    public func namedAccounts(of partnershipID: UUID) async throws -> [NamedAccount] {
        read { $0.namedAccounts.filter { $0.partnershipID == partnershipID } }
    }

    public func namedAccounts(ofPerson personID: UUID) async throws -> [NamedAccount] {
        read { $0.namedAccounts.filter { $0.personID == personID } }
    }

    public func replaceNamedAccounts(
        _ list: [NamedAccount], of organizationID: UUID, in partnershipID: UUID
    )
        async throws
    {
        write { s in
            s.namedAccounts.removeAll { $0.partnershipID == partnershipID && $0.organizationID == organizationID }
            s.namedAccounts += list
        }
    }

    public func deals(onJointAccounts ids: [UUID]) async throws -> [Deal] {
        let wanted = Set(ids)
        return read { $0.deals.values.filter { wanted.contains($0.jointAccountID) } }
    }

    public func jointAccounts(_ ids: [UUID], of partnershipID: UUID) async throws -> [JointAccount] {
        read { s in ids.compactMap { s.accounts[$0] }.filter { $0.partnershipID == partnershipID } }
    }

    public func namedAccountChoices(of partnershipID: UUID, limit: Int) async throws -> [JointAccount] {
        read { s in
            Array(
                s.accounts.values.filter { $0.partnershipID == partnershipID }
                    .sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }.prefix(limit))
        }
    }
}
