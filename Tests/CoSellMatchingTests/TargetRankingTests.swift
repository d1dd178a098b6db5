import CoSellMatching
import Testing

/// The target ranking as pure functions: the play, each side's fit, the priority and the order.
@Suite("Target ranking")
struct TargetRankingTests {
    let profile = IdealCustomerProfile(industries: ["Software"], employeeRange: 100...5_000, countries: ["US"])

    struct Case: Sendable, CustomTestStringConvertible {
        var play: Play
        var host: Fit
        var partner: Fit
        var relation: OverlapRelation
        var expected: Int
        var testDescription: String { "\(play) \(host)/\(partner) \(relation)" }
    }

    @Test(
        "priority: both fits, then the play, then same account before family",
        arguments: [
            Case(play: .partner_opens_door, host: .strong, partner: .strong, relation: .same_account, expected: 435),
            Case(play: .host_opens_door, host: .strong, partner: .partial, relation: .same_account, expected: 335),
            Case(play: .shared_customer, host: .partial, partner: .partial, relation: .same_account, expected: 225),
            Case(play: .joint_prospect, host: .strong, partner: .strong, relation: .same_family, expected: 410),
            Case(play: .other, host: .strong, partner: .strong, relation: .same_family, expected: 400),
            // Any side that does not fit at all counts no fit, however strong the other.
            Case(play: .partner_opens_door, host: .strong, partner: Fit.none, relation: .same_account, expected: 35),
            Case(play: .shared_customer, host: Fit.none, partner: .strong, relation: .same_family, expected: 20),
        ])
    func priority(_ c: Case) {
        #expect(
            TargetRanking.priority(play: c.play, hostFit: c.host, partnerFit: c.partner, relation: c.relation)
                == c.expected)
    }

    @Test("a side without a profile counts as a partial fit")
    func noProfileIsPartial() {
        #expect(
            TargetRanking.priority(play: .shared_customer, hostFit: nil, partnerFit: nil, relation: .same_account)
                == 225)
        #expect(
            TargetRanking.priority(play: .shared_customer, hostFit: .strong, partnerFit: nil, relation: .same_account)
                == 325)
    }

    @Test("assess: the play from both populations, each side against its own profile")
    func assess() {
        let host = TargetSide(population: .prospect, industry: "software", employees: 800, country: "US")
        let partner = TargetSide(population: .customer, industry: "Retail", employees: 50, country: "DE")
        let a = TargetRanking.assess(
            host: host, partner: partner, relation: .same_account, hostProfile: profile, partnerProfile: profile)
        #expect(a.play == .partner_opens_door)
        #expect(a.doorOpener == .partner)
        #expect(a.hostFit == .strong)
        #expect(a.partnerFit == Fit.none)
        #expect(a.priority == 35)
        let unprofiled = TargetRanking.assess(
            host: host, partner: partner, relation: .same_account, hostProfile: nil, partnerProfile: nil)
        #expect(unprofiled.hostFit == nil && unprofiled.partnerFit == nil)
        #expect(unprofiled.priority == 235)
    }

    @Test("a family pair of non-customers is no joint prospect; an unknown population ranks as a prospect")
    func familiesAndUnknownPopulations() {
        let a = TargetRanking.assess(
            host: TargetSide(populationNamed: "lead", industry: nil, employees: nil, country: nil),
            partner: TargetSide(population: .open_opportunity), relation: .same_family, hostProfile: nil,
            partnerProfile: nil)
        #expect(a.play == .other)
        #expect(a.doorOpener == nil)
        let same = TargetRanking.assess(
            host: TargetSide(populationNamed: "lead", industry: nil, employees: nil, country: nil),
            partner: TargetSide(population: .customer), relation: .same_account, hostProfile: nil,
            partnerProfile: nil)
        #expect(same.play == .partner_opens_door)
    }

    @Test("order: priority, then score, then the caller's tie-break")
    func order() {
        struct T: Equatable {
            var name: String
            var priority: Int
            var score: Double
        }
        let items = [
            T(name: "b", priority: 225, score: 0.9), T(name: "a", priority: 225, score: 0.9),
            T(name: "c", priority: 435, score: 0.5), T(name: "d", priority: 225, score: 1.0),
        ]
        let ranked = TargetRanking.ordered(items, priority: \.priority, score: \.score) { $0.name < $1.name }
        #expect(ranked.map(\.name) == ["c", "d", "a", "b"])
    }

    @Test("the matrix counts population pairs and hides the partner's columns it does not show")
    func matrix() {
        let m = PopulationMatrix.counting([
            (.customer, .prospect), (.customer, .prospect), (.prospect, .customer), (.open_opportunity, .customer),
        ])
        let rows = m.rows { $0 != .prospect }
        #expect(rows.map(\.population) == [.customer, .open_opportunity, .prospect])
        #expect(rows[0].counts == [0, 0, nil])
        #expect(rows[1].counts == [1, 0, nil])
        #expect(rows[2].counts == [1, 0, nil])
        #expect(m[.customer, .prospect] == 2)
        #expect(m.rows { _ in true }[0].counts == [0, 0, 2])
    }
}
