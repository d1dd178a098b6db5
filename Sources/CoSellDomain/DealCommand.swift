import Foundation

/// Every change a person can make to a deal.
public enum DealCommand: Sendable, Equatable {
    case updateDetails(title: String?, amount: Money?, expectedCloseDate: LocalDate?)
    case recordIcpFit(fit: Fit, note: String?)
    case commit
    case nameDoorOpener(side: Side, kind: DoorOpenerKind, ownerID: UUID)
    /// `timeZone` (an IANA name) is the one the meeting was set in, shown with its time.
    case bookFirstMeeting(scheduledFor: Date, attendees: [Attendee], timeZone: String? = nil)
    case writeBrief(briefID: UUID?, customerNeed: String, buyingProcess: BuyingProcess, stakeholders: [Stakeholder])
    case approveBrief(briefID: UUID)
    case withdrawBrief(briefID: UUID, reason: String)
    case recordProof(kind: ProofKind, summary: String)
    case writeClosePlan(planID: UUID?, milestones: [Milestone], decisionDate: LocalDate)
    case withdrawClosePlan(planID: UUID, reason: String)
    case recordCustomerConfirmation(confirmedBy: String, confirmedAt: Date, channel: ConfirmationChannel, note: String?)
    /// A loss needs its category (`lossCategory`); a win ignores both loss fields.
    case recordOutcome(
        result: OutcomeResult, finalAmount: Money, closeDate: LocalDate, lossReason: String?,
        lossCategory: LossCategory? = nil)
    /// After completion: corrects the final amount or the close date, with a reason (admins and partner managers).
    case amendOutcome(finalAmount: Money?, closeDate: LocalDate?, reason: String)
    /// Submits the registration (or amends and resubmits the submitting company's pending or
    /// rejected one); it waits for the other company's acceptance.
    case register(registrationID: String, attribution: Attribution, sourcedBy: Side, opportunityID: String? = nil)
    /// The other company's partner manager or admin accepts the pending registration.
    case acceptRegistration
    /// The other company's partner manager or admin rejects the pending registration, with a reason.
    case rejectRegistration(reason: String)
    /// A partner manager or admin of either company proposes to change the accepted registration's
    /// tag (sourced or influenced, and which company sourced it), with a reason.
    case proposeRegistrationAmendment(attribution: Attribution, sourcedBy: Side, reason: String)
    /// A partner manager or admin of the other company accepts the proposed change, or rejects it
    /// with a reason.
    case decideRegistrationAmendment(accept: Bool, reason: String?)
    /// The accepting company extends an accepted registration's expiry by the partnership's period.
    case renewRegistration
    case recordReview(heldOn: LocalDate, attendees: [String], lessons: [LessonDraft])
    case addMove(stageKey: String, description: String, side: MoveSide, ownerID: UUID?, dueOn: LocalDate?)
    case updateMove(moveID: UUID, ownerID: UUID?, dueOn: LocalDate?, done: Bool?)
    case advance(overrideReason: String?)
    case moveBack(reason: String)
    /// Ends an open deal for good, with a reason and the lesson it leaves for the next deal.
    case abandon(reason: String, lesson: LessonDraft? = nil)
    /// A lost or abandoned deal is taken up again, with a reason (the host company's admins and
    /// partner managers): it is open again at the stage it was at.
    case reopen(reason: String)
    /// The partnership ended; set by the system on behalf of the side that ended it.
    case endByPartnership(reason: String)
}

public struct LessonDraft: Sendable, Equatable, Codable {
    public var stageKey: String
    public var text: String

    public init(stageKey: String, text: String) {
        self.stageKey = stageKey
        self.text = text
    }
}
