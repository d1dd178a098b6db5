import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// Exchange-rate tables and the partner revenue report (JSON and CSV).
enum RevenueAPI {
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
            let stored = try await req.workflows.revenue.replaceRates(by: try await req.writer()) {
                let reporting = try RequestInput.currency(req, "reporting_currency")
                if let ct = req.headers.contentType,
                    !(ct.type == "text" && (ct.subType == "csv" || ct.subType == "plain"))
                {
                    throw Problem(
                        .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
                        detail: "Send the exchange rates as text/csv.", field: "body")
                }
                guard let buffer = req.body.data, buffer.readableBytes > 0 else {
                    throw Problem.badRequest("body", "Send the exchange rates as CSV: date,currency,rate_to_reporting.")
                }
                guard buffer.readableBytes <= RevenueWorkflows.maxUpload else {
                    throw Problem(
                        .payloadTooLarge, type: "too-large", title: "The request body is too large",
                        detail: "The body is larger than the limit of 5 MB.", field: "body")
                }
                guard let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes),
                    let text = String(validating: bytes, as: UTF8.self)
                else { throw Problem.invalid("body", "The CSV must be UTF-8 text.") }
                return RevenueWorkflows.Upload(reportingCurrency: reporting, csv: text)
            }
            return try APIJSON.response(ExchangeRatesView(stored))
        }
        upload.bodyContentType = "text/csv"
        upload.maxBody = ByteCount(value: RevenueWorkflows.maxUpload)
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
                    let c = try RequestInput.currency(req, "reporting_currency")
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

    /// The report of the API: `currency`, `from` and `to` from the query (422 naming the field).
    private static func revenue(_ req: Request) async throws -> RevenueView {
        let p = try await req.principal()
        let reporting: Currency
        if (try? req.query.get(String.self, at: "currency")) != nil {
            reporting = try RequestInput.currency(req, "currency")
        } else {
            guard let latest = try await req.workflows.revenue.defaultCurrency(by: p) else {
                throw Problem.invalid(
                    "currency", "currency is required (an ISO 4217 code such as EUR) until exchange rates are uploaded."
                )
            }
            reporting = latest
        }
        let from = try RequestInput.date(req, "from")
        let to = try RequestInput.date(req, "to")
        if let from, let to, to < from { throw Problem.invalid("to", "to must not be before from.") }
        return RevenueView(try await req.workflows.revenue.revenue(by: p, reporting: reporting, from: from, to: to))
    }
}
