import CoSellDomain
import CoSellMatching
import Foundation

/// What the account-mapping queries read: the two sides' CRM accounts, their overlaps, what each side
/// shares, and each organization's ideal customer profile.
public protocol TargetStore: Sendable {
    /// The partnership's overlaps whose two accounts are both active, each with its two accounts in
    /// the partnership's organization order.
    func overlaps(of partnership: Partnership) async throws -> [StoredOverlap]
    /// Every population's sharing level for both organizations (organization order, then
    /// population order); a level never set is `hidden`.
    func sharing(of partnership: Partnership) async throws -> [SharingSetting]
    /// The organization's ideal customer profile, if it has stated one.
    func idealCustomerProfile(of organizationID: UUID) async throws -> IdealCustomerProfile?
    /// The organization's active CRM accounts, by name.
    func crmAccounts(of organizationID: UUID) async throws -> [CRMAccount]
    /// How many active CRM accounts the organization has imported.
    func activeAccountCount(of organizationID: UUID) async throws -> Int
}
