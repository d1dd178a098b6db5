import CoSellDomain
import Foundation
import Testing

@Suite("Compensation beside adoption")
struct CompensationTests {
    let a = UUID()
    let b = UUID()
    var partnership: Partnership {
        Partnership(id: UUID(), name: "A × B", organizationIDs: [a, b], createdAt: Date(timeIntervalSince1970: 0))
    }

    func plan(_ org: UUID, _ credits: CompensationCredit, in ps: Partnership) -> CompensationPlan {
        CompensationPlan(
            partnershipID: ps.id, organizationID: org, credits: credits, note: nil, recordedBy: UUID(),
            recordedAt: Date(timeIntervalSince1970: 100))
    }

    @Test("which registered deals each choice credits")
    func creditsMatrix() {
        #expect(CompensationCredit.both.credits(.partnerSourced) && CompensationCredit.both.credits(.partnerInfluenced))
        #expect(CompensationCredit.sourced.credits(.partnerSourced))
        #expect(!CompensationCredit.sourced.credits(.partnerInfluenced))
        #expect(CompensationCredit.influenced.credits(.partnerInfluenced))
        #expect(!CompensationCredit.influenced.credits(.partnerSourced))
        #expect(!CompensationCredit.neither.credits(.partnerSourced))
        #expect(!CompensationCredit.neither.credits(.partnerInfluenced))
    }

    @Test("nothing recorded is flagged for both companies, in the partnership's order")
    func notRecorded() {
        let ps = partnership
        let lines = Reports.compensation(of: ps, plans: [], registered: [.partnerSourced])
        #expect(lines.map(\.organizationID) == [a, b])
        #expect(lines.allSatisfy { $0.flag == .notRecorded && $0.plan == nil })
    }

    @Test("a plan that credits neither is flagged; one crediting both is not")
    func neitherAndBoth() {
        let ps = partnership
        let lines = Reports.compensation(
            of: ps, plans: [plan(a, .neither, in: ps), plan(b, .both, in: ps)],
            registered: [.partnerSourced, .partnerInfluenced])
        #expect(lines[0].flag == .creditsNeither)
        #expect(lines[1].flag == nil)
        #expect(lines[1].uncreditedDeals == 0)
    }

    @Test("a plan crediting one kind counts the registered deals of the other kind")
    func oneKind() {
        let ps = partnership
        let registered: [Attribution] = [.partnerSourced, .partnerInfluenced, .partnerInfluenced]
        let lines = Reports.compensation(
            of: ps, plans: [plan(a, .sourced, in: ps), plan(b, .influenced, in: ps)], registered: registered)
        #expect(lines[0].flag == .missesRegisteredDeals && lines[0].uncreditedDeals == 2)
        #expect(lines[1].flag == .missesRegisteredDeals && lines[1].uncreditedDeals == 1)
        // No registered deal yet: nothing was missed.
        let none = Reports.compensation(of: ps, plans: [plan(a, .sourced, in: ps)], registered: [])
        #expect(none[0].flag == nil)
        #expect(none[1].flag == .notRecorded)
    }

    @Test("another partnership's plan does not count")
    func otherPartnership() {
        let ps = partnership
        let other = Partnership(id: UUID(), name: "x", organizationIDs: [a, b], createdAt: Date())
        let lines = Reports.compensation(of: ps, plans: [plan(a, .both, in: other)], registered: [])
        #expect(lines[0].flag == .notRecorded)
    }

    @Test("the demo records both companies, and Halyard's plan misses influenced deals")
    func demo() {
        let ws = DemoWorkspace.make(now: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(ws.compensationPlans.count == 2)
        let registered = ws.deals.compactMap { d in
            DealFacts(d.deal).registration.flatMap { $0.counts ? $0.attribution : nil }
        }
        let lines = Reports.compensation(of: ws.partnership, plans: ws.compensationPlans, registered: registered)
        #expect(lines[0].flag == nil)
        let influenced = registered.filter { $0 == .partnerInfluenced }.count
        #expect(influenced > 0, "the demo has an accepted partner-influenced registration")
        #expect(lines[1].flag == .missesRegisteredDeals && lines[1].uncreditedDeals == influenced)
    }
}
