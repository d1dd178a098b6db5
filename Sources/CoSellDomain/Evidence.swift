import Foundation

/// How well an account fits one company's ideal customer profile.
public enum Fit: String, Codable, Sendable, CaseIterable {
    case strong
    case partial
    case none
}

public struct IcpFitRecord: Codable, Sendable, Equatable {
    public var fit: Fit
    public var note: String?
    public var recordedBy: UUID
    public var recordedAt: Date

    public init(fit: Fit, note: String?, recordedBy: UUID, recordedAt: Date) {
        self.fit = fit
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// A named person of one company committing that company to work the account, or approving a brief.
public struct Signoff: Codable, Sendable, Equatable {
    public var personID: UUID
    public var personName: String
    public var at: Date

    public init(personID: UUID, personName: String, at: Date) {
        self.personID = personID
        self.personName = personName
        self.at = at
    }
}

public struct TargetSelectionEvidence: Codable, Sendable, Equatable {
    public var icpFit: SidePair<IcpFitRecord>
    public var commitments: SidePair<Signoff>

    public init(icpFit: SidePair<IcpFitRecord> = .init(), commitments: SidePair<Signoff> = .init()) {
        self.icpFit = icpFit
        self.commitments = commitments
    }
}

public enum DoorOpenerKind: String, Codable, Sendable, CaseIterable {
    case warmIntroduction = "warm_introduction"
    case customerReferral = "customer_referral"
    case coBrandedOutreach = "co_branded_outreach"

    public var title: String {
        switch self {
        case .warmIntroduction: return "warm introduction"
        case .customerReferral: return "referral into an existing customer"
        case .coBrandedOutreach: return "co-branded outreach"
        }
    }
}

public struct DoorOpenerMove: Codable, Sendable, Equatable {
    public var side: Side
    public var kind: DoorOpenerKind
    public var ownerID: UUID
    public var ownerName: String
    public var namedAt: Date

    public init(side: Side, kind: DoorOpenerKind, ownerID: UUID, ownerName: String, namedAt: Date) {
        self.side = side
        self.kind = kind
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.namedAt = namedAt
    }
}

/// Who a person at a meeting or on a plan speaks for.
public enum Party: String, Codable, Sendable, CaseIterable {
    case host
    case partner
    case customer
}

public struct Attendee: Codable, Sendable, Equatable {
    public var name: String
    public var party: Party
    public var title: String?
    public var email: String?

    public init(name: String, party: Party, title: String? = nil, email: String? = nil) {
        self.name = name
        self.party = party
        self.title = title
        self.email = email
    }
}

/// The first joint conversation: customer and both companies, booked for a date.
public struct JointMeeting: Codable, Sendable, Equatable {
    public var scheduledFor: Date
    public var attendees: [Attendee]
    public var bookedBy: UUID
    public var bookedAt: Date
    /// The IANA time zone the meeting was set in (nil: UTC).
    public var timeZone: String?

    public init(scheduledFor: Date, attendees: [Attendee], bookedBy: UUID, bookedAt: Date, timeZone: String? = nil) {
        self.scheduledFor = scheduledFor
        self.attendees = attendees
        self.bookedBy = bookedBy
        self.bookedAt = bookedAt
        self.timeZone = timeZone
    }
}

public struct DoorOpenerEvidence: Codable, Sendable, Equatable {
    public var doorOpener: DoorOpenerMove?
    public var firstMeeting: JointMeeting?

    public init(doorOpener: DoorOpenerMove? = nil, firstMeeting: JointMeeting? = nil) {
        self.doorOpener = doorOpener
        self.firstMeeting = firstMeeting
    }
}

public struct BuyingProcess: Codable, Sendable, Equatable {
    public var steps: [String]
    public var decisionMakers: [String]
    public var timeline: String

    public init(steps: [String], decisionMakers: [String], timeline: String) {
        self.steps = steps
        self.decisionMakers = decisionMakers
        self.timeline = timeline
    }
}

public struct Stakeholder: Codable, Sendable, Equatable {
    public var name: String
    public var title: String?
    public var role: String?

    public init(name: String, title: String? = nil, role: String? = nil) {
        self.name = name
        self.title = title
        self.role = role
    }
}

/// The written understanding of the customer's need and buying process that one joint discovery
/// produces. A deal should have exactly one; a second one is a separate discovery.
public struct AccountBrief: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var writtenBy: Side
    public var customerNeed: String
    public var buyingProcess: BuyingProcess
    public var stakeholders: [Stakeholder]
    public var approvals: SidePair<Signoff>
    public var withdrawnReason: String?
    public var updatedAt: Date

    public init(
        id: UUID, writtenBy: Side, customerNeed: String, buyingProcess: BuyingProcess, stakeholders: [Stakeholder],
        approvals: SidePair<Signoff> = .init(), withdrawnReason: String? = nil, updatedAt: Date
    ) {
        self.id = id
        self.writtenBy = writtenBy
        self.customerNeed = customerNeed
        self.buyingProcess = buyingProcess
        self.stakeholders = stakeholders
        self.approvals = approvals
        self.withdrawnReason = withdrawnReason
        self.updatedAt = updatedAt
    }

    public var isActive: Bool { withdrawnReason == nil }
}

public struct JointDiscoveryEvidence: Codable, Sendable, Equatable {
    public var briefs: [AccountBrief]

    public init(briefs: [AccountBrief] = []) { self.briefs = briefs }

    public var activeBriefs: [AccountBrief] { briefs.filter(\.isActive) }
}

public enum ProofKind: String, Codable, Sendable, CaseIterable {
    case proposal
    case proofOfConcept = "proof_of_concept"
    case pilot
}

public struct ProofRecord: Codable, Sendable, Equatable {
    public var kind: ProofKind
    public var summary: String
    public var recordedBy: UUID
    public var recordedAt: Date

    public init(kind: ProofKind, summary: String, recordedBy: UUID, recordedAt: Date) {
        self.kind = kind
        self.summary = summary
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

public struct Milestone: Codable, Sendable, Equatable {
    public var title: String
    public var ownerParty: Party
    public var ownerName: String
    public var dueOn: LocalDate

    public init(title: String, ownerParty: Party, ownerName: String, dueOn: LocalDate) {
        self.title = title
        self.ownerParty = ownerParty
        self.ownerName = ownerName
        self.dueOn = dueOn
    }
}

/// A plan to a decision. A deal should have exactly one, shared by host, partner and customer.
public struct ClosePlan: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var writtenBy: Side
    public var milestones: [Milestone]
    public var decisionDate: LocalDate
    /// The earliest decision date the plan ever aimed at, when an edit moved it later (a decision that
    /// slipped); nil while it never moved later.
    public var firstDecisionDate: LocalDate?
    public var withdrawnReason: String?
    public var updatedAt: Date

    public init(
        id: UUID, writtenBy: Side, milestones: [Milestone], decisionDate: LocalDate, withdrawnReason: String? = nil,
        updatedAt: Date
    ) {
        self.id = id
        self.writtenBy = writtenBy
        self.milestones = milestones
        self.decisionDate = decisionDate
        self.withdrawnReason = withdrawnReason
        self.updatedAt = updatedAt
    }

    public var isActive: Bool { withdrawnReason == nil }

    public var ownerParties: Set<Party> { Set(milestones.map(\.ownerParty)) }
}

public enum ConfirmationChannel: String, Codable, Sendable, CaseIterable {
    case email
    case call
    case meeting
    case writtenDocument = "written_document"
}

/// The customer's own confirmation of how and when they will decide.
public struct CustomerConfirmation: Codable, Sendable, Equatable {
    public var confirmedBy: String
    public var confirmedAt: Date
    public var channel: ConfirmationChannel
    public var note: String?
    public var recordedBy: UUID

    public init(confirmedBy: String, confirmedAt: Date, channel: ConfirmationChannel, note: String?, recordedBy: UUID) {
        self.confirmedBy = confirmedBy
        self.confirmedAt = confirmedAt
        self.channel = channel
        self.note = note
        self.recordedBy = recordedBy
    }
}

public struct JointPursuitEvidence: Codable, Sendable, Equatable {
    public var proof: ProofRecord?
    public var closePlans: [ClosePlan]
    public var customerConfirmation: CustomerConfirmation?

    public init(
        proof: ProofRecord? = nil, closePlans: [ClosePlan] = [], customerConfirmation: CustomerConfirmation? = nil
    ) {
        self.proof = proof
        self.closePlans = closePlans
        self.customerConfirmation = customerConfirmation
    }

    public var activeClosePlans: [ClosePlan] { closePlans.filter(\.isActive) }
}

public enum OutcomeResult: String, Codable, Sendable {
    case won
    case lost
}

extension Outcome {
    /// The close date of a win; nil for a loss.
    public var wonOn: LocalDate? { result == .won ? closeDate : nil }
}

/// Why a deal was lost, as a category: four are the playbook's pitfalls, the others are the market's.
public enum LossCategory: String, Codable, Sendable, CaseIterable {
    case wrongAccount = "wrong_account"
    case noIntroduction = "no_introduction"
    case separateDiscoveries = "separate_discoveries"
    case competingClosePlans = "competing_close_plans"
    case competitor
    case noBudget = "no_budget"
    case noDecision = "no_decision"
    case timing
    case other

    /// The pitfall this loss points to, when it is one of the playbook's.
    public var pitfall: Pitfall? {
        switch self {
        case .wrongAccount: return .pursuingTheWrongAccount
        case .noIntroduction: return .noDoorOpener
        case .separateDiscoveries: return .twoDiscoveriesNotOne
        case .competingClosePlans: return .competingClosePlans
        case .competitor, .noBudget, .noDecision, .timing, .other: return nil
        }
    }

    public var title: String {
        switch self {
        case .wrongAccount: return "The account did not fit (pursuing the wrong account)"
        case .noIntroduction: return "Nobody opened the door (no door-opener)"
        case .separateDiscoveries: return "Each company ran its own discovery (two discoveries, not one)"
        case .competingClosePlans: return "The companies' plans competed (competing close plans)"
        case .competitor: return "A competitor won"
        case .noBudget: return "No budget"
        case .noDecision: return "No decision was made"
        case .timing: return "Timing: the project moved out"
        case .other: return "Another reason (say which below)"
        }
    }
}

public struct Outcome: Codable, Sendable, Equatable {
    public var result: OutcomeResult
    public var finalAmount: Money
    public var closeDate: LocalDate
    public var lossReason: String?
    /// A lost deal's reason as a category (free text in `lossReason`); nil for a win, and for losses
    /// logged before categories existed.
    public var lossCategory: LossCategory?
    public var recordedBy: UUID
    public var recordedAt: Date

    public init(
        result: OutcomeResult, finalAmount: Money, closeDate: LocalDate, lossReason: String?, recordedBy: UUID,
        recordedAt: Date
    ) {
        self.result = result
        self.finalAmount = finalAmount
        self.closeDate = closeDate
        self.lossReason = lossReason
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// Sourced: the partner brought the deal. Influenced: the partner helped a deal the host already had.
public enum Attribution: String, Codable, Sendable, CaseIterable {
    case partnerSourced = "partner_sourced"
    case partnerInfluenced = "partner_influenced"
}

/// Where a registration stands: submitted by one company and waiting for the other (`pending`),
/// agreed by the other company (`accepted`), or refused with a reason (`rejected`). An accepted
/// registration that outlives its expiry date is shown as lapsed (`Registration.isLapsed`).
public enum RegistrationStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case accepted
    case rejected
}

/// The joint opportunity recorded as such. A deal that closes without registration is unprovable.
/// One company submits it; it counts only once the other company accepts it.
/// A proposed change of an accepted registration's tag: sourced or influenced, and which company
/// sourced the deal, with the reason; the other company accepts or rejects it.
public struct RegistrationAmendment: Codable, Sendable, Equatable {
    public var attribution: Attribution
    public var sourcedBy: Side
    public var reason: String
    public var proposedBy: Side
    public var proposedByName: String
    public var proposedAt: Date

    public init(
        attribution: Attribution, sourcedBy: Side, reason: String, proposedBy: Side, proposedByName: String,
        proposedAt: Date
    ) {
        self.attribution = attribution
        self.sourcedBy = sourcedBy
        self.reason = reason
        self.proposedBy = proposedBy
        self.proposedByName = proposedByName
        self.proposedAt = proposedAt
    }
}

public struct Registration: Codable, Sendable, Equatable {
    public var registrationID: String
    public var attribution: Attribution
    public var sourcedBy: Side
    /// The person who submitted it (last), and when.
    public var registeredBy: UUID
    public var registeredByName: String
    public var registeredAt: Date
    public var status: RegistrationStatus
    /// The company that submitted it; the other one decides. Nil only for registrations stored
    /// before the workflow existed (they were one company's word, kept as accepted).
    public var submittedBy: Side?
    /// The opportunity's id in the host's CRM, when known: one accepted registration per opportunity.
    public var opportunityID: String?
    /// The person of the other company who accepted or rejected it, and when.
    public var decidedBy: UUID?
    public var decidedByName: String?
    public var decidedAt: Date?
    public var rejectionReason: String?
    /// The last day it protects the deal; set when accepted, moved by a renewal.
    public var expiresOn: LocalDate?
    /// Set when a partner-sourced claim meets an account the host's CRM already had as a customer or
    /// an open opportunity: both companies read it before the decision.
    public var sourcedClaimWarning: String?
    /// A change of the accepted registration's tag proposed by one company, waiting for the other's
    /// decision (the tag changes only when both agree).
    public var pendingAmendment: RegistrationAmendment?

    public init(
        registrationID: String, attribution: Attribution, sourcedBy: Side, registeredBy: UUID,
        registeredByName: String, registeredAt: Date, status: RegistrationStatus = .accepted,
        submittedBy: Side? = nil, opportunityID: String? = nil, decidedBy: UUID? = nil, decidedByName: String? = nil,
        decidedAt: Date? = nil, rejectionReason: String? = nil, expiresOn: LocalDate? = nil
    ) {
        self.registrationID = registrationID
        self.attribution = attribution
        self.sourcedBy = sourcedBy
        self.registeredBy = registeredBy
        self.registeredByName = registeredByName
        self.registeredAt = registeredAt
        self.status = status
        self.submittedBy = submittedBy
        self.opportunityID = opportunityID
        self.decidedBy = decidedBy
        self.decidedByName = decidedByName
        self.decidedAt = decidedAt
        self.rejectionReason = rejectionReason
        self.expiresOn = expiresOn
    }

    /// Registrations stored before the workflow have no status: they stand as accepted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        registrationID = try c.decode(String.self, forKey: .registrationID)
        attribution = try c.decode(Attribution.self, forKey: .attribution)
        sourcedBy = try c.decode(Side.self, forKey: .sourcedBy)
        registeredBy = try c.decode(UUID.self, forKey: .registeredBy)
        registeredByName = try c.decode(String.self, forKey: .registeredByName)
        registeredAt = try c.decode(Date.self, forKey: .registeredAt)
        status = try c.decodeIfPresent(RegistrationStatus.self, forKey: .status) ?? .accepted
        submittedBy = try c.decodeIfPresent(Side.self, forKey: .submittedBy)
        opportunityID = try c.decodeIfPresent(String.self, forKey: .opportunityID)
        decidedBy = try c.decodeIfPresent(UUID.self, forKey: .decidedBy)
        decidedByName = try c.decodeIfPresent(String.self, forKey: .decidedByName)
        decidedAt = try c.decodeIfPresent(Date.self, forKey: .decidedAt)
        rejectionReason = try c.decodeIfPresent(String.self, forKey: .rejectionReason)
        expiresOn = try c.decodeIfPresent(LocalDate.self, forKey: .expiresOn)
        sourcedClaimWarning = try c.decodeIfPresent(String.self, forKey: .sourcedClaimWarning)
        pendingAmendment = try c.decodeIfPresent(RegistrationAmendment.self, forKey: .pendingAmendment)
    }

    /// The company that decides on it: the other one than the submitter.
    public var decidingSide: Side? { submittedBy?.other }

    /// Accepted, but its protection ran out: past its expiry on `day` with no win closed on or
    /// before the expiry (`closedOn`, the won outcome's close date, when there is one).
    public func isLapsed(on day: LocalDate, wonOn closedOn: LocalDate?) -> Bool {
        guard status == .accepted, let expiresOn else { return false }
        if let closedOn { return closedOn > expiresOn }
        return day > expiresOn
    }

    /// What a person reads: pending, accepted, rejected or lapsed (on `day`).
    public func state(on day: LocalDate, wonOn closedOn: LocalDate?) -> RegistrationState {
        if isLapsed(on: day, wonOn: closedOn) { return .lapsed }
        switch status {
        case .pending: return .pending
        case .accepted: return .accepted
        case .rejected: return .rejected
        }
    }
}

/// A registration's status as shown on a given day: the stored status, or lapsed.
public enum RegistrationState: String, Codable, Sendable, CaseIterable {
    case pending, accepted, rejected, lapsed
}

/// What the playbook got right or wrong at one stage, for the next deal.
public struct Lesson: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var stageKey: String
    public var text: String
    public var authorID: UUID
    public var createdAt: Date

    public init(id: UUID, stageKey: String, text: String, authorID: UUID, createdAt: Date) {
        self.id = id
        self.stageKey = stageKey
        self.text = text
        self.authorID = authorID
        self.createdAt = createdAt
    }
}

public struct Review: Codable, Sendable, Equatable {
    public var heldOn: LocalDate
    public var attendees: [String]
    public var lessons: [Lesson]

    public init(heldOn: LocalDate, attendees: [String], lessons: [Lesson]) {
        self.heldOn = heldOn
        self.attendees = attendees
        self.lessons = lessons
    }
}

/// A correction of a completed deal's outcome, with its reason: the outcome before and after.
public struct OutcomeAmendment: Codable, Sendable, Equatable {
    public var before: Outcome
    public var after: Outcome
    public var reason: String
    public var amendedBy: UUID
    public var amendedByName: String
    public var amendedAt: Date

    public init(
        before: Outcome, after: Outcome, reason: String, amendedBy: UUID, amendedByName: String, amendedAt: Date
    ) {
        self.before = before
        self.after = after
        self.reason = reason
        self.amendedBy = amendedBy
        self.amendedByName = amendedByName
        self.amendedAt = amendedAt
    }
}

public struct CloseEvidence: Codable, Sendable, Equatable {
    public var outcome: Outcome?
    public var registration: Registration?
    public var review: Review?
    /// Corrections made after completion, oldest first.
    public var amendments: [OutcomeAmendment]

    public init(
        outcome: Outcome? = nil, registration: Registration? = nil, review: Review? = nil,
        amendments: [OutcomeAmendment] = []
    ) {
        self.outcome = outcome
        self.registration = registration
        self.review = review
        self.amendments = amendments
    }

    /// Deals stored before amendments existed have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try c.decodeIfPresent(Outcome.self, forKey: .outcome)
        registration = try c.decodeIfPresent(Registration.self, forKey: .registration)
        review = try c.decodeIfPresent(Review.self, forKey: .review)
        amendments = try c.decodeIfPresent([OutcomeAmendment].self, forKey: .amendments) ?? []
    }
}

/// Every piece of evidence a deal holds, by stage.
public struct DealEvidence: Codable, Sendable, Equatable {
    public var targetSelection: TargetSelectionEvidence
    public var doorOpener: DoorOpenerEvidence
    public var jointDiscovery: JointDiscoveryEvidence
    public var jointPursuit: JointPursuitEvidence
    public var close: CloseEvidence

    public init(
        targetSelection: TargetSelectionEvidence = .init(), doorOpener: DoorOpenerEvidence = .init(),
        jointDiscovery: JointDiscoveryEvidence = .init(), jointPursuit: JointPursuitEvidence = .init(),
        close: CloseEvidence = .init()
    ) {
        self.targetSelection = targetSelection
        self.doorOpener = doorOpener
        self.jointDiscovery = jointDiscovery
        self.jointPursuit = jointPursuit
        self.close = close
    }
}
