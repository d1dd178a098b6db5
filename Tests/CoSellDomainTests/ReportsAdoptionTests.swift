import CoSellDomain
import Foundation
import Testing

private typealias F = ReportsFixture

///     deal  partnership  owner  stage  passages                                   counted as
///     1     A            1      s3     s0 passed, s1 override, s2 passed          s0 P, s1 O, s2 P
///     2     A            2      s1     s0 passed                                  s0 P
///     3     B            1      s2     s0 passed, s1 override (day 10), moved     s0 P, s1 O (an override
///                                      back from s2 (day 15), s1 passed (day 20)  counts once, even re-passed)
///     4     B            2      s2     none (imported at s2)                      s0 S, s1 S
///     5     A            1      s0     none                                       nothing yet
///
/// P passed with evidence, O overridden, S skipped without a gate. "owner" is the person the host
/// company committed to the account (who opened the deal does not count: owner 2 opens them all);
/// on deal 1 the partner company committed `partnerAE`, who counts for it too.
private let partnerAE = F.id(399)

private func owned(_ d: Deal, by owner: UUID, partner: UUID? = nil) -> Deal {
    var d = d
    d.createdBy = F.owner2
    d.evidence.targetSelection.commitments.host = Signoff(personID: owner, personName: "AE", at: F.day(1))
    if let partner {
        d.evidence.targetSelection.commitments.partner = Signoff(
            personID: partner, personName: "Partner AE", at: F.day(1))
    }
    return d
}

private let adoptionDeals: [Deal] = [
    owned(
        F.deal(
            1, stage: 3, entered: 30,
            passages: [F.passage(0, 0, 5), F.passage(1, 5, 10, .skipped), F.passage(2, 10, 30)],
            partnership: F.partnershipA, owner: F.owner1), by: F.owner1, partner: partnerAE),
    owned(
        F.deal(2, stage: 1, entered: 5, passages: [F.passage(0, 0, 5)], partnership: F.partnershipA, owner: F.owner2),
        by: F.owner2),
    owned(
        F.deal(
            3, stage: 2, entered: 20,
            passages: [
                F.passage(0, 0, 5), F.passage(1, 5, 10, .skipped), F.passage(2, 10, 15, .movedBack),
                F.passage(1, 15, 20),
            ],
            partnership: F.partnershipB, owner: F.owner1), by: F.owner1),
    owned(F.deal(4, stage: 2, entered: 0, partnership: F.partnershipB, owner: F.owner2), by: F.owner2),
    owned(F.deal(5, stage: 0, entered: 0, partnership: F.partnershipA, owner: F.owner1), by: F.owner1),
]

private func counts(_ rows: [AdoptionRow]) -> [[Int]] {
    rows.map { [$0.passed, $0.overridden, $0.skipped] }
}

@Suite("Reports: playbook adoption")
struct ReportsAdoptionTests {
    let report = Reports.adoption(deals: adoptionDeals, playbook: F.playbook)

    @Test func overallPerStage() {
        #expect(report.stages.map(\.key) == F.playbook.stages.map(\.key))
        // s0: P by 1, 2, 3; S by 4. s1: O by 1 and 3, S by 4. s2: P by 1 (3's move back is no exit).
        #expect(counts(report.overall) == [[3, 0, 1], [0, 2, 1], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(report.overall.map(\.total) == [4, 3, 1, 0, 0])
        #expect(report.overall[0].passedShare == 0.75)
        #expect(report.overall[0].overriddenShare == 0)
        #expect(report.overall[0].skippedShare == 0.25)
        #expect(report.overall[1].overriddenShare == 2.0 / 3.0)
        #expect(report.overall[3].passedShare == nil)
        #expect(report.overall.allSatisfy { $0.scope == .all && $0.scopeID == nil })
    }

    @Test func perPartnership() {
        #expect(report.byPartnership.count == 10)
        let a = report.byPartnership.filter { $0.scopeID == F.partnershipA }
        let b = report.byPartnership.filter { $0.scopeID == F.partnershipB }
        // A: deals 1, 2, 5. B: deals 3, 4.
        #expect(counts(a) == [[2, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(counts(b) == [[1, 0, 1], [0, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(report.byPartnership.allSatisfy { $0.scope == .partnership })
        #expect(Array(report.byPartnership.prefix(5)) == a)
    }

    @Test func perOwner() {
        let one = report.byOwner.filter { $0.scopeID == F.owner1 }
        let two = report.byOwner.filter { $0.scopeID == F.owner2 }
        // Owner 1: deals 1, 3, 5. Owner 2: deals 2, 4 (though owner 2 opened every deal).
        #expect(counts(one) == [[2, 0, 0], [0, 2, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(counts(two) == [[1, 0, 1], [0, 0, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(one[1].passedShare == 0 && one[1].overriddenShare == 1)
        // Deal 1 also counts for the partner company's owner.
        let partner = report.byOwner.filter { $0.scopeID == partnerAE }
        #expect(counts(partner) == [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(report.byOwner.count == 15)
    }

    @Test func aCompletedDealGotPastEveryStageAndALostOneOnlyTheStagesItLeft() {
        let done = F.deal(
            1, stage: 4, status: .won, entered: 40,
            passages: [
                F.passage(0, 0, 1), F.passage(1, 1, 2, .skipped), F.passage(2, 2, 3), F.passage(3, 3, 4),
                F.passage(4, 4, 5, .skipped),
            ], completedOn: 5)
        // Lost in s2 and completed there: s2 was never left through its gate.
        let lost = F.deal(
            2, stage: 2, status: .lost, entered: 2, passages: [F.passage(0, 0, 1), F.passage(1, 1, 2)], completedOn: 9)
        let r = Reports.adoption(deals: [done, lost], playbook: F.playbook)
        #expect(counts(r.overall) == [[2, 0, 0], [1, 1, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]])
    }

    @Test func passagesOfAnotherPlaybookVersionAreReadByItsKeys() {
        var v2 = F.playbook
        v2.version = 2
        for i in v2.stages.indices { v2.stages[i].key = "custom_\(i)" }
        var d = F.deal(
            1, stage: 2, entered: 10,
            passages: [
                StagePassage(
                    stageKey: "custom_0", enteredAt: F.day(0), exitedAt: F.day(5), exit: .passed, by: F.owner1,
                    reason: nil, unmetAtExit: []),
                StagePassage(
                    stageKey: "custom_1", enteredAt: F.day(5), exitedAt: F.day(10), exit: .skipped, by: F.owner1,
                    reason: "override", unmetAtExit: []),
            ])
        d.playbookVersion = 2
        let r = Reports.adoption(deals: [d], playbook: F.playbook, playbooks: [v2])
        #expect(counts(r.overall).prefix(2) == [[1, 0, 0], [0, 1, 0]])
        // Named by the reference playbook.
        #expect(r.overall[0].stage.key == F.key(0))
        // Without the version, the unknown keys are not read: the stages count as skipped.
        let blind = Reports.adoption(deals: [d], playbook: F.playbook)
        #expect(counts(blind.overall).prefix(2) == [[0, 0, 1], [0, 0, 1]])
    }

    @Test("a date range counts the passages that left their stage in it, by the passage that decides")
    func dateRange() {
        // Days 6 to 12: only the overrides of s1 (day 10, deals 1 and 3) left a stage then; deal 3's
        // later pass of s1 (day 20) does not undo its override; deal 4's stages have no passage (no date).
        let r = Reports.adoption(
            facts: adoptionDeals.map { DealFacts($0) }, playbook: F.playbook, from: LocalDate(F.day(6)),
            to: LocalDate(F.day(12)))
        #expect(counts(r.overall) == [[0, 0, 0], [0, 2, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(r.from == LocalDate(F.day(6)) && r.to == LocalDate(F.day(12)))
        // Open-ended: from day 20 on, deal 1's s2 pass (day 30); s1 of deal 3 stays its day-10 override.
        let later = Reports.adoption(
            facts: adoptionDeals.map { DealFacts($0) }, playbook: F.playbook, from: LocalDate(F.day(20)))
        #expect(counts(later.overall) == [[0, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
    }

    @Test func emptyInput() {
        let r = Reports.adoption(deals: [], playbook: F.playbook)
        #expect(r.overall.count == 5)
        #expect(r.overall.allSatisfy { $0.total == 0 && $0.passedShare == nil })
        #expect(r.byPartnership.isEmpty && r.byOwner.isEmpty)
        #expect(
            r.csv().hasPrefix(
                "scope,scope_id,stage_index,stage_key,stage_name,passed,overridden,skipped,total,passed_share,overridden_share,skipped_share\n"
            ))
    }

    @Test func csv() {
        let lines = report.csv().split(separator: "\n").map(String.init)
        // Header, 5 overall, 10 per partnership, 15 per owner.
        #expect(lines.count == 31)
        #expect(lines[1] == "all,,0,target_account_selection,Target account selection,3,0,1,4,0.7500,0.0000,0.2500")
        #expect(lines[5] == "all,,4,close_register_review,\"Close, register and review\",0,0,0,0,,,")
        #expect(
            lines[7]
                == "partnership,00000000-0000-0000-0000-000000000100,1,door_opener,The door-opener move,0,1,0,1,0.0000,1.0000,0.0000"
        )
    }
}
