import CoSellDomain
import CoSellWorkflows
import Foundation

// The revenue report and the exchange-rate tables as the API encodes them and the pages show them.

struct OrganizationName: Encodable {
    var id: UUID
    var name: String
}

struct RevenueView: Encodable {
    var from: LocalDate?
    var to: LocalDate?
    var ratesUploadedAt: Date?
    var report: PartnerRevenueReport
    var organizations: [OrganizationName]
    /// The title of every deal in the report, for the page (not part of the JSON).
    var dealTitles: [UUID: String] = [:]

    enum CodingKeys: String, CodingKey {
        case reportingCurrency, from, to, ratesUploadedAt, rows, total, unconverted, unattributed, organizations
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.reportingCurrency, forKey: .reportingCurrency)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encodeIfPresent(to, forKey: .to)
        try c.encodeIfPresent(ratesUploadedAt, forKey: .ratesUploadedAt)
        try c.encode(report.rows, forKey: .rows)
        try c.encode(report.total, forKey: .total)
        try c.encode(report.unconverted, forKey: .unconverted)
        try c.encode(report.unattributed, forKey: .unattributed)
        try c.encode(organizations, forKey: .organizations)
    }
}

extension RevenueView {
    /// The workflows' report as the API encodes it and the page shows it.
    init(_ r: RevenueWorkflows.Revenue) {
        self.init(
            from: r.from, to: r.to, ratesUploadedAt: r.ratesUploadedAt, report: r.report,
            organizations: r.organizations.map { OrganizationName(id: $0.id, name: $0.name) },
            dealTitles: r.dealTitles)
    }
}

struct ExchangeRatesView: Encodable {
    var reportingCurrency: Currency
    var uploadedAt: Date
    var entryCount: Int
    var currencies: [String]
    var firstDate: LocalDate?
    var lastDate: LocalDate?
    var entries: [ExchangeRateEntry]

    init(_ s: StoredExchangeRates) {
        let entries = s.table.entries
        reportingCurrency = s.table.reportingCurrency
        uploadedAt = s.uploadedAt
        entryCount = entries.count
        currencies = s.table.series.keys.sorted()
        firstDate = entries.map(\.date).min()
        lastDate = entries.map(\.date).max()
        self.entries = entries
    }
}
