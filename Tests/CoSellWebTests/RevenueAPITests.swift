import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@Suite("Exchange rates and the revenue report over the API")
struct RevenueAPITests {
    static func csv(
        _ app: Application, _ method: HTTPMethod, _ path: String, body: String? = nil, token: String = Token.hostAdmin
    )
        async throws -> Answer
    {
        try await app.call(method, path, token: token, body: body, headers: ["Content-Type": "text/csv"])
    }

    @Test(
        "an admin replaces a table in one go; a bad line names itself and changes nothing", arguments: TestDatabase.all)
    func rates(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            // The demo holds a USD table for the host.
            let demo = try await app.call(.GET, "/api/v1/exchange-rates")
            #expect((demo.json as? [[String: Any]])?.map { $0["reporting_currency"] as? String } == ["USD"])

            let good =
                "date,currency,rate_to_reporting\n2026-01-02,USD,0.9100\n2026-01-02,GBP,1.1600\n2026-07-01,USD,0.9300\n"
            let put = try await Self.csv(app, .PUT, "/api/v1/exchange-rates?reporting_currency=EUR", body: good)
            #expect(put.status == .ok)
            #expect(put["entry_count"] as? Int == 3)
            #expect(put["currencies"] as? [String] == ["GBP", "USD"])
            #expect(put["first_date"] as? String == "2026-01-02")

            let bad = "date,currency,rate_to_reporting\n2026-01-02,USD,0.91\n2026-13-02,GBP,1.16\n"
            let refused = try await Self.csv(app, .PUT, "/api/v1/exchange-rates?reporting_currency=EUR", body: bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused["field"] as? String == "body")
            #expect((refused["detail"] as? String)?.hasPrefix("Line 3: ") == true)
            let eur = try await app.call(.GET, "/api/v1/exchange-rates?reporting_currency=EUR")
            #expect((eur.json as? [[String: Any]])?.first?["entry_count"] as? Int == 3)

            let noCurrency = try await Self.csv(app, .PUT, "/api/v1/exchange-rates", body: good)
            #expect(noCurrency["field"] as? String == "reporting_currency")
            let wrongCurrency = try await Self.csv(
                app, .PUT, "/api/v1/exchange-rates?reporting_currency=EURO", body: good)
            #expect(wrongCurrency["field"] as? String == "reporting_currency")
            let json = try await app.call(
                .PUT, "/api/v1/exchange-rates?reporting_currency=EUR", body: "{\"rates\": []}")
            #expect(json.status == .unsupportedMediaType)
            let seller = try await Self.csv(
                app, .PUT, "/api/v1/exchange-rates?reporting_currency=EUR", body: good, token: Token.hostSeller)
            #expect(seller.status == .forbidden)
            // Each organization keeps its own tables.
            let partner = try await app.call(.GET, "/api/v1/exchange-rates", token: Token.partnerAdmin)
            #expect((partner.json as? [[String: Any]])?.map { $0["reporting_currency"] as? String } == ["EUR"])
            #expect((partner.json as? [[String: Any]])?.first?["entry_count"] as? Int != 3)
        }
    }

    @Test("revenue by partner, quarter and side at the close date's rate; nothing dropped", arguments: TestDatabase.all)
    func revenue(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let r = try await app.call(.GET, "/api/v1/reports/revenue?currency=USD")
            #expect(r.status == .ok)
            #expect(r["reporting_currency"] as? String == "USD")
            let rows = try #require(r["rows"] as? [[String: Any]])
            #expect(!rows.isEmpty)
            #expect((r["unconverted"] as? [Any])?.isEmpty == true)
            let total = try #require(r.path("total", "amount") as? String)
            let sum = rows.compactMap { ($0["amount"] as? [String: Any])?["amount"] as? String }
                .compactMap { Decimal(string: $0) }.reduce(0, +)
            #expect(Decimal(string: total) == sum)
            let registered = rows.compactMap { $0["deals"] as? Int }.reduce(0, +)
            let named = Set(((r["organizations"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            #expect(Set(rows.compactMap { $0["partner_organization_id"] as? String }).isSubset(of: named))
            // Without a currency: the most recently uploaded table's.
            #expect(try await app.call(.GET, "/api/v1/reports/revenue")["reporting_currency"] as? String == "USD")

            // Into yen nothing converts (no table): every registered win is listed as unconverted.
            let yen = try await app.call(.GET, "/api/v1/reports/revenue?currency=JPY")
            #expect((yen["rows"] as? [Any])?.isEmpty == true)
            let lines = try #require(yen["unconverted"] as? [[String: Any]])
            #expect(lines.count == registered)
            #expect(lines.allSatisfy { $0["reason"] as? String == "no_rate" })

            let csv = try await app.testing().sendRequest(
                .GET, "/api/v1/reports/revenue.csv?currency=JPY",
                headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(
                csv.body.string.split(separator: "\n").count == 1 + registered
                    + ((yen["unattributed"] as? [Any])?.count ?? 0))
            #expect(
                csv.body.string.contains("no USD rate on or before")
                    || csv.body.string.contains("no EUR rate on or before"))

            // A window that holds no close date.
            let empty = try await app.call(.GET, "/api/v1/reports/revenue?currency=USD&from=2000-01-01&to=2000-12-31")
            #expect((empty["rows"] as? [Any])?.isEmpty == true)
            #expect(empty["from"] as? String == "2000-01-01")
            for (query, field) in [
                ("currency=XYZ", "currency"), ("currency=USD&from=2026-02-30", "from"), ("currency=USD&to=soon", "to"),
                ("currency=USD&from=2026-05-01&to=2026-04-01", "to"),
            ] {
                let bad = try await app.call(.GET, "/api/v1/reports/revenue?\(query)")
                #expect(bad.status == .unprocessableEntity, "\(query)")
                #expect(bad["field"] as? String == field, "\(query)")
            }
            // The partner organization has no table into USD: its own view lists the wins unconverted too.
            let partner = try await app.call(.GET, "/api/v1/reports/revenue", token: Token.partnerAdmin)
            #expect(partner["reporting_currency"] as? String == "EUR")
            #expect((partner["rows"] as? [Any])?.isEmpty == false)
        }
    }
}
