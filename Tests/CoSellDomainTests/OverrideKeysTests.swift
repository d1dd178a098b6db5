import CoSellDomain
import Foundation
import Testing

/// Issue 14: an override that skips the other company's part needs an admin of each company (two
/// keys, the second within 48 hours); the last stage of a won deal is not overridden past its
/// registration or its review.
@Suite("Overrides: two keys for the other company's part")
struct OverrideKeysTests {
    /// At target account selection with Northwind's (the host's) commitment missing.
    static var hostCommitmentMissing: Deal {
        var e = Fixture.evidence(through: .targetAccountSelection)
        e.targetSelection.commitments.host = nil
        return Fixture.deal(at: .targetAccountSelection, evidence: e, status: .open)
    }

    static let reason = "The customer's board meets next week; both teams agreed on the call."

    @Test("the other company's admin is asked, and told; nothing moves until it confirms")
    func firstKeyAsks() throws {
        let deal = Self.hostCommitmentMissing
        let (asked, changes) = try Fixture.apply(
            .advance(overrideReason: Self.reason), to: deal, by: Fixture.partnerAdmin)
        #expect(asked.stageIndex == deal.stageIndex)
        #expect(asked.passages == deal.passages)
        let request = try #require(asked.pendingOverride)
        #expect(request.side == .partner && request.requestedBy == Fixture.partnerAdmin.id)
        #expect(request.expiresAt == Fixture.now.addingTimeInterval(48 * 3_600))
        #expect(changes.map(\.kind) == ["override_requested"])
        let actions = NextActions.of(
            asked, playbook: Fixture.playbook, companyNames: [:], today: LocalDate(Fixture.now))
        let confirm = try #require(actions.first { $0.part == "override_confirmation" })
        #expect(confirm.organizationIDs == [Fixture.hostOrg.id])
        #expect(confirm.mayAct(Fixture.hostAdmin, isOnDeal: false))
        #expect(!confirm.mayAct(Fixture.hostManager, isOnDeal: true))
        #expect(!confirm.mayAct(Fixture.partnerAdmin, isOnDeal: true))
        // Asking twice is refused while the first request stands.
        _ = expectRefusal(
            Fixture.refusal(.advance(overrideReason: Self.reason), to: asked, by: Fixture.partnerAdmin), "conflict")
    }

    @Test("the second key within 48 hours skips the stage, with both admins on the passage")
    func secondKeyConfirms() throws {
        let (asked, _) = try Fixture.apply(
            .advance(overrideReason: Self.reason), to: Self.hostCommitmentMissing, by: Fixture.partnerAdmin)
        let inTime = Fixture.now.addingTimeInterval(47 * 3_600)
        let (after, changes) = try Fixture.apply(
            .advance(overrideReason: "Agreed: we commit after the board."), to: asked, by: Fixture.hostAdmin,
            now: inTime)
        #expect(after.stageIndex == asked.stageIndex + 1)
        let passage = try #require(after.passages.last)
        #expect(passage.exit == .skipped)
        #expect(passage.by == Fixture.partnerAdmin.id)
        #expect(passage.confirmedBy == Fixture.hostAdmin.id)
        #expect(passage.reason?.contains(Self.reason) == true)
        #expect(passage.reason?.contains("Agreed: we commit after the board.") == true)
        #expect(after.pendingOverride == nil)
        #expect(changes.first?.kind == "gate_overridden")
    }

    @Test("after 48 hours the request has lapsed: the other company's admin overrides its own part alone")
    func lapsedRequest() throws {
        let (asked, _) = try Fixture.apply(
            .advance(overrideReason: Self.reason), to: Self.hostCommitmentMissing, by: Fixture.partnerAdmin)
        let late = Fixture.now.addingTimeInterval(49 * 3_600)
        let (after, _) = try Fixture.apply(
            .advance(overrideReason: "Our own commitment: we skip it ourselves."), to: asked, by: Fixture.hostAdmin,
            now: late)
        let passage = try #require(after.passages.last)
        #expect(passage.by == Fixture.hostAdmin.id)
        #expect(passage.confirmedBy == nil)
        #expect(passage.reason == "Our own commitment: we skip it ourselves.")
        // And the first company's admin asking again after the lapse makes a new request.
        let (again, changes) = try Fixture.apply(
            .advance(overrideReason: Self.reason), to: asked, by: Fixture.partnerAdmin, now: late)
        #expect(changes.map(\.kind) == ["override_requested"])
        #expect(again.pendingOverride?.requestedAt == late)
    }

    @Test("an override of one's own or shared parts needs one admin; moving back drops a request")
    func oneKeyAndMoveBack() throws {
        var e = Fixture.evidence(through: .targetAccountSelection)
        e.targetSelection.commitments.partner = nil
        let partnerMissing = Fixture.deal(at: .targetAccountSelection, evidence: e, status: .open)
        let (after, _) = try Fixture.apply(
            .advance(overrideReason: Self.reason), to: partnerMissing, by: Fixture.partnerAdmin)
        #expect(after.stageIndex == partnerMissing.stageIndex + 1)
        #expect(after.passages.last?.confirmedBy == nil)
        // Asked at joint discovery (Northwind's approval missing), then moved back: the request is gone.
        var d = Fixture.deal(at: .jointDiscovery)
        d.evidence.jointDiscovery.briefs[0].approvals.host = nil
        let (asked, _) = try Fixture.apply(.advance(overrideReason: Self.reason), to: d, by: Fixture.partnerAdmin)
        #expect(asked.pendingOverride != nil)
        let (back, _) = try Fixture.apply(
            .moveBack(reason: "The customer wants another discovery call."), to: asked, by: Fixture.hostManager)
        #expect(back.pendingOverride == nil)
    }

    @Test("a won deal is not completed past a missing registration or review; a lost one may be")
    func lastStageLimits() throws {
        var unregistered = Fixture.deal(at: .closeRegisterReview)
        unregistered.evidence.close.registration = nil
        var unreviewed = Fixture.deal(at: .closeRegisterReview)
        unreviewed.evidence.close.review = nil
        for d in [unregistered, unreviewed] {
            let m = expectRefusal(
                Fixture.refusal(.advance(overrideReason: Self.reason), to: d, by: Fixture.hostAdmin), "conflict")
            #expect(m?.contains("registration or its review") == true)
        }
        var lost = unreviewed
        lost.evidence.close.outcome?.result = .lost
        lost.status = .lost
        let (after, _) = try Fixture.apply(.advance(overrideReason: Self.reason), to: lost, by: Fixture.hostAdmin)
        #expect(after.completedAt != nil)
    }
}
