import CoSellDomain
import FluentKit
import Foundation

final class PartnershipRecord: Model, @unchecked Sendable {
    static let schema = "partnerships"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "organization_a_id") var organizationAID: UUID
    @Field(key: "organization_b_id") var organizationBID: UUID
    @Field(key: "status") var status: String
    @OptionalField(key: "plan") var plan: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "invited_by") var invitedBy: UUID?
    @OptionalField(key: "ended_by") var endedBy: UUID?
    @OptionalField(key: "ended_reason") var endedReason: String?
    /// The pair of organizations while the partnership is not ended (unique); nil once ended.
    @OptionalField(key: "open_pair") var openPair: String?

    init() {}

    /// The two organization ids in order, as one text: the same for either order.
    static func pairKey(_ a: UUID, _ b: UUID) -> String {
        let x = a.uuidString.lowercased()
        let y = b.uuidString.lowercased()
        return x < y ? x + "|" + y : y + "|" + x
    }

    init(_ p: Partnership) throws {
        id = p.id
        name = p.name
        organizationAID = p.organizationIDs[0]
        organizationBID = p.organizationIDs[1]
        status = p.status.rawValue
        plan = try p.plan.map(JSONColumn.encode)
        createdAt = p.createdAt
        invitedBy = p.invitedBy
        endedBy = p.endedBy
        endedReason = p.endedReason
        openPair = p.status == .ended ? nil : Self.pairKey(p.organizationIDs[0], p.organizationIDs[1])
    }

    func domainValue() throws -> Partnership {
        var p = Partnership(
            id: id!, name: name, organizationIDs: [organizationAID, organizationBID],
            status: Partnership.Status(rawValue: status) ?? .ended,
            plan: try plan.map { try JSONColumn.decode(CoSellPlan.self, from: $0) }, createdAt: createdAt)
        p.invitedBy = invitedBy
        p.endedBy = endedBy
        p.endedReason = endedReason
        return p
    }
}

final class JointAccountRecord: Model, @unchecked Sendable {
    static let schema = "joint_accounts"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "name") var name: String
    @OptionalField(key: "domain") var domain: String?
    @OptionalField(key: "country") var country: String?
    @OptionalField(key: "industry") var industry: String?
    @OptionalField(key: "employees") var employees: Int?
    @Field(key: "origin") var origin: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "populations") var populations: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "street") var street: String?
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "state") var state: String?
    @OptionalField(key: "postal_code") var postalCode: String?

    init() {}

    init(_ a: JointAccount) throws {
        id = a.id
        partnershipID = a.partnershipID
        name = a.name
        domain = a.domain
        country = a.country
        industry = a.industry
        employees = a.employees
        origin = a.origin.rawValue
        reason = a.reason
        populations = try JSONColumn.encode(a.populations)
        createdAt = a.createdAt
        street = a.address?.line1
        city = a.address?.city
        state = a.address?.state
        postalCode = a.address?.postalCode
    }

    func domainValue() throws -> JointAccount {
        JointAccount(
            id: id!, partnershipID: partnershipID, name: name, domain: domain, country: country, industry: industry,
            employees: employees, origin: JointAccount.Origin(rawValue: origin) ?? .added, reason: reason,
            populations: try JSONColumn.decode([AccountPopulation].self, from: populations), createdAt: createdAt,
            address: CustomerAddress(line1: street, city: city, state: state, postalCode: postalCode).nonEmpty)
    }
}
