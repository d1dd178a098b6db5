import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// Exchange-rate tables and the partner revenue report (JSON and CSV).
enum RevenueAPI {
    /// Exchange-rate uploads are at most 5 MB of CSV.
    static let maxUpload = 5 * 1_048_576

    static let components: [(String, Schema)] = [
        (
            "ExchangeRateTable",
            .object(
                [
                    ("reporting_currency", .string()), ("uploaded_at", .dateTime), ("entry_count", .integer(min: 0)),
                    ("currencies", .array(.string())), ("first_date", .date), ("last_date", .date),
                    (
                        "entries",
                        .array(
                            .object(
                                [("date", .date), ("currency", .string()), ("rate", .string())],
                                required: ["date", "currency", "rate"]))
                    ),
                ], required: ["reporting_currency", "uploaded_at", "entry_count", "currencies", "entries"])
        ),
        (
            "RevenueReport",
            .object(
                [
                    ("reporting_currency", .string()), ("from", .date), ("to", .date),
                    ("rates_uploaded_at", .dateTime), ("rows", .array(.any)), ("total", .any),
                    ("unconverted", .array(.any)), ("unattributed", .array(.any)),
                    (
                        "organizations",
                        .array(.object([("id", .uuid), ("name", .string())], required: ["id", "name"]))
                    ),
                ], required: ["reporting_currency", "rows", "unconverted", "unattributed", "organizations"])
        ),
    ]

    static let reportQuery: [QueryParameter] = [
        QueryParameter(
            name: "currency", schema: .string(minLength: 3, maxLength: 3),
            description:
                "The reporting currency (ISO 4217), e.g. EUR; by default the currency of your most recently uploaded exchange-rate table."
        ),
        QueryParameter(name: "from", schema: .date, description: "Only deals closed on or after this day."),
        QueryParameter(name: "to", schema: .date, description: "Only deals closed on or before this day."),
    ]

    static func operations() -> [APIOperation] {
        var upload = APIOperation(
            .PUT, "/api/v1/exchange-rates", id: "putExchangeRates",
            summary:
                "Replace your organization's exchange rates into one reporting currency with a CSV (date,currency,rate_to_reporting; admins)",
            tag: "reports",
            query: [
                QueryParameter(
                    name: "reporting_currency", schema: .string(minLength: 3, maxLength: 3),
                    description: "The currency the rates convert into (ISO 4217), e.g. EUR. Required.")
            ],
            body: .string(), response: .ref("ExchangeRateTable")
        ) { req in
            let p = try await req.principal()
            try p.requireWrite()
            guard p.person.role == .admin else { throw Problem.forbidden("Only admins upload exchange rates.") }
            let reporting = try currency(req, "reporting_currency")
            if let ct = req.headers.contentType, !(ct.type == "text" && (ct.subType == "csv" || ct.subType == "plain"))
            {
                throw Problem(
                    .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
                    detail: "Send the exchange rates as text/csv.", field: "body")
            }
            guard let buffer = req.body.data, buffer.readableBytes > 0 else {
                throw Problem.badRequest("body", "Send the exchange rates as CSV: date,currency,rate_to_reporting.")
            }
            guard buffer.readableBytes <= maxUpload else {
                throw Problem(
                    .payloadTooLarge, type: "too-large", title: "The request body is too large",
                    detail: "The body is larger than the limit of 5 MB.", field: "body")
            }
            guard let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes),
                let text = String(validating: bytes, as: UTF8.self)
            else { throw Problem.invalid("body", "The CSV must be UTF-8 text.") }
            let stored = try await replaceRates(req, p.person, reporting: reporting, csv: text)
            return try APIJSON.response(ExchangeRatesView(stored))
        }
        upload.bodyContentType = "text/csv"
        upload.maxBody = ByteCount(value: maxUpload)
        return [
            upload,
            APIOperation(
                .GET, "/api/v1/exchange-rates", id: "listExchangeRates",
                summary: "Your organization's exchange-rate tables, one per reporting currency", tag: "reports",
                query: [
                    QueryParameter(
                        name: "reporting_currency", schema: .string(minLength: 3, maxLength: 3),
                        description: "Only the table into this currency.")
                ],
                response: .array(.ref("ExchangeRateTable"))
            ) { req in
                let p = try await req.principal()
                var tables = try await req.store.exchangeRateTables(organizationID: p.person.organizationID)
                if (try? req.query.get(String.self, at: "reporting_currency")) != nil {
                    let c = try currency(req, "reporting_currency")
                    tables = tables.filter { $0.table.reportingCurrency == c }
                }
                return try APIJSON.response(tables.map(ExchangeRatesView.init))
            },
            APIOperation(
                .GET, "/api/v1/reports/revenue", id: "getRevenueReport",
                summary:
                    "Partner-sourced and partner-influenced revenue by partner, quarter and side, converted at each close date's rate",
                tag: "reports", query: reportQuery, response: .ref("RevenueReport")
            ) { req in
                try APIJSON.response(try await revenue(req))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/reports/revenue.csv", id: "exportRevenueReport",
                    summary: "The revenue report as CSV: converted rows, then unconverted and unattributed deals",
                    tag: "reports", query: reportQuery, response: .string()
                ) { req in
                    let view = try await revenue(req)
                    return APIOperation.csvResponse(view.report.csv(), name: "revenue")
                }),
        ]
    }

    static func currency(_ req: Request, _ name: String) throws -> Currency {
        guard let raw = try? req.query.get(String.self, at: name), !raw.isEmpty else {
            throw Problem.invalid(name, "\(name) is required: an ISO 4217 currency code such as EUR.")
        }
        guard raw.count == 3, let c = Currency(code: raw.uppercased()) else {
            throw Problem.invalid(name, "\(name) must be an active ISO 4217 currency code such as EUR.")
        }
        return c
    }

    static func date(_ req: Request, _ name: String) throws -> LocalDate? {
        guard let raw = try? req.query.get(String.self, at: name) else { return nil }
        guard let d = LocalDate(raw) else { throw Problem.invalid(name, "\(name) must be a date as YYYY-MM-DD.") }
        return d
    }

    /// Parses an exchange-rate CSV and replaces the organization's table into `reporting` with it
    /// (one transaction), with an audit entry. A bad file is a 422 naming `body` and the line.
    /// Shared by the API upload and the exchange-rate page.
    static func replaceRates(
        _ req: Request, _ person: Person, reporting: Currency, csv text: String
    ) async throws
        -> StoredExchangeRates
    {
        guard person.role == .admin else { throw Problem.forbidden("Only admins upload exchange rates.") }
        let table: ExchangeRateTable
        do {
            table = try ExchangeRateTable.parseCSV(text, reportingCurrency: reporting)
        } catch {
            // parseCSV throws only ExchangeRateCSVError (typed throws).
            throw Problem.invalid("body", "Line \(error.line): \(error.message). Nothing was changed.")
        }
        let now = Date()
        try await req.store.replaceExchangeRates(table, organizationID: person.organizationID, at: now)
        await req.audit(
            "exchange_rates_uploaded",
            "Exchange rates into \(reporting.code) replaced: \(table.entries.count) rates.",
            organizationID: person.organizationID, actor: person)
        return StoredExchangeRates(table: table, uploadedAt: now)
    }

    /// The reporting currency used when none is asked for: that of the organization's most recently
    /// uploaded table, or nil when it has none.
    static func defaultCurrency(_ req: Request, organizationID: UUID) async throws -> Currency? {
        try await req.store.exchangeRateTables(organizationID: organizationID).max(by: {
            $0.uploadedAt < $1.uploadedAt
        })?.table.reportingCurrency
    }

    /// The report of the API: `currency`, `from` and `to` from the query (422 naming the field).
    static func revenue(_ req: Request) async throws -> RevenueView {
        let p = try await req.principal()
        let reporting: Currency
        if (try? req.query.get(String.self, at: "currency")) != nil {
            reporting = try currency(req, "currency")
        } else {
            guard let latest = try await defaultCurrency(req, organizationID: p.person.organizationID) else {
                throw Problem.invalid(
                    "currency", "currency is required (an ISO 4217 code such as EUR) until exchange rates are uploaded."
                )
            }
            reporting = latest
        }
        let from = try date(req, "from")
        let to = try date(req, "to")
        if let from, let to, to < from { throw Problem.invalid("to", "to must not be before from.") }
        return try await revenue(req, person: p.person, reporting: reporting, from: from, to: to)
    }

    /// The report over the won deals the person may see, closed within [from, to], at the
    /// organization's rates into `reporting`. The API and the revenue page both load it here.
    static func revenue(
        _ req: Request, person: Person, reporting: Currency, from: LocalDate?, to: LocalDate?
    )
        async throws -> RevenueView
    {
        let org = person.organizationID
        let partnerships = Dictionary(
            uniqueKeysWithValues: try await req.store.partnerships(of: org).map { ($0.id, $0) })
        let won = try await req.store.reportFacts(visibleTo: org, status: .won)
        let deals = won.filter { d in
            guard let ps = partnerships[d.partnershipID], Visibility.canSee(d, person: person, partnership: ps),
                let close = d.outcome?.closeDate
            else { return false }
            return (from.map { close >= $0 } ?? true) && (to.map { close <= $0 } ?? true)
        }
        let stored = try await req.store.exchangeRates(organizationID: org, reportingCurrency: reporting)
        let rates = stored?.table ?? ExchangeRateTable(reportingCurrency: reporting, entries: [])
        let report = Reports.partnerRevenue(facts: deals, rates: rates)
        let ids = Set(report.rows.map(\.partnerOrganizationID) + report.unconverted.map(\.partnerOrganizationID))
            .union(report.unattributed.map(\.partnerOrganizationID))
        let orgs = try await req.store.organizations(Array(ids)).map { OrganizationName(id: $0.id, name: $0.name) }
        return RevenueView(
            from: from, to: to, ratesUploadedAt: stored?.uploadedAt, report: report, organizations: orgs,
            dealTitles: Dictionary(deals.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a }))
    }
}

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
