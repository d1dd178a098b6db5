import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("Exports over the API")
struct ExportsAPITests {
    static let ace = "solution_offered=S-0001234&delivery_model=SaaS%20or%20PaaS&use_case=Analytics"

    func csvLines(_ app: Application, _ path: String, token: String = Token.hostAdmin) async throws -> [String] {
        let res = try await app.testing().sendRequest(
            .GET, path, headers: ["Authorization": "Bearer \(token)"])
        #expect(res.status == .ok, "\(path)")
        #expect(res.headers.contentType?.subType == "csv")
        return res.body.string.split(separator: "\n").map(String.init)
    }

    @Test("deals and registrations CSV hold the deals the person may see", arguments: TestDatabase.all)
    func plain(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            for token in [Token.hostAdmin, Token.hostSeller, Token.partnerAdmin] {
                let listed = try await app.call(.GET, "/api/v1/deals?limit=200", token: token)
                let ids = Set(
                    ((listed["items"] as? [[String: Any]]) ?? []).compactMap {
                        ($0["deal"] as? [String: Any])?["id"] as? String
                    })
                let lines = try await csvLines(app, "/api/v1/exports/deals.csv", token: token)
                #expect(lines[0].hasPrefix("deal_id,title,partnership,"))
                #expect(Set(lines.dropFirst().map { String($0.prefix(36)) }) == ids, "\(token)")
            }
            let seller = try await csvLines(app, "/api/v1/exports/deals.csv", token: Token.hostSeller)
            let admin = try await csvLines(app, "/api/v1/exports/deals.csv")
            #expect(seller.count < admin.count)
            let regs = try await csvLines(app, "/api/v1/exports/registrations.csv")
            #expect(regs[0].hasPrefix("registration_id,deal_id,"))
            #expect(regs.count > 1)

            var r = try await app.call(.GET, "/api/v1/exports/deals.csv?partnership_id=nope")
            #expect(r.status == .unprocessableEntity && r["field"] as? String == "partnership_id")
            r = try await app.call(.GET, "/api/v1/exports/deals.csv?partnership_id=\(UUID().uuidString)")
            #expect(r.status == .notFound && r["field"] as? String == "partnership_id")
        }
    }

    @Test("ACE and Partner Center exports are validated before they are written", arguments: TestDatabase.all)
    func validated(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            var r = try await app.call(.GET, "/api/v1/exports/aws-ace/validation?\(Self.ace)")
            #expect(r.status == .ok)
            let checked = try #require(r["checked"] as? Int)
            #expect(checked > 0)
            let invalid = try #require(r["invalid"] as? [[String: Any]])
            // The demo accounts carry a postal address: no deal misses one.
            #expect(
                !invalid.contains { d in
                    ((d["missing"] as? [[String: Any]]) ?? []).contains {
                        ["postalCode", "state"].contains($0["field"] as? String)
                    }
                })
            #expect(invalid.count + (r["valid"] as? Int ?? 0) == checked)
            #expect((r["settings_problems"] as? [Any])?.isEmpty == true)

            r = try await app.call(.GET, "/api/v1/exports/aws-ace/validation")
            #expect(r.status == .ok)
            #expect(
                ((r["settings_problems"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.contains(
                    "solution_offered"))

            r = try await app.call(.GET, "/api/v1/exports/aws-ace.csv")
            #expect(r.status == .unprocessableEntity && r["field"] as? String == "solution_offered")
            r = try await app.call(.GET, "/api/v1/exports/aws-ace.csv?\(Self.ace)")
            #expect(r.status == .unprocessableEntity)
            #expect(r.contentType.hasPrefix("application/problem+json"))
            #expect((r["invalid_deals"] as? [Any])?.count == invalid.count)
            r = try await app.call(.GET, "/api/v1/exports/aws-ace.csv?\(Self.ace)&skip_invalid=maybe")
            #expect(r.status == .unprocessableEntity && r["field"] as? String == "skip_invalid")
            let lines = try await csvLines(app, "/api/v1/exports/aws-ace.csv?\(Self.ace)&skip_invalid=true")
            #expect(lines.first == AceExport.columns.map(\.legacy).joined(separator: ","))
            #expect(lines.count == 1 + checked - invalid.count)

            r = try await app.call(.GET, "/api/v1/exports/partner-center/validation?solution_id=SOL-1")
            #expect(r.status == .ok)
            #expect(r["target"] as? String == "partner_center")
            // Every demo deal Partner Center takes is valid (it takes any currency): the file is written whole.
            #expect((r["invalid"] as? [Any])?.isEmpty == true)
            let pc = try await csvLines(app, "/api/v1/exports/partner-center.csv?solution_id=SOL-1")
            #expect(pc.first?.hasPrefix("Deal Name,Partner Referral Status,") == true)
            #expect(pc.count == 1 + (r["checked"] as? Int ?? -1))
        }
    }

    static func missingFields(_ validation: Answer, deal: String) -> [String] {
        let invalid = (validation["invalid"] as? [[String: Any]]) ?? []
        return (invalid.first { $0["deal_id"] as? String == deal }?["missing"] as? [[String: Any]] ?? []).compactMap {
            $0["field"] as? String
        }
    }

    @Test(
        "a billing address imported from the CRM reaches the joint accounts and the co-sell exports; without one the 422 names the field",
        arguments: TestDatabase.all)
    func addresses(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let pcPath = "/api/v1/exports/partner-center/validation?solution_id=SOL-1"
            let acePath = "/api/v1/exports/aws-ace/validation?\(Self.ace)"
            // The demo deals export: some are valid as they stand, and none lacks an address.
            let demo = try await app.call(.GET, pcPath)
            let checked = try #require(demo["checked"] as? Int)
            #expect(checked > 0)
            #expect((demo["valid"] as? Int ?? 0) > 0)
            let pcLines = try await csvLines(
                app, "/api/v1/exports/partner-center.csv?solution_id=SOL-1&skip_invalid=true")
            #expect(pcLines.count == 1 + (demo["valid"] as? Int ?? 0))

            // A workspace whose accounts hold no address (as before 0012): every checked deal names the fields.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE joint_accounts SET street = NULL, city = NULL, state = NULL, postal_code = NULL")
                .run()
            try await sql.raw("UPDATE crm_accounts SET street = NULL, city = NULL, state = NULL, postal_code = NULL")
                .run()
            let bare = try await app.call(.GET, pcPath)
            #expect(bare["valid"] as? Int == 0)
            let bareInvalid = try #require(bare["invalid"] as? [[String: Any]])
            #expect(bareInvalid.count == checked)
            for d in bareInvalid {
                let missing = Self.missingFields(bare, deal: d["deal_id"] as? String ?? "")
                #expect(missing.contains("Customer Address Line 1") && missing.contains("Customer City"))
            }
            let refused = try await app.call(.GET, "/api/v1/exports/partner-center.csv?solution_id=SOL-1")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused["field"] as? String == "skip_invalid")
            let named = ((refused["invalid_deals"] as? [[String: Any]]) ?? []).flatMap {
                (($0["missing"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
            }
            #expect(named.contains("Customer Address Line 1"))
            let aceBare = try await app.call(.GET, acePath)
            #expect(
                ((aceBare["invalid"] as? [[String: Any]]) ?? []).allSatisfy {
                    Self.missingFields(aceBare, deal: $0["deal_id"] as? String ?? "").contains("postalCode")
                })

            // The host imports its Salesforce export again, now with the billing address columns: the
            // joint accounts found by mapping get the address, and their deals export.
            let ws = DemoWorkspace.make(now: Date())
            let host = try #require(try await app.call(.GET, "/api/v1/me").path("organization", "id") as? String)
            var csv =
                "Id,Name,Website,BillingStreet,BillingCity,BillingState,BillingPostalCode,BillingCountry,Industry,Type\n"
            for (i, a) in ws.jointAccounts.enumerated() {
                guard let pop = a.populations.first(where: { $0.organizationID.uuidString == host })?.population,
                    let address = a.address
                else { continue }
                let type = ["customer": "Customer - Direct", "open_opportunity": "Open Opportunity"][pop] ?? "Prospect"
                csv +=
                    "QD-\(1000 + i),\"\(a.name)\",https://www.\(a.domain ?? "")/,\"\(address.line1 ?? "")\",\(address.city ?? ""),\(address.state ?? ""),\(address.postalCode ?? ""),\(a.country ?? ""),\(a.industry ?? ""),\(type)\n"
            }
            let started = try await app.call(
                .POST, "/api/v1/organizations/\(host)/account-imports?file_name=sf.csv&confirm_retirements=true",
                body: csv,
                headers: ["Content-Type": "text/csv"])
            #expect(started.status == .accepted)
            let job = try #require(started.path("job", "id") as? String)
            let status = try await finishedImport(app, job).path("job", "status") as? String
            #expect(status == "succeeded")
            let after = try await app.call(.GET, pcPath)
            #expect((after["valid"] as? Int ?? 0) > 0)
            // A deal on an account found by mapping no longer misses the address; its account shows it.
            let deals = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 200)).items
            var fixed = 0
            for d in deals {
                guard let account = try await app.store.jointAccount(d.jointAccountID), account.origin == .overlap
                else { continue }
                let missing = Self.missingFields(after, deal: d.id.uuidString)
                #expect(!missing.contains("Customer Address Line 1"), "\(d.title)")
                let shown = try await app.call(.GET, "/api/v1/accounts/\(account.id.uuidString)")
                #expect(shown.path("address", "postal_code") as? String != nil, "\(account.name)")
                fixed += 1
            }
            #expect(fixed > 0)
            let written = try await csvLines(
                app, "/api/v1/exports/partner-center.csv?solution_id=SOL-1&skip_invalid=true")
            #expect(written.count == 1 + (after["valid"] as? Int ?? 0))
            // The written row holds the street and city from the export.
            let kestrel = try #require(ws.jointAccounts.first { $0.name == "Kestrel Logistics" })
            let row = try #require(written.first { $0.hasPrefix("Kestrel") })
            #expect(row.contains("\(kestrel.address?.line1 ?? "-"),\(kestrel.address?.city ?? "-")"))
        }
    }
}
