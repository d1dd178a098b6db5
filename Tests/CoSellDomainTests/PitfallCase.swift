import CoSellDomain
import Foundation
import Testing

/// A deal built to show one pitfall, and the facts the diagnosis must cite.
struct PitfallCase: Sendable, CustomTestStringConvertible {
    var pitfall: Pitfall
    var name: String
    var evidenceSays: [String]
    var make: @Sendable () -> Deal

    init(_ pitfall: Pitfall, _ name: String, says: [String], make: @escaping @Sendable () -> Deal) {
        self.pitfall = pitfall
        self.name = name
        self.evidenceSays = says
        self.make = make
    }

    var testDescription: String { "\(pitfall.rawValue): \(name)" }

    /// Marks a deal lost `daysAgo` days before now, as `recordOutcome` would.
    static func lost(_ d: Deal, daysAgo: Int = 2) -> Deal {
        var d = d
        d.status = .lost
        d.evidence.close.outcome = Outcome(
            result: .lost, finalAmount: Fixture.usd("0"), closeDate: Fixture.date("2026-03-01"),
            lossReason: "Chose a competitor", recordedBy: Fixture.hostSeller.id,
            recordedAt: Fixture.now.addingTimeInterval(-Double(daysAgo) * 86_400))
        return d
    }

    static var secondBrief: AccountBrief {
        var b = Fixture.brief
        b.id = Fixture.id(61)
        b.writtenBy = .partner
        b.approvals = SidePair(partner: b.approvals.partner)
        return b
    }

    static var secondPlan: ClosePlan {
        var p = Fixture.closePlan
        p.id = Fixture.id(71)
        p.writtenBy = .partner
        return p
    }

    static let all: [PitfallCase] = [
        PitfallCase(
            .pursuingTheWrongAccount, "partner's fit none, selection skipped, stalled at the door-opener",
            says: [
                "The account does not fit the partner side's ideal customer profile.",
                "Target account selection was skipped by an override.",
            ]
        ) {
            var e = Fixture.evidence(through: .doorOpener)
            e.targetSelection.icpFit.partner?.fit = .none
            return Fixture.deal(
                at: .doorOpener, evidence: e, skipped: [.targetAccountSelection], daysInStage: 25)
        },
        PitfallCase(
            .pursuingTheWrongAccount, "host's fit never recorded, lost at discovery",
            says: ["The host side never recorded its ideal-customer-profile fit."]
        ) {
            var e = Fixture.evidence(through: .jointDiscovery)
            e.targetSelection.icpFit.host = nil
            return lost(
                Fixture.deal(at: .jointDiscovery, evidence: e, skipped: [.targetAccountSelection]))
        },
        PitfallCase(
            .pursuingTheWrongAccount, "off the overlap, partial fit, stalled at discovery",
            says: [
                "The account fits the host side's ideal customer profile only partly.",
                "The account is not on the partnership's overlap.",
            ]
        ) {
            var e = Fixture.evidence(through: .jointDiscovery)
            e.targetSelection.icpFit.host?.fit = .partial
            var d = Fixture.deal(at: .jointDiscovery, evidence: e, daysInStage: 31)
            d.accountOnOverlap = false
            d.accountReason = "A hunch"
            return d
        },
        PitfallCase(
            .noDoorOpener, "none named and no meeting past the stage limit",
            says: [
                "No door-opener was named.", "No first joint conversation booked after 30 days (limit 21).",
            ]
        ) {
            Fixture.deal(
                at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection),
                daysInStage: 30)
        },
        PitfallCase(
            .noDoorOpener, "named, but no meeting past the stage limit",
            says: ["No first joint conversation booked after 22 days (limit 21)."]
        ) {
            var e = Fixture.evidence(through: .doorOpener)
            e.doorOpener.firstMeeting = nil
            return Fixture.deal(at: .doorOpener, evidence: e, daysInStage: 22)
        },
        PitfallCase(
            .noDoorOpener, "skipped by override without a meeting, stalled at discovery",
            says: [
                "No first joint conversation was ever booked.",
                "The door-opener stage was skipped by an override.",
            ]
        ) {
            var e = Fixture.evidence(through: .jointDiscovery)
            e.doorOpener.firstMeeting = nil
            return Fixture.deal(at: .jointDiscovery, evidence: e, skipped: [.doorOpener], daysInStage: 40)
        },
        PitfallCase(
            .twoDiscoveriesNotOne, "two briefs, stalled at discovery",
            says: [
                "There are 2 account briefs (written by the host and partner side): separate discoveries.",
                "A brief is approved by the partner side only.",
            ]
        ) {
            var e = Fixture.evidence(through: .jointDiscovery)
            e.jointDiscovery.briefs.append(secondBrief)
            return Fixture.deal(at: .jointDiscovery, evidence: e, daysInStage: 35)
        },
        PitfallCase(
            .twoDiscoveriesNotOne, "one brief approved by the host only, inactive",
            says: ["A brief is approved by the host side only."]
        ) {
            var e = Fixture.evidence(through: .jointDiscovery)
            e.jointDiscovery.briefs[0].approvals.partner = nil
            return Fixture.deal(at: .jointDiscovery, evidence: e, daysInStage: 20, daysSinceActivity: 16)
        },
        PitfallCase(
            .twoDiscoveriesNotOne, "discovery skipped with two briefs, stalled at pursuit",
            says: ["There are 2 account briefs"]
        ) {
            var e = Fixture.evidence(through: .jointPursuit)
            e.jointDiscovery.briefs.append(secondBrief)
            return Fixture.deal(
                at: .jointPursuit, evidence: e, skipped: [.jointDiscovery], daysInStage: 46)
        },
        PitfallCase(
            .competingClosePlans, "two close plans, stalled at pursuit",
            says: ["There are 2 close plans (written by the host and partner side)."]
        ) {
            var e = Fixture.evidence(through: .jointPursuit)
            e.jointPursuit.closePlans.append(secondPlan)
            return Fixture.deal(at: .jointPursuit, evidence: e, daysInStage: 50)
        },
        PitfallCase(
            .competingClosePlans, "milestones owned by the host only, lost",
            says: ["The close plan's milestones are owned by the host side only."]
        ) {
            var e = Fixture.evidence(through: .jointPursuit)
            e.jointPursuit.closePlans[0].milestones.removeAll { $0.ownerParty == .partner }
            return lost(Fixture.deal(at: .jointPursuit, evidence: e))
        },
        PitfallCase(
            .competingClosePlans, "no customer confirmation, stalled at pursuit",
            says: ["The customer has not confirmed the path to a decision."]
        ) {
            var e = Fixture.evidence(through: .jointPursuit)
            e.jointPursuit.customerConfirmation = nil
            return Fixture.deal(at: .jointPursuit, evidence: e, daysInStage: 46)
        },
        PitfallCase(
            .noReview, "won, registered, no lesson 40 days on",
            says: ["The deal closed 40 days ago (limit 30) and no lesson was captured."]
        ) {
            var e = Fixture.evidence(through: .closeRegisterReview)
            e.close.review = nil
            e.close.outcome?.recordedAt = Fixture.now.addingTimeInterval(-40 * 86_400)
            return Fixture.deal(at: .closeRegisterReview, evidence: e, daysInStage: 45)
        },
        PitfallCase(
            .noReview, "lost in pursuit and never reviewed",
            says: ["The deal closed 31 days ago (limit 30) and no lesson was captured."]
        ) {
            lost(Fixture.deal(at: .jointPursuit), daysAgo: 31)
        },
    ]
}
