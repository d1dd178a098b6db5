import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The partner discovery call's verbs, on every store: record, change, confirm by both companies.
@Suite("Discovery call workflows")
struct DiscoveryCallWorkflowsTests {
    let f = WorkflowFixture()

    func content(verdict: DiscoveryCall.Verdict = .viable, reason: String? = nil) -> DiscoveryCall.Content {
        DiscoveryCall.Content(
            heldOn: LocalDate(year: 2026, month: 9, day: 1)!, attendeeIDs: [f.daniel.id, f.marcus.id],
            useCase: .init(
                customer: "  Regional logistics firms  ", problem: "Shipments data is scattered",
                contributions: [
                    .init(organizationID: f.quarry.id, text: "One catalog"),
                    .init(organizationID: f.halyard.id, text: "Access monitoring"),
                ]), accountIDs: [f.account.id],
            nextMove: .init(
                text: "Pick the first joint deal", ownerID: f.priya.id, dueOn: LocalDate(year: 2026, month: 9, day: 8)!),
            verdict: verdict, reason: reason)
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

    @Test("a seller records a call: trimmed, version 1, audited for both companies", arguments: StoreKind.all)
    func records(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let c = content()
            let call = try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.priya)) {
                c
            }
            #expect(call.content.useCase.customer == "Regional logistics firms")
            #expect(call.version == 1 && call.confirmations.isEmpty)
            let (ps, calls) = try await w.partnerships.discoveryCalls(in: f.partnership.id, by: f.principal(f.marcus))
            #expect(calls == [call])
            #expect(DiscoveryCalls.status(of: calls, in: ps) == .draft)
            #expect(try await probe.auditKinds(f.quarry.id).contains("discovery_call_recorded"))
            #expect(try await probe.auditKinds(f.halyard.id).contains("discovery_call_recorded"))
        }
    }

    @Test(
        "both companies confirm; a change clears the confirmations; a stale version is refused",
        arguments: StoreKind.all)
    func confirmsAndEdits(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let c = content()
            let call = try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.daniel)) {
                c
            }
            // A seller may record but not confirm.
            await expectError({ if case .forbidden = $0 { true } else { false } }) {
                try await w.partnerships.confirmDiscoveryCall(call.id, in: f.partnership.id, by: f.principal(f.priya))
            }
            let once = try await w.partnerships.confirmDiscoveryCall(
                call.id, in: f.partnership.id, by: f.principal(f.marcus))
            #expect(once.isConfirmed(by: f.halyard.id) && !once.isConfirmed(in: f.partnership))
            await expectError({ if case .conflict = $0 { true } else { false } }) {
                try await w.partnerships.confirmDiscoveryCall(call.id, in: f.partnership.id, by: f.principal(f.marcus))
            }
            let both = try await w.partnerships.confirmDiscoveryCall(
                call.id, in: f.partnership.id, by: f.principal(f.daniel))
            #expect(both.isConfirmed(in: f.partnership))
            let (ps, calls) = try await w.partnerships.discoveryCalls(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(DiscoveryCalls.status(of: calls, in: ps) == .confirmed(.viable))
            #expect(try await probe.auditKinds(f.halyard.id).filter { $0 == "discovery_call_confirmed" }.count == 2)

            // An edit naming an old version changes nothing.
            var changed = c
            changed.verdict = .notYet
            changed.reason = "Halyard's pricing for the mid-market is not ready"
            let stale = changed
            await expectError({ if case .conflict = $0 { true } else { false } }) {
                try await w.partnerships.editDiscoveryCall(call.id, in: f.partnership.id, by: f.principal(f.priya)) {
                    .init(version: call.version, content: stale)
                }
            }
            #expect(
                try await w.partnerships.discoveryCall(call.id, in: f.partnership.id, by: f.principal(f.daniel)).call
                    == both)
            // The same content keeps the confirmations; a change clears them.
            let same = try await w.partnerships.editDiscoveryCall(
                call.id, in: f.partnership.id, by: f.principal(f.priya)
            ) { .init(version: both.version, content: both.content) }
            #expect(same == both)
            let edited = try await w.partnerships.editDiscoveryCall(
                call.id, in: f.partnership.id, by: f.principal(f.priya)
            ) { .init(version: both.version, content: stale) }
            #expect(edited.confirmations.isEmpty && edited.version == both.version + 1)
            let (_, after) = try await w.partnerships.discoveryCalls(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(DiscoveryCalls.status(of: after, in: ps) == .draft)
        }
    }

    @Test(
        "other companies do not find it; viewers and read tokens only read; nothing is written when refused",
        arguments: StoreKind.all)
    func access(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let c = content()
            await expectError({ if case .notFound = $0 { true } else { false } }) {
                try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.olga)) { c }
            }
            await expectError({ if case .notFound = $0 { true } else { false } }) {
                try await w.partnerships.discoveryCalls(in: f.partnership.id, by: f.principal(f.olga))
            }
            let viewer = Person(
                id: UUID(), organizationID: f.quarry.id, name: "Grace Kim", email: "grace@quarrydata.example",
                role: .viewer)
            await expectError({ if case .forbidden = $0 { true } else { false } }) {
                try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(viewer)) { c }
            }
            await expectError({ if case .forbidden = $0 { true } else { false } }) {
                try await w.partnerships.recordDiscoveryCall(
                    in: f.partnership.id, by: f.principal(f.daniel, scope: .read)
                ) { c }
            }
            // Refused fields name themselves.
            var bad = c
            bad.accountIDs = [UUID()]
            let badAccount = bad
            await expectError({ $0 == .invalid(field: "account_ids[0]", $0.message) }) {
                try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.daniel)) {
                    badAccount
                }
            }
            bad = c
            bad.attendeeIDs = [f.olga.id]
            let badAttendee = bad
            await expectError({ $0 == .invalid(field: "attendee_ids[0]", $0.message) }) {
                try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.daniel)) {
                    badAttendee
                }
            }
            let (_, calls) = try await w.partnerships.discoveryCalls(in: f.partnership.id, by: f.principal(viewer))
            #expect(calls.isEmpty)
        }
    }

    @Test("a call needs an attendee of each company before it is confirmed", arguments: StoreKind.all)
    func confirmNeedsBothSides(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            var c = content()
            c.attendeeIDs = [f.daniel.id, f.priya.id]
            let oneSided = c
            let call = try await w.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.daniel)) {
                oneSided
            }
            await expectError({ if case .conflict = $0 { true } else { false } }) {
                try await w.partnerships.confirmDiscoveryCall(call.id, in: f.partnership.id, by: f.principal(f.marcus))
            }
            #expect(
                try await w.partnerships.discoveryCall(call.id, in: f.partnership.id, by: f.principal(f.marcus)).call
                    .confirmations.isEmpty)
        }
    }

    @Test("a failed audit line undoes the recording", arguments: StoreKind.all)
    func allOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            let c = content()
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.partnerships.recordDiscoveryCall(in: f.partnership.id, by: f.principal(f.daniel)) {
                    c
                }
            }
            let (_, calls) = try await w.partnerships.discoveryCalls(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(calls.isEmpty)
        }
    }
}
