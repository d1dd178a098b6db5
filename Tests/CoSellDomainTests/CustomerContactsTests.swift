import Foundation
import Testing

@testable import CoSellDomain

/// Which of the customer's people a deal names, and which a change newly names.
@Suite("Customer contacts named on a deal")
struct CustomerContactsTests {
    func deal() -> Deal {
        var d = Fixture.deal(at: .jointDiscovery)
        d.evidence.jointDiscovery.briefs = []
        d.evidence.jointPursuit.closePlans = []
        return d
    }

    @Test(
        "attendees of the customer, stakeholders of briefs in force and the customer's milestone owners, once per name")
    func named() {
        var d = deal()
        d.evidence.doorOpener.firstMeeting = JointMeeting(
            scheduledFor: Date(timeIntervalSince1970: 0),
            attendees: [
                Attendee(name: "Lena Park", party: .customer, title: "VP Operations", email: "lena@nw.example"),
                Attendee(name: "Priya Natarajan", party: .host),
            ], bookedBy: UUID(), bookedAt: Date(timeIntervalSince1970: 0))
        d.evidence.jointDiscovery.briefs = [
            AccountBrief(
                id: UUID(), writtenBy: .host, customerNeed: "Fewer outages",
                buyingProcess: BuyingProcess(steps: [], decisionMakers: [], timeline: ""),
                stakeholders: [Stakeholder(name: "lena park"), Stakeholder(name: "Omar Haddad", title: "CFO")],
                updatedAt: Date(timeIntervalSince1970: 0)),
            AccountBrief(
                id: UUID(), writtenBy: .partner, customerNeed: "Old",
                buyingProcess: BuyingProcess(steps: [], decisionMakers: [], timeline: ""),
                stakeholders: [Stakeholder(name: "Withdrawn Person")], withdrawnReason: "superseded",
                updatedAt: Date(timeIntervalSince1970: 0)),
        ]
        d.evidence.jointPursuit.closePlans = [
            ClosePlan(
                id: UUID(), writtenBy: .host,
                milestones: [
                    Milestone(
                        title: "Security review", ownerParty: .customer, ownerName: "Ines Costa",
                        dueOn: Fixture.date("2027-01-10")),
                    Milestone(
                        title: "Quote", ownerParty: .host, ownerName: "Priya Natarajan",
                        dueOn: Fixture.date("2027-01-05")),
                ], decisionDate: Fixture.date("2027-02-01"), updatedAt: Date(timeIntervalSince1970: 0))
        ]
        let named = CustomerContacts.named(in: d)
        #expect(named.map(\.name) == ["Lena Park", "Omar Haddad", "Ines Costa"])
        #expect(named[0].title == "VP Operations" && named[0].email == "lena@nw.example")
        #expect(named[1].title == "CFO")
        // Nothing new when nothing changed; a title learnt later is new.
        #expect(CustomerContacts.newlyNamed(before: d, after: d).isEmpty)
        var later = d
        later.evidence.jointDiscovery.briefs[0].stakeholders.append(Stakeholder(name: "Ines Costa", title: "CISO"))
        #expect(CustomerContacts.newlyNamed(before: d, after: later).map(\.name) == ["Ines Costa"])
        #expect(CustomerContacts.newlyNamed(before: nil, after: d).count == 3)
    }
}
