import CoSellDomain
import Foundation

// Response bodies of the JSON API that add to the domain values.

struct GateView: Encodable {
    var stageKey: String
    var stageName: String
    var criterion: String
    var open: Bool
    var met: Int
    var total: Int
    var parts: [GatePart]

    init(_ r: GateReport) {
        stageKey = r.stageKey
        stageName = r.stageName
        criterion = r.criterion
        open = r.isOpen
        met = r.metCount
        total = r.parts.count
        parts = r.parts
    }
}

/// A deal with where it stands: its stage, its gate and whether it is stalled.
struct DealView: Encodable {
    var deal: Deal
    var stageKey: String
    var stageName: String
    var gate: GateView
    var stalled: Bool
    /// The registration as it stands today (lapsed included), when there is one.
    var registration: RegistrationView?

    init(_ deal: Deal, playbook: Playbook, now: Date) {
        self.deal = deal
        registration = deal.evidence.close.registration.map {
            RegistrationView($0, deal: deal, today: LocalDate(now))
        }
        let stage = playbook.stages[deal.stageIndex]
        stageKey = stage.key
        stageName = stage.name
        gate = GateView(Gate.evaluate(deal, stage: stage, in: playbook))
        stalled = DealDiagnostics.stall(of: deal, playbook: playbook, now: now).stalled
    }
}

/// A deal's registration in the words of the workflow: its state on the day (pending, accepted,
/// rejected or lapsed), which company submitted it and which one decides.
struct RegistrationView: Encodable {
    var registrationId: String
    var state: RegistrationState
    var attribution: Attribution
    var sourcedBy: Side
    var submittedBy: Side?
    var decidingSide: Side?
    var crmOpportunityId: String?
    var submittedAt: Date
    var decidedAt: Date?
    var decidedByName: String?
    var rejectionReason: String?
    var expiresOn: LocalDate?
    /// A partner-sourced claim on an account the host's CRM already had as a customer or an open
    /// opportunity: both companies read it before the decision.
    var sourcedClaimWarning: String?
    /// A change of the tag one company proposed, waiting for the other's decision.
    var pendingAmendment: RegistrationAmendment?

    init(_ r: Registration, deal: Deal, today: LocalDate) {
        registrationId = r.registrationID
        state = r.state(on: today, wonOn: deal.evidence.close.outcome?.wonOn)
        attribution = r.attribution
        sourcedBy = r.sourcedBy
        submittedBy = r.submittedBy
        decidingSide = r.decidingSide
        crmOpportunityId = r.opportunityID
        submittedAt = r.registeredAt
        decidedAt = r.decidedAt
        decidedByName = r.decidedByName
        rejectionReason = r.rejectionReason
        expiresOn = r.expiresOn
        sourcedClaimWarning = r.sourcedClaimWarning
        pendingAmendment = r.pendingAmendment
    }
}

struct ListView<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
}

struct Health: Encodable {
    var status: String
    var database: String
    var schemaVersion: Int
    var expectedSchemaVersion: Int
    var version: String
}

struct Me: Encodable {
    var person: Person
    var organization: Organization
    var scope: String
}
