import CoSellDomain
import FluentKit
import Foundation

final class OrganizationRecord: Model, @unchecked Sendable {
    static let schema = "organizations"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "domain") var domain: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ o: Organization) {
        id = o.id
        name = o.name
        domain = o.domain
        createdAt = o.createdAt
    }

    var domainValue: Organization { Organization(id: id!, name: name, domain: domain, createdAt: createdAt) }
}

final class PersonRecord: Model, @unchecked Sendable {
    static let schema = "people"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @OptionalField(key: "title") var title: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?

    init() {}

    init(_ p: Person, createdAt: Date) {
        id = p.id
        organizationID = p.organizationID
        name = p.name
        email = p.email.lowercased()
        role = p.role.rawValue
        title = p.title
        self.createdAt = createdAt
        deactivatedAt = p.deactivatedAt
    }

    var domainValue: Person {
        var p = Person(
            id: id!, organizationID: organizationID, name: name, email: email, role: Role(rawValue: role) ?? .viewer,
            title: title)
        p.deactivatedAt = deactivatedAt
        return p
    }
}

final class APITokenRecord: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "scope") var scope: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
}

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

    init() {}

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

final class PlaybookRecord: Model, @unchecked Sendable {
    static let schema = "playbooks"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "playbook_id") var playbookID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "name") var name: String
    @Field(key: "definition") var definition: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?

    init() {}

    init(_ p: Playbook) throws {
        id = UUID()
        playbookID = p.id
        version = p.version
        name = p.name
        definition = try JSONColumn.encode(p)
        createdAt = p.createdAt
        createdBy = p.createdBy
    }

    func domainValue() throws -> Playbook { try JSONColumn.decode(Playbook.self, from: definition) }
}

final class DealRecord: Model, @unchecked Sendable {
    static let schema = "deals"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "joint_account_id") var jointAccountID: UUID
    @Field(key: "host_organization_id") var hostOrganizationID: UUID
    @Field(key: "partner_organization_id") var partnerOrganizationID: UUID
    @Field(key: "title") var title: String
    @Field(key: "stage_key") var stageKey: String
    @Field(key: "stage_index") var stageIndex: Int
    @Field(key: "status") var status: String
    @OptionalField(key: "amount_minor") var amountMinor: Int64?
    @OptionalField(key: "currency") var currency: String?
    @OptionalField(key: "expected_close_date") var expectedCloseDate: String?
    @Field(key: "playbook_id") var playbookID: UUID
    @Field(key: "playbook_version") var playbookVersion: Int
    @Field(key: "stage_entered_at") var stageEnteredAt: Date
    @Field(key: "last_activity_at") var lastActivityAt: Date
    @OptionalField(key: "completed_at") var completedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "version") var version: Int
    @Field(key: "document") var document: String
    @OptionalField(key: "next_due_on") var nextDueOn: String?

    init() {}

    init(_ d: Deal, stageKey: String) throws {
        id = d.id
        partnershipID = d.partnershipID
        jointAccountID = d.jointAccountID
        hostOrganizationID = d.hostOrganizationID
        partnerOrganizationID = d.partnerOrganizationID
        title = d.title
        self.stageKey = stageKey
        stageIndex = d.stageIndex
        status = d.status.rawValue
        amountMinor = d.amount?.minorUnits
        currency = d.amount?.currency.code
        expectedCloseDate = d.expectedCloseDate?.description
        playbookID = d.playbookID
        playbookVersion = d.playbookVersion
        stageEnteredAt = d.stageEnteredAt
        lastActivityAt = d.lastActivityAt
        completedAt = d.completedAt
        createdAt = d.createdAt
        version = d.version
        document = try JSONColumn.encode(d)
        nextDueOn = d.nextDueOn?.description
    }

    func domainValue() throws -> Deal {
        var d = try JSONColumn.decode(Deal.self, from: document)
        d.version = version
        return d
    }
}

/// A deal's facts (`DealFacts.encoded()`) with the columns reports select by, in a narrow table of
/// their own: lists and reports read these rows without touching the wide rows that carry the
/// documents.
final class DealFactsRecord: Model, @unchecked Sendable {
    static let schema = "deal_facts"
    @ID(custom: "deal_id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "host_organization_id") var hostOrganizationID: UUID
    @Field(key: "partner_organization_id") var partnerOrganizationID: UUID
    @Field(key: "status") var status: String
    @OptionalField(key: "completed_at") var completedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "version") var version: Int
    @Field(key: "facts") var facts: String
    /// The partnership's facts revision this row was written at (`FactsCache`).
    @OptionalField(key: "changed_at_revision") var changedAtRevision: Int64?

    init() {}

    /// The facts of `deal`; `playbook` is the deal's playbook version, for the gate's state.
    init(_ deal: Deal, playbook: Playbook?) {
        id = deal.id
        partnershipID = deal.partnershipID
        hostOrganizationID = deal.hostOrganizationID
        partnerOrganizationID = deal.partnerOrganizationID
        status = deal.status.rawValue
        completedAt = deal.completedAt
        createdAt = deal.createdAt
        version = deal.version
        facts = DealFacts(deal, playbook: playbook).encoded()
    }
}

final class DealEventRecord: Model, @unchecked Sendable {
    static let schema = "deal_events"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "sequence") var sequence: Int
    @Field(key: "at") var at: Date
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "actor_name") var actorName: String
    @Field(key: "kind") var kind: String
    @Field(key: "summary") var summary: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    /// The deal's partnership (a deal never changes partnership), so that a partnership's timeline
    /// is read by one index without a join; set on every insert, filled for older rows by migration
    /// `0014_add_event_partnership`.
    @OptionalField(key: "partnership_id") var partnershipID: UUID?

    init() {}

    init(_ e: DealEvent, partnershipID: UUID) {
        id = e.id
        dealID = e.dealID
        self.partnershipID = partnershipID
        sequence = e.sequence
        at = e.at
        actorID = e.actorID
        actorName = e.actorName
        kind = e.kind
        summary = e.summary
        before = e.before
        after = e.after
    }

    var domainValue: DealEvent {
        DealEvent(
            id: id!, dealID: dealID, sequence: sequence, at: at, actorID: actorID, actorName: actorName, kind: kind,
            summary: summary, before: before, after: after)
    }
}

final class RegistrationRecord: Model, @unchecked Sendable {
    static let schema = "registrations"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "joint_account_id") var jointAccountID: UUID
    @Field(key: "registration_code") var registrationCode: String
    @Field(key: "attribution") var attribution: String
    @Field(key: "sourced_by") var sourcedBy: String
    @Field(key: "registered_by") var registeredBy: UUID
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "open_slot") var openSlot: String

    init() {}
}

/// JSON text columns: portable across SQLite and PostgreSQL.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        // Dates keep their exact Double value so a document round-trips unchanged.
        let e = JSONEncoder()
        e.dateEncodingStrategy = .deferredToDate
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .deferredToDate
        return try d.decode(type, from: Data(text.utf8))
    }
}
