import CoSellDomain
import CoSellMatching
import CoSellPrivateSet
import CoSellWorkflows
import Foundation
import Testing

/// Private mapping's server side, on every store: a run finds the overlap from blinded keys; every
/// refusal (another company, a non-admin, a replayed or oversized batch, a spent budget, too many runs,
/// a rotated key) leaves the run as it was.
@Suite("Private mapping workflows")
struct PrivateMappingWorkflowsTests {
    let f = WorkflowFixture()

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
    func isLimit(_ e: WorkflowError) -> Bool { if case .limitReached = e { true } else { false } }
    func isInvalid(_ field: String) -> (WorkflowError) -> Bool {
        { if case .invalid(let f, _) = $0 { f == field } else { false } }
    }

    /// Halyard's list on the server.
    func importHalyard(_ w: Workflows) async throws {
        let csv = """
            id,name,website,country
            H1,Meridian Health Partners,https://meridianhealth.example,US
            H2,Kestrel Logistics GmbH,,DE
            H3,Copperline Bank,copperline.example,US
            H4,Alder & Finch Insurance,alderfinch.example,GB
            """
        let job = try await w.imports.startByOperator(
            into: f.halyard.id, .init(.data(Data(csv.utf8), fileName: "h.csv")))
        try await w.imports.run(job)
    }

    @Test(
        "a run finds the overlap from blinded keys; both companies see it and its audit lines", arguments: StoreKind.all
    )
    func findsTheOverlap(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await importHalyard(w)
            let ps = f.partnership.id
            let mine = try AccountTable.load(
                data: Data(
                    """
                    id,name,website,country
                    Q1,Meridian Health Partners Inc.,meridianhealth.example,US
                    Q2,KESTREL LOGISTICS,,Germany
                    Q3,Alder & Finch Insurance,,FR
                    Q4,Quietwater Secret Widgets,quietwater.example,US
                    """.utf8), fileName: "q.csv", threads: 1
            ).records
            let query = PrivateSet.Query(keysPerAccount: mine.map { PrivateMatchKeys.keys(of: $0, role: .query) })
            let started = try await w.privateMapping.start(in: ps, by: f.principal(f.daniel), declaredAccounts: 4)
            #expect(started.run.setAccounts == 4 && started.run.maxEvaluations == 16)
            #expect(started.set.count % PrivateSet.elementBytes == 0 && !started.set.isEmpty)
            let blinded = try query.blinded()
            let evaluated = try await w.privateMapping.evaluate(
                run: started.run.id, in: ps, by: f.principal(f.daniel), batch: 0
            ) { blinded }
            let overlap = try query.overlap(evaluated: evaluated, set: started.set)
            #expect(overlap == [0, 1])
            let done = try await w.privateMapping.complete(
                run: started.run.id, in: ps, by: f.principal(f.daniel), overlapAccounts: overlap.count)
            #expect(done.status == .completed && done.overlapAccounts == 2 && done.evaluated == query.keys.count)
            // Halyard sees Quarry's run.
            let seen = try await w.privateMapping.runs(in: ps, by: f.principal(f.marcus))
            #expect(seen.map(\.id) == [started.run.id])
            #expect(seen.first?.status == .completed)
            // A completed run takes nothing more.
            await expectError(isConflict) {
                try await w.privateMapping.evaluate(run: started.run.id, in: ps, by: f.principal(f.daniel), batch: 1) {
                    blinded
                }
            }
            let audit = try await probe.auditDetails(f.halyard.id)
            #expect(audit.contains { $0.contains("started a private mapping run of a list of 4 accounts") })
            #expect(audit.contains { $0.contains("2 of 4 accounts in the overlap") })
        }
    }

    @Test(
        "replayed, out-of-turn, malformed and over-budget batches are refused; the run stays as it was",
        arguments: StoreKind.all)
    func batchRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let ps = f.partnership.id
            let daniel = f.principal(f.daniel)
            let run = try await w.privateMapping.start(in: ps, by: daniel, declaredAccounts: 2).run
            let points = try PrivateSet.encrypt(["d:a.example", "d:b.example"], with: PrivateSet.Secret())
            _ = try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 0) { points }
            // The same batch again: refused.
            await expectError(isConflict) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 0) { points }
            }
            await expectError(isConflict) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 5) { points }
            }
            await expectError(isInvalid("elements")) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 1) { Data(count: 33) }
            }
            await expectError(isInvalid("elements")) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 1) { Data(count: 32) }
            }
            // Two declared accounts: 8 evaluations; 2 are used, 7 more are too many.
            let seven = try PrivateSet.encrypt((0..<7).map { "d:\($0).example" }, with: PrivateSet.Secret())
            await expectError(isLimit) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 1) { seven }
            }
            let after = try #require(try await w.privateMapping.runs(in: ps, by: daniel).first)
            #expect(after.evaluated == 2 && after.nextBatch == 1)
            // Six more fit exactly.
            let six = seven.prefix(6 * PrivateSet.elementBytes)
            _ = try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 1) { Data(six) }
            await expectError(isLimit) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: daniel, batch: 2) { Data(six.prefix(32)) }
            }
            await expectError(isInvalid("overlap_accounts")) {
                try await w.privateMapping.complete(run: run.id, in: ps, by: daniel, overlapAccounts: 3)
            }
        }
    }

    @Test(
        "only the partnership's admins run it; another company's run is not found; declared size is bounded",
        arguments: StoreKind.all)
    func whoMayRun(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let ps = f.partnership.id
            await expectError(isForbidden) {
                try await w.privateMapping.start(in: ps, by: f.principal(f.priya), declaredAccounts: 10)
            }
            await expectError(isForbidden) {
                try await w.privateMapping.start(
                    in: ps, by: f.principal(f.daniel, scope: .read), declaredAccounts: 10)
            }
            await expectError(isNotFound) {
                try await w.privateMapping.start(in: ps, by: f.principal(f.olga), declaredAccounts: 10)
            }
            await expectError(isInvalid("declared_accounts")) {
                try await w.privateMapping.start(in: ps, by: f.principal(f.daniel), declaredAccounts: 0)
            }
            await expectError(isInvalid("declared_accounts")) {
                try await w.privateMapping.start(
                    in: ps, by: f.principal(f.daniel),
                    declaredAccounts: PrivateMappingWorkflows.maxDeclaredAccounts + 1)
            }
            let run = try await w.privateMapping.start(in: ps, by: f.principal(f.daniel), declaredAccounts: 10).run
            let p = try PrivateSet.encrypt(["d:a.example"], with: PrivateSet.Secret())
            // Halyard's admin cannot feed Quarry's run.
            await expectError(isNotFound) {
                try await w.privateMapping.evaluate(run: run.id, in: ps, by: f.principal(f.marcus), batch: 0) { p }
            }
            await expectError(isNotFound) {
                try await w.privateMapping.evaluate(run: UUID(), in: ps, by: f.principal(f.daniel), batch: 0) { p }
            }
            // Nobody outside sees the runs.
            await expectError(isNotFound) { try await w.privateMapping.runs(in: ps, by: f.principal(f.olga)) }
            #expect(try await w.privateMapping.runs(in: ps, by: f.principal(f.priya)).count == 1)
        }
    }

    @Test(
        "a company starts at most five runs a day; a rotated key ends the runs started before it",
        arguments: StoreKind.all)
    func runsPerDayAndRotation(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let ps = f.partnership.id
            var runs: [PrivateMappingRun] = []
            for _ in 0..<PrivateMappingWorkflows.runsPerDay {
                runs.append(
                    try await w.privateMapping.start(in: ps, by: f.principal(f.daniel), declaredAccounts: 3).run)
            }
            await expectError(isLimit) {
                try await w.privateMapping.start(in: ps, by: f.principal(f.daniel), declaredAccounts: 3)
            }
            // Halyard's own budget is its own.
            _ = try await w.privateMapping.start(in: ps, by: f.principal(f.marcus), declaredAccounts: 3)
            // Halyard replaces the secret of its list: Quarry's open runs against it end.
            let later = Workflows(store: w.store, clock: { [now = f.now] in now.addingTimeInterval(60) })
            _ = try await later.privateMapping.rotateKey(in: ps, by: f.principal(f.marcus))
            let p = try PrivateSet.encrypt(["d:a.example"], with: PrivateSet.Secret())
            await expectError(isConflict) {
                try await later.privateMapping.evaluate(run: runs[0].id, in: ps, by: f.principal(f.daniel), batch: 0) {
                    p
                }
            }
            await expectError(isForbidden) {
                try await later.privateMapping.rotateKey(in: ps, by: f.principal(f.priya))
            }
            // An hour after it started, a run takes no more evaluations.
            let afterAnHour = Workflows(store: w.store, clock: { [now = f.now] in now.addingTimeInterval(3_700) })
            let halyardRun = try #require(
                try await w.privateMapping.runs(in: ps, by: f.principal(f.marcus)).first {
                    $0.organizationID == f.halyard.id
                })
            await expectError(isConflict) {
                try await afterAnHour.privateMapping.evaluate(
                    run: halyardRun.id, in: ps, by: f.principal(f.marcus), batch: 0
                ) { p }
            }
        }
    }
}
