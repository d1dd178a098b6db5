import CoSellDomain
import Foundation
import Testing

@testable import CoSellWeb

/// The deal page's timeline in words: each entry's kind as a short label, never the stored kind.
@Suite("Pages: the deal timeline in words")
struct PageTimelineTests {
    /// Every kind the deal engine writes, as found in `Sources/CoSellDomain` by hand (the
    /// `change(kind, summary, before, after)` calls, `record(&changes, kind:…)` in the advance and
    /// `DealChange(kind: "deal_opened", …)` in the opening).
    static let engineKinds = [
        "abandoned", "brief_approved", "brief_updated", "brief_withdrawn", "brief_written", "close_plan_updated",
        "close_plan_withdrawn", "close_plan_written", "committed", "completed", "customer_confirmed", "deal_opened",
        "details_updated", "door_opener_named", "door_opener_suggested", "ended_by_partnership",
        "first_meeting_booked", "gate_overridden", "icp_fit_computed", "icp_fit_recorded", "move_added",
        "move_completed", "move_scheduled", "move_updated", "moved_back", "moves_added", "moves_rescheduled",
        "outcome_amended", "outcome_logged", "override_requested", "proof_recorded", "registered",
        "registration_accepted", "registration_rejected", "registration_renewed", "registration_resubmitted",
        "reopened", "review_recorded", "stage_advanced",
    ]

    /// The kinds written in the domain's sources: the string literals of the first argument of each
    /// `change(` call and of each `kind:` argument ("a" or `x ? "a" : "b"`).
    static func kindsInDomainSources() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.appendingPathComponent("Sources/CoSellDomain")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var kinds: Set<String> = []
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for call in text.matches(of: #/(?:\bchange\(|\bkind:)\s*([^,)]*)/#) {
                for literal in call.output.1.matches(of: #/"([a-z]+(?:_[a-z]+)*)"/#) {
                    kinds.insert(String(literal.output.1))
                }
            }
        }
        return kinds
    }

    @Test("every kind the engine writes has its own label, not the kind itself")
    func everyKindHasALabel() {
        for kind in Self.engineKinds {
            let label = TimelineWording.labels[kind]
            #expect(label != nil, "no label for \(kind)")
            #expect(TimelineWording.label(kind) != kind, "\(kind)")
            #expect(!TimelineWording.label(kind).contains("_"), "\(kind)")
            #expect(TimelineWording.label(kind).first?.isUppercase == true, "\(kind)")
        }
        let labels = Self.engineKinds.map(TimelineWording.label)
        #expect(Set(labels).count == labels.count, "two kinds read the same: \(labels)")
    }

    @Test("a kind added to the engine's sources without a label is caught")
    func sourcesHaveNoUnlabelledKind() throws {
        let found = try Self.kindsInDomainSources()
        // The search itself still finds what the engine writes.
        #expect(found.isSuperset(of: Self.engineKinds), "\(Set(Self.engineKinds).subtracting(found).sorted())")
        let unlabelled = found.filter { TimelineWording.labels[$0] == nil }
        #expect(unlabelled.isEmpty, "kinds without a label: \(unlabelled.sorted())")
    }

    @Test(
        "an unknown kind (old data) reads as its words, capitalised",
        arguments: [
            ("lead_scored", "Lead scored"), ("partner_notified_by_mail", "Partner notified by mail"),
            ("x", "X"), ("", "Change"),
        ])
    func unknownKind(_ kind: String, _ label: String) {
        #expect(TimelineWording.label(kind) == label)
    }

    @Test("the deal page shows each entry's label, who and when, never the stored kind")
    func dealPage() throws {
        let d = PageSnapshotTests.deal("Kestrel")
        var m = PageSnapshotTests.dealModel(d)
        let at = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC
        func event(_ n: Int, _ kind: String, _ summary: String) -> DealEvent {
            DealEvent(
                id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", 900 + n))!, dealID: d.id,
                sequence: n, at: at, actorID: d.createdBy, actorName: "Maya Okafor", kind: kind, summary: summary,
                before: nil, after: nil)
        }
        m.timeline = [
            event(1, "registered", "Maya Okafor of Quarry Data submitted registration REG-1."),
            event(2, "outcome_logged", "Maya Okafor logged the outcome: won, $310,000.00."),
            event(3, "lead_scored", "An entry of a kind this version does not write."),
        ]
        let html = DealPageView.render(m).render()
        // The time as the page formats it ("Nov 18, 2026 at 11:06 AM UTC"), with its moment for machines.
        let shown = DisplayFormat(localeIdentifier: "en-US").format(at)
        #expect(shown.hasPrefix("Nov 18, 2026") && shown.hasSuffix("UTC"))
        let time = "<time datetime=\"2026-11-18T11:06:40Z\">\(shown)</time>"
        #expect(html.contains("Registration submitted · Maya Okafor · \(time)"))
        #expect(html.contains("Outcome logged · Maya Okafor · \(time)"))
        #expect(html.contains("Lead scored · Maya Okafor · \(time)"))
        for kind in ["registered", "outcome_logged", "lead_scored"] {
            #expect(!html.contains("· \(kind)"), "\(kind)")
        }
        // Newest first.
        let newest = try #require(html.range(of: "Lead scored"))
        let oldest = try #require(html.range(of: "Registration submitted"))
        #expect(newest.lowerBound < oldest.lowerBound)
    }
}
