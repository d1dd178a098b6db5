import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The joint value proposition's verbs, on every store: write a draft, approve it by both
/// companies, a later draft beside the published version, every refusal leaving the page as it was.
@Suite("Value proposition workflows")
struct ValuePropositionWorkflowsTests {
    let f = WorkflowFixture()

    func content(segment: String = "Regulated banks and insurers") -> ValueProposition.Content {
        ValueProposition.Content(
            segment: segment, roles: ["CISO", "Chief Data Officer"],
            problem: "Analytics projects wait months on the security review.",
            jointSolution: "Quarry catalogs the data; Halyard classifies and monitors it.",
            proofPoints: [
                .init(customer: "Meridian Health Partners", outcome: "Readmission model live", figure: "3 weeks"),
                .init(customer: "Ironbridge Manufacturing", outcome: "Defect prediction", figure: "18% fewer escapes"),
                .init(customer: "Alder & Finch Insurance", outcome: "Pricing mart in Azure", figure: "Daily refresh"),
            ], whyTogether: "Neither alone gets past the CISO.",
            contacts: [
                .init(organizationID: f.quarry.id, personID: f.daniel.id),
                .init(organizationID: f.halyard.id, personID: f.marcus.id),
            ],
            doorOpeners: [
                .init(
                    kind: .warmIntroduction, organizationID: f.halyard.id,
                    text: "Halyard introduces Quarry to the CISO.")
            ], doNotSay: ["Do not call it a bundle."])
    }

    func expectError(_ expected: (WorkflowError) -> Bool, _ work: () async throws -> Any) async {
        do {
            _ = try await work()
            Issue.record("accepted")
        } catch let e as WorkflowError {
            #expect(expected(e), "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    func isConflict(_ e: WorkflowError) -> Bool { if case .conflict = e { true } else { false } }
    func isForbidden(_ e: WorkflowError) -> Bool { if case .forbidden = e { true } else { false } }
    func isNotFound(_ e: WorkflowError) -> Bool { if case .notFound = e { true } else { false } }

    @Test(
        "a draft, approved by each company, is published; audit lines for both companies", arguments: StoreKind.all)
    func writesAndPublishes(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let ps = f.partnership.id
            let (_, none) = try await w.partnerships.valueProposition(in: ps, by: f.principal(f.priya))
            #expect(none == nil)
            let c = content()
            let v1 = try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                .init(version: 0, content: c)
            }
            #expect(v1.draft?.number == 1 && v1.published == nil)
            // The same content again changes nothing.
            let same = try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.marcus)) {
                .init(version: 1, content: c)
            }
            #expect(same == v1)
            let once = try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.marcus)) { 1 }
            #expect(once.published == nil && once.draft?.approval(of: f.halyard.id)?.personName == "Marcus Chen")
            await expectError(isConflict) {
                try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.marcus)) { 1 }
            }
            let both = try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 1 }
            #expect(both.published?.number == 1 && both.draft == nil)
            let (_, read) = try await w.partnerships.valueProposition(in: ps, by: f.principal(f.priya))
            #expect(read == both)
            for org in [f.quarry.id, f.halyard.id] {
                let kinds = try await probe.auditKinds(org)
                #expect(kinds.contains("value_proposition_written"))
                #expect(kinds.contains("value_proposition_approved"))
                #expect(kinds.contains("value_proposition_published"))
            }
        }
    }

    @Test(
        "a later draft keeps the published version; a stale version is a conflict and changes nothing",
        arguments: StoreKind.all)
    func laterDraft(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let ps = f.partnership.id
            let c = content()
            _ = try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                .init(version: 0, content: c)
            }
            _ = try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 1 }
            let published = try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.marcus)) { 1 }
            let changed = content(segment: "Regulated banks")
            // Naming a version that is not the newest is refused, and nothing is written.
            await expectError(isConflict) {
                try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.marcus)) {
                    .init(version: 0, content: changed)
                }
            }
            #expect(try await w.partnerships.valueProposition(in: ps, by: f.principal(f.daniel)).1 == published)
            let v2 = try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.marcus)) {
                .init(version: 1, content: changed)
            }
            #expect(v2.published == published.published && v2.draft?.number == 2)
            #expect(v2.draft?.writtenByOrganizationID == f.halyard.id)
            // Approving the published version or an unknown one is a conflict.
            await expectError(isConflict) {
                try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 1 }
            }
            await expectError(isConflict) {
                try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 3 }
            }
            _ = try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 2 }
            let (_, read) = try await w.partnerships.valueProposition(in: ps, by: f.principal(f.priya))
            #expect(read?.published == published.published && read?.draft?.approvals.count == 1)
            let done = try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.marcus)) { 2 }
            #expect(done.published?.number == 2 && done.published?.content == changed)
        }
    }

    @Test(
        "other companies do not find it; sellers, viewers and read tokens only read; refused fields name themselves",
        arguments: StoreKind.all)
    func access(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let ps = f.partnership.id
            let c = content()
            await expectError(isNotFound) {
                try await w.partnerships.valueProposition(in: ps, by: f.principal(f.olga))
            }
            await expectError(isNotFound) {
                try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.olga)) {
                    .init(version: 0, content: c)
                }
            }
            await expectError(isForbidden) {
                try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.priya)) {
                    .init(version: 0, content: c)
                }
            }
            await expectError(isForbidden) {
                try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel, scope: .read)) {
                    .init(version: 0, content: c)
                }
            }
            var bad = c
            bad.proofPoints[1].figure = " "
            let badFigure = bad
            await expectError({ $0 == .invalid(field: "proof_points[1].figure", $0.message) }) {
                try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                    .init(version: 0, content: badFigure)
                }
            }
            bad = c
            bad.contacts[1].personID = f.olga.id
            let badContact = bad
            await expectError({ $0 == .invalid(field: "contacts[1].person_id", $0.message) }) {
                try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                    .init(version: 0, content: badContact)
                }
            }
            // Nothing to approve yet.
            await expectError(isConflict) {
                try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 1 }
            }
            _ = try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                .init(version: 0, content: c)
            }
            await expectError(isForbidden) {
                try await w.partnerships.approveValueProposition(in: ps, by: f.principal(f.priya)) { 1 }
            }
            let (_, read) = try await w.partnerships.valueProposition(in: ps, by: f.principal(f.priya))
            #expect(read?.draft?.approvals.isEmpty == true)
        }
    }

    @Test("a failed audit line undoes the write and the approval", arguments: StoreKind.all)
    func allOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let ps = f.partnership.id
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            let c = content()
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                    .init(version: 0, content: c)
                }
            }
            #expect(try await w.partnerships.valueProposition(in: ps, by: f.principal(f.daniel)).1 == nil)
            let v1 = try await w.partnerships.writeValueProposition(in: ps, by: f.principal(f.daniel)) {
                .init(version: 0, content: c)
            }
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.partnerships.approveValueProposition(in: ps, by: f.principal(f.daniel)) { 1 }
            }
            #expect(try await w.partnerships.valueProposition(in: ps, by: f.principal(f.daniel)).1 == v1)
        }
    }
}
