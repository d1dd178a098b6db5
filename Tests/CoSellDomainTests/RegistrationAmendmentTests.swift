import Foundation
import Testing

@testable import CoSellDomain

/// An accepted registration's tag changes only when both companies agree.
@Suite("Amending a registration's tag")
struct RegistrationAmendmentTests {
    /// Won, reviewed, registered partner-sourced by Halyard (the partner) and accepted by Quarry.
    static var registered: Deal { Fixture.deal(at: .closeRegisterReview) }
    static let toInfluenced = DealCommand.proposeRegistrationAmendment(
        attribution: .partnerInfluenced, sourcedBy: .host, reason: "Quarry had the opportunity open before the intro.")

    static func apply(_ c: DealCommand, to d: Deal, by p: Person) throws(DealError) -> (Deal, [DealChange]) {
        try DealEngine.apply(c, to: d, by: Fixture.actor(p), context: RegistrationWorkflowTests.context())
    }

    @Test("one company proposes, the other accepts: the tag changes, both steps on the timeline")
    func proposeAndAccept() throws {
        let before = try #require(Self.registered.evidence.close.registration)
        #expect(before.attribution == .partnerSourced && before.status == .accepted)
        let (proposed, c1) = try Self.apply(Self.toInfluenced, to: Self.registered, by: Fixture.hostManager)
        let pending = try #require(proposed.evidence.close.registration?.pendingAmendment)
        #expect(pending.proposedBy == .host && pending.attribution == .partnerInfluenced)
        // Nothing changes until the other company accepts.
        #expect(proposed.evidence.close.registration?.attribution == .partnerSourced)
        #expect(c1.map(\.kind) == ["registration_amendment_proposed"])
        #expect(c1.first?.summary.contains("It waits for \(Fixture.partnerOrg.name)'s decision.") == true)
        // The proposer cannot decide on its own proposal.
        #expect(throws: DealError.self) {
            try Self.apply(.decideRegistrationAmendment(accept: true, reason: nil), to: proposed, by: Fixture.hostAdmin)
        }
        let (accepted, c2) = try Self.apply(
            .decideRegistrationAmendment(accept: true, reason: nil), to: proposed, by: Fixture.partnerManager)
        let reg = try #require(accepted.evidence.close.registration)
        #expect(reg.attribution == .partnerInfluenced && reg.sourcedBy == .host)
        #expect(reg.pendingAmendment == nil && reg.status == .accepted)
        #expect(c2.map(\.kind) == ["registration_amended"])
        // The revenue facts follow the new tag.
        #expect(DealFacts(accepted).registration?.attribution == .partnerInfluenced)
    }

    @Test("a rejection needs its reason and leaves the tag")
    func rejected() throws {
        let (proposed, _) = try Self.apply(Self.toInfluenced, to: Self.registered, by: Fixture.hostManager)
        #expect(
            throws: DealError.invalid(field: "reason", "Say why the amendment is rejected (3 to 2,000 characters).")
        ) {
            try Self.apply(
                .decideRegistrationAmendment(accept: false, reason: " "), to: proposed, by: Fixture.partnerAdmin)
        }
        let (rejected, changes) = try Self.apply(
            .decideRegistrationAmendment(accept: false, reason: "Halyard brought the CIO in."), to: proposed,
            by: Fixture.partnerAdmin)
        #expect(rejected.evidence.close.registration?.attribution == .partnerSourced)
        #expect(rejected.evidence.close.registration?.pendingAmendment == nil)
        #expect(changes.map(\.kind) == ["registration_amendment_rejected"])
    }

    struct Refusal: CustomStringConvertible, Sendable {
        var name: String
        var command: DealCommand
        var deal: @Sendable () -> Deal
        var by: Person
        var description: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "a pending registration is resubmitted, not amended", command: toInfluenced,
            deal: {
                var d = registered
                d.evidence.close.registration?.status = .pending
                return d
            }, by: Fixture.hostManager),
        Refusal(
            name: "a change to the same tag",
            command: .proposeRegistrationAmendment(
                attribution: .partnerSourced, sourcedBy: .partner, reason: "Just checking"),
            deal: { registered }, by: Fixture.hostManager),
        Refusal(
            name: "a partner-sourced tag sourced by the host",
            command: .proposeRegistrationAmendment(
                attribution: .partnerSourced, sourcedBy: .host, reason: "Mixed up"),
            deal: { registered }, by: Fixture.hostManager),
        Refusal(
            name: "no reason",
            command: .proposeRegistrationAmendment(
                attribution: .partnerInfluenced, sourcedBy: .host, reason: ""),
            deal: { registered }, by: Fixture.hostManager),
        Refusal(
            name: "a decision with nothing proposed", command: .decideRegistrationAmendment(accept: true, reason: nil),
            deal: { registered }, by: Fixture.partnerManager),
        Refusal(name: "a seller proposes", command: toInfluenced, deal: { registered }, by: Fixture.hostSeller),
    ]

    @Test("refused", arguments: refusals)
    func refused(_ r: Refusal) {
        #expect(throws: DealError.self) { try Self.apply(r.command, to: r.deal(), by: r.by) }
    }

    @Test("a completed deal's tag can still be amended (finance reads it then)")
    func afterCompletion() throws {
        var d = Self.registered
        d.completedAt = Fixture.now
        let (proposed, _) = try Self.apply(Self.toInfluenced, to: d, by: Fixture.hostManager)
        let (accepted, _) = try Self.apply(
            .decideRegistrationAmendment(accept: true, reason: nil), to: proposed, by: Fixture.partnerManager)
        #expect(accepted.evidence.close.registration?.attribution == .partnerInfluenced)
    }
}
