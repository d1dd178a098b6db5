import CoSellDomain
import Foundation
import Testing

/// The one-page joint value proposition's rules: what a page must say and how long it may be, who
/// approves it, and which version account executives read while a newer draft waits.
@Suite("Joint value proposition")
struct ValuePropositionTests {
    let quarry = UUID()
    let halyard = UUID()
    let outsider = UUID()
    let daniel: Person
    let maya: Person
    let priya: Person
    let marcus: Person
    let olga: Person
    let gone: Person
    let partnership: Partnership
    let at = Date(timeIntervalSince1970: 1_796_000_000)

    init() {
        daniel = Person(
            id: UUID(), organizationID: quarry, name: "Daniel Reyes", email: "d@q.example", role: .partnerManager)
        maya = Person(id: UUID(), organizationID: quarry, name: "Maya Okafor", email: "y@q.example", role: .admin)
        priya = Person(id: UUID(), organizationID: quarry, name: "Priya Natarajan", email: "p@q.example", role: .seller)
        marcus = Person(
            id: UUID(), organizationID: halyard, name: "Marcus Chen", email: "m@h.example", role: .partnerManager)
        olga = Person(id: UUID(), organizationID: outsider, name: "Olga Berg", email: "o@b.example", role: .admin)
        var g = Person(id: UUID(), organizationID: halyard, name: "Jonas Weber", email: "j@h.example", role: .seller)
        g.deactivatedAt = Date(timeIntervalSince1970: 1)
        gone = g
        partnership = Partnership(
            id: UUID(), name: "Quarry Data × Halyard Security", organizationIDs: [quarry, halyard],
            createdAt: Date(timeIntervalSince1970: 0))
    }

    var ctx: ValuePropositions.Context {
        .init(partnership: partnership, people: [daniel, maya, priya, marcus, olga, gone])
    }

    func content(_ change: (inout ValueProposition.Content) -> Void = { _ in }) -> ValueProposition.Content {
        var c = ValueProposition.Content(
            segment: "  Regulated   banks\nand insurers ", roles: ["CISO", " Chief Data Officer "],
            problem: "Analytics projects wait months on the security review.",
            jointSolution: "Quarry catalogs the data;\nHalyard classifies and monitors it.",
            proofPoints: [
                .init(customer: "Meridian Health Partners", outcome: "Readmission model live", figure: "3 weeks"),
                .init(customer: "Ironbridge Manufacturing", outcome: "Defect prediction", figure: "18% fewer escapes"),
                .init(customer: "Alder & Finch Insurance", outcome: "Pricing mart in Azure", figure: "Daily refresh"),
            ], whyTogether: "Neither alone gets past the CISO.",
            contacts: [
                .init(organizationID: halyard, personID: marcus.id), .init(organizationID: quarry, personID: daniel.id),
            ],
            doorOpeners: [
                .init(kind: .warmIntroduction, organizationID: halyard, text: "Halyard introduces Quarry to the CISO.")
            ], doNotSay: ["Do not call it a bundle."])
        change(&c)
        return c
    }

    func refused(_ c: ValueProposition.Content) -> (field: String, message: String)? {
        do {
            _ = try ValuePropositions.validated(c, in: ctx)
            return nil
        } catch {
            if case .invalid(let f, let m) = error { return (f, m) }
            Issue.record("not an invalid field: \(error)")
            return nil
        }
    }

    @Test("a valid page is tidied: spaces and line breaks collapsed, contacts in the partnership's order")
    func tidies() throws {
        let c = try ValuePropositions.validated(content(), in: ctx)
        #expect(c.segment == "Regulated banks and insurers")
        #expect(c.roles == ["CISO", "Chief Data Officer"])
        #expect(c.jointSolution == "Quarry catalogs the data; Halyard classifies and monitors it.")
        #expect(c.contacts.map(\.organizationID) == [quarry, halyard])
        #expect(c.contact(of: halyard) == marcus.id)
        #expect(c.wordCount == c.texts.map { $0.split(separator: " ").count }.reduce(0, +))
    }

    @Test("each refusal names the field as the API spells it")
    func refusalsNameTheField() {
        let cases: [(String, ValueProposition.Content)] = [
            ("segment", content { $0.segment = "  " }),
            ("roles", content { $0.roles = [] }),
            ("roles", content { $0.roles = ["A", "B", "C", "D", "E"] }),
            ("roles[1]", content { $0.roles = ["CISO", "ciso"] }),
            ("problem", content { $0.problem = String(repeating: "x", count: ValuePropositions.maxProblem + 1) }),
            ("joint_solution", content { $0.jointSolution = "One paragraph.\n\nAnother paragraph." }),
            ("proof_points", content { $0.proofPoints.removeLast() }),
            ("proof_points", content { $0.proofPoints.append($0.proofPoints[0]) }),
            ("proof_points[1].figure", content { $0.proofPoints[1].figure = " " }),
            ("proof_points[2].customer", content { $0.proofPoints[2].customer = "" }),
            ("proof_points[0].outcome", content { $0.proofPoints[0].outcome = String(repeating: "y", count: 161) }),
            ("why_together", content { $0.whyTogether = "" }),
            ("contacts", content { $0.contacts.removeLast() }),
            ("contacts", content { $0.contacts[0].organizationID = outsider }),
            ("contacts[1].person_id", content { $0.contacts[1].personID = marcus.id }),
            ("contacts[0].person_id", content { $0.contacts[0].personID = gone.id }),
            ("contacts[0].person_id", content { $0.contacts[0].personID = olga.id }),
            ("door_openers", content { $0.doorOpeners = [] }),
            ("door_openers", content { $0.doorOpeners = Array(repeating: $0.doorOpeners[0], count: 4) }),
            ("door_openers[0].organization_id", content { $0.doorOpeners[0].organizationID = outsider }),
            ("door_openers[0].text", content { $0.doorOpeners[0].text = "" }),
            ("do_not_say", content { $0.doNotSay = [] }),
            ("do_not_say[0]", content { $0.doNotSay = [String(repeating: "z", count: 141)] }),
        ]
        for (field, c) in cases {
            #expect(refused(c)?.field == field, "\(field)")
        }
    }

    @Test("the page reads in two minutes: over the word budget is refused, naming the longest part")
    func wordBudget() throws {
        func words(_ n: Int) -> String { Array(repeating: "word", count: n).joined(separator: " ") }
        // Each field within its own limit, the page over the budget: 140 + 80 + 80 + 5 × 20 + 3 × 40 words.
        let c = content {
            $0.jointSolution = words(140)
            $0.problem = words(80)
            $0.whyTogether = words(80)
            $0.doNotSay = (1...5).map { "line\($0) " + words(19) }
            $0.doorOpeners = (1...3).map {
                .init(kind: .warmIntroduction, organizationID: halyard, text: "play\($0) " + words(39))
            }
        }
        #expect(c.wordCount > ValuePropositions.maxWords)
        let r = try #require(refused(c))
        #expect(r.field == "joint_solution")
        #expect(r.message.contains("\(ValuePropositions.maxWords)"))
        // The longest field alone is within the budget.
        let fine = try ValuePropositions.validated(content { $0.jointSolution = words(140) }, in: ctx)
        #expect(fine.wordCount <= ValuePropositions.maxWords)
    }

    @Test("a new content is the next version; the same content changes nothing")
    func versions() throws {
        let empty = ValueProposition(partnershipID: partnership.id)
        #expect(empty.latestVersion == 0 && empty.latestContent == nil)
        let c = try ValuePropositions.validated(content(), in: ctx)
        let v1 = ValuePropositions.written(empty, c, by: daniel, at: at)
        #expect(v1.latestVersion == 1 && v1.draft?.number == 1 && v1.published == nil && v1.revision == 1)
        #expect(v1.draft?.writtenByOrganizationID == quarry && v1.draft?.writtenByName == "Daniel Reyes")
        #expect(ValuePropositions.written(v1, c, by: marcus, at: at) == v1)
        var changed = c
        changed.whyTogether = "Together the CISO signs off once."
        let v2 = ValuePropositions.written(v1, changed, by: marcus, at: at)
        #expect(v2.latestVersion == 2 && v2.draft?.content == changed && v2.revision == 2)
        #expect(v2.waitingOn(in: partnership) == [quarry, halyard])
    }

    @Test("published only once a partner manager of each company approved the same version")
    func approvalByBoth() throws {
        let c = try ValuePropositions.validated(content(), in: ctx)
        let v1 = ValuePropositions.written(ValueProposition(partnershipID: partnership.id), c, by: daniel, at: at)
        let once = try ValuePropositions.approved(v1, version: 1, by: daniel, in: partnership, at: at)
        #expect(once.published == nil && once.draft?.approval(of: quarry)?.personName == "Daniel Reyes")
        #expect(once.waitingOn(in: partnership) == [halyard])
        // Once per company: Maya (Quarry's admin) cannot approve again for Quarry.
        #expect(throws: DealError.self) {
            try ValuePropositions.approved(once, version: 1, by: maya, in: partnership, at: at)
        }
        // Sellers and other companies do not approve.
        #expect(throws: DealError.forbidden("Only partner managers and admins approve the value proposition.")) {
            try ValuePropositions.approved(once, version: 1, by: priya, in: partnership, at: at)
        }
        #expect(throws: DealError.self) {
            try ValuePropositions.approved(once, version: 1, by: olga, in: partnership, at: at)
        }
        // A stale version number is a conflict.
        #expect(throws: DealError.self) {
            try ValuePropositions.approved(once, version: 2, by: marcus, in: partnership, at: at)
        }
        let both = try ValuePropositions.approved(once, version: 1, by: marcus, in: partnership, at: at)
        #expect(both.draft == nil && both.published?.number == 1 && both.published?.publishedAt == at)
        #expect(both.published?.isApproved(in: partnership) == true)
        #expect(both.revision == once.revision + 1)
        // Approving the published version again is a conflict naming it.
        do {
            _ = try ValuePropositions.approved(both, version: 1, by: marcus, in: partnership, at: at)
            Issue.record("accepted")
        } catch {
            guard case .conflict(let m) = error else { throw error }
            #expect(m.contains("published already"))
        }
    }

    @Test("a later draft keeps the published version until both approve it; a change clears the draft's approvals")
    func newDraftKeepsPublished() throws {
        let c = try ValuePropositions.validated(content(), in: ctx)
        var vp = ValuePropositions.written(ValueProposition(partnershipID: partnership.id), c, by: daniel, at: at)
        vp = try ValuePropositions.approved(vp, version: 1, by: daniel, in: partnership, at: at)
        vp = try ValuePropositions.approved(vp, version: 1, by: marcus, in: partnership, at: at)
        let published = try #require(vp.published)

        var second = c
        second.doNotSay.append("Do not promise a skipped security review.")
        vp = ValuePropositions.written(vp, second, by: marcus, at: at)
        #expect(vp.published == published && vp.draft?.number == 2)
        vp = try ValuePropositions.approved(vp, version: 2, by: marcus, in: partnership, at: at)
        #expect(vp.draft?.approvals.count == 1)

        // Halyard changes the draft again: version 3, with no approvals; version 1 stays published.
        var third = second
        third.segment = "Regulated banks"
        vp = ValuePropositions.written(vp, third, by: marcus, at: at)
        #expect(vp.published == published && vp.draft?.number == 3 && vp.draft?.approvals.isEmpty == true)
        #expect(throws: DealError.self) {
            try ValuePropositions.approved(vp, version: 2, by: daniel, in: partnership, at: at)
        }
        vp = try ValuePropositions.approved(vp, version: 3, by: maya, in: partnership, at: at)
        #expect(vp.published == published)
        vp = try ValuePropositions.approved(vp, version: 3, by: marcus, in: partnership, at: at)
        #expect(vp.published?.number == 3 && vp.published?.content == third && vp.draft == nil)
        #expect(vp.latestVersion == 3)
    }

    @Test("a draft asks the partner managers of each company that has not approved it, by name of the other company")
    func nextAction() throws {
        let c = try ValuePropositions.validated(content(), in: ctx)
        let names = [quarry: "Quarry Data", halyard: "Halyard Security"]
        let people = [daniel, maya, priya, marcus, olga]
        func actions(_ vp: ValueProposition) -> [PartnershipAction] {
            PartnershipActions.of(
                partnership, calls: [], people: people, companyNames: names,
                today: LocalDate(year: 2026, month: 12, day: 3)!, valueProposition: vp
            ).filter { $0.kind == .approveValueProposition }
        }
        var vp = ValuePropositions.written(ValueProposition(partnershipID: partnership.id), c, by: daniel, at: at)
        let both = actions(vp)
        #expect(
            both.map(\.title).sorted() == [
                "Approve the value proposition with Halyard Security", "Approve the value proposition with Quarry Data",
            ])
        #expect(both.first { $0.organizationID == quarry }?.personIDs == [daniel.id])
        #expect(both.first { $0.organizationID == halyard }?.personIDs == [marcus.id])
        #expect(both.allSatisfy { $0.path.hasSuffix("/value-proposition") && $0.valuePropositionVersion == 1 })
        vp = try ValuePropositions.approved(vp, version: 1, by: daniel, in: partnership, at: at)
        #expect(actions(vp).map(\.organizationID) == [halyard])
        let notes = Notifications.partnershipActions(actions(vp), partnership: partnership)
        #expect(notes.map(\.personID) == [marcus.id])
        #expect(notes.first?.path == "/partnerships/\(partnership.id.uuidString)/value-proposition")
        vp = try ValuePropositions.approved(vp, version: 1, by: marcus, in: partnership, at: at)
        #expect(actions(vp).isEmpty, "published: nothing waits")
    }

    @Test("the demo's value proposition is valid, published by both partner managers, and within the budget")
    func demo() throws {
        let ws = DemoWorkspace.make(now: at)
        let vp = try #require(ws.valuePropositions.first)
        let published = try #require(vp.published)
        #expect(vp.draft == nil && vp.partnershipID == ws.partnership.id)
        #expect(published.isApproved(in: ws.partnership))
        #expect(Set(published.approvals.map(\.personName)) == ["Daniel Reyes", "Marcus Chen"])
        let ctx = ValuePropositions.Context(partnership: ws.partnership, people: ws.people)
        #expect(try ValuePropositions.validated(published.content, in: ctx) == published.content)
        #expect(published.content.wordCount <= ValuePropositions.maxWords)
    }
}
