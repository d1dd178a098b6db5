import Foundation
import Testing

@testable import CoSellDomain

private let now = Date(timeIntervalSince1970: 1_779_192_000)  // 2026-05-19 12:00 UTC
private let workspace = DemoWorkspace.make(now: now)

@Suite("Deal facts")
struct DealFactsTests {
    @Test("every demo deal's facts read back from their text exactly as written")
    func roundTrip() throws {
        #expect(workspace.deals.count >= 14)
        for demo in workspace.deals {
            let facts = DealFacts(demo.deal, playbook: workspace.playbook)
            let text = facts.encoded()
            let read = try #require(DealFacts(encoded: text, version: demo.deal.version), "\(demo.deal.title)")
            #expect(read == facts, "\(demo.deal.title)")
        }
    }

    @Test("the facts carry what the board shows: the gate count of the current stage and its owners")
    func gateAndOwners() {
        for demo in workspace.deals {
            let deal = demo.deal
            let facts = DealFacts(deal, playbook: workspace.playbook)
            let stage = workspace.playbook.stages[deal.stageIndex]
            let gate = Gate.evaluate(deal, stage: stage, in: workspace.playbook)
            #expect(facts.gateMet == gate.metCount)
            #expect(facts.gateTotal == gate.parts.count)
            let owners = Set(deal.moves.filter { $0.stageKey == stage.key }.compactMap(\.ownerID))
            #expect(Set(facts.stageOwnerIDs) == owners)
            #expect(Set(facts.participantIDs) == deal.participantIDs)
            #expect(facts.openMoves.map(\.id) == deal.moves.filter { $0.doneAt == nil }.map(\.id))
        }
        // Without the playbook at hand the gate is unknown, not zero.
        let blind = DealFacts(workspace.deals[0].deal)
        #expect(blind.gateMet == nil && blind.gateTotal == nil)
    }

    @Test("who is on a deal, from the facts' text, agrees with the deal's participants")
    func participants() throws {
        var checked = 0
        let outsiders = [UUID(), UUID(uuidString: "00000000-0000-4000-8000-000000000000")!]
        for demo in workspace.deals {
            let read = try #require(
                DealFacts(encoded: DealFacts(demo.deal, playbook: workspace.playbook).encoded(), version: 1))
            #expect(read.participantIDs == demo.deal.participantIDs.sorted { $0.uuidString < $1.uuidString })
            for p in workspace.people.map(\.id) + outsiders {
                #expect(read.isParticipant(p) == demo.deal.participantIDs.contains(p), "\(demo.deal.title)")
                checked += 1
            }
        }
        #expect(checked > 100)
        #expect(workspace.deals.contains { !$0.deal.participantIDs.isEmpty })
    }

    @Test("the diagnosis over facts read from text is the diagnosis of the deal, for every demo deal")
    func diagnosisFromText() throws {
        var causes = Set<Pitfall>()
        for demo in workspace.deals {
            let text = DealFacts(demo.deal, playbook: workspace.playbook).encoded()
            let read = try #require(DealFacts(encoded: text, version: 1))
            for at in [now.addingTimeInterval(-20 * 86_400), now, now.addingTimeInterval(40 * 86_400)] {
                let fromText = DealDiagnostics.diagnose(read, playbook: workspace.playbook, now: at)
                let fromDeal = DealDiagnostics.diagnose(demo.deal, playbook: workspace.playbook, now: at)
                #expect(fromText == fromDeal, "\(demo.deal.title)")
                // The quick stall test of lists agrees with the stall report.
                #expect(
                    DealDiagnostics.isStalled(read, playbook: workspace.playbook, now: at, today: LocalDate(at))
                        == fromDeal.stall.stalled, "\(demo.deal.title)")
                if let c = fromText.likelyCause?.pitfall { causes.insert(c) }
            }
        }
        // The demo shows every pitfall, so every branch of the diagnosis ran on facts read from text.
        #expect(causes == Set(Pitfall.allCases))
    }

    @Test("reports over facts read from text equal the reports over the deals")
    func reportsFromText() throws {
        let deals = workspace.deals.map(\.deal)
        let read = try deals.map {
            try #require(DealFacts(encoded: DealFacts($0).encoded(), version: $0.version))
        }
        let pb = workspace.playbook
        #expect(
            Reports.pipeline(facts: read, playbook: pb, now: now)
                == Reports.pipeline(deals: deals, playbook: pb, now: now))
        #expect(Reports.adoption(facts: read, playbook: pb) == Reports.adoption(deals: deals, playbook: pb))
        let rates = ExchangeRateTable(reportingCurrency: Currency(code: "USD")!, entries: [])
        #expect(Reports.partnerRevenue(facts: read, rates: rates) == Reports.partnerRevenue(deals: deals, rates: rates))
        // Not vacuous: the demo has open pipeline, passages and won deals.
        let pipeline = Reports.pipeline(facts: read, playbook: pb, now: now)
        #expect(pipeline.stages.reduce(0) { $0 + $1.openDeals } > 0)
        #expect(pipeline.joint.won > 0)
    }

    @Test("free text with separators, backslashes and any script survives")
    func escaping() throws {
        var deal = workspace.deals[0].deal
        deal.title = "Acme \\ Co\u{1F}\u{1E}\u{1D}\u{1C} \\x1F — 東京 🚀 \"quoted\""
        deal.accountName = "\\\\"
        deal.moves[0].description = "Line one\nline two\u{1E}"
        deal.moves[0].doneAt = nil
        deal.moves[0].ownerName = ""
        let facts = DealFacts(deal)
        let read = try #require(DealFacts(encoded: facts.encoded(), version: 7))
        #expect(read.title == deal.title)
        #expect(read.accountName == deal.accountName)
        #expect(read.openMoves.first?.description == "Line one\nline two\u{1E}")
        #expect(read.openMoves.first?.ownerName == "")
        #expect(read.version == 7)
        #expect(read == DealFacts(deal).with(version: 7))
    }

    @Test("text in another format, cut short or with extra fields is refused, not misread")
    func refusesOtherText() {
        let text = DealFacts(workspace.deals[0].deal).encoded()
        #expect(DealFacts(encoded: "", version: 1) == nil)
        #expect(DealFacts(encoded: "f0" + text.dropFirst(2), version: 1) == nil)
        #expect(DealFacts(encoded: String(text.dropLast(3)) + "x", version: 1) == nil)
        #expect(DealFacts(encoded: text + "\u{1F}", version: 1) == nil)
        let fields = text.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        // The last field (each company's committed person) is optional: lines written before it read
        // without it; one more field short is refused.
        #expect(DealFacts(encoded: fields.dropLast().joined(separator: "\u{1F}"), version: 1) != nil)
        #expect(DealFacts(encoded: fields.dropLast(2).joined(separator: "\u{1F}"), version: 1) == nil)
        var badUUID = fields
        badUUID[1] = "not-a-uuid"
        #expect(DealFacts(encoded: badUUID.joined(separator: "\u{1F}"), version: 1) == nil)
    }
}

extension DealFacts {
    fileprivate func with(version: Int) -> DealFacts {
        var f = self
        f.version = version
        return f
    }
}
