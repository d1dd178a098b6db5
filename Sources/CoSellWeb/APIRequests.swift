import CoSellDomain
import Foundation

// Request bodies of the JSON API. Keys are snake_case on the wire.

struct CreateDealRequest: Decodable {
    var partnershipID: UUID
    var jointAccountID: UUID
    var title: String
    var hostOrganizationID: UUID?
    var reason: String?
    var amount: Money?
    var expectedCloseDate: LocalDate?
    var playbookID: UUID?
    var parallelReason: String?
}

struct UpdateDealRequest: Decodable {
    var title: String?
    var amount: Money?
    var expectedCloseDate: LocalDate?
}

struct IcpFitRequest: Decodable {
    var fit: Fit
    var note: String?
}

struct DoorOpenerRequest: Decodable {
    var side: Side
    var kind: DoorOpenerKind
    var ownerID: UUID
}

struct FirstMeetingRequest: Decodable {
    var scheduledFor: Date
    var attendees: [Attendee]
    var timeZone: String?
}

struct BriefRequest: Decodable {
    var customerNeed: String
    var buyingProcess: BuyingProcess
    var stakeholders: [Stakeholder]
}

struct ReasonRequest: Decodable {
    var reason: String
}

struct AbandonRequest: Decodable {
    var reason: String
    var lesson: LessonDraft?
}

struct ProofRequest: Decodable {
    var kind: ProofKind
    var summary: String
}

struct ClosePlanRequest: Decodable {
    var milestones: [Milestone]
    var decisionDate: LocalDate
}

struct ConfirmationRequest: Decodable {
    var confirmedBy: String
    var confirmedAt: Date
    var channel: ConfirmationChannel
    var note: String?
}

struct OutcomeRequest: Decodable {
    var result: OutcomeResult
    var finalAmount: Money
    var closeDate: LocalDate
    var lossReason: String?
    var lossCategory: LossCategory?
}

struct AmendmentRequest: Decodable {
    var finalAmount: Money?
    var closeDate: LocalDate?
    var reason: String
}

struct RegistrationRequest: Decodable {
    var registrationID: String
    var attribution: Attribution
    var sourcedBy: Side
    var crmOpportunityID: String?
}

struct ReviewRequest: Decodable {
    var heldOn: LocalDate
    var attendees: [String]
    var lessons: [LessonDraft]
}

struct AdvanceRequest: Decodable {
    var overrideReason: String?
}

struct AddMoveRequest: Decodable {
    var stageKey: String
    var description: String
    var side: MoveSide
    var ownerID: UUID?
    var dueOn: LocalDate?
}

struct UpdateMoveRequest: Decodable {
    var ownerID: UUID?
    var dueOn: LocalDate?
    var done: Bool?
}

struct AddAccountRequest: Decodable {
    var name: String
    var domain: String?
    var country: String?
    var industry: String?
    var employees: Int?
    var reason: String
    var address: CustomerAddress?
}

struct PlaybookVersionRequest: Decodable {
    var name: String
    var stages: [Stage]
    var inactivityLimitDays: Int
}
