import CoSellDomain
import FluentKit
import Foundation

/// One row of `named_accounts` (migration 0030).
final class NamedAccountRecord: Model, @unchecked Sendable {
    static let schema = "named_accounts"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "joint_account_id") var jointAccountID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ n: NamedAccount, position: Int) {
        id = UUID()
        partnershipID = n.partnershipID
        organizationID = n.organizationID
        personID = n.personID
        jointAccountID = n.accountID
        self.position = position
        createdAt = n.createdAt
    }

    var value: NamedAccount {
        NamedAccount(
            partnershipID: partnershipID, organizationID: organizationID, personID: personID,
            accountID: jointAccountID, createdAt: createdAt)
    }
}
