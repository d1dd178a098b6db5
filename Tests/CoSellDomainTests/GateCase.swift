import CoSellDomain
import Foundation
import Testing

/// One part of one stage's exit criterion, with how to take away exactly its evidence.
struct GateCase: Sendable, CustomTestStringConvertible {
    var stage: CriterionKind
    var part: String
    var variant: String
    /// Removes the part's evidence from a deal whose gate is open.
    var remove: @Sendable (inout Deal) -> Void
    /// Parts that check the removed evidence's contents and so go unmet with it (e.g. no meeting: no attendees).
    var dependents: [String]
    /// Words the plain-language `missing` message must contain.
    var missingSays: String

    init(
        _ stage: CriterionKind, _ part: String, _ variant: String = "", dependents: [String] = [],
        says: String,
        remove: @escaping @Sendable (inout Deal) -> Void
    ) {
        self.stage = stage
        self.part = part
        self.variant = variant
        self.remove = remove
        self.dependents = dependents
        self.missingSays = says
    }

    var testDescription: String {
        "\(stage.rawValue) / \(part)" + (variant.isEmpty ? "" : " (\(variant))")
    }

    var expectedUnmet: [String] { [part] + dependents }

    /// The deal at the case's stage with complete evidence, minus the part's evidence.
    var deal: Deal {
        var d = Fixture.deal(at: stage)
        remove(&d)
        return d
    }

    /// At the last stage a deal without a logged outcome is still open and cannot be completed by override.
    var overridable: Bool { !(stage == .closeRegisterReview && part == "outcome") }

    static let all: [GateCase] = [
        // 1. Target account selection
        GateCase(
            .targetAccountSelection, "account_on_overlap", says: "not on the partnership's overlap"
        ) {
            $0.accountOnOverlap = false
            $0.accountReason = nil
        },
        GateCase(
            .targetAccountSelection, "host_icp_fit",
            says: "host side has not recorded its ideal-customer-profile fit"
        ) {
            $0.evidence.targetSelection.icpFit.host = nil
        },
        GateCase(
            .targetAccountSelection, "host_icp_fit", "fit none",
            says: "does not fit its ideal customer profile"
        ) {
            $0.evidence.targetSelection.icpFit.host?.fit = .none
        },
        GateCase(
            .targetAccountSelection, "partner_icp_fit",
            says: "partner side has not recorded its ideal-customer-profile fit"
        ) {
            $0.evidence.targetSelection.icpFit.partner = nil
        },
        GateCase(
            .targetAccountSelection, "partner_icp_fit", "fit none",
            says: "does not fit its ideal customer profile"
        ) {
            $0.evidence.targetSelection.icpFit.partner?.fit = .none
        },
        GateCase(
            .targetAccountSelection, "host_commitment", says: "Nobody on the host side has committed"
        ) {
            $0.evidence.targetSelection.commitments.host = nil
        },
        GateCase(
            .targetAccountSelection, "partner_commitment",
            says: "Nobody on the partner side has committed"
        ) {
            $0.evidence.targetSelection.commitments.partner = nil
        },
        // 2. Door-opener
        GateCase(.doorOpener, "door_opener_named", says: "No door-opener is named") {
            $0.evidence.doorOpener.doorOpener = nil
        },
        GateCase(
            .doorOpener, "first_meeting_booked", dependents: ["meeting_attendees"],
            says: "No first joint conversation is booked"
        ) {
            $0.evidence.doorOpener.firstMeeting = nil
        },
        GateCase(.doorOpener, "meeting_attendees", "no customer", says: "no attendee from: customer") {
            $0.evidence.doorOpener.firstMeeting?.attendees.removeAll { $0.party == .customer }
        },
        GateCase(.doorOpener, "meeting_attendees", "no partner", says: "no attendee from: partner") {
            $0.evidence.doorOpener.firstMeeting?.attendees.removeAll { $0.party == .partner }
        },
        GateCase(.doorOpener, "meeting_attendees", "no host", says: "no attendee from: host") {
            $0.evidence.doorOpener.firstMeeting?.attendees.removeAll { $0.party == .host }
        },
        // 3. Joint discovery
        GateCase(
            .jointDiscovery, "one_brief", "none",
            dependents: ["brief_complete", "host_approval", "partner_approval"],
            says: "There is no shared account brief"
        ) {
            $0.evidence.jointDiscovery.briefs = []
        },
        GateCase(
            .jointDiscovery, "one_brief", "two",
            dependents: ["brief_complete", "host_approval", "partner_approval"],
            says: "There are 2 account briefs"
        ) {
            var second = Fixture.brief
            second.id = Fixture.id(61)
            second.writtenBy = .partner
            $0.evidence.jointDiscovery.briefs.append(second)
        },
        GateCase(
            .jointDiscovery, "brief_complete", "need", says: "The brief is missing the customer's need"
        ) {
            $0.evidence.jointDiscovery.briefs[0].customerNeed = "  "
        },
        GateCase(
            .jointDiscovery, "brief_complete", "steps",
            says: "The brief is missing the buying process steps"
        ) {
            $0.evidence.jointDiscovery.briefs[0].buyingProcess.steps = []
        },
        GateCase(
            .jointDiscovery, "brief_complete", "decision makers",
            says: "The brief is missing the decision makers"
        ) {
            $0.evidence.jointDiscovery.briefs[0].buyingProcess.decisionMakers = []
        },
        GateCase(
            .jointDiscovery, "brief_complete", "timeline", says: "The brief is missing the timeline"
        ) {
            $0.evidence.jointDiscovery.briefs[0].buyingProcess.timeline = ""
        },
        GateCase(
            .jointDiscovery, "brief_complete", "stakeholders",
            says: "The brief is missing the stakeholders"
        ) {
            $0.evidence.jointDiscovery.briefs[0].stakeholders = []
        },
        GateCase(
            .jointDiscovery, "host_approval", says: "Nobody on the host side has approved the brief"
        ) {
            $0.evidence.jointDiscovery.briefs[0].approvals.host = nil
        },
        GateCase(
            .jointDiscovery, "partner_approval", says: "Nobody on the partner side has approved the brief"
        ) {
            $0.evidence.jointDiscovery.briefs[0].approvals.partner = nil
        },
        // 4. Joint pursuit and proof
        GateCase(.jointPursuit, "proof_delivered", says: "No proposal, proof of concept or pilot") {
            $0.evidence.jointPursuit.proof = nil
        },
        GateCase(
            .jointPursuit, "one_close_plan", "none", dependents: ["milestone_owners"],
            says: "There is no close plan"
        ) {
            $0.evidence.jointPursuit.closePlans = []
        },
        GateCase(
            .jointPursuit, "one_close_plan", "two", dependents: ["milestone_owners"],
            says: "There are 2 close plans"
        ) {
            var second = Fixture.closePlan
            second.id = Fixture.id(71)
            second.writtenBy = .partner
            $0.evidence.jointPursuit.closePlans.append(second)
        },
        GateCase(
            .jointPursuit, "milestone_owners", "no partner", says: "No milestone is owned by: partner"
        ) {
            $0.evidence.jointPursuit.closePlans[0].milestones.removeAll { $0.ownerParty == .partner }
        },
        GateCase(
            .jointPursuit, "milestone_owners", "no customer", says: "No milestone is owned by: customer"
        ) {
            $0.evidence.jointPursuit.closePlans[0].milestones.removeAll { $0.ownerParty == .customer }
        },
        GateCase(
            .jointPursuit, "customer_confirmation",
            says: "customer's confirmation of the path to a decision"
        ) {
            $0.evidence.jointPursuit.customerConfirmation = nil
        },
        // 5. Close, register and review
        GateCase(.closeRegisterReview, "outcome", says: "The outcome is not logged") {
            $0.evidence.close.outcome = nil
            $0.status = .open
        },
        GateCase(.closeRegisterReview, "registration", says: "The joint opportunity is not registered") {
            $0.evidence.close.registration = nil
        },
        GateCase(.closeRegisterReview, "review_lesson", "no review", says: "No review is recorded") {
            $0.evidence.close.review = nil
        },
        GateCase(
            .closeRegisterReview, "review_lesson", "no lesson",
            says: "The review has no lesson tied to a stage"
        ) {
            $0.evidence.close.review?.lessons = []
        },
        GateCase(
            .closeRegisterReview, "review_lesson", "lesson on unknown stage",
            says: "no lesson tied to a stage"
        ) {
            $0.evidence.close.review?.lessons[0].stageKey = "negotiation"
        },
    ]
}
