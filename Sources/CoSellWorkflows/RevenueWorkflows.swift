import CoSellDomain
import Foundation

/// Exchange rates and the partner revenue report.
public struct RevenueWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// Exchange-rate uploads are at most 5 MB of CSV.
    public static let maxUpload = 5 * 1_048_576

    /// An exchange-rate upload: the currency the rates convert into and the CSV text.
    public struct Upload: Sendable {
        public var reportingCurrency: Currency
        public var csv: String

        public init(reportingCurrency: Currency, csv: String) {
            self.reportingCurrency = reportingCurrency
            self.csv = csv
        }
    }

    /// The partner revenue report over the won deals a person may see, with the names of the
    /// organizations it names and the titles of its deals.
    public struct Revenue: Sendable {
        public var from: LocalDate?
        public var to: LocalDate?
        public var ratesUploadedAt: Date?
        public var report: PartnerRevenueReport
        public var organizations: [Organization]
        public var dealTitles: [UUID: String]
    }

    /// An admin replaces their organization's exchange rates into one reporting currency with a CSV
    /// (`date,currency,rate_to_reporting`), with an audit line. `upload` is read after the role and
    /// write checks; a bad file is `invalid` naming `body` and the line, and changes nothing.
    public func replaceRates(
        by p: Principal, _ upload: @escaping @Sendable () async throws -> Upload
    ) async throws -> StoredExchangeRates {
        try p.require([.admin], "Only admins upload exchange rates.")
        try p.requireWrite()
        let u = try await upload()
        let table: ExchangeRateTable
        do {
            table = try ExchangeRateTable.parseCSV(u.csv, reportingCurrency: u.reportingCurrency)
        } catch {
            throw WorkflowError.invalid(field: "body", "Line \(error.line): \(error.message). Nothing was changed.")
        }
        let now = clock()
        let org = p.person.organizationID
        return try await store.transaction { s in
            try await s.replaceExchangeRates(table, organizationID: org, at: now)
            try await s.audit(
                p.auditEntry(
                    "exchange_rates_uploaded",
                    "Exchange rates into \(u.reportingCurrency.code) replaced: \(table.entries.count) rates.",
                    organizationID: org, at: now))
            return StoredExchangeRates(table: table, uploadedAt: now)
        }
    }

    /// The reporting currency used when none is asked for: that of the organization's most recently
    /// uploaded table, or nil when it has none.
    public func defaultCurrency(by p: Principal) async throws -> Currency? {
        Self.latest(try await store.exchangeRateTables(organizationID: p.person.organizationID))
    }

    /// The reporting currency of the most recently uploaded of `tables`.
    public static func latest(_ tables: [StoredExchangeRates]) -> Currency? {
        tables.max(by: { $0.uploadedAt < $1.uploadedAt })?.table.reportingCurrency
    }

    /// The report over the won deals the principal may see, closed within [from, to], at their
    /// organization's rates into `reporting`.
    public func revenue(
        by p: Principal, reporting: Currency, from: LocalDate?, to: LocalDate?
    ) async throws -> Revenue {
        let org = p.person.organizationID
        let partnerships = Dictionary(
            uniqueKeysWithValues: try await store.partnerships(of: org).map { ($0.id, $0) })
        let won = try await store.reportFacts(visibleTo: org, partnershipID: nil, status: .won)
        let deals = won.filter { d in
            guard let ps = partnerships[d.partnershipID], Visibility.canSee(d, person: p.person, partnership: ps),
                let close = d.outcome?.closeDate
            else { return false }
            return (from.map { close >= $0 } ?? true) && (to.map { close <= $0 } ?? true)
        }
        let stored = try await store.exchangeRates(organizationID: org, reportingCurrency: reporting)
        let rates = stored?.table ?? ExchangeRateTable(reportingCurrency: reporting, entries: [])
        let report = Reports.partnerRevenue(facts: deals, rates: rates)
        let ids = Set(report.rows.map(\.partnerOrganizationID) + report.unconverted.map(\.partnerOrganizationID))
            .union(report.unattributed.map(\.partnerOrganizationID))
        return Revenue(
            from: from, to: to, ratesUploadedAt: stored?.uploadedAt, report: report,
            organizations: try await store.organizations(Array(ids)),
            dealTitles: Dictionary(deals.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a }))
    }
}
