import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

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
    @OptionalField(key: "status") var status: String?
    @OptionalField(key: "host_organization_id") var hostOrganizationID: UUID?
    @OptionalField(key: "submitting_organization_id") var submittingOrganizationID: UUID?
    @OptionalField(key: "account_key") var accountKey: String?
    @OptionalField(key: "opportunity_key") var opportunityKey: String?
    @OptionalField(key: "accepted_slot") var acceptedSlot: String?

    init() {}

    /// The ledger row of a registered deal, holding `openSlot` ("open" while the deal is in play,
    /// else the deal's id).
    init(_ deal: Deal, registration reg: Registration, openSlot: String) {
        id = UUID()
        dealID = deal.id
        partnershipID = deal.partnershipID
        jointAccountID = deal.jointAccountID
        registrationCode = reg.registrationID
        attribution = reg.attribution.rawValue
        sourcedBy = reg.sourcedBy.rawValue
        registeredBy = reg.registeredBy
        registeredAt = reg.registeredAt
        self.openSlot = openSlot
        status = reg.status.rawValue
        hostOrganizationID = deal.hostOrganizationID
        submittingOrganizationID = reg.submittedBy.map { deal.organizationID(of: $0) } ?? deal.hostOrganizationID
        opportunityKey = RegistrationClaimKeys.opportunity(reg.opportunityID)
        acceptedSlot = deal.registrationHoldsClaim(on: LocalDate(Date())) ? "accepted" : id!.uuidString
    }
}
