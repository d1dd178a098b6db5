import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// What the reports are computed from, on every store.
@Suite("Report workflows")
struct ReportWorkflowsTests {
    let f = WorkflowFixture()

    @Test(
        "the reports' inputs: the partnership's deals its two organizations see, the standard playbook and its versions",
        arguments: StoreKind.all)
    func inputs(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let deal = try await f.openDeal(w)
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.reports.inputs(of: f.partnership.id, by: f.principal(f.olga))
            }
            for person in [f.daniel, f.marcus] {
                let i = try await w.reports.inputs(of: f.partnership.id, by: f.principal(person))
                #expect(i.partnership.id == f.partnership.id)
                #expect(i.facts.map(\.id) == [deal.id])
                #expect(i.playbook.id == Playbook.standardID)
                #expect(i.playbooks.map(\.versionKey) == [i.playbook.versionKey])
            }
        }
    }
}
