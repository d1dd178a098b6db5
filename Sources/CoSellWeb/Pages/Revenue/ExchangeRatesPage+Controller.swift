import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum ExchangeRatesPageController {
    static func tables(_ req: Request, _ s: PageSession) async throws -> [ExchangeRatesPageModel.Table] {
        let f = req.displayFormat
        return try await req.store.exchangeRateTables(organizationID: s.person.organizationID)
            .sorted { $0.table.reportingCurrency.code < $1.table.reportingCurrency.code }
            .map { t in
                let v = ExchangeRatesView(t)
                return .init(
                    reportingCurrency: v.reportingCurrency.code, uploadedAt: f.format(v.uploadedAt),
                    entries: v.entryCount, currencies: v.currencies.joined(separator: ", "),
                    firstDate: v.firstDate.map(f.format) ?? "—", lastDate: v.lastDate.map(f.format) ?? "—")
            }
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        return Pages.html(
            ExchangeRatesPage.render(
                ExchangeRatesPageModel(
                    chrome: s.chrome("Exchange rates", .revenue, notice: Pages.notice(req)),
                    tables: try await tables(req, s), canUpload: s.person.role == .admin, reportingCurrency: "",
                    csv: "", errors: [:], message: nil)))
    }

    /// `POST /exchange-rates` (multipart: `reporting_currency`, `file` or `csv`): the same parse and
    /// replace as `PUT /api/v1/exchange-rates`. A refusal comes back with the message beside its
    /// field and what was typed kept.
    static func upload(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let currencyText = (req.formValue("reporting_currency") ?? "").uppercased()
        let pasted = (try? req.content.get(String.self, at: "csv")) ?? ""
        var errors: [String: String] = [:]
        do {
            let stored = try await req.workflows.revenue.replaceRates(by: s.principal) {
                try form(req, currencyText: currencyText, pasted: pasted)
            }
            return Pages.seeOther(
                SiteRoute.exchangeRates,
                notice:
                    "The \(stored.table.reportingCurrency.code) table is replaced: \(stored.table.entries.count) rates."
            )
        } catch let refused as FormRefused {
            errors = refused.errors
        } catch WorkflowError.invalid(field: "body", let m) {
            errors["csv"] = m
        }
        let m = ExchangeRatesPageModel(
            chrome: s.chrome("Exchange rates", .revenue), tables: try await tables(req, s), canUpload: true,
            reportingCurrency: currencyText, csv: pasted, errors: errors,
            message: "Nothing was changed: fix the marked field.")
        return Pages.html(ExchangeRatesPage.render(m), status: .unprocessableEntity)
    }

    /// The form's refusals, by field (`reporting_currency`, `csv`).
    struct FormRefused: Error {
        var errors: [String: String]
    }

    /// The upload the form asks for: the currency, and the file or else the pasted text.
    static func form(_ req: Request, currencyText: String, pasted: String) throws -> RevenueWorkflows.Upload {
        var errors: [String: String] = [:]
        let reporting = Currency(code: currencyText)
        if currencyText.isEmpty {
            errors["reporting_currency"] = "Say which currency the rates convert into, e.g. EUR."
        } else if reporting == nil {
            errors["reporting_currency"] = "\"\(currencyText)\" is not an active ISO 4217 currency code such as EUR."
        }
        var text: String? = nil
        if let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 {
            if let bytes = file.data.getBytes(at: file.data.readerIndex, length: file.data.readableBytes),
                let t = String(validating: bytes, as: UTF8.self)
            {
                text = t
            } else {
                errors["csv"] = "The file must be UTF-8 text."
            }
        } else if !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text = pasted
        } else {
            errors["csv"] = "Choose a CSV file or paste the rates."
        }
        guard errors.isEmpty, let reporting, let text else { throw FormRefused(errors: errors) }
        return RevenueWorkflows.Upload(reportingCurrency: reporting, csv: text)
    }
}
