import CoSellDomain
import Foundation
import Testing

@Suite("Deal engine: the timeline")
struct TimelineTests {
    @Test func aFirstRecordingHasNoBeforeAndASecondShowsThePreviousValue() throws {
        let deal = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence())
        let (first, c1) = try Fixture.apply(
            .recordIcpFit(fit: .partial, note: "Mid-market"), to: deal, by: Fixture.hostSeller,
            now: Fixture.day(10))
        #expect(c1.count == 1)
        #expect(c1[0].before == nil)
        let after1 = try #require(Fixture.json(c1[0].after))
        #expect(after1["fit"] as? String == "partial")
        #expect(after1["note"] as? String == "Mid-market")
        #expect(after1["recorded_by"] as? String == Fixture.hostSeller.id.uuidString)
        #expect(after1["recorded_at"] as? String == "2026-01-15T09:00:00Z")
        let (_, c2) = try Fixture.apply(
            .recordIcpFit(fit: .strong, note: nil), to: first, by: Fixture.hostAdmin)
        #expect(Fixture.json(c2[0].before)?["fit"] as? String == "partial")
        #expect(Fixture.json(c2[0].after)?["fit"] as? String == "strong")
        #expect(c2[0].summary.contains(Fixture.hostAdmin.name))
    }

    @Test func detailChangesCarryTheSummaryBeforeAndAfter() throws {
        let deal = Fixture.deal(at: .jointDiscovery)
        let (after, changes) = try Fixture.apply(
            .updateDetails(
                title: " Globex, all stores ", amount: Fixture.usd("300000.5"),
                expectedCloseDate: Fixture.date("2026-05-31")),
            to: deal, by: Fixture.hostSeller)
        #expect(after.title == "Globex, all stores")
        let before = try #require(Fixture.json(changes[0].before))
        let now = try #require(Fixture.json(changes[0].after))
        #expect(before["title"] as? String == "Globex inventory unification")
        #expect((before["amount"] as? [String: Any])?["amount"] as? String == "250000.00")
        #expect(now["title"] as? String == "Globex, all stores")
        #expect((now["amount"] as? [String: Any])?["amount"] as? String == "300000.50")
        #expect(now["expected_close_date"] as? String == "2026-05-31")
        #expect(before["status"] as? String == "open")
    }

    @Test func everyAcceptedCommandLeavesATraceAndTouchesTheDeal() throws {
        let deal = Fixture.deal(
            at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection),
            daysSinceActivity: 9)
        let commands: [(Person, DealCommand)] = [
            (
                Fixture.hostManager,
                .nameDoorOpener(side: .partner, kind: .coBrandedOutreach, ownerID: Fixture.partnerSeller.id)
            ),
            (
                Fixture.partnerSeller,
                .bookFirstMeeting(scheduledFor: Fixture.day(65), attendees: Fixture.meetingAttendees)
            ),
            (Fixture.hostSeller, .advance(overrideReason: nil)),
        ]
        var d = deal
        var kinds: [String] = []
        for (person, command) in commands {
            let (next, changes) = try Fixture.apply(command, to: d, by: person)
            #expect(!changes.isEmpty)
            #expect(changes.allSatisfy { $0.after != nil && !$0.summary.isEmpty })
            #expect(next.lastActivityAt == Fixture.now)
            kinds += changes.map(\.kind)
            d = next
        }
        #expect(kinds == ["door_opener_named", "first_meeting_booked", "stage_advanced"])
        #expect(d.stageIndex == 2)
    }
}
