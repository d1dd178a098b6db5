import CoSellDomain
import Foundation

/// Where each company's named accounts per account executive are kept, and the deals on them.
public protocol NamedAccountStore: Sendable {
    /// Both companies' named accounts in a partnership, by person then in the order they were listed.
    func namedAccounts(of partnershipID: UUID) async throws -> [NamedAccount]
    /// Every named account of one person, in any partnership.
    func namedAccounts(ofPerson personID: UUID) async throws -> [NamedAccount]
    /// Replaces one company's whole list in a partnership (the other company's stays as it is).
    func replaceNamedAccounts(_ list: [NamedAccount], of organizationID: UUID, in partnershipID: UUID) async throws
    /// Every deal (open or closed) on the joint accounts, for their progress.
    func deals(onJointAccounts ids: [UUID]) async throws -> [Deal]
    /// The partnership's joint accounts with these ids (missing or foreign ids are left out).
    func jointAccounts(_ ids: [UUID], of partnershipID: UUID) async throws -> [JointAccount]
    /// The partnership's joint accounts a company may name, by name (at most `limit`).
    func namedAccountChoices(of partnershipID: UUID, limit: Int) async throws -> [JointAccount]
}
