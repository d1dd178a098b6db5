import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Adding a joint account by hand and setting the co-sell plan, on every store.
@Suite("Joint account and co-sell plan workflows")
struct JointAccountAndPlanWorkflowsTests {
    let f = WorkflowFixture()

    /// A request body that must not be read: the checks before it refuse first.
    static func unread<T>() -> @Sendable () async throws -> T {
        { throw WorkflowError.invalid(field: "body", "The request was read.") }
    }

    /// Expects `work` to refuse the request naming `field`.
    static func expectInvalid<T>(_ field: String, _ work: () async throws -> T) async {
        do {
            _ = try await work()
            Issue.record("\(field): accepted")
        } catch WorkflowError.invalid(let named, _) {
            #expect(named == field)
        } catch {
            Issue.record("\(field): \(error)")
        }
    }

    @Test("a seller adds an account by hand: trimmed, domain in lower case, stored", arguments: StoreKind.all)
    func addsAccount(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let added = try await w.jointAccounts.add(to: f.partnership.id, by: f.principal(f.priya)) {
                .init(
                    name: "  Fabrikam Health ", domain: "Fabrikam.example", country: "US", industry: "Healthcare",
                    employees: 2_500, reason: "  Both teams know their CIO  ",
                    address: CustomerAddress(line1: " ", city: nil))
            }
            #expect(added.name == "Fabrikam Health")
            #expect(added.domain == "fabrikam.example")
            #expect(added.reason == "Both teams know their CIO")
            #expect(added.origin == .added)
            #expect(added.populations.isEmpty)
            #expect(added.address == nil)
            #expect(added.createdAt == f.now)
            #expect(added.partnershipID == f.partnership.id)
            let stored = try #require(try await w.store.jointAccount(added.id))
            #expect(stored.name == "Fabrikam Health")
            #expect(stored.reason == "Both teams know their CIO")
            #expect(stored.employees == 2_500)
            #expect(try await probe.jointAccountNames(f.partnership.id) == ["Fabrikam Health", "Northwind Logistics"])
        }
    }

    @Test("adding an account: 404 for an outsider, 403 read-only, 409 once ended", arguments: StoreKind.all)
    func addRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.jointAccounts.add(to: f.partnership.id, by: f.principal(f.olga), Self.unread())
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.jointAccounts.add(
                    to: f.partnership.id, by: f.principal(f.priya, scope: .read), Self.unread())
            }
            _ = try await w.partnerships.end(f.partnership.id, reason: "Done for now", by: f.principal(f.daniel))
            await #expect(throws: WorkflowError.conflict("The partnership has ended.")) {
                try await w.jointAccounts.add(to: f.partnership.id, by: f.principal(f.priya), Self.unread())
            }
            #expect(try await probe.jointAccountNames(f.partnership.id) == ["Northwind Logistics"])
        }
    }

    @Test("a viewer may add no account, set no plan and start no deal on a target", arguments: StoreKind.all)
    func viewerRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await MappingSeed.write(f, probe)
            var vera = f.priya
            vera.id = UUID()
            vera.role = .viewer
            let viewer = f.principal(vera)
            let refused = WorkflowError.forbidden("A viewer can read but not change anything.")
            await #expect(throws: refused) {
                try await w.jointAccounts.add(to: f.partnership.id, by: viewer, Self.unread())
            }
            await #expect(throws: refused) {
                try await w.partnerships.setPlan(in: f.partnership.id, by: viewer, Self.unread())
            }
            await #expect(throws: refused) {
                try await w.targets.openDeal(in: f.partnership.id, by: viewer, onTarget: Self.unread())
            }
            // Reading is allowed.
            let ranked = try await w.targets.ranked(in: f.partnership.id, by: viewer)
            #expect(ranked.count == 3)
            let names = try await probe.jointAccountNames(f.partnership.id)
            #expect(names == ["Northwind Logistics"])
        }
    }

    @Test("adding an account: each field out of range is refused naming it, nothing written", arguments: StoreKind.all)
    func addInvalid(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let ok = JointAccountWorkflows.NewAccount(name: "Fabrikam", reason: "Both know them")
            var cases: [(String, JointAccountWorkflows.NewAccount)] = []
            var a = ok
            a.name = "   "
            cases.append(("name", a))
            a = ok
            a.reason = " x "
            cases.append(("reason", a))
            a = ok
            a.employees = -1
            cases.append(("employees", a))
            a = ok
            a.domain = String(repeating: "d", count: 254)
            cases.append(("domain", a))
            a = ok
            a.country = String(repeating: "c", count: 101)
            cases.append(("country", a))
            a = ok
            a.industry = String(repeating: "i", count: 201)
            cases.append(("industry", a))
            a = ok
            a.address = CustomerAddress(postalCode: String(repeating: "9", count: 21))
            cases.append(("address.postal_code", a))
            for (field, body) in cases {
                await Self.expectInvalid(field) {
                    try await w.jointAccounts.add(to: f.partnership.id, by: f.principal(f.priya)) { body }
                }
            }
            let names = try await probe.jointAccountNames(f.partnership.id)
            #expect(names == ["Northwind Logistics"])
        }
    }

    func plan(owners: [PlanOwner]? = nil, named: [UUID]? = nil) -> CoSellPlan {
        CoSellPlan(
            segments: ["US logistics, 1000+ employees"], namedAccountIDs: named ?? [f.account.id],
            owners: owners ?? [
                PlanOwner(organizationID: f.quarry.id, personID: f.daniel.id),
                PlanOwner(organizationID: f.halyard.id, personID: f.marcus.id),
            ], reviewWeekday: .tuesday)
    }

    @Test("an admin sets the co-sell plan: stored and returned with the partnership", arguments: StoreKind.all)
    func setsPlan(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let wanted = plan()
            let ps = try await w.partnerships.setPlan(in: f.partnership.id, by: f.principal(f.marcus)) { wanted }
            #expect(ps.id == f.partnership.id)
            #expect(ps.plan == wanted)
            #expect(try await w.store.partnership(f.partnership.id)?.plan == wanted)
        }
    }

    @Test(
        "setting the plan: 404 for an outsider, 403 read-only and for sellers, the body read only after",
        arguments: StoreKind.all)
    func planRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.partnerships.setPlan(in: f.partnership.id, by: f.principal(f.olga), Self.unread())
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.partnerships.setPlan(
                    in: f.partnership.id, by: f.principal(f.daniel, scope: .read), Self.unread())
            }
            await #expect(throws: WorkflowError.forbidden("Only admins and partner managers change the co-sell plan."))
            {
                try await w.partnerships.setPlan(in: f.partnership.id, by: f.principal(f.priya), Self.unread())
            }
            let stored = try await w.store.partnership(f.partnership.id)
            #expect(stored?.plan == nil)
        }
    }

    @Test("setting the plan: each field that does not hold is refused naming it", arguments: StoreKind.all)
    func planInvalid(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            var many = plan()
            many.segments = Array(repeating: "EMEA", count: 51)
            var blank = plan()
            blank.segments = ["EMEA", "  "]
            let cases: [(String, CoSellPlan)] = [
                ("segments", many), ("segments[1]", blank),
                ("named_account_ids[1]", plan(named: [f.account.id, UUID()])),
                ("owners", plan(owners: [PlanOwner(organizationID: f.quarry.id, personID: f.daniel.id)])),
                (
                    "owners[1].person_id",
                    plan(owners: [
                        PlanOwner(organizationID: f.quarry.id, personID: f.daniel.id),
                        PlanOwner(organizationID: f.halyard.id, personID: f.olga.id),
                    ])
                ),
            ]
            for (field, body) in cases {
                await Self.expectInvalid(field) {
                    try await w.partnerships.setPlan(in: f.partnership.id, by: f.principal(f.daniel)) { body }
                }
            }
            let stored = try await w.store.partnership(f.partnership.id)
            #expect(stored?.plan == nil)
        }
    }
}
