import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Exchange rates and the revenue report, on every store.
@Suite("Revenue workflows")
struct RevenueWorkflowsTests {
    let f = WorkflowFixture()
    struct NotRead: Error {}

    static let eur = Currency(code: "EUR")!
    static let csv = "date,currency,rate_to_reporting\n2026-01-02,USD,0.9100\n2026-01-02,GBP,1.1600\n"

    func upload(_ csv: String = Self.csv) -> @Sendable () async throws -> RevenueWorkflows.Upload {
        { .init(reportingCurrency: Self.eur, csv: csv) }
    }

    @Test("an admin replaces the exchange rates into a currency, with an audit line", arguments: StoreKind.all)
    func replaces(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let stored = try await w.revenue.replaceRates(by: f.principal(f.daniel), upload())
            #expect(stored.table.entries.count == 2)
            #expect(stored.uploadedAt == f.now)
            _ = try await w.revenue.replaceRates(
                by: f.principal(f.daniel), upload("date,currency,rate_to_reporting\n2026-02-02,USD,0.9200\n"))
            let tables = try await w.store.exchangeRateTables(organizationID: f.quarry.id)
            #expect(tables.map(\.table.entries.count) == [1])
            #expect(tables.first?.table.entries.first?.date == LocalDate("2026-02-02"))
            #expect(try await w.revenue.defaultCurrency(by: f.principal(f.priya)) == Self.eur)
            #expect(try await w.revenue.defaultCurrency(by: f.principal(f.marcus)) == nil)
            #expect(try await probe.auditKinds(f.quarry.id) == ["exchange_rates_uploaded", "exchange_rates_uploaded"])
        }
    }

    @Test(
        "an upload is refused before its body is read: a seller, a read-only token; a bad file names the line",
        arguments: StoreKind.all)
    func refusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            await #expect(throws: WorkflowError.forbidden("Only admins upload exchange rates.")) {
                try await w.revenue.replaceRates(by: f.principal(f.priya)) { throw NotRead() }
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.revenue.replaceRates(by: f.principal(f.daniel, scope: .read)) { throw NotRead() }
            }
            do {
                _ = try await w.revenue.replaceRates(
                    by: f.principal(f.daniel),
                    upload("date,currency,rate_to_reporting\n2026-01-02,USD,0.91\n2026-13-02,GBP,1\n"))
                Issue.record("a bad file was accepted")
            } catch WorkflowError.invalid(let field, let message) {
                #expect(field == "body")
                #expect(message.hasPrefix("Line 3: "))
                #expect(message.hasSuffix("Nothing was changed."))
            }
            let tables = try await w.store.exchangeRateTables(organizationID: f.quarry.id)
            #expect(tables.isEmpty)
            let kinds = try await probe.auditKinds(f.quarry.id)
            #expect(kinds.isEmpty)
        }
    }

    @Test("a failed audit line leaves the previous table as it was: all or nothing", arguments: StoreKind.all)
    func allOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            _ = try await w.revenue.replaceRates(by: f.principal(f.daniel), upload())
            let failing = Workflows(store: FailingStore(base: w.store), clock: { [now = f.now] in now })
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.revenue.replaceRates(
                    by: f.principal(f.daniel), upload("date,currency,rate_to_reporting\n2026-02-02,USD,0.9200\n"))
            }
            let tables = try await w.store.exchangeRateTables(organizationID: f.quarry.id)
            #expect(tables.map(\.table.entries.count) == [2])
            #expect(try await probe.auditKinds(f.quarry.id) == ["exchange_rates_uploaded"])
        }
    }

    @Test(
        "the revenue report: the won deals the person sees, closed in the period, at their organization's rates",
        arguments: StoreKind.all)
    func report(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            var deal = try await f.openDeal(w)
            let usd = Currency(code: "USD")!
            deal.status = .won
            deal.evidence.close.outcome = Outcome(
                result: .won, finalAmount: Money(minorUnits: 100_000, currency: usd),
                closeDate: LocalDate("2026-01-05")!, lossReason: nil, recordedBy: f.daniel.id, recordedAt: f.now)
            let playbook = try #require(try await w.store.playbook(deal.playbookID, version: deal.playbookVersion))
            _ = try await w.store.saveDeal(
                deal, stageKey: playbook.stages[deal.stageIndex].key, expectedVersion: deal.version, changes: [],
                actor: f.principal(f.daniel).actor, at: f.now)
            _ = try await w.revenue.replaceRates(by: f.principal(f.daniel), upload())

            let r = try await w.revenue.revenue(by: f.principal(f.daniel), reporting: Self.eur, from: nil, to: nil)
            #expect(r.report.rows.isEmpty)
            #expect(r.report.unattributed.map(\.dealID) == [deal.id])
            #expect(
                r.report.unattributed.first?.amountInReportingCurrency == Money(minorUnits: 91_000, currency: Self.eur))
            #expect(r.organizations.map(\.id) == [f.halyard.id])
            #expect(r.dealTitles == [deal.id: "Northwind rollout"])
            #expect(r.ratesUploadedAt == f.now)

            let later = try await w.revenue.revenue(
                by: f.principal(f.daniel), reporting: Self.eur, from: LocalDate("2026-02-01"), to: nil)
            #expect(later.report.unattributed.isEmpty)
            let outsider = try await w.revenue.revenue(by: f.principal(f.olga), reporting: Self.eur, from: nil, to: nil)
            #expect(outsider.report.unattributed.isEmpty)
            #expect(outsider.ratesUploadedAt == nil)
        }
    }
}
