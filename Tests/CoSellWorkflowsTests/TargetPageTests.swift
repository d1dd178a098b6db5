import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation
import Testing

/// `TargetWorkflows.page`: the search, filters and paging of the targets page, over ranked targets.
@Suite("Target page")
struct TargetPageTests {
    static let quarry = UUID()
    static let halyard = UUID()
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func account(_ org: UUID, _ name: String, _ domain: String?, _ population: Population) -> CRMAccount {
        CRMAccount(
            id: UUID(), organizationID: org, crmID: name, name: name, domain: domain, population: population.rawValue,
            updatedAt: now)
    }

    static func target(
        _ name: String, domain: String? = nil, partnerName: String? = nil, partnerDomain: String? = nil,
        relation: OverlapRelation = .same_account, yours: Population = .customer, theirs: Population = .customer,
        play: Play = .shared_customer, yourFit: CoSellMatching.Fit? = .strong, partnerFit: CoSellMatching.Fit? = .strong
    ) -> TargetWorkflows.RankedTarget {
        TargetWorkflows.RankedTarget(
            overlapID: UUID(), yours: account(quarry, name, domain, yours),
            partners: account(halyard, partnerName ?? name, partnerDomain ?? domain, theirs),
            relation: relation.rawValue, method: "domain", score: 1, play: play, yourFit: yourFit,
            partnerFit: partnerFit, doorOpener: nil, priority: 0)
    }

    /// 130 targets "Account 000" … "Account 129", every fifth one a same-family match.
    static let many: [TargetWorkflows.RankedTarget] = (0..<130).map { i in
        target(
            String(format: "Account %03d", i), domain: "account\(i).example",
            relation: i % 5 == 4 ? .same_family : .same_account)
    }

    @Test("pages of 50 keep the rank order; the counts explain the whole list, filtered or not")
    func paging() {
        let first = TargetWorkflows.page(Self.many, filter: .init(), offset: 0, limit: 50)
        #expect(first.items.map(\.yours.name) == (0..<50).map { String(format: "Account %03d", $0) })
        #expect(first.matched == 130)
        #expect(!first.hasPrevious && first.hasNext)
        #expect((first.sameAccount, first.sameFamily, first.total) == (104, 26, 130))
        let second = TargetWorkflows.page(Self.many, filter: .init(), offset: 50, limit: 50)
        #expect(second.items.first?.yours.name == "Account 050")
        #expect(second.items.count == 50)
        #expect(second.hasPrevious && second.hasNext)
        #expect((second.previousOffset, second.nextOffset) == (0, 100))
        let last = TargetWorkflows.page(Self.many, filter: .init(), offset: 100, limit: 50)
        #expect(last.items.map(\.yours.name) == (100..<130).map { String(format: "Account %03d", $0) })
        #expect(last.hasPrevious && !last.hasNext)
        // Past the end: the last page; before the start: the first.
        let beyond = TargetWorkflows.page(Self.many, filter: .init(), offset: 5_000, limit: 50)
        #expect(beyond.offset == 100)
        #expect(beyond.items.count == 30)
        #expect(TargetWorkflows.page(Self.many, filter: .init(), offset: -7, limit: 50).offset == 0)
        // A filter narrows the matches, never the counts by relation.
        let family = TargetWorkflows.page(Self.many, filter: .init(relation: .same_family), offset: 0, limit: 50)
        #expect(family.matched == 26)
        #expect(family.items.allSatisfy { $0.relation == "same_family" })
        #expect(family.items.first?.yours.name == "Account 004")
        #expect((family.sameAccount, family.sameFamily) == (104, 26))
        let none = TargetWorkflows.page([], filter: .init(text: "x"), offset: 50, limit: 50)
        #expect((none.items.count, none.matched, none.offset, none.hasNext) == (0, 0, 0, false))
    }

    @Test("search: name or domain, either company's record, without case or accents")
    func search() {
        let targets = [
            Self.target("Zürich Reinsurance", domain: "zurich-re.example"),
            Self.target("Acme Software", domain: "acmesoft.example", partnerName: "ACME SOFTWARE GMBH"),
            Self.target("Globex Retail", domain: "globex.example", partnerDomain: "globex-group.example"),
            Self.target("Crème Brûlée Foods", domain: nil),
        ]
        func names(_ text: String) -> [String] {
            TargetWorkflows.page(targets, filter: .init(text: text), offset: 0, limit: 50).items.map(\.yours.name)
        }
        #expect(names("zurich") == ["Zürich Reinsurance"])
        #expect(names("  ZÜRICH ") == ["Zürich Reinsurance"])
        #expect(names("gmbh") == ["Acme Software"])  // the partner's record's name
        #expect(names("globex-group") == ["Globex Retail"])  // the partner's record's domain
        #expect(names("creme brulee") == ["Crème Brûlée Foods"])
        #expect(names("example") == ["Zürich Reinsurance", "Acme Software", "Globex Retail"])
        #expect(names("nowhere").isEmpty)
        #expect(names("   ").count == 4)
    }

    @Test("filters: each population, the play, the relation and the fit by what each company's profile says")
    func filters() {
        let targets = [
            Self.target("Both strong"),
            Self.target("Both partial", yourFit: .partial, partnerFit: .partial),
            Self.target(
                "Only ours", yours: .prospect, play: .partner_opens_door, yourFit: .strong,
                partnerFit: CoSellMatching.Fit.none),
            Self.target(
                "Only theirs", theirs: .prospect, play: .host_opens_door, yourFit: CoSellMatching.Fit.none,
                partnerFit: .partial),
            Self.target("No profile here", relation: .same_family, yourFit: nil, partnerFit: .strong),
            Self.target("No profile there", yours: .open_opportunity, yourFit: .partial, partnerFit: nil),
        ]
        func names(_ filter: TargetWorkflows.TargetFilter) -> [String] {
            TargetWorkflows.page(targets, filter: filter, offset: 0, limit: 50).items.map(\.yours.name)
        }
        #expect(names(.init(fit: .both_strong)) == ["Both strong"])
        #expect(names(.init(fit: .both_fit)) == ["Both strong", "Both partial"])
        #expect(names(.init(fit: .you_fit)) == ["Both strong", "Both partial", "Only ours", "No profile there"])
        #expect(names(.init(fit: .they_fit)) == ["Both strong", "Both partial", "Only theirs", "No profile here"])
        #expect(names(.init(fit: .no_fit)) == ["Only ours", "Only theirs"])
        #expect(names(.init(fit: .unknown)) == ["No profile here", "No profile there"])
        #expect(names(.init(population: .prospect)) == ["Only ours"])
        #expect(names(.init(population: .open_opportunity)) == ["No profile there"])
        #expect(names(.init(partnerPopulation: .prospect)) == ["Only theirs"])
        #expect(names(.init(play: .partner_opens_door)) == ["Only ours"])
        #expect(names(.init(relation: .same_family)) == ["No profile here"])
        #expect(names(.init(relation: .same_account)).count == 5)
        #expect(names(.init(population: .customer, fit: .you_fit)) == ["Both strong", "Both partial"])
        #expect(TargetWorkflows.TargetFilter().isEmpty && !TargetWorkflows.TargetFilter(play: .other).isEmpty)
    }

    @Test("equal ranks fall back to the name without case or accents, then as written, then a fixed tie-break")
    func nameOrder() async throws {
        let f = WorkflowFixture()
        try await f.run(.memory) { w, probe in
            guard case .memory(let s) = probe else { return }
            let names = ["Zephyr Freight", "acme Labs", "Ärzte Bank", "Bravo Co", "ACME Labs", "bravo co"]
            s.seed { state in
                state.overlaps = names.enumerated().map { i, name in
                    let q = Self.account(f.quarry.id, name, "n\(i).example", .customer)
                    let h = Self.account(f.halyard.id, name, "n\(i).example", .customer)
                    state.crmAccounts[q.id] = q
                    state.crmAccounts[h.id] = h
                    return StoredOverlap(
                        id: UUID(), partnershipID: f.partnership.id, accounts: [q, h], relation: "same_account",
                        method: "domain", score: 1)
                }
                state.sharing[InMemoryStore.sharingKey(f.partnership.id, f.halyard.id, "customer")] =
                    .overlappingAccounts
            }
            let ranked = try await w.targets.ranked(in: f.partnership.id, by: f.principal(f.priya))
            #expect(
                ranked.map(\.yours.name) == [
                    "ACME Labs", "acme Labs", "Ärzte Bank", "Bravo Co", "bravo co", "Zephyr Freight",
                ])
            #expect(Set(ranked.map(\.priority)).count == 1)
            // Neither company has a profile: the fits are unknown, and the verb says so.
            #expect(ranked.allSatisfy { $0.yourFit == nil && $0.partnerFit == nil })
            let profiles = try await w.targets.profiles(in: f.partnership.id, by: f.principal(f.priya))
            #expect(profiles.yours == false && profiles.partners == false)
        }
    }
}
