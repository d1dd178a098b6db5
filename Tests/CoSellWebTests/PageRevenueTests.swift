import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellWeb

@Suite("Pages: partner revenue and exchange rates")
struct PageRevenueTests {
    /// The page's "Total: …." line.
    static func total(_ html: String) -> String? {
        html.firstMatch(of: #/Total: ([^<]+)\.</p>/#).map { String($0.output.1) }
    }

    static func formatted(_ answer: Answer) throws -> String {
        let amount = try #require(answer.path("total", "amount") as? String)
        let currency = try #require(Currency(code: answer["reporting_currency"] as? String ?? ""))
        return DisplayFormat(localeIdentifier: "en-US").format(try Money(amount: amount, currency: currency))
    }

    @Test(
        "the revenue page shows the API's report for the same person, with its chart, links and left-out deals",
        arguments: TestDatabase.all)
    func revenue(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let partnerships = try await c.get("/partnerships")
            #expect(partnerships.html.contains("href=\"/reports/revenue\""))
            // Without a currency: that of the most recently uploaded table (the demo host's is USD).
            let page = try await c.get("/reports/revenue")
            #expect(page.status == .ok)
            #expect(page.html.contains("Revenue in USD"))
            #expect(page.html.contains("<svg"))
            #expect(page.html.contains("href=\"/api/v1/reports/revenue.csv?currency=USD\""))
            let api = try await app.call(.GET, "/api/v1/reports/revenue?currency=USD")
            #expect(Self.total(page.html) == (try Self.formatted(api)))
            let partnerNames = ((api["organizations"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            #expect(!partnerNames.isEmpty)
            for name in partnerNames { #expect(page.html.contains(name)) }
            let unattributed = (api["unattributed"] as? [[String: Any]]) ?? []
            #expect(page.html.contains("Wins without a registration (\(unattributed.count))"))
            for w in unattributed { #expect(page.html.contains("/deals/\(w["deal_id"] as? String ?? "-")")) }

            // Into yen nothing converts: every registered win is listed with its reason, none dropped.
            let yenAPI = try await app.call(.GET, "/api/v1/reports/revenue?currency=JPY")
            let unconverted = try #require(yenAPI["unconverted"] as? [[String: Any]])
            #expect(!unconverted.isEmpty)
            let yen = try await c.get("/reports/revenue?currency=jpy&from=2000-01-01")
            #expect(yen.status == .ok)
            #expect(yen.html.contains("Registered wins not converted (\(unconverted.count))"))
            #expect(yen.html.contains("rate into JPY on or before"))
            #expect(yen.html.contains("No registered won deal converts into JPY."))
            #expect(yen.html.contains("href=\"/api/v1/reports/revenue?currency=JPY&amp;from=2000-01-01\""))

            // A refused filter: the message beside its field, what was typed kept, no report.
            let bad = try await c.get("/reports/revenue?currency=XYZ&from=2026-02-30")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"revenue-currency-error\""))
            #expect(bad.html.contains("id=\"revenue-from-error\""))
            #expect(bad.html.contains("value=\"XYZ\""))
            #expect(bad.html.contains("value=\"2026-02-30\""))
            #expect(!bad.html.contains("<svg"))
            let backwards = try await c.get("/reports/revenue?currency=USD&from=2026-05-01&to=2026-04-01")
            #expect(backwards.status == .unprocessableEntity)
            #expect(backwards.html.contains("id=\"revenue-to-error\""))

            // A seller's page holds what the API gives the seller: the same loader and visibility.
            let seller = PageClient(app)
            _ = try await seller.signIn(People.hostSeller)
            let sellerPage = try await seller.get("/reports/revenue?currency=USD")
            let sellerAPI = try await app.call(.GET, "/api/v1/reports/revenue?currency=USD", token: Token.hostSeller)
            if sellerAPI.path("total", "amount") != nil {
                #expect(Self.total(sellerPage.html) == (try Self.formatted(sellerAPI)))
            }
            #expect(
                sellerPage.html.contains(
                    "Wins without a registration (\(((sellerAPI["unattributed"] as? [Any]) ?? []).count))"))
            // The partner organization's page is in its own reporting currency.
            let partner = PageClient(app)
            _ = try await partner.signIn(People.partnerPM)
            #expect(try await partner.get("/reports/revenue").html.contains("Revenue in EUR"))
        }
    }

    static func multipart(_ fields: [(name: String, filename: String?, value: String)]) -> (String, String) {
        let boundary = "cosell-test-boundary"
        var body = ""
        for f in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.name)\""
            if let name = f.filename { body += "; filename=\"\(name)\"\r\nContent-Type: text/csv" }
            body += "\r\n\r\n\(f.value)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    @Test(
        "an admin uploads exchange rates from the page; a bad line keeps the form; others may not",
        arguments: TestDatabase.all)
    func exchangeRates(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let page = try await c.get("/exchange-rates")
            #expect(page.status == .ok)
            #expect(page.html.contains("Upload a table"))
            #expect(page.html.contains("href=\"/reports/revenue?currency=USD\""))

            let bad = try await c.post(
                "/exchange-rates",
                ["reporting_currency": "eur", "csv": "date,currency,rate_to_reporting\n2026-13-02,USD,0.91"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"rates-csv-error\""))
            #expect(bad.html.contains("Line 2: "))
            #expect(bad.html.contains("value=\"EUR\""))
            #expect(bad.html.contains("2026-13-02,USD,0.91</textarea>"))
            let noCurrency = try await c.post("/exchange-rates", ["reporting_currency": "EURO", "csv": "x"])
            #expect(noCurrency.status == .unprocessableEntity)
            #expect(noCurrency.html.contains("id=\"rates-reporting_currency-error\""))
            let before = try await app.call(.GET, "/api/v1/exchange-rates?reporting_currency=EUR")
            #expect((before.json as? [Any])?.isEmpty == true)

            // The browser sends the file as multipart/form-data.
            let csrf = try #require(c.csrf)
            let (type, body) = Self.multipart([
                ("csrf_token", nil, csrf), ("reporting_currency", nil, "EUR"),
                ("file", "rates.csv", "date,currency,rate_to_reporting\n2026-01-02,USD,0.91\n2026-01-02,GBP,1.16\n"),
                ("csv", nil, ""),
            ])
            let res = try await app.testing().sendRequest(
                .POST, "/exchange-rates",
                headers: [
                    "Content-Type": type,
                    "Cookie": c.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                ], body: ByteBuffer(string: body))
            #expect(res.status == .seeOther)
            let after = try await app.call(.GET, "/api/v1/exchange-rates?reporting_currency=EUR")
            #expect((after.json as? [[String: Any]])?.first?["entry_count"] as? Int == 2)
            let listed = try await c.get("/exchange-rates")
            #expect(listed.html.contains("href=\"/reports/revenue?currency=EUR\""))
            let audit = try await app.call(.GET, "/api/v1/audit?limit=5")
            #expect(
                ((audit["items"] as? [[String: Any]]) ?? []).contains {
                    $0["kind"] as? String == "exchange_rates_uploaded"
                }
            )

            // A seller reads the tables but has no form, and a post is refused.
            let seller = PageClient(app)
            _ = try await seller.signIn(People.hostSeller)
            let sellerPage = try await seller.get("/exchange-rates")
            #expect(sellerPage.status == .ok)
            #expect(!sellerPage.html.contains("Upload a table"))
            let refused = try await seller.post(
                "/exchange-rates", ["reporting_currency": "EUR", "csv": "date,currency,rate_to_reporting\n"])
            #expect(refused.status == .forbidden)
        }
    }
}
